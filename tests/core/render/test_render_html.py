"""HTML: a standalone, escaped HTML5 page with ``id=eid`` on every element."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from typing import ClassVar

import lxml.html

from actionplan.model import Plan
from actionplan.render.html import render_html


class _Collector(HTMLParser):
    """Collect ids, tags and unclosed elements with the standard library's parser."""

    VOID: ClassVar[set[str]] = {"meta", "link", "br", "img", "hr", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.tags: Counter[str] = Counter()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.ids.extend(v for k, v in attrs if k == "id" and v)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


def collect(page: str) -> _Collector:
    c = _Collector()
    c.feed(page)
    c.close()
    return c


def test_html_is_a_standalone_document(plan: Plan) -> None:
    """Doctype, lang, UTF-8 and inline CSS with print rules; no scripts or external assets."""
    page = render_html(plan)
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-Hans">')
    c = collect(page)
    assert c.errors == [] and c.stack == []
    assert c.tags["script"] == 0 and c.tags["link"] == 0 and c.tags["img"] == 0
    assert '<meta charset="utf-8">' in page
    assert "@media print" in page
    assert render_html(plan, "en").startswith('<!DOCTYPE html>\n<html lang="en">')


def test_html_every_eid_is_a_unique_id(plan: Plan) -> None:
    c = collect(render_html(plan))
    ids = Counter(c.ids)
    assert {n.eid for n in plan.walk()} <= set(ids)
    assert [i for i, n in ids.items() if n > 1] == []


def test_html_outcomes_table_cells(plan: Plan) -> None:
    """Each outcome is a row with its id; indicators are list items with their ids."""
    doc = lxml.html.fromstring(render_html(plan))
    row = doc.get_element_by_id("obj_1__outcome_1.1")
    assert row.tag == "tr"
    cells = row.findall("td")
    assert len(cells) == 3
    assert cells[0].text_content() == "1.1 增强审议和提高共识度"
    indicators = cells[1].findall(".//li")
    assert [li.get("id") for li in indicators] == [
        "obj_1__outcome_1.1__ind_1",
        "obj_1__outcome_1.1__ind_2",
    ]
    assert indicators[1].text_content() == "1.1.2 批准的宣言 | 支持/共识程度"
    assert [a.get("href") for a in cells[2].iter("a")] == [
        "#obj_1__output_1.1",
        "#obj_1__output_1.2",
    ]
    header = [th.text_content() for th in doc.get_element_by_id("obj_1").iter("th")]
    assert header == ["成果", "绩效指标", "输出成果（产品和服务）"]


def test_html_escapes_text(plan: Plan) -> None:
    """'<未>' and '&' in the source stay text, never markup."""
    page = render_html(plan)
    assert "跨境光缆&lt;未&gt;充分利用" in page and "调整 &amp; 更新" in page
    doc = lxml.html.fromstring(page)
    item = doc.get_element_by_id("preface__sec_1__item_2")
    assert item.text_content() == "一、目前世界上跨境光缆<未>充分利用。"
    assert doc.find(".//未") is None


def test_html_marks_fallback_language(plan: Plan) -> None:
    """A missing translation shows the other language in a span with lang and a marker."""
    doc = lxml.html.fromstring(render_html(plan, "zh"))
    li = doc.get_element_by_id("obj_1__outcome_1.2__ind_1")
    span = li.find_class("fallback")[0]
    assert span.get("lang") == "en"
    assert span.text_content() == "[en] Regional cooperation indicator"
    en = lxml.html.fromstring(render_html(plan, "en"))
    h3 = en.get_element_by_id("obj_1__output_1.2").find("h3")
    assert h3.find_class("fallback")[0].get("lang") == "zh-Hans"


def test_html_nested_lists_and_empty_slots(plan: Plan) -> None:
    doc = lxml.html.fromstring(render_html(plan))
    parent = doc.get_element_by_id("obj_2__output_2.1__project_1__area_1__item_3")
    assert [li.get("id") for li in parent.iter("li")][1:] == ["obj_2__output_2.1__project_1__area_1__item_4"]
    eur = doc.get_element_by_id("obj_2__output_2.1__ri_eur")
    assert [td.text_content() for td in eur.iter("td")] == ["（无）"]
    numbered = doc.get_element_by_id("obj_2__output_2.1__project_1__area_2__item_1").getparent()
    assert numbered.tag == "ol"


def test_html_reference_links(plan: Plan) -> None:
    doc = lxml.html.fromstring(render_html(plan))
    refs = doc.get_element_by_id("obj_2__output_2.1__refs")
    hrefs = [a.get("href") for a in refs.iter("a")]
    assert "https://unstats.un.org/sdgs/metadata/?Text=&Goal=9&Target=9.c" in hrefs
    assert "https://www.itu.int/net/wsis/docs/geneva/official/poa.html#c7" in hrefs
    assert "#obj_2__outcome_2.1" in hrefs
    assert not any(h.startswith("/akn/") for h in hrefs)


def test_html_seed_has_every_eid_and_parses(seed_plan: Plan) -> None:
    for lang in ("zh", "en"):
        page = render_html(seed_plan, lang)
        c = collect(page)
        assert c.errors == [] and c.stack == []
        ids = Counter(c.ids)
        assert {n.eid for n in seed_plan.walk()} <= set(ids)
        assert [i for i, n in ids.items() if n > 1] == []
        assert sum(1 for i in ids if "__output_" in i and i.count("__") == 1) == 17
