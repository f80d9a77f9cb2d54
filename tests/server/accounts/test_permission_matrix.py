"""Every write URL of the pages and every write operation of the API, by every role, on a draft and
on a submitted contribution of CHN (the own delegation of ``own_delegate``, another's for
``other_delegate``): the status expected, and nothing changed when the answer is a refusal.

The lists of write URLs are checked against the URL conf and the OpenAPI schema, so a new
write URL or operation without a row here fails :func:`test_every_write_url_is_in_the_matrix`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from actionplan.model import Plan
from actionplan.server.accounts.users import create_token
from tests.server.accounts.conftest import (
    AUDIO,
    PARA,
    ROLES,
    People,
    chn_draft,
    chn_submitted,
    csrf,
    send_json,
    snapshot,
)

pytestmark = pytest.mark.django_db

LOGIN = "login"  # a redirect to the sign-in page

Expect = dict[str, int | str]


def _all(status: int | str, **more: int | str) -> Expect:
    return {role: more.get(role, status) for role in ROLES}


# -- the pages ---------------------------------------------------------------------------------

# (name, target, data) -> expected per role. target: "draft", "submitted" or None (no contribution).
WEB: dict[tuple[str, str | None], tuple[Callable[[Any], dict[str, str]], Expect]] = {
    ("contribution_new", None): (
        lambda info: {"base": "baap@1", "document": "NEW-1", "language": "zh", "sponsors": "CHN"},
        _all(403, anonymous=LOGIN, own_delegate=302),
    ),
    ("contribution_edit", "draft"): (
        lambda info: {"document": info.document, "language": "zh", "sponsors": "CHN", "revision": info.revision},
        _all(404, anonymous=LOGIN, own_delegate=302),
    ),
    ("contribution_edit", "submitted"): (
        lambda info: {"document": info.document, "language": "zh", "sponsors": "CHN", "revision": info.revision},
        _all(403, anonymous=LOGIN, own_delegate=400),
    ),
    ("contribution_status", "draft"): (
        lambda info: {"action": "submit", "revision": info.revision},
        _all(404, anonymous=LOGIN, own_delegate=302),
    ),
    ("contribution_status", "submitted"): (
        lambda info: {"action": "withdraw", "revision": info.revision},
        _all(403, anonymous=LOGIN, own_delegate=302),
    ),
    ("contribution_amend", "draft"): (
        lambda info: {
            "eid": PARA,
            "field": "text",
            "lang": "zh",
            "text": AUDIO + "。",
            "action": "save",
            "expected": json.dumps({a.ident: a.revision for a in info.amendments}),
        },
        _all(404, anonymous=LOGIN, own_delegate=302),
    ),
    ("contribution_amend", "submitted"): (
        lambda info: {"eid": PARA, "field": "text", "lang": "zh", "text": AUDIO + "。", "action": "save"},
        _all(403, anonymous=LOGIN, own_delegate="refused"),  # a redirect saying only a draft changes
    ),
    ("contribution_links", "draft"): (
        lambda info: {"output": "obj_2__output_2.1", "scheme": "sdg_target", "add": "4.4", "remove": ""},
        _all(404, anonymous=LOGIN, own_delegate=302),
    ),
    ("contribution_links", "submitted"): (
        lambda info: {"output": "obj_2__output_2.1", "scheme": "sdg_target", "add": "4.4", "remove": ""},
        _all(403, anonymous=LOGIN, own_delegate="refused"),
    ),
    ("amendment_edit", "draft"): (
        lambda info: {"text": "、视频和数据", "justification": "", "revision": info.amendments[0].revision},
        _all(404, anonymous=LOGIN, own_delegate=302),
    ),
    ("amendment_edit", "submitted"): (
        lambda info: {"text": "、视频和数据", "justification": "", "revision": info.amendments[0].revision},
        _all(403, anonymous=LOGIN, own_delegate=400),
    ),
    ("consolidate", "submitted"): (
        lambda info: {f"d-{info.amendments[0].pk}-choice": "accept", "action": "adopt"},
        _all(403, anonymous=LOGIN, secretariat=302),
    ),
}
WEB_STATUS_REVIEW: Expect = _all(403, anonymous=LOGIN, secretariat=302)


def _web_url(name: str, info: Any) -> str:
    if name == "contribution_new":
        return reverse("web:contribution_new")
    if name == "consolidate":
        return reverse("web:consolidate", args=["baap@1"])
    if name == "amendment_edit":
        return reverse("web:amendment_edit", args=[info.pk, "A1"])
    return reverse(f"web:{name}", args=[info.pk])


def _target(kind: str | None) -> Any:
    if kind == "draft":
        return chn_draft()
    if kind == "submitted":
        return chn_submitted()
    return None


def _check(response: Any, expected: int | str, before: Any, role: str, url: str) -> None:
    where = f"{role} {url}"
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), where
    elif expected == "refused":
        assert response.status_code == 302, where
    else:
        assert response.status_code == expected, (where, response.content[:300])
    if expected != 302 and not (isinstance(expected, int) and expected < 300):
        assert snapshot() == before, f"{where}: a refused request changed the store"
    else:
        assert snapshot() != before, f"{where}: an allowed request changed nothing"


@pytest.mark.parametrize(("name", "target"), list(WEB), ids=[f"{n}-{t}" for n, t in WEB])
def test_pages(base: Plan, people: People, name: str, target: str | None) -> None:
    data, expected = WEB[(name, target)]
    info = _target(target)
    url = _web_url(name, info)
    for role in ROLES:
        client = people.client(role)
        before = snapshot()
        response = client.post(url, data(info), headers=csrf(client))
        _check(response, expected[role], before, role, url)


def test_putting_under_review(base: Plan, people: People) -> None:
    info = chn_submitted()
    url = _web_url("contribution_status", info)
    for role in ROLES:
        client = people.client(role)
        before = snapshot()
        response = client.post(url, {"action": "review", "revision": info.revision}, headers=csrf(client))
        _check(response, WEB_STATUS_REVIEW[role], before, role, url)


# -- the API -------------------------------------------------------------------------------------

API: dict[tuple[str, str, str | None], tuple[Callable[[Any], Any], Expect]] = {
    ("post", "/api/contributions", None): (
        lambda info: {"base": "baap@1", "document": "NEW-1", "sponsors": ["CHN"]},
        _all(403, anonymous=401, own_delegate=201),
    ),
    ("post", "/api/contributions/{id}/amendments", "draft"): (
        lambda info: {"eid": PARA, "text": AUDIO + "。"},
        _all(404, anonymous=401, own_delegate=201),
    ),
    ("post", "/api/contributions/{id}/amendments", "submitted"): (
        lambda info: {"eid": PARA, "text": AUDIO + "。"},
        _all(403, anonymous=401, own_delegate=400),
    ),
    ("put", "/api/contributions/{id}/amendments/{ident}", "draft"): (
        lambda info: {
            "revision": info.amendments[0].revision,
            "amendment": info.amendments[0]
            .amendment.model_copy(update={"new_text": {"zh": "、视频和数据"}})
            .model_dump(mode="json"),
        },
        _all(404, anonymous=401, own_delegate=200),
    ),
    ("put", "/api/contributions/{id}/amendments/{ident}", "submitted"): (
        lambda info: {
            "revision": info.amendments[0].revision,
            "amendment": info.amendments[0]
            .amendment.model_copy(update={"new_text": {"zh": "、视频和数据"}})
            .model_dump(mode="json"),
        },
        _all(403, anonymous=401, own_delegate=400),
    ),
    ("post", "/api/contributions/{id}/submit", "draft"): (
        lambda info: {"revision": info.revision},
        _all(404, anonymous=401, own_delegate=200),
    ),
    ("post", "/api/contributions/{id}/submit", "submitted"): (
        lambda info: {"revision": info.revision},
        _all(403, anonymous=401, own_delegate=400),
    ),
    ("post", "/api/contributions/{id}/withdraw", "draft"): (
        lambda info: {"revision": info.revision},
        _all(404, anonymous=401, own_delegate=200),
    ),
    ("post", "/api/contributions/{id}/withdraw", "submitted"): (
        lambda info: {"revision": info.revision},
        _all(403, anonymous=401, own_delegate=200),
    ),
    ("post", "/api/plans/{code}/versions/{n}/adopt", "submitted"): (
        lambda info: {"decisions": [{"key": f"{info.document}/A1", "choice": "accept"}]},
        _all(403, anonymous=401, secretariat=201),
    ),
    ("post", "/api/monitor/records/{kind}", None): (
        lambda info: {"rows": [ASSISTANCE_ROW]},
        _all(403, anonymous=401, secretariat=201),
    ),
    ("post", "/api/monitor/snapshots/{year}", None): (lambda info: {}, _all(403, anonymous=401, secretariat=201)),
    ("post", "/api/statistics/observations", None): (
        lambda info: Upload("observations.csv", b"economy,year,indicator,value\nKEN,2020,internet_users_pct,29.5\n"),
        _all(403, anonymous=401, secretariat=201),
    ),
    ("post", "/api/statistics/frameworks", None): (
        lambda info: {"name": "idi-2017-proposed", "content": _proposed_framework()},
        _all(403, anonymous=401, secretariat=201),
    ),
}


ASSISTANCE_ROW = {
    "key": "MATRIX-1",
    "country": "NPL",
    "output": "2.3",
    "kind": "early_warning",
    "delivered_on": "2021-02-01",
    "recorded_on": "2021-02-03",
}


@dataclass(frozen=True)
class Upload:
    """A file sent as multipart form data (the statistics import), not as JSON."""

    name: str
    content: bytes


def _proposed_framework() -> str:
    from importlib.resources import files

    text = files("actionplan.data").joinpath("frameworks/idi-2017.yaml").read_text(encoding="utf-8")
    return text.replace("id: idi-2017", "id: idi-2017-proposed", 1)


def _send(client: Client, method: str, url: str, body: Any, **headers: str) -> Any:
    if isinstance(body, Upload):
        upload = io.BytesIO(body.content)
        upload.name = body.name
        return client.post(url, {"file": upload}, headers=headers)
    return send_json(client, method, url, body, **headers)


def _api_url(template: str, info: Any) -> str:
    url = template.replace("{code}", "baap").replace("{n}", "1").replace("{ident}", "A1")
    url = url.replace("{kind}", "assistance").replace("{year}", "2021")
    return url.replace("{id}", str(info.pk)) if info is not None else url


@pytest.mark.parametrize("auth", ["token", "session"])
@pytest.mark.parametrize(("method", "path", "target"), list(API), ids=[f"{m}-{p}-{t}" for m, p, t in API])
def test_api(base: Plan, people: People, method: str, path: str, target: str | None, auth: str) -> None:
    data, expected = API[(method, path, target)]
    info = _target(target)
    url = _api_url(path, info)
    for role in ROLES:
        user = people.users[role]
        if auth == "token":
            client = Client()
            headers = {"Authorization": f"Bearer {create_token(user.username, 'write')}"} if user else {}
        else:
            client = people.client(role)
            headers = csrf(client)
        before = snapshot()
        response = _send(client, method, url, data(info), **headers)
        where = f"{auth} {role} {method} {url}"
        assert response.status_code == expected[role], (where, response.content[:300])
        if response.status_code >= 400:
            body = response.json()
            assert (body["ok"], body["status"]) == (False, response.status_code), where
            assert snapshot() == before, f"{where}: a refused request changed the store"


# -- nothing is left out -------------------------------------------------------------------------


def _web_patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace in (None, "web"):
                found += _web_patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            found.append((p.name, prefix + str(p.pattern)))
    return found


def test_every_write_url_is_in_the_matrix(client: Client, base: Plan, people: People) -> None:
    """Every page URL that wants a signed-in user for a POST is in :data:`WEB`; every API write in :data:`API`.

    The pages' URLs come from the URL conf (those whose arguments a contribution gives);
    the API's operations from the OpenAPI schema.
    """
    info = chn_submitted()
    anonymous = Client()
    wants_account = set()
    for name, _pattern in _web_patterns(get_resolver()):
        if name.startswith("password_reset") or name in ("login", "logout"):
            continue  # the accounts' own forms: tested in test_accounts
        try:
            url = reverse(f"web:{name}")
        except NoReverseMatch:
            try:
                url = _web_url(name, info)
            except NoReverseMatch:
                continue  # a reading page about the plan (its arguments are not a contribution's)
        response = anonymous.post(url, {})
        if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
            wants_account.add(name)
    assert wants_account == {n for n, _t in WEB}
    schema = client.get("/api/openapi.json").json()
    writes = {(m, p) for p, ops in schema["paths"].items() for m in ops if m != "get"}
    assert writes == {(m, p) for m, p, _t in API}
