"""The contributions part of the JSON API: reading, writing with a session and CSRF, 409 on stale revisions.

Bodies are compared with the store (``store.get_contribution``) and with the project's
single error body (``actionplan.server.api.errors``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from actionplan.amend.model import Contribution
from actionplan.model import Plan
from actionplan.server.store import api, models
from actionplan.server.store import contributions as store
from tests.server.contributions.conftest import PARA, PARA_TEXT

pytestmark = pytest.mark.django_db

AUDIO = PARA_TEXT.replace("音频和视频", "音频、视频和数据")
MEDIA = PARA_TEXT.replace("音频和视频", "多媒体内容")
JSON = "application/json; charset=utf-8"


def session(user: Any) -> Client:
    """A client signed in as ``user`` that sends the CSRF token as a browser script would."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/accounts/login/")  # sets the csrftoken cookie
    return client


def send(client: Client, method: str, url: str, body: Any, *, csrf: bool = True) -> Any:
    headers = {"X-CSRFToken": client.cookies["csrftoken"].value} if csrf and "csrftoken" in client.cookies else {}
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", headers=headers)


def new_draft(document: str = "TDAG-1") -> store.ContributionInfo:
    return store.create_contribution(Contribution(document=document, base="baap@1", sponsors=["CHN"]))


def submitted(document: str, text: str) -> store.ContributionInfo:
    info = new_draft(document)
    store.add_amendments_from_edit(info.pk, PARA, "text", "zh", text)
    info = store.get_contribution(info.pk)
    return store.submit_contribution(info.pk, info.revision)


def error_body(status: int, error: str, where: str | None, expected: str | None) -> dict[str, Any]:
    return {"ok": False, "status": status, "error": error, "where": where, "expected": expected, "errors": []}


# -- reading ----------------------------------------------------------------------------


def test_contributions_and_amendments_are_read_by_anyone(client: Client, base: Plan) -> None:
    info = submitted("TDAG-1", AUDIO)
    new_draft("TDAG-2")

    listed = client.get("/api/contributions?status=submitted")
    assert (listed.status_code, listed["Content-Type"], listed["Cache-Control"]) == (200, JSON, "no-cache")
    body = listed.json()
    assert (body["count"], [c["document"] for c in body["items"]]) == (1, ["TDAG-1"])
    assert body["items"][0]["amendments_pending"] == 1 and body["items"][0]["base"] == "baap@1"

    one = client.get(f"/api/contributions/{info.pk}").json()
    a1 = info.amendment("A1")
    assert (one["document"], one["status"], one["revision"], one["sponsors"]) == (
        "TDAG-1",
        "submitted",
        info.revision,
        ["CHN"],
    )
    assert one["amendments"][0]["amendment"] == a1.amendment.model_dump(mode="json")
    assert one["amendments"][0]["key"] == "TDAG-1/A1"
    assert one["links"]["conflicts"] == "/api/plans/baap/versions/1/conflicts"
    got = client.get(f"/api/contributions/{info.pk}/amendments/A1").json()
    assert (got["revision"], got["links"]["self"]) == (a1.revision, f"/api/contributions/{info.pk}/amendments/A1")
    assert client.get(f"/api/contributions/{info.pk}/amendments").json()["count"] == 1


def test_unknown_contributions_are_404_with_the_error_body(client: Client, base: Plan) -> None:
    response = client.get("/api/contributions/7")
    assert response.status_code == 404
    assert response.json() == error_body(404, "no contribution 7 in the store", "7", "a contribution created first")
    info = submitted("TDAG-1", AUDIO)
    response = client.get(f"/api/contributions/{info.pk}/amendments/A9")
    assert (response.status_code, response.json()["where"]) == (404, "TDAG-1/A9")
    draft = new_draft("TDAG-2")  # a draft is not found by the public, exactly as an id that does not exist
    response = client.get(f"/api/contributions/{draft.pk}")
    assert response.json() == error_body(
        404, f"no contribution {draft.pk} in the store", str(draft.pk), "one of TDAG-1"
    )


def test_conflict_sets_of_a_version(client: Client, base: Plan) -> None:
    submitted("TDAG-1", AUDIO)
    submitted("TDAG-2", MEDIA)
    body = client.get("/api/plans/baap/versions/1/conflicts").json()
    expected = store.conflicts("baap@1")
    assert (body["base"], body["count"]) == ("baap@1", 1)
    one = body["items"][0]
    assert (one["eid"], one["field"], one["base_text"]) == (PARA, "text", PARA_TEXT)
    assert [m["key"] for m in one["members"]] == [v.proposed.key for v in expected[0].members]
    assert {m["text"] for m in one["members"]} == {AUDIO, MEDIA}
    assert "".join(o["text"] for o in one["members"][0]["ops"] if o["kind"] != "delete") == one["members"][0]["text"]


# -- writing ----------------------------------------------------------------------------


def test_writing_needs_a_session_and_the_csrf_token(client: Client, base: Plan, alice: Any) -> None:
    body = {"base": "baap@1", "document": "TDAG-1", "sponsors": ["CHN"]}
    anonymous = send(client, "post", "/api/contributions", body)
    assert (anonymous.status_code, anonymous.json()["error"]) == (401, "Unauthorized")
    no_token = send(session(alice), "post", "/api/contributions", body, csrf=False)
    assert (no_token.status_code, no_token.json()["error"]) == (403, "CSRF check Failed")
    assert models.Contribution.objects.count() == 0


def test_a_delegate_writes_a_contribution_through_the_api(base: Plan, alice: Any) -> None:
    client = session(alice)
    created = send(
        client,
        "post",
        "/api/contributions",
        {"base": "baap", "document": "TDAG-1", "sponsors": ["chn"], "title": {"zh": "建议"}},
    )
    assert created.status_code == 201
    c = created.json()
    assert (c["base"], c["status"], c["sponsors"], c["created_by"], c["revision"]) == (
        "baap@1",
        "draft",
        ["CHN"],
        "alice",
        1,
    )

    edit = send(client, "post", f"/api/contributions/{c['id']}/amendments", {"eid": PARA, "text": AUDIO})
    assert edit.status_code == 201
    [a1] = edit.json()
    assert (a1["key"], a1["amendment"]["type"], a1["amendment"]["new_text"]) == (
        "TDAG-1/A1",
        "substitution",
        {"zh": "、视频和数据"},
    )

    changed = {**a1["amendment"], "new_text": {"zh": "、视频和数据业务"}}
    put = send(
        client, "put", f"/api/contributions/{c['id']}/amendments/A1", {"revision": a1["revision"], "amendment": changed}
    )
    assert (put.status_code, put.json()["revision"]) == (200, a1["revision"] + 1)

    now = store.get_contribution(c["id"])
    submit = send(client, "post", f"/api/contributions/{c['id']}/submit", {"revision": now.revision})
    assert (submit.status_code, submit.json()["status"]) == (200, "submitted")


def test_a_stale_revision_is_409_with_the_error_body_and_nothing_written(base: Plan, alice: Any, bob: Any) -> None:
    info = new_draft()
    store.add_amendments_from_edit(info.pk, PARA, "text", "zh", AUDIO)
    a1 = store.get_contribution(info.pk).amendment("A1")
    url = f"/api/contributions/{info.pk}/amendments/A1"
    mine = a1.amendment.model_copy(update={"new_text": {"zh": "、视频甲"}}).model_dump(mode="json")
    theirs = a1.amendment.model_copy(update={"new_text": {"zh": "、视频乙"}}).model_dump(mode="json")

    assert send(session(alice), "put", url, {"revision": a1.revision, "amendment": mine}).status_code == 200
    late = send(session(bob), "put", url, {"revision": a1.revision, "amendment": theirs})

    assert (late.status_code, late["Content-Type"]) == (409, JSON)
    assert late.json() == error_body(
        409,
        f"amendment TDAG-1/A1 was changed by alice since you loaded it (your revision {a1.revision}, "
        f"now {a1.revision + 1}); nothing was saved",
        "TDAG-1/A1",
        "your change made again on the amendment as it now stands",
    )
    assert store.get_contribution(info.pk).amendment("A1").amendment.new_text == {"zh": "、视频甲"}


def test_a_bad_edit_is_400_naming_the_field(base: Plan, alice: Any) -> None:
    info = new_draft()
    response = send(
        session(alice), "post", f"/api/contributions/{info.pk}/amendments", {"eid": PARA, "text": PARA_TEXT}
    )
    assert (response.status_code, response.json()["where"]) == (400, "text")
    response = send(session(alice), "post", "/api/contributions", {"base": "baap@1", "document": "X", "date": "soon"})
    assert (response.status_code, response.json()["where"]) == (400, "date")


def test_only_the_secretariat_adopts(base: Plan, alice: Any, secretariat: Any) -> None:
    submitted("TDAG-1", AUDIO)
    submitted("TDAG-2", MEDIA)
    body = {"decisions": [{"key": "TDAG-1/A1", "choice": "accept"}, {"key": "TDAG-2/A1", "choice": "reject"}]}

    refused = send(session(alice), "post", "/api/plans/baap/versions/1/adopt", body)
    assert (refused.status_code, refused.json()["error"]) == (403, "alice may not adopt a version")
    assert refused.json()["expected"] == "a secretariat editor"
    assert [v.ref for v in api.list_versions()] == ["baap@1"]

    done = send(session(secretariat), "post", "/api/plans/baap/versions/1/adopt", {**body, "note": "TDAG-19"})
    assert done.status_code == 201
    out = done.json()
    assert (out["version"]["ref"], out["created"], out["version"]["note"]) == ("baap@2", True, "TDAG-19")
    assert (out["statuses"], out["contributions"]) == (
        {"TDAG-1/A1": "accepted", "TDAG-2/A1": "rejected"},
        {"TDAG-1": "adopted", "TDAG-2": "rejected"},
    )
    assert out["provenance"] == {"TDAG-1/A1": [PARA]}
    assert api.load_version("baap@2").element(PARA).text["zh"] == AUDIO  # type: ignore[union-attr]


def test_the_schema_documents_the_contribution_routes(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    assert set(paths["/api/contributions"]) == {"get", "post"}
    assert set(paths["/api/contributions/{id}/amendments/{ident}"]) == {"get", "put"}
    put = paths["/api/contributions/{id}/amendments/{ident}"]["put"]
    assert {"200", "400", "401", "403", "404", "409", "422"} <= set(put["responses"])
    assert set(paths["/api/plans/{code}/versions/{n}/adopt"]) == {"post"}
