"""axe-core on one page of every page type, in Chinese and in English.

The vendored axe (``actionplan/server/web/static/vendor/axe-core/axe.min.js``) runs the
WCAG 2.0/2.1 A and AA rules on the rendered page (charts drawn, htmx done). A violation of
``serious`` or ``critical`` impact fails the test, which prints each one with the rule,
its help text and the first elements it names, so the page's author can find and fix it.
Every result is saved as ``artifacts/axe/<page type>-<lang>.json`` (on PostgreSQL:
``artifacts/axe/postgresql/…``); minor and moderate
violations are kept there and printed, without failing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.harness import Server, Visit, artifact_folder, new_context
from tests.conftest import REPO

AXE = REPO / "actionplan" / "server" / "web" / "static" / "vendor" / "axe-core" / "axe.min.js"
AXE_URL = "/static/vendor/axe-core/axe.min.js"
"""axe as the site serves it: the Content-Security-Policy allows scripts from the site only, not inline."""
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}

PAGES = {
    "overview": "/",
    "objective": "/objectives/2/",
    "output": "/outputs/2.1/",
    "indicator": "/indicators/2.1.1/",
    "sdg-goal": "/sdg/9/",
    "sdg-target": "/sdg/9/9.c/",
    "wsis": "/wsis/C2/",
    "resolution": "/resolutions/wtdc/37/",
    "lint": "/lint/",
    "versions": "/versions/",
    "trace": "/trace/",
    "trace-drilldown": "/trace/sdg/9/",
    "search": "/search/?q=" + quote("跨多国陆缆"),
    "api-docs": "/api/docs",
    "contributions": "/contributions/",
    "login": "/accounts/login/",
    "password-reset": "/accounts/password-reset/",
    "conflicts": "/contributions/conflicts/baap@1/",
    "version-diff": "/versions/diff/",
}
"""One page of each page type, by the URL a reader would open."""

LANGS = {"zh": "zh-hans", "en": "en"}
"""Short name (in test ids and file names) -> Django language code (the cookie's value)."""


def _describe(violation: dict[str, Any]) -> str:
    targets = [" ".join(map(str, node.get("target", []))) for node in violation.get("nodes", [])[:3]]
    more = len(violation.get("nodes", [])) - len(targets)
    return (
        f"  [{violation.get('impact')}] {violation['id']}: {violation.get('help')}\n"
        f"    {violation.get('helpUrl', '')}\n"
        + "".join(f"    at {t}\n" for t in targets)
        + (f"    ... and {more} more\n" if more > 0 else "")
    )


def _settle(page: Any) -> None:
    """Wait until charts are drawn and the page is quiet, so axe sees what a reader sees."""
    page.wait_for_load_state("networkidle")
    embeds = page.locator(".vega-embed")
    for i in range(embeds.count()):
        embeds.nth(i).locator("svg, canvas").first.wait_for(state="attached")
    if "/api/docs" in page.url:
        page.locator(".swagger-ui .information-container, .swagger-ui .info").first.wait_for(state="visible")
        page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("lang", list(LANGS))
@pytest.mark.parametrize("kind", list(PAGES))
def test_page_has_no_serious_accessibility_violation(
    browser: Any, server: Server, request: pytest.FixtureRequest, kind: str, lang: str
) -> None:
    """axe finds no WCAG 2.1 A/AA violation of serious or critical impact on this page type."""
    context = new_context(browser, server, lang=LANGS[lang])
    try:
        visit = Visit(context.new_page(), server, f"axe-{kind}-{lang}")
        visit.goto(PAGES[kind], "page")
        _settle(visit.page)
        if kind != "api-docs":
            html_lang = visit.page.evaluate("document.documentElement.lang") or ""
            assert html_lang.lower().startswith(lang), f"{PAGES[kind]} in {lang}: <html lang={html_lang!r}>"
        visit.page.add_script_tag(url=visit.url(AXE_URL))
        results = visit.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        out = artifact_folder(server, "axe")
        out.mkdir(parents=True, exist_ok=True)
        Path(out / f"{kind}-{lang}.json").write_text(
            json.dumps({"url": PAGES[kind], "lang": lang, **results}, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        violations = results["violations"]
        failing = [v for v in violations if v.get("impact") in FAILING_IMPACTS]
        minor = [v for v in violations if v.get("impact") not in FAILING_IMPACTS]
        if minor:
            print(f"{PAGES[kind]} ({lang}): minor/moderate violations (not failing):")
            print("".join(map(_describe, minor)))
        if failing:
            visit.shot("violations")
        assert not failing, f"{PAGES[kind]} ({lang}): {len(failing)} serious/critical axe violation(s):\n" + "".join(
            map(_describe, failing)
        )
    finally:
        context.close()
