"""Hostile input gets a clean 4xx: oversized bodies, wrong content types, invalid UTF-8, path traversal.

Each request is made by a signed-in delegate with a write token (or the session), so the
answer comes from the input handling, not from a missing sign-in; nothing is stored.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from actionplan.model import Plan
from actionplan.server.accounts.users import create_token
from tests.server.accounts.conftest import People, chn_draft, csrf, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(base: Plan, people: People) -> tuple[Client, dict[str, str], Any]:
    token = create_token("alice", "write")
    return Client(), {"Authorization": f"Bearer {token}"}, chn_draft()


def _clean_4xx(response: Any, where: str) -> None:
    assert 400 <= response.status_code < 500, (where, response.status_code, response.content[:200])
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        assert body["ok"] is False and body["status"] == response.status_code, where


def test_oversized_bodies(writer: tuple[Client, dict[str, str], Any]) -> None:
    client, headers, draft = writer
    before = snapshot()
    big = json.dumps({"eid": "x", "text": "长" * 3_000_000})
    for url in ("/api/contributions", f"/api/contributions/{draft.pk}/amendments"):
        response = client.post(url, data=big, content_type="application/json", headers=headers)
        _clean_4xx(response, url)
    assert snapshot() == before


def test_oversized_form(base: Plan, people: People) -> None:
    alice = people.client("own_delegate")
    draft = chn_draft()
    before = snapshot()
    fields = {f"f{i}": "x" for i in range(1200)}  # more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = alice.post(f"/contributions/{draft.pk}/edit/", {**fields, "revision": 1}, headers=csrf(alice))
    _clean_4xx(response, "form with too many fields")
    response = alice.post(
        f"/contributions/{draft.pk}/edit/", {"document": "长" * 1_000_000, "revision": 1}, headers=csrf(alice)
    )
    _clean_4xx(response, "form too big")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", '{"base": "baap@1", "document": "X"}'),
        ("application/x-www-form-urlencoded", "base=baap%401&document=X"),
        ("application/xml", "<contribution/>"),
        ("application/json", "not json"),
        ("application/json", '["a", "list"]'),
        ("application/json", ""),
    ],
)
def test_wrong_content_types_and_bodies(
    writer: tuple[Client, dict[str, str], Any], content_type: str, body: str
) -> None:
    client, headers, _draft = writer
    before = snapshot()
    response = client.post("/api/contributions", data=body, content_type=content_type, headers=headers)
    _clean_4xx(response, content_type)
    assert snapshot() == before


def test_invalid_utf8(writer: tuple[Client, dict[str, str], Any], people: People) -> None:
    client, headers, draft = writer
    before = snapshot()
    bad = b'{"base": "baap@1", "document": "\xff\xfe\xc3\x28"}'
    response = client.post("/api/contributions", data=bad, content_type="application/json", headers=headers)
    _clean_4xx(response, "json")
    response = client.get("/api/search?q=%ff%fe", headers=headers)
    assert response.status_code < 500
    alice = people.client("own_delegate")
    response = alice.post(
        f"/contributions/{draft.pk}/edit/",
        data=b"document=%ff%fe&language=zh&sponsors=CHN&revision=1",
        content_type="application/x-www-form-urlencoded",
        headers=csrf(alice),
    )
    assert response.status_code < 500
    assert snapshot() == before or response.status_code < 400  # a replaced character may be saved, never a crash


def test_nul_characters(writer: tuple[Client, dict[str, str], Any]) -> None:
    client, headers, draft = writer
    before = snapshot()
    body = {"eid": "obj_2__output_2.1__background__para_4", "text": "a\u0000b"}
    response = client.post(
        f"/api/contributions/{draft.pk}/amendments",
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
    )
    _clean_4xx(response, "NUL")
    assert snapshot() == before


@pytest.mark.parametrize(
    "url",
    [
        "/static/../settings.py",
        "/static/..%2f..%2fsettings.py",
        "/static/web/..%2f..%2f..%2fsettings.py",
        "/static/%2e%2e/%2e%2e/settings.py",
        "/trace/sdg/9/..%2f..%2fsettings.py",
        "/trace/sdg_goals/..%2fspec.json",
        "/contributions/redline/..%2f..%2fetc%2fpasswd/",
        "/api/plans/..%2f..%2fetc%2fpasswd",
        "/api/plans/baap/versions/1/outputs/..%2f..%2f..%2fsettings.py",
        "/contributions/1/amendments/..%2f..%2fA1/",
        "/versions/diff/?old=../../etc/passwd&new=baap@1",
    ],
)
def test_path_traversal_in_names(client: Client, base: Plan, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (400, 404), (url, response.status_code)
    assert b"SECRET_KEY" not in b"".join(response) if response.streaming else b"SECRET_KEY" not in response.content
