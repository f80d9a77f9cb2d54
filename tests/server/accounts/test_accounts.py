"""Accounts, tokens, sign-in throttling, CSRF, ids that cannot be probed, headers, production settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from actionplan.errors import NotFoundError, ValidationError
from actionplan.model import Plan
from actionplan.server.accounts import users
from actionplan.server.accounts.models import ApiToken
from actionplan.server.store import contributions as store
from actionplan.server.store import models
from tests.server.accounts.conftest import PASSWORD, People, chn_draft, csrf, send_json, snapshot

pytestmark = pytest.mark.django_db


# -- users -------------------------------------------------------------------------------------


def test_users_are_made_with_a_role_and_organisations() -> None:
    info = users.add_user("dora", "delegate", ["chn", "Huawei  Technologies"], PASSWORD, email="d@example.org")
    assert (info.roles, info.organisations, info.active) == (["delegate"], ["CHN", "Huawei Technologies"], True)
    with pytest.raises(ValidationError, match="delegate speaks for an organisation"):
        users.add_user("eve", "delegate", [], PASSWORD)
    with pytest.raises(ValidationError, match="not an ISO 3166"):
        users.add_user("eve", "delegate", ["XYZ"], PASSWORD)
    with pytest.raises(ValidationError, match="unknown role"):
        users.add_user("eve", "king", [], PASSWORD)
    with pytest.raises(ValidationError, match="too short"):
        users.add_user("eve", "reviewer", [], "short")
    with pytest.raises(ValidationError, match="exists already"):
        users.add_user("dora", "reviewer", [], PASSWORD)
    assert [u.name for u in users.list_users()] == ["dora"]


def test_passwords_are_hashed_with_argon2(django_user_model: Any) -> None:
    users.add_user("dora", "reviewer", [], PASSWORD)
    stored = django_user_model.objects.get(username="dora").password
    assert stored.startswith("argon2$argon2id$") and PASSWORD not in stored


def test_a_token_is_shown_once_and_stored_hashed() -> None:
    users.add_user("dora", "reviewer", [], PASSWORD)
    token = users.create_token("dora", "read")
    row = ApiToken.objects.get()
    assert token.startswith("ap_") and len(token) > 40
    assert token not in (row.digest, row.prefix) and row.digest != token and token.startswith(row.prefix)
    assert not ApiToken.objects.filter(digest__contains=token[3:20]).exists()
    assert users.get_user("dora").tokens[0].scope == "read"
    with pytest.raises(ValidationError):
        users.create_token("dora", "admin")
    with pytest.raises(NotFoundError):
        users.create_token("nobody")


def test_token_scopes_revocation_and_disabled_users(base: Plan) -> None:
    info = chn_draft()
    users.add_user("dora", "delegate", ["CHN"], PASSWORD)
    read, write = users.create_token("dora", "read"), users.create_token("dora", "write")
    client = Client()
    url = f"/api/contributions/{info.pk}/submit"

    def bearer(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    # a read token reads (the draft of its user's delegation), and cannot write
    assert client.get(f"/api/contributions/{info.pk}", headers=bearer(read)).status_code == 200
    assert client.get(f"/api/contributions/{info.pk}").status_code == 404  # the public does not see the draft
    refused = send_json(client, "post", url, {"revision": info.revision}, **bearer(read))
    assert (refused.status_code, refused.json()["error"]) == (403, "this API token has the read scope: it cannot write")
    # a write token writes, without any CSRF token (it is not a cookie a browser sends by itself)
    assert send_json(client, "post", url, {"revision": info.revision}, **bearer(write)).status_code == 200
    # unknown, revoked, or of a disabled user: 401, also on reads
    assert client.get("/api/contributions", headers=bearer("ap_nope")).status_code == 401
    assert users.revoke_token("dora", read[:10]) == 1
    assert client.get("/api/contributions", headers=bearer(read)).status_code == 401
    assert client.get("/api/contributions", headers=bearer(write)).status_code == 200
    users.disable_user("dora")
    assert client.get("/api/contributions", headers=bearer(write)).status_code == 401
    response = send_json(client, "post", "/api/contributions", {"base": "baap@1", "document": "X"}, **bearer(write))
    assert response.status_code == 401


def test_disabling_a_user_ends_their_sessions(base: Plan, django_user_model: Any) -> None:
    users.add_user("dora", "delegate", ["CHN"], PASSWORD)
    client = Client()
    assert client.post("/accounts/login/", {"username": "dora", "password": PASSWORD}).status_code == 302
    assert client.get("/contributions/new/").status_code == 200
    users.disable_user("dora")
    assert client.get("/contributions/new/").status_code == 302  # signed out
    assert client.post("/accounts/login/", {"username": "dora", "password": PASSWORD}).status_code == 200


# -- ids that cannot be probed ---------------------------------------------------------------------


def test_another_delegations_draft_cannot_be_found_by_guessing_ids(base: Plan, people: People) -> None:
    draft = chn_draft("CHN-SECRET")
    carol = people.client("other_delegate")
    missing = draft.pk + 1000
    for template in (
        "/contributions/{}/",
        "/contributions/{}/redline/",
        "/contributions/{}/amend/",
        "/contributions/{}/edit/",
        "/contributions/{}/links/",
        "/contributions/{}/amendments/A1/",
    ):
        seen, unknown = carol.get(template.format(draft.pk)), carol.get(template.format(missing))
        assert (seen.status_code, unknown.status_code) == (404, 404), template
        assert "CHN-SECRET" not in seen.content.decode(), template
    for template in (
        "/api/contributions/{}",
        "/api/contributions/{}/amendments",
        "/api/contributions/{}/amendments/A1",
    ):
        seen, unknown = carol.get(template.format(draft.pk)), carol.get(template.format(missing))
        assert (seen.status_code, unknown.status_code) == (404, 404), template
        assert seen.json()["error"] == unknown.json()["error"].replace(str(missing), str(draft.pk)), template
        assert seen.json()["expected"] == unknown.json()["expected"], template
    for url in (
        "/contributions/",
        "/api/contributions",
        "/contributions/conflicts/baap@1/",
        "/contributions/redline/baap@1/",
    ):
        assert "CHN-SECRET" not in carol.get(url).content.decode(), url
    assert "CHN-SECRET" in people.client("own_delegate").get("/contributions/").content.decode()
    # by document number, as the store is asked
    with pytest.raises(NotFoundError) as caught:
        store.get_contribution("CHN-SECRET", user=people.users["other_delegate"])
    assert "CHN-SECRET" not in (caught.value.expected or "")
    # once submitted, everyone sees it
    store.submit_contribution(draft.pk, draft.revision)
    assert Client().get(f"/contributions/{draft.pk}/").status_code == 200
    assert "CHN-SECRET" in Client().get("/api/contributions").content.decode()


def test_a_delegate_cannot_take_a_draft_away_from_its_delegation(base: Plan, people: People) -> None:
    draft = chn_draft()
    alice = people.client("own_delegate")
    fields = {"document": draft.document, "language": "zh", "sponsors": "BRA", "revision": draft.revision}
    before = snapshot()
    assert alice.post(f"/contributions/{draft.pk}/edit/", fields, headers=csrf(alice)).status_code == 403
    assert snapshot() == before


def test_adopted_versions_cannot_be_changed_in_the_admin(base: Plan, people: People) -> None:
    admin = people.client("administrator")
    version = models.PlanVersion.objects.get()
    assert admin.get("/admin/store/planversion/").status_code == 200
    page = admin.get(f"/admin/store/planversion/{version.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin.post(f"/admin/store/planversion/{version.pk}/delete/", {"post": "yes"}).status_code == 403
    assert models.PlanVersion.objects.count() == 1


# -- CSRF and sign-in throttling -------------------------------------------------------------------


def test_writes_without_the_csrf_token_are_refused(base: Plan, people: People) -> None:
    draft = chn_draft()
    alice = people.client("own_delegate")
    before = snapshot()
    assert alice.post(f"/contributions/{draft.pk}/status/", {"action": "submit", "revision": 2}).status_code == 403
    response = send_json(alice, "post", f"/api/contributions/{draft.pk}/submit", {"revision": draft.revision})
    assert response.status_code == 403 and "CSRF" in response.json()["error"]
    assert (
        Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 403
    )
    assert snapshot() == before


def test_sign_in_is_throttled_after_five_failures(base: Plan) -> None:
    users.add_user("dora", "reviewer", [], PASSWORD)
    users.add_user("finn", "reviewer", [], PASSWORD)
    client = Client()
    for _ in range(4):
        assert client.post("/accounts/login/", {"username": "dora", "password": "wrong"}).status_code == 200
    assert client.post("/accounts/login/", {"username": "dora", "password": "wrong"}).status_code == 429  # the 5th
    locked = client.post("/accounts/login/", {"username": "dora", "password": PASSWORD})  # even the right one
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode() or "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # another account from the same address is not locked out
    assert Client().post("/accounts/login/", {"username": "finn", "password": PASSWORD}).status_code == 302


def test_password_reset_sends_a_mail_that_sets_a_new_password(base: Plan, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users.add_user("dora", "reviewer", [], PASSWORD, email="dora@example.org")
    client = Client()
    assert client.get("/accounts/password-reset/").status_code == 200
    response = client.post("/accounts/password-reset/", {"email": "dora@example.org"})
    assert (response.status_code, response["Location"]) == (302, "/accounts/password-reset/sent/")
    assert client.post("/accounts/password-reset/", {"email": "nobody@example.org"}).status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    form = client.get(link[1], follow=True)
    assert form.status_code == 200
    new = "another long password 2"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert (done.status_code, done["Location"]) == (302, "/accounts/password-reset/done/")
    assert client.post("/accounts/login/", {"username": "dora", "password": new}).status_code == 302


# -- headers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/trace/", "/accounts/login/", "/api/docs", "/api/plans", "/contributions/"])
def test_security_headers(client: Client, base: Plan, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, url
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_http_only(base: Plan) -> None:
    users.add_user("dora", "reviewer", [], PASSWORD)
    response = Client().post("/accounts/login/", {"username": "dora", "password": PASSWORD})
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"


# -- production settings ---------------------------------------------------------------------------

PRODUCTION_ENV = {
    "ACTIONPLAN_PRODUCTION": "1",
    "ACTIONPLAN_SECRET_KEY": "s3cr3t-" + "k" * 30 + "Q7x!9zLm#2pW8vR4tY6uI0oP",
    "ACTIONPLAN_ALLOWED_HOSTS": "plan.example.org",
    "ACTIONPLAN_CSRF_TRUSTED_ORIGINS": "https://plan.example.org",
}


def _manage(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ACTIONPLAN_")}
    db = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    full = {**clean, "ACTIONPLAN_HOME": str(tmp_path), "ACTIONPLAN_DATABASE_URL": db, **env}
    return subprocess.run(
        [sys.executable, "-m", "actionplan.server", *args], env=full, capture_output=True, text=True, timeout=300
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path: Path) -> None:
    done = _manage(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_refuses_to_start_without_its_secrets(tmp_path: Path) -> None:
    without_key = {k: v for k, v in PRODUCTION_ENV.items() if k != "ACTIONPLAN_SECRET_KEY"}
    done = _manage(["check"], without_key, tmp_path)
    assert done.returncode != 0 and "ACTIONPLAN_SECRET_KEY" in done.stderr
    without_hosts = {k: v for k, v in PRODUCTION_ENV.items() if k != "ACTIONPLAN_ALLOWED_HOSTS"}
    done = _manage(["check"], without_hosts, tmp_path)
    assert done.returncode != 0 and "ACTIONPLAN_ALLOWED_HOSTS" in done.stderr
