"""The ICT statistics pages in real Chromium, on the SYNTHETIC sample the fixture loads.

A statistician's path: the ranking (with its rank-interval chart), an economy's profile
(its normalised scores chart), the comparison of two frameworks (the rank scatter) and the
world map. Each chart must be drawn by vega-embed under the site's strict CSP
(``.vega-chart.drawn``), with no script error and no failed request.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.harness import Server, Visit, new_context

RANKING = "/statistics/ranking/?framework=idi-2017&year=2017"


def _drawn(visit: Visit, count: int = 1) -> None:
    expect(visit.page.locator(".vega-chart.drawn")).to_have_count(count, timeout=30_000)


def test_ranking_profile_and_comparison_charts_draw(visit: Visit) -> None:
    """Ranking -> an economy's profile -> the comparison: each page's chart is drawn."""
    page = visit.page
    visit.goto(RANKING, "ranking")
    expect(page.locator(".sample-notice")).to_be_visible()
    rows = page.locator("table.ranking tbody tr")
    assert rows.count() > 150, rows.count()
    _drawn(visit)
    visit.shot("ranking-chart")

    visit.follow(rows.first.get_by_role("link").first, "profile")
    assert re.search(r"/statistics/economy/[A-Z]{3}/\?framework=idi-2017", page.url), page.url
    expect(page.locator("#what-if table tbody tr").first).to_be_visible()
    _drawn(visit)
    visit.shot("profile-chart")

    visit.goto("/statistics/compare/?a=idi-2017&b=idi-2023&year=2023", "compare")
    expect(page.locator(".spearman")).to_have_text(re.compile(r"^0\.\d{4}$"))
    _drawn(visit)
    visit.shot("compare-chart")
    visit.assert_healthy()


def test_world_map_draws_and_links_to_profiles(visit: Visit) -> None:
    """The map of the scores is drawn from the vendored world-atlas shapes (no network)."""
    visit.goto("/statistics/map/?framework=idi-2023&year=2023", "map")
    _drawn(visit)
    expect(visit.page.locator(".vega-chart.drawn svg path").first).to_be_attached()
    visit.assert_healthy()


STATS_PAGES = {
    "stats-index": "/statistics/",
    "stats-ranking": RANKING,
    "stats-map": "/statistics/map/?framework=idi-2023&year=2023",
    "stats-profile": "/statistics/economy/KEN/?framework=idi-2017&year=2017",
    "stats-compare": "/statistics/compare/?a=idi-2017&b=idi-2023&year=2023",
    "stats-data": "/statistics/data/?economy=KEN",
    "stats-framework": "/statistics/frameworks/idi-2023/",
}


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("kind", list(STATS_PAGES))
def test_stats_page_has_no_serious_accessibility_violation(browser: Any, server: Server, kind: str,
                                                           lang: str) -> None:
    """axe (WCAG 2.1 A/AA) finds nothing serious or critical on each statistics page, charts drawn."""
    from tests.browser.test_accessibility import AXE_TAGS, AXE_URL, FAILING_IMPACTS, _describe, _settle

    context = new_context(browser, server, lang=lang)
    try:
        visit = Visit(context.new_page(), server, f"axe-{kind}-{lang}")
        visit.goto(STATS_PAGES[kind], "page")
        _settle(visit.page)
        visit.page.add_script_tag(url=visit.url(AXE_URL))
        results = visit.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        failing = [v for v in results["violations"] if v.get("impact") in FAILING_IMPACTS]
        assert not failing, f"{STATS_PAGES[kind]} ({lang}):\n" + "".join(map(_describe, failing))
    finally:
        context.close()
