"""The rules in real Chromium: a delegation's draft is invisible to another until submitted; the
secretariat adopts; no page breaks the Content-Security-Policy.

The store (its own server, see ``tests/browser/test_contributions.py``) has a secretariat
editor and two delegations, made as ``actionplan users add`` makes them: alice (CHN) and
bob (BRA).
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.harness import Server, Visit, new_context
from tests.browser.test_contributions import AUDIO, PARA, check_axe, server, sign_in  # noqa: F401

DOCUMENT = "ROLES-1"


def _csp_violations(page: Any) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda msg: found.append(f"{page.url}: {msg.text}") if "Content Security Policy" in msg.text else None,
    )
    return found


def test_a_draft_is_its_delegations_until_submitted(browser: Any, server: Server) -> None:  # noqa: F811
    contexts = [new_context(browser, server) for _ in range(3)]
    try:
        alice = Visit(contexts[0].new_page(), server, "roles-alice")
        bob = Visit(contexts[1].new_page(), server, "roles-bob")
        staff = Visit(contexts[2].new_page(), server, "roles-secretariat")
        violations = [_csp_violations(v.page) for v in (alice, bob, staff)]

        # alice (CHN) drafts a contribution with one amendment
        sign_in(alice, "alice", "/contributions/new/")
        page = alice.page
        page.get_by_label("文件编号").fill(DOCUMENT)
        page.get_by_label("提案方").fill("CHN")
        alice.follow(page.get_by_role("button", name="创建草案"), "draft-created")
        pk = int(re.search(r"/contributions/(\d+)/", page.url)[1])  # type: ignore[index]
        alice.goto(f"/contributions/{pk}/amend/?eid={PARA}&field=text&lang=zh", "amend")
        page.locator("textarea[name=text]").fill(AUDIO)
        alice.follow(page.locator("button[name=action][value=save]"), "amendment-saved")

        # bob (BRA) cannot see it: not in the list, not at its address (404, as an id that does not exist)
        sign_in(bob, "bob", "/contributions/")
        expect(bob.page.locator("main")).not_to_contain_text(DOCUMENT)
        response = bob.page.goto(bob.url(f"/contributions/{pk}/"))
        assert response is not None and response.status == 404
        response = bob.page.goto(bob.url(f"/api/contributions/{pk}"))
        assert response is not None and response.status == 404
        bob.bad_responses.clear()  # the 404s were the point

        # alice submits; now bob (and everyone) sees it, but cannot change it
        alice.goto(f"/contributions/{pk}/", "draft")
        alice.follow(alice.page.get_by_role("button", name="提交"), "submitted")
        expect(alice.page.locator("dl.facts .status")).to_have_text("已提交")
        bob.goto(f"/contributions/{pk}/", "bob-sees-it")
        expect(bob.page.get_by_role("heading", level=1)).to_contain_text(DOCUMENT)
        expect(bob.page.locator(".actions button")).to_have_count(0)  # no submit, withdraw or review for bob

        # the secretariat adopts it
        sign_in(staff, "secretariat", "/contributions/consolidate/baap@1/")
        page = staff.page
        page.get_by_role("radiogroup", name=f"对 {DOCUMENT}/A1 的决定").get_by_label("接受", exact=True).check()
        staff.follow(page.get_by_role("button", name="作为新版本通过"), "adopted")
        assert "/versions/diff/" in page.url, page.url
        expect(page.get_by_role("link", name=f"{DOCUMENT}/A1")).to_be_visible()

        # pages with scripts of their own run under the CSP: charts (vega-interpreter), API docs (swagger-ui)
        bob.goto("/trace/", "trace")
        expect(bob.page.locator(".vega-embed svg").first).to_be_attached()
        bob.goto("/api/docs", "api-docs")
        expect(bob.page.locator(".opblock").first).to_be_visible()
        bob.goto("/accounts/password-reset/", "password-reset")
        check_axe(bob, "password-reset")
        for visit in (alice, bob, staff):
            visit.assert_healthy()
        assert not any(violations), violations
    finally:
        for context in contexts:
            context.close()
