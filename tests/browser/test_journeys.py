"""A reader's journeys through the site in real Chromium: browse, search, switch language, trace.

Expected texts come from the source document (``actionplan/data/plans/*.txt``) and from
the SDG registry, not from what the pages print. Each step saves a screenshot under
``artifacts/screenshots/``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.harness import Visit

OBJECTIVE_2_ZH = "现代化且安全的电信/信息通信技术（ICT）基础设施"
OUTPUT_21_TITLE_ZH = "关于电信/信息通信技术（ICT）基础设施及服务的产品和服务"
PROJECT_21_ZH = "电信/ICT网络基础设施与服务"
WORK_AREAS_21_ZH = ["下一代网络，包括用于智能电网的ICT网络", "宽带网：有线与无线技术，包括IMT", "频谱管理"]
ITEM_21_ZH = "对部分区域已形成的跨多国陆缆网络进行调查研究"
"""A bullet item of work area 宽带网 in output 2.1 (source line 274)."""
SEARCH_ZH = "跨多国陆缆"
OUTPUT_21_PATH = "/outputs/2.1/"
GOAL_9_TARGETS_CITED_BY_21 = ["9.1", "9.a", "9.c"]
"""SDG goal 9 targets that output 2.1 cites (its references line in the source)."""
GOAL_9_TARGETS = ["9.1", "9.2", "9.3", "9.4", "9.5", "9.a", "9.b", "9.c"]
"""All targets of SDG 9 (UN, A/RES/70/1)."""


def test_overview_leads_to_an_objective_and_to_output_2_1(visit: Visit) -> None:
    """From the overview a reader reaches objective 2, then output 2.1 with its work areas and items."""
    page = visit.page
    visit.goto("/", "overview")
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^zh", re.I))
    for n in (1, 2, 3, 4):
        expect(page.locator(f'a[href^="/objectives/{n}/"]').first).to_be_visible()
    visit.follow(page.get_by_role("link").filter(has_text=OBJECTIVE_2_ZH).first, "objective-2")
    assert re.search(r"/objectives/2/$", page.url), page.url
    expect(page.get_by_role("heading").filter(has_text=OBJECTIVE_2_ZH).first).to_be_visible()
    expect(page.get_by_role("table").first).to_be_visible()

    visit.follow(page.get_by_role("main").get_by_role("link").filter(has_text=OUTPUT_21_TITLE_ZH).first, "output-2.1")
    assert page.url.endswith(OUTPUT_21_PATH), page.url
    expect(page.get_by_role("heading").filter(has_text=OUTPUT_21_TITLE_ZH).first).to_be_visible()
    expect(page.get_by_role("heading").filter(has_text=PROJECT_21_ZH).first).to_be_visible()
    for area in WORK_AREAS_21_ZH:
        expect(page.get_by_role("heading").filter(has_text=area).first).to_be_visible()
    expect(page.get_by_text(ITEM_21_ZH).first).to_be_visible()
    # References are links to their pages: SDG target 9.c among them.
    expect(page.locator('main a[href*="9.c"]').first).to_be_visible()
    visit.assert_healthy()


def test_search_in_chinese_finds_output_2_1_with_htmx(visit: Visit) -> None:
    """Typing 跨多国陆缆 in the search box shows hits in place (htmx), highlighted, with their path, linking to 2.1."""
    page = visit.page
    htmx_requests: list[str] = []
    page.on("request", lambda r: htmx_requests.append(r.url) if r.headers.get("hx-request") == "true" else None)
    visit.goto("/", "overview")
    visit.follow(page.get_by_role("banner").locator('a[href^="/search/"]'), "search-page")
    box = page.get_by_role("searchbox").first
    expect(box).to_be_visible()
    box.fill(SEARCH_ZH)
    box.press("End")  # the key that ends typing (an IME commits Chinese on a key press)
    mark = page.get_by_role("mark").filter(has_text=SEARCH_ZH).first
    expect(mark).to_be_visible()
    page.wait_for_load_state("networkidle")
    visit.shot("search-results")
    assert any("/search/" in url for url in htmx_requests), f"no htmx request for the search: {htmx_requests}"
    assert page.get_by_role("heading", level=1).count() == 1, "the results replaced the page, not the results area"
    hits = page.get_by_role("listitem").filter(has=page.get_by_role("mark").filter(has_text=SEARCH_ZH))
    hit = hits.filter(has=page.locator(f'a[href^="{OUTPUT_21_PATH}"]')).first
    expect(hit).to_be_visible()
    # the path of the hit in the plan: objective 2 > output 2.1 > ...
    expect(hit.locator('a[href^="/objectives/2/"]').first).to_be_visible()
    link = hit.get_by_role("link").filter(has=page.get_by_role("mark")).first
    assert (link.get_attribute("href") or "").startswith(OUTPUT_21_PATH), link.get_attribute("href")
    visit.follow(link, "hit-output-2.1")
    assert OUTPUT_21_PATH in page.url, page.url
    expect(page.get_by_text(ITEM_21_ZH).first).to_be_visible()
    visit.assert_healthy()


def _switch_language(page: Any, code: str, name: str) -> None:
    """Use the header's language control (a form posting to /i18n/setlang/), as a reader would.

    A ``<select>`` may submit itself on change; if it does not within a few seconds, the
    form's submit button is pressed. Buttons (one per language) are clicked directly.
    """
    form = page.locator('header form[action*="/i18n/setlang/"]').first
    expect(form).to_be_attached()
    select = form.locator('select[name="language"]')
    if not select.count():
        button = form.locator(f'button[name="language"][value="{code}"]')
        if not button.count():
            button = form.get_by_role("button", name=re.compile(name, re.I))
        with page.expect_navigation():
            button.first.click()
        return
    try:
        with page.expect_navigation(timeout=3000):
            select.select_option(code)
    except PlaywrightTimeoutError:
        with page.expect_navigation():
            form.locator('button[type="submit"], input[type="submit"], button:not([type])').first.click()


def test_language_switch_to_english_is_remembered(visit: Visit) -> None:
    """The header control switches the UI to English; a reload and another page stay English.

    The choice belongs to this reader: a browser without it still gets Chinese.
    """
    page = visit.page
    visit.goto(OUTPUT_21_PATH, "output-zh")
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^zh", re.I))
    search_link = page.get_by_role("banner").locator('a[href^="/search/"]')
    expect(search_link).to_have_text("搜索")
    _switch_language(page, "en", "English")
    page.wait_for_load_state("networkidle")
    visit.shot("switched-en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert re.search(re.escape(OUTPUT_21_PATH) + r"$", page.url.split("?")[0]), f"switch left the page: {page.url}"
    expect(page.get_by_text("Products and services on telecommunication/ICT infrastructure").first).to_be_visible()
    expect(search_link).to_have_text("Search")

    page.reload(wait_until="networkidle")
    visit.shot("reloaded-en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    visit.goto("/", "overview-en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Buenos Aires Action Plan").first).to_be_visible()

    # remembered per reader: another browser (no cookies) still gets Chinese
    other = page.context.browser.new_context(locale="zh-CN")
    try:
        other_page = other.new_page()
        other_page.goto(visit.url("/"))
        expect(other_page.locator("html")).to_have_attribute("lang", re.compile(r"^zh", re.I))
    finally:
        other.close()

    _switch_language(page, "zh-hans", "中文")
    page.wait_for_load_state("networkidle")
    visit.shot("switched-back-zh")
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^zh", re.I))
    expect(search_link).to_have_text("搜索")
    visit.assert_healthy()


FIND_CELL_JS = """
([row, col, rowKeys, colKeys]) => {
  const embeds = [...document.querySelectorAll('.vega-embed')];
  for (let e = 0; e < embeds.length; e++) {
    const marks = [...embeds[e].querySelectorAll('svg [role="graphics-symbol"][aria-label]')];
    for (let i = 0; i < marks.length; i++) {
      const pairs = Object.fromEntries(marks[i].getAttribute('aria-label').split('; ').map(p => {
        const k = p.indexOf(': ');
        return [p.slice(0, k).trim(), p.slice(k + 2).trim()];
      }));
      if (rowKeys.some(k => pairs[k] === row) && colKeys.some(k => pairs[k] === col)) return [e, i];
    }
  }
  return null;
}
"""

AXIS_POSITION_JS = """
([embed, row, col]) => {
  const root = document.querySelectorAll('.vega-embed')[embed];
  const label = (axis, text) => [...root.querySelectorAll(`svg .role-axis[aria-label*="${axis}"] text`)]
      .find(t => t.textContent.trim() === text);
  const x = label('X-axis', col), y = label('Y-axis', row);
  if (!x || !y) return null;
  const bx = x.getBoundingClientRect(), by = y.getBoundingClientRect();
  return [bx.left + bx.width / 2, by.top + by.height / 2];
}
"""


def _click_heatmap_cell(page: Any, row: str, col: str) -> None:
    """Click the cell (output ``row``, goal ``col``) of the SDG goal heatmap.

    Vega-Lite puts the tooltip fields into each cell's ``aria-label`` ("Output: 2.1; …;
    SDG goal: 9; …"), so the cell is found by them; if the labels are missing, the cell is
    clicked where the axis labels for ``row`` and ``col`` cross.
    """
    found = page.evaluate(FIND_CELL_JS, [row, col, ["Output", "输出成果"], ["SDG goal", "可持续发展目标"]])
    if found is not None:
        embed, index = found
        cell = page.locator(".vega-embed").nth(embed).locator('svg [role="graphics-symbol"][aria-label]').nth(index)
        cell.scroll_into_view_if_needed()
        cell.click()
        return
    page.locator(".vega-embed svg").first.scroll_into_view_if_needed()
    point = page.evaluate(AXIS_POSITION_JS, [0, row, col])
    assert point is not None, f"neither an aria-label nor axis labels locate cell {row} x {col}"
    page.mouse.click(*point)


def test_trace_heatmap_cell_drills_down_to_the_goal_targets(visit: Visit) -> None:
    """Clicking the output 2.1 x SDG 9 cell of the goal heatmap opens SDG 9's targets drill-down."""
    page = visit.page
    context = page.context
    visit.goto("/trace/", "trace")
    expect(page.locator(".vega-embed svg").first).to_be_visible()
    visit.shot("trace-rendered")
    opened: list[Any] = []
    context.on("page", lambda p: opened.append(p))
    _click_heatmap_cell(page, "2.1", "9")
    target = re.compile(r"/trace/sdg/9/")
    landed = page
    try:
        page.wait_for_url(target, timeout=5000)
    except Exception:
        assert opened, f"clicking the cell went nowhere (still at {page.url})"
        landed = opened[-1]
        landed.wait_for_url(target)
    landed.wait_for_load_state("networkidle")
    if landed is not page:
        visit.page = landed
    visit.shot("drilldown-goal-9")
    expect(landed.get_by_role("heading", level=1)).to_contain_text("9")
    text = landed.locator("main").text_content() or ""
    for code in GOAL_9_TARGETS:
        assert code in text, f"target {code} missing from the goal 9 drill-down"
    expect(landed.locator(".vega-embed svg").first).to_be_visible()
    for code in GOAL_9_TARGETS_CITED_BY_21:
        keys = [["Output", "输出成果"], ["SDG target", "可持续发展具体目标"]]
        cell = landed.evaluate(FIND_CELL_JS, ["2.1", code, *keys])
        assert cell is not None, f"the drill-down heatmap has no cell for output 2.1 x target {code}"
    visit.page = page
    visit.assert_healthy()


DOWNLOADS = {
    "PNG": ("image/png", lambda body: body.startswith(b"\x89PNG\r\n\x1a\n")),
    "SVG": ("image/svg+xml", lambda body: b"<svg" in body[:2000]),
    "CSV": ("text/csv", lambda body: body.decode("utf-8").splitlines()[0].startswith("output,")),
}


@pytest.mark.parametrize("path", ["/trace/", "/trace/sdg/9/"])
def test_trace_downloads_answer_with_the_right_types(visit: Visit, path: str) -> None:
    """Every PNG, SVG and CSV link of a matrix page answers 200 with its content type and format."""
    page = visit.page
    visit.goto(path, "matrix-page")
    links = page.locator("main a[href]")
    found: dict[str, list[str]] = {kind: [] for kind in DOWNLOADS}
    for i in range(links.count()):
        link = links.nth(i)
        label = (link.inner_text() + " " + (link.get_attribute("href") or "")).upper()
        for kind in DOWNLOADS:
            if re.search(rf"\b{kind}\b", label):
                found[kind].append(link.get_attribute("href") or "")
    for kind, (content_type, looks_right) in DOWNLOADS.items():
        assert found[kind], f"no {kind} download link on {path}"
        for href in found[kind]:
            response = page.request.get(href)
            assert response.status == 200, f"{href} answered {response.status}"
            assert response.headers["content-type"].startswith(content_type), (href, response.headers["content-type"])
            assert looks_right(response.body()), f"{href} is not a {kind} file"
    visit.assert_healthy()
