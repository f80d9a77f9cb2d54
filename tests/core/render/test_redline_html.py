"""Redline HTML: the plain page's structure with labelled <ins>/<del>, a list of changes and contents.

The main check mirrors the Word one: dropping the deletions (and the labels) from the
redline leaves the text of ``render_html(apply_amendments(base, …))``, section by
section; dropping the insertions leaves the text of ``render_html(base)``.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from typing import ClassVar

import lxml.html
import pytest

from actionplan.amend import (
    Amendment,
    AmendmentType,
    Anchor,
    Contribution,
    LinkChange,
    NewElement,
    Proposed,
    apply_amendments,
    bundled_base_path,
    bundled_contribution_path,
    load_contribution,
)
from actionplan.amend.model import Provenance
from actionplan.ingest import parse_file
from actionplan.model import Plan
from actionplan.render.html import render_html
from actionplan.render.redline import attribute, redline_css, redline_fragment, render_redline_html
from tests.conftest import FIXTURES

T = AmendmentType


class _Collector(HTMLParser):
    VOID: ClassVar[set[str]] = {"meta", "link", "br", "img", "hr", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.tags: Counter[str] = Counter()
        self.attrs: list[str] = []
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attrs.extend(k for k, _ in attrs)
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


def anchor(plan: Plan, eid: str, field: str, old: str, *, at: str | None = None, lang: str = "zh") -> Anchor:
    node = plan.element(eid)
    assert node is not None, eid
    text = getattr(node, field)[lang]
    start = text.index(at) + len(at) if at is not None else text.index(old)
    end = start + len(old)
    for n in range(4, len(text) + 1):
        before, after = text[max(0, start - n) : start], text[end : end + n]
        needle = before + old + after
        if text.find(needle, text.find(needle) + 1) < 0:
            return Anchor(eid=eid, field=field, lang=lang, old=old, before=before, after=after)
    raise AssertionError(f"no unique anchor for {old!r} in {eid}")


def am(id: str, type: AmendmentType, sponsor: str = "", **fields: object) -> Amendment:
    return Amendment.model_validate({"id": id, "type": type, "sponsor": sponsor, **fields})


def contribution(document: str, sponsors: list[str], amendments: list[Amendment]) -> Contribution:
    return Contribution(document=document, base="b", sponsors=sponsors, amendments=amendments)


@pytest.fixture(scope="module")
def zh_base() -> Plan:
    return parse_file(bundled_base_path())


@pytest.fixture(scope="module")
def en_base() -> Plan:
    return parse_file(FIXTURES / "plans" / "mini_en.txt")


def zh_amendments(base: Plan) -> list[Amendment]:
    bg12 = "obj_1__output_1.2__background__para_1"
    return [
        am("H1", T.deletion, "RUS", target=anchor(base, bg12, "text", "（2014年，迪拜，修订版）")),
        am(
            "H2",
            T.substitution,
            "BRA",
            target=anchor(base, "obj_3__output_3.2", "title", "政策与监管"),
            new_text={"zh": "政策、监管与统计"},
        ),
        am(
            "H3",
            T.move,
            "CHN",
            target=anchor(base, bg12, "text", "在财务限制范围和合理的时段内，"),
            destination=anchor(base, "obj_1__output_1.3__background__para_1", "text", "", at="TDAG"),
        ),
        am(
            "H4",
            T.element_creation,
            "IND",
            new_element=NewElement(container="obj_2__output_2.1__ri_afr", field="blocks", text={"zh": "非洲宽带举措"}),
        ),
        am("H5", T.deletion, "BRA", target=Anchor(eid="obj_2__output_2.2__project_1__item_1")),
        am(
            "H6",
            T.reference_change,
            "USA",
            target=Anchor(eid="obj_2__output_2.2"),
            links=LinkChange(scheme="wsis", remove=["C5"]),
        ),
        am(
            "H7",
            T.reference_change,
            "USA",
            target=Anchor(eid="obj_1__output_1.4"),
            links=LinkChange(scheme="sdg_target", add=["9.c"], remove=["1.b", "3.d"]),
        ),
        am(
            "H8",
            T.substitution,
            "RUS",
            target=anchor(base, "obj_1__outcome_1.1__ind_1", "text", "理解和共享"),
            new_text={"zh": "认识与共享"},
        ),
        am(
            "H9",
            T.insertion,
            "",
            target=anchor(base, "chp_1__sec_2", "heading", "", at="结构"),
            new_text={"zh": "与方法"},
        ),
    ]


def resolved(page: str, accept: bool) -> lxml.html.HtmlElement:
    """The page with every change accepted (or rejected) and the labels removed."""
    root = lxml.html.fromstring(page)
    for tag in root.xpath('//a[contains(concat(" ", @class, " "), " rl-tag ")]'):
        tag.drop_tree()
    drop, keep = ("del", "ins") if accept else ("ins", "del")
    for e in root.xpath(f"//{drop}"):
        e.drop_tree()
    for e in root.xpath(f"//{keep}"):
        e.drop_tag()
    return root


BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "th", "td", "dt", "dd", "ul", "ol", "table", "tr", "section"}


def block_texts(element: lxml.html.HtmlElement) -> list[str]:
    """The text of every block (paragraph, item, heading, cell...) in order, nested blocks apart.

    Whitespace is collapsed and empty blocks are left out: what a reader sees, block by
    block, whatever the markup between them.
    """
    out: list[str] = []

    def own(e: lxml.html.HtmlElement) -> str:
        pieces = [e.text or ""]
        for child in e:
            if not isinstance(child.tag, str):
                pieces.append(child.tail or "")
                continue
            pieces.append("" if child.tag in BLOCKS else own(child))
            pieces.append(child.tail or "")
        return "".join(pieces)

    for e in element.iter():
        if isinstance(e.tag, str) and e.tag in BLOCKS:
            text = " ".join(own(e).split())
            if text:
                out.append(text)
    return out


def sections(root: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """The block texts of the plan's top-level parts (objectives, introduction, preface, notes)."""
    xpath = '//section[@class="objective" or @class="introduction" or @class="preface"] | //footer[@class="notes"]'
    return {e.get("id") or e.get("class"): block_texts(e) for e in root.xpath(xpath)}


def assert_round_trip(base: Plan, amendments: list[Amendment], page: str, lang: str = "zh") -> None:
    accepted, rejected = sections(resolved(page, True)), sections(resolved(page, False))
    assert rejected == sections(lxml.html.fromstring(render_html(base, lang)))
    assert accepted == sections(lxml.html.fromstring(render_html(apply_amendments(base, amendments), lang)))
    assert accepted != rejected


# -- tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bundled_contribution_accepts_to_the_source_and_rejects_to_the_base(zh_base: Plan, lang: str) -> None:
    c = load_contribution(bundled_contribution_path())
    assert_round_trip(zh_base, c.amendments, render_redline_html(zh_base, c, lang), lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_generated_amendments_of_every_kind(zh_base: Plan, lang: str) -> None:
    amendments = zh_amendments(zh_base)
    page = render_redline_html(
        zh_base, [contribution("D1", ["CHN"], amendments[:4]), contribution("D2", [], amendments[4:])], lang
    )
    assert_round_trip(zh_base, amendments, page, lang)


def test_english_plan(en_base: Plan) -> None:
    bg = "obj_1__output_1.1__background__para_1"
    amendments = [
        am("E1", T.deletion, "GBR", target=anchor(en_base, bg, "text", ", held every four years,", lang="en")),
        am(
            "E2",
            T.substitution,
            "FRA",
            target=anchor(en_base, "obj_1__output_1.2", "title", "Final reports", lang="en"),
            new_text={"en": "Final and interim reports"},
        ),
        am("E3", T.deletion, "USA", target=Anchor(eid="obj_1__output_1.2__ri_afr__para_1", lang="en")),
        am(
            "E4",
            T.element_creation,
            "GBR",
            new_element=NewElement(
                container="obj_1__output_1.2__project_1",
                field="text",
                after="obj_1__output_1.2__project_1__item_2",
                kind="item",
                text={"en": "review the regional initiatives."},
            ),
        ),
    ]
    page = render_redline_html(en_base, contribution("C/7", ["GBR"], amendments), "en")
    assert_round_trip(en_base, amendments, page, "en")
    assert "List of changes" in page and "Contents" in page


def test_page_is_standalone_and_script_free(zh_base: Plan) -> None:
    page = render_redline_html(zh_base, load_contribution(bundled_contribution_path()))
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-Hans">')
    c = collect(page)
    assert c.errors == [] and c.stack == []
    assert c.tags["script"] == c.tags["link"] == c.tags["img"] == c.tags["iframe"] == 0
    assert "style" not in c.attrs and not [a for a in c.attrs if a.startswith("on")]
    assert "http://" not in page.split("<body>")[0] and "@import" not in page
    assert len(c.ids) == len(set(c.ids))
    css = page[page.index("<style>") : page.index("</style>")]
    assert "@media print" in css and redline_css() in css


def test_fragment_has_no_style_and_the_same_content(zh_base: Plan) -> None:
    c = load_contribution(bundled_contribution_path())
    fragment = redline_fragment(zh_base, c, "en")
    assert fragment.startswith('<div class="redline" lang="en">') and fragment.rstrip().endswith("</div>")
    parsed = collect(fragment)
    assert parsed.errors == [] and parsed.stack == []
    assert parsed.tags["style"] == parsed.tags["script"] == parsed.tags["h1"] == 0
    assert "List of changes" in fragment and "修改一览" not in fragment
    assert redline_fragment(zh_base, c, "zh", title=True).count("<h1>") == 1
    page = render_redline_html(zh_base, c, "en")
    assert set(parsed.ids) == set(collect(page).ids)


def test_marks_carry_amendment_and_sponsor_and_every_link_resolves(zh_base: Plan) -> None:
    amendments = zh_amendments(zh_base)
    page = render_redline_html(
        zh_base, [contribution("D1", ["CHN"], amendments[:4]), contribution("D2", [], amendments[4:])]
    )
    root = lxml.html.fromstring(page)
    ids = set(root.xpath("//@id"))
    marks = root.xpath('//ins[contains(@class, "rl")] | //del[contains(@class, "rl")]')
    body_marks = [m for m in marks if m.get("data-change")]
    assert body_marks and all(m.get("data-amendment") and m.get("data-sponsor") and m.get("title") for m in body_marks)
    # H9 has no sponsor of its own and its contribution names none: the document number stands in
    assert {m.get("data-sponsor") for m in body_marks if m.get("data-amendment") == "H9"} == {"D2"}
    assert {m.get("data-amendment") for m in body_marks} == {a.id for a in amendments}
    for href in root.xpath("//a/@href"):
        if href.startswith("#"):
            assert href[1:] in ids, href
    changes = root.xpath('//nav[@class="rl-changes"]/ol/li')
    assert [li.get("id") for li in changes] == [f"rl-item-{k}" for k in range(1, len(amendments) + 1)]
    assert all(li.xpath('./a[starts-with(@href, "#rl-")]') for li in changes)  # each links to its first mark
    toc = root.xpath('//nav[@class="toc"]//a/@href')
    assert "#obj_2" in toc and "#obj_2__output_2.2" in toc
    labels = root.xpath('//a[contains(@class, "rl-tag")]/text()')
    assert "H5 · BRA" in labels and "H1 · RUS" in labels


def test_substitution_marks_only_the_changed_words(zh_base: Plan) -> None:
    h2 = zh_amendments(zh_base)[1]
    root = lxml.html.fromstring(render_redline_html(zh_base, contribution("D", ["BRA"], [h2])))
    heading = root.get_element_by_id("obj_3__output_3.2").find("h3")
    deleted = "".join(d.text_content() for d in heading.iter("del"))
    inserted = "".join(i.text_content() for i in heading.iter("ins"))
    assert deleted and "政策" not in deleted and "统计" in inserted
    assert heading.text_content().count("关于电信/ICT政策") == 1


def test_overlapping_changes_are_drawn_and_noted(zh_base: Plan) -> None:
    eid = "obj_3__output_3.2"
    one = am("O1", T.substitution, "CHN", target=anchor(zh_base, eid, "title", "政策与监管"), new_text={"zh": "政策"})
    two = am(
        "O2", T.substitution, "USA", target=anchor(zh_base, eid, "title", "监管的产品"), new_text={"zh": "统计产品"}
    )
    proposals = [Proposed(contribution="A", amendment=one), Proposed(contribution="B", amendment=two)]
    page = render_redline_html(zh_base, proposals, "zh")
    root = lxml.html.fromstring(page)
    notes = {li.get("id"): li.text_content() for li in root.xpath('//nav[@class="rl-changes"]/ol/li')}
    assert "冲突：与O2 (USA)在同一处文字重叠" in notes["rl-item-1"]
    assert "冲突：与O1 (CHN)在同一处文字重叠" in notes["rl-item-2"]
    assert root.xpath('//a[contains(@class, "rl-tag") and contains(@class, "rl-conflict")]')
    rejected = sections(resolved(page, False))
    assert rejected == sections(lxml.html.fromstring(render_html(zh_base)))
    assert "输出成果 3.2 – 关于电信/ICT政策统计产品与服务" in sections(resolved(page, True))["obj_3"]
    en = lxml.html.fromstring(render_redline_html(zh_base, proposals, "en")).get_element_by_id("rl-item-2")
    assert "overlaps O1 (CHN)" in en.text_content()


def test_a_change_to_another_language_is_listed_but_not_marked(zh_base: Plan) -> None:
    en_only = am(
        "X1",
        T.substitution,
        "GBR",
        target=anchor(zh_base, "obj_3__output_3.2", "title", "regulation", lang="en"),
        new_text={"en": "statistics"},
    )
    zh_page = render_redline_html(zh_base, attribute(contribution("D", [], [en_only])), "zh")
    root = lxml.html.fromstring(zh_page)
    assert not root.xpath("//ins[@data-change] | //del[@data-change]")
    item = root.get_element_by_id("rl-item-1")
    assert "不改变本语言的文本" in item.text_content() and not item.xpath('./a[starts-with(@href, "#rl-")]')
    en_root = lxml.html.fromstring(render_redline_html(zh_base, [contribution("D", [], [en_only])], "en"))
    assert en_root.xpath('//ins[@data-amendment="X1"]') and en_root.xpath('//del[@data-amendment="X1"]')


def test_sponsor_and_date_of_each_amendment(zh_base: Plan) -> None:
    """Sponsor: the amendment's, else the contribution's sponsors, else its document, else "—";
    date: the amendment's provenance, else the contribution's."""
    own = am("S1", T.deletion, "BRA", target=Anchor(eid="obj_2__output_2.2__project_1__item_1"))
    bare = am("S2", T.deletion, target=Anchor(eid="obj_2__output_2.2__project_1__item_2"))
    dated = bare.model_copy(update={"provenance": Provenance(author="Li", date="2019-05-01")})
    c = Contribution(document="TDAG-19/5", base="b", sponsors=["CHN", "RUS"], date="2019-05-13", amendments=[own, bare])
    other = Contribution(document="TDAG-19/6", base="b", date="2019-05-20", amendments=[dated])
    nobody = Contribution(document="", base="b", amendments=[bare])
    source = [c, (other, [dated]), nobody, Proposed(contribution="TDAG-19/7", amendment=dated, sponsor="IND")]
    assert [(a.id, a.sponsor, a.document, a.date) for a in attribute(source)] == [
        ("S1", "BRA", "TDAG-19/5", "2019-05-13"),
        ("S2", "CHN, RUS", "TDAG-19/5", "2019-05-13"),
        ("S2", "TDAG-19/6", "TDAG-19/6", "2019-05-01"),
        ("S2", "—", "", ""),
        ("S2", "IND", "TDAG-19/7", "2019-05-01"),
    ]
    # the same item deleted by four proposals: drawn once, the others noted
    root = lxml.html.fromstring(render_redline_html(zh_base, source, "en"))
    assert {d.get("data-change") for d in root.xpath('//del[@data-amendment="S2"]')} == {"2"}
    assert "deletes what S2 (CHN, RUS) already deletes" in root.get_element_by_id("rl-item-3").text_content()


def test_no_amendments_is_the_base_with_an_empty_list(zh_base: Plan) -> None:
    page = render_redline_html(zh_base, [], "en")
    assert "No changes." in page and "data-change" not in page
    assert sections(lxml.html.fromstring(page)) == sections(lxml.html.fromstring(render_html(zh_base, "en")))
