"""Redline DOCX: native Word revisions that accept to the amended plan and reject to the base.

The check is independent of the writer: a small accept/reject over the XML (accept drops
``w:del``/``w:moveFrom`` content and keeps ``w:ins``; a paragraph whose mark is deleted
joins the next one; reject is the opposite), then the paragraph texts are compared with
the plain renderer's output for ``apply_amendments(base, amendments)`` and for ``base``.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from lxml import etree

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
from actionplan.errors import ValidationError
from actionplan.ingest import parse_file
from actionplan.model import Plan
from actionplan.render.docx import render_docx
from actionplan.render.redline import Attributed
from actionplan.render.redline_docx import render_redline_docx
from tests.conftest import FIXTURES, require_tool

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOW = datetime(2024, 3, 4, 5, 6, 7, tzinfo=UTC)


# -- an accept/reject of our own -----------------------------------------------------------


def body(data: bytes) -> etree._Element:
    return docx.Document(io.BytesIO(data)).element.body


def text_of(p: etree._Element) -> str:
    """All the text of a paragraph, inserted and deleted alike."""
    return "".join(t.text or "" for t in p.iter(W + "t", W + "delText"))


def view(data: bytes, accept: bool) -> list[str]:
    """Every paragraph's text (body and table cells, in order) with all changes accepted or rejected."""
    drop = {W + "del", W + "moveFrom"} if accept else {W + "ins", W + "moveTo"}
    out: list[str] = []
    pending: tuple[etree._Element, str] | None = None
    for p in body(data).iter(W + "p"):
        pieces = []
        for t in p.iter(W + "t", W + "delText"):
            ancestor, dropped = t.getparent(), False
            while ancestor is not p:
                dropped = dropped or ancestor.tag in drop
                ancestor = ancestor.getparent()
            if not dropped:
                pieces.append(t.text or "")
        text = "".join(pieces)
        if pending is not None:
            assert pending[0] is p.getparent(), "a paragraph mark joins paragraphs of different containers"
            text, pending = pending[1] + text, None
        mark = p.find(f"{W}pPr/{W}rPr")
        if mark is not None and any(child.tag in drop for child in mark):
            pending = (p.getparent(), text)
            continue
        out.append(text)
    assert pending is None, "the last paragraph's mark is tracked"
    return out


def assert_round_trip(base: Plan, amendments: list[Amendment], redline: bytes, lang: str = "zh") -> None:
    accepted = view(redline, accept=True)
    rejected = view(redline, accept=False)
    assert rejected == view(render_docx(base, lang), accept=True)
    assert accepted == view(render_docx(apply_amendments(base, amendments), lang), accept=True)
    assert accepted != rejected


# -- amendments of every type ----------------------------------------------------------------


def anchor(plan: Plan, eid: str, field: str, old: str, *, at: str | None = None, lang: str = "zh") -> Anchor:
    """An anchor quoting ``old`` (or, for an insertion, the point right after ``at``), unique in the text."""
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


@pytest.fixture(scope="module")
def zh_base() -> Plan:
    return parse_file(bundled_base_path())


@pytest.fixture(scope="module")
def en_base() -> Plan:
    return parse_file(FIXTURES / "plans" / "mini_en.txt")


def zh_amendments(base: Plan) -> list[Amendment]:
    """One or more of each type, on blocks, titles, table texts, headings and references."""
    T = AmendmentType
    bg11 = "obj_1__output_1.1__background__para_1"
    bg12 = "obj_1__output_1.2__background__para_1"
    return [
        am(
            "Z1",
            T.insertion,
            "CHN",
            target=anchor(base, bg11, "text", "", at="高层次平台"),
            new_text={"zh": "和全球性"},
        ),
        am("Z2", T.deletion, "RUS", target=anchor(base, bg12, "text", "（2014年，迪拜，修订版）")),
        am(
            "Z3",
            T.substitution,
            "BRA",
            target=anchor(base, "obj_3__output_3.2", "title", "政策与监管"),
            new_text={"zh": "政策、监管与统计"},
        ),
        am(
            "Z4",
            T.move,
            "CHN",
            target=anchor(base, bg12, "text", "在财务限制范围和合理的时段内，"),
            destination=anchor(base, "obj_1__output_1.3__background__para_1", "text", "", at="TDAG"),
        ),
        am(
            "Z5",
            T.element_creation,
            "IND",
            new_element=NewElement(
                container="obj_2__output_2.1__ri_afr", field="blocks", kind="para", text={"zh": "非洲宽带举措"}
            ),
        ),
        am(
            "Z6",
            T.element_creation,
            "RUS",
            new_element=NewElement(
                container="obj_1__output_1.3", field="background", after=None, kind="para", text={"zh": "新的首段。"}
            ),
        ),
        am(
            "Z7",
            T.element_creation,
            "",
            new_element=NewElement(
                container="obj_2__output_2.2__project_1",
                field="text",
                after="obj_2__output_2.2__project_1__item_2",
                kind="item",
                text={"zh": "新增的一项；"},
            ),
        ),
        am("Z8", T.deletion, "BRA", target=Anchor(eid="obj_2__output_2.2__project_1__item_1")),
        am("Z9", T.deletion, "BRA", target=Anchor(eid="obj_1__output_1.5__background__para_1")),
        am(
            "Z10",
            T.reference_change,
            "USA",
            target=Anchor(eid="obj_2__output_2.2"),
            links=LinkChange(scheme="wsis", add=[], remove=["C5"]),
        ),
        am(
            "Z11",
            T.reference_change,
            "USA",
            target=Anchor(eid="obj_2__output_2.2"),
            links=LinkChange(scheme="sdg_target", add=["9.c", "4.4"]),
        ),
        am(
            "Z12",
            T.reference_change,
            "CHN",
            target=Anchor(eid="obj_1__output_1.1__refs"),
            links=LinkChange(scheme="wtdc_resolution", add=["17"]),
        ),
        am(
            "Z13",
            T.reference_change,
            "IND",
            target=Anchor(eid="obj_1__output_1.4"),
            links=LinkChange(scheme="wsis", add=["C7"], remove=["C1"]),
        ),
        am(
            "Z14",
            T.substitution,
            "RUS",
            target=anchor(base, "obj_1__outcome_1.1__ind_1", "text", "理解和共享"),
            new_text={"zh": "认识与共享"},
        ),
        am(
            "Z15",
            T.insertion,
            "IND",
            target=anchor(base, "obj_3", "title", "", at="有利环境"),
            new_text={"zh": "与创新"},
        ),
        am(
            "Z16",
            T.substitution,
            "USA",
            target=anchor(base, "chp_1__sec_2", "heading", "结构"),
            new_text={"zh": "组织结构"},
        ),
        am(
            "Z17",
            T.insertion,
            "CHN",
            target=anchor(base, "obj_2__output_2.1__sgq_1", "label", "", at="研究组"),
            new_text={"zh": "第1"},
        ),
        am(
            "Z18",
            T.substitution,
            "BRA",
            target=anchor(base, "obj_2__output_2.2__refs__stmt_2", "text", "有助于实现"),
            new_text={"zh": "推动实现"},
        ),
    ]


def en_amendments(base: Plan) -> list[Amendment]:
    T = AmendmentType
    bg = "obj_1__output_1.1__background__para_1"
    return [
        am(
            "E1",
            T.insertion,
            "GBR",
            target=anchor(base, bg, "text", "", at="a high-level", lang="en"),
            new_text={"en": " global"},
        ),
        am(
            "E2",
            T.substitution,
            "FRA",
            target=anchor(base, "obj_1__output_1.2", "title", "Final reports", lang="en"),
            new_text={"en": "Final and interim reports"},
        ),
        am("E3", T.deletion, "GBR", target=anchor(base, bg, "text", ", held every four years,", lang="en")),
        am(
            "E4",
            T.move,
            "FRA",
            target=anchor(base, "obj_1__output_1.2__background__para_1", "text", " (Rev. Dubai, 2014)", lang="en"),
            destination=anchor(base, "obj_1__output_1.3__background__para_1", "text", "", at="TDAG", lang="en"),
        ),
        am(
            "E5",
            T.element_creation,
            "USA",
            new_element=NewElement(
                container="obj_1__output_1.2__ri_ams", field="blocks", kind="para", text={"en": "AMS1: broadband"}
            ),
        ),
        am("E6", T.deletion, "USA", target=Anchor(eid="obj_1__output_1.2__ri_afr__para_1", lang="en")),
        am(
            "E7",
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
        am("E8", T.deletion, "FRA", target=Anchor(eid="obj_1__output_1.1__background__item_2", lang="en")),
        am(
            "E9",
            T.reference_change,
            "GBR",
            target=Anchor(eid="obj_1__output_1.3", lang="en"),
            links=LinkChange(scheme="wsis", add=["C7"], remove=["C1"]),
        ),
        am(
            "E10",
            T.substitution,
            "USA",
            target=anchor(base, "obj_1__outcome_1.2__ind_1", "text", "level of agreement", lang="en"),
            new_text={"en": "degree of agreement"},
        ),
        am(
            "E11",
            T.insertion,
            "FRA",
            target=anchor(base, "obj_1__output_1.2__sgq_1", "label", "", at="Strategies", lang="en"),
            new_text={"en": " and plans"},
        ),
    ]


def contribution(document: str, sponsors: list[str], amendments: list[Amendment], date: str = "") -> Contribution:
    return Contribution(document=document, base="b", sponsors=sponsors, date=date, amendments=amendments)


# -- tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bundled_contribution_accepts_to_the_source_and_rejects_to_the_base(zh_base: Plan, lang: str) -> None:
    c = load_contribution(bundled_contribution_path())
    redline = render_redline_docx(zh_base, c, lang, now=NOW)
    assert_round_trip(zh_base, c.amendments, redline, lang)
    inserted = "".join(t.text or "" for t in body(redline).iter(W + "t") if t.getparent().getparent().tag == W + "ins")
    assert "同时，视频在电信网络及ICT行业中广泛应用" in inserted  # A2
    assert "推动国际公约的建立" in inserted  # A1, a new item


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_amendment_type_on_the_chinese_plan(zh_base: Plan, lang: str) -> None:
    amendments = zh_amendments(zh_base)
    c1 = contribution("TDAG-24/1", ["CHN"], amendments[:9], date="2024-01-02")
    c2 = contribution("TDAG-24/2", ["USA", "BRA"], amendments[9:])
    redline = render_redline_docx(zh_base, [c1, c2], lang, now=NOW)
    assert_round_trip(zh_base, amendments, redline, lang)
    authors = {e.get(W + "author") for e in body(redline).iter(W + "ins", W + "del")}
    # Z7 has no sponsor of its own: it goes to its contribution's sponsors
    assert authors == {"CHN", "RUS", "BRA", "IND", "USA"}


def test_every_amendment_type_on_the_english_plan(en_base: Plan) -> None:
    amendments = en_amendments(en_base)
    redline = render_redline_docx(en_base, contribution("C/7", [], amendments), "en", now=NOW)
    assert_round_trip(en_base, amendments, redline, "en")
    rejected, accepted = view(redline, accept=False), view(redline, accept=True)
    assert "AFR1: Building digital economies and fostering innovation in Africa" in rejected
    assert "AFR1: Building digital economies and fostering innovation in Africa" not in accepted
    assert "AMS1: broadband" in accepted and "AMS1: broadband" not in rejected
    assert "Output 1.2 – Final and interim reports of the regional preparatory meetings (RPMs)" in accepted


def test_substitution_marks_only_the_changed_words(zh_base: Plan) -> None:
    z3 = next(a for a in zh_amendments(zh_base) if a.id == "Z3")  # 政策与监管 -> 政策、监管与统计
    redline = render_redline_docx(zh_base, contribution("X", ["CHN"], [z3]), now=NOW)
    deleted = [t.text for t in body(redline).iter(W + "delText")]
    inserted = [t.text for t in body(redline).iter(W + "t") if t.getparent().getparent().tag == W + "ins"]
    # jieba's words: 政策 | 与 | 监管; 政策 is kept, the rest of the title too
    assert deleted and not [d for d in deleted if "政策" in d or "产品" in d]
    assert "".join(inserted).count("统计") == 2  # in the output's heading and in the outcomes table
    assert [p for p in view(redline, accept=True) if p.endswith("关于电信/ICT政策、监管与统计的产品与服务")]


def test_a_part_comes_and_goes_with_its_content_and_emptied_texts_fall_back(plan: Plan) -> None:
    """Deleting the only paragraph of a part without a printed heading removes the heading too;
    emptying a Chinese title shows the English one, marked, in the heading and in the table."""
    T = AmendmentType
    amendments = [
        am("P1", T.deletion, "A", target=Anchor(eid="obj_1__output_1.2__background__para_1")),
        am(
            "P2",
            T.deletion,
            "B",
            target=anchor(plan, "obj_1__output_1.1", "title", plan.objectives[0].outputs[0].title["zh"]),
        ),
        am(
            "P3",
            T.element_creation,
            "C",
            new_element=NewElement(container="obj_2__output_2.1__ri_ams", field="blocks", text={"zh": "美洲举措"}),
        ),
        am("P4", T.deletion, "A", target=Anchor(eid="obj_2__output_2.1__ri_afr__para_1")),
    ]
    redline = render_redline_docx(plan, contribution("X", [], amendments), now=NOW)
    assert_round_trip(plan, amendments, redline)
    rejected, accepted = view(redline, accept=False), view(redline, accept=True)
    assert "背景" in rejected and rejected.count("背景") == accepted.count("背景") + 1
    assert "输出成果 1.1 – [en] WTDC and its final report" in accepted
    assert "1.1 – 世界电信发展会议（WTDC）及其最终报告" in rejected


def test_revisions_are_well_formed(zh_base: Plan) -> None:
    """Unique ids; author and date on every revision; deleted text only as w:delText;
    inserted and deleted paragraphs carry tracked paragraph marks."""
    amendments = zh_amendments(zh_base)
    dated = amendments[0].model_copy(update={"provenance": Provenance(author="x", date="2023-05-06T07:08:09+02:00")})
    source = [
        Proposed(contribution="D1", amendment=dated, sponsor="CHN"),  # dated by its provenance
        contribution("D2", ["BRA"], amendments[1:9], date="2024-01-02"),
        contribution("D3", ["USA"], amendments[9:]),
    ]
    redline = render_redline_docx(zh_base, source, now=NOW)
    root = body(redline)
    # reviewers' own edits are tracked too
    assert docx.Document(io.BytesIO(redline)).settings.element.find(W + "trackRevisions") is not None
    revisions = list(root.iter(W + "ins", W + "del"))
    ids = [r.get(W + "id") for r in revisions]
    assert len(ids) == len(set(ids)) and all(i and i.isdigit() for i in ids)
    assert all(r.get(W + "author") for r in revisions)
    by_author_date = {(r.get(W + "author"), r.get(W + "date")) for r in revisions}
    assert ("CHN", "2023-05-06T05:08:09Z") in by_author_date  # the provenance date, in UTC
    assert ("BRA", "2024-01-02T00:00:00Z") in by_author_date  # the contribution's date
    assert ("USA", "2024-03-04T05:06:07Z") in by_author_date  # undated: the time of rendering
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r.get(W + "date") or "") for r in revisions)
    assert not [t for d in root.iter(W + "del") for t in d.iter(W + "t")]
    assert all(t.getparent().getparent().tag == W + "del" for t in root.iter(W + "delText"))
    marks = [m for m in root.iter(W + "rPr") if m.getparent().tag == W + "pPr"]
    new_item = next(p for p in root.iter(W + "p") if text_of(p) == "新增的一项；")
    assert new_item.find(f"{W}pPr/{W}rPr/{W}ins") is not None
    gone = next(p for p in root.iter(W + "p") if text_of(p).startswith("支持ITU成员国发展它们的国家"))
    assert gone.find(f"{W}pPr/{W}rPr/{W}del") is not None
    for mark in marks:  # the revision comes first in the mark's run properties, ins before del
        tags = [c.tag for c in mark]
        tracked = [t for t in tags if t in (W + "ins", W + "del")]
        assert tags[: len(tracked)] == tracked == sorted(tracked, key=lambda t: t != W + "ins")


def test_overlapping_changes_are_both_drawn(zh_base: Plan) -> None:
    """Two sponsors substitute overlapping words: no error, rejecting gives the base, and
    accepting gives both new texts in document order."""
    eid = "obj_3__output_3.2"
    one = am(
        "O1",
        AmendmentType.substitution,
        "CHN",
        target=anchor(zh_base, eid, "title", "政策与监管"),
        new_text={"zh": "政策"},
    )
    two = am(
        "O2",
        AmendmentType.substitution,
        "USA",
        target=anchor(zh_base, eid, "title", "监管的产品"),
        new_text={"zh": "统计产品"},
    )
    redline = render_redline_docx(zh_base, [contribution("A", [], [one]), contribution("B", [], [two])], now=NOW)
    assert view(redline, accept=False) == view(render_docx(zh_base), accept=True)
    accepted = view(redline, accept=True)
    assert "输出成果 3.2 – 关于电信/ICT政策统计产品与服务" in accepted
    authors = {e.get(W + "author") for e in body(redline).iter(W + "ins", W + "del")}
    assert authors == {"CHN", "USA"}


def test_bad_inputs_name_the_amendment(zh_base: Plan) -> None:
    bad_list = am(
        "N1",
        AmendmentType.element_creation,
        new_element=NewElement(container="obj_2__output_2.1", field="projects", text={"zh": "x"}),
    )
    with pytest.raises(ValidationError, match=r"N1.*no list 'projects'"):
        render_redline_docx(zh_base, contribution("X", [], [bad_list]))
    ok = am("N2", AmendmentType.deletion, target=Anchor(eid="obj_2__output_2.2__project_1__item_1"))
    with pytest.raises(ValidationError, match=r"N2.*not an ISO 8601 date") as exc:
        render_redline_docx(zh_base, contribution("X", [], [ok], date="13 May 2019"))
    assert exc.value.where == "N2"
    not_a_block = am("N3", AmendmentType.deletion, target=Anchor(eid="obj_2__output_2.2"))
    with pytest.raises(ValidationError, match="N3"):
        render_redline_docx(zh_base, contribution("X", [], [not_a_block]))


# -- LibreOffice ------------------------------------------------------------------------------


def odt_changes(data: bytes, tmp_path: Path) -> tuple[list[str], list[str]]:
    """(kinds, authors) of the ODT's changed regions after LibreOffice converts the DOCX."""
    soffice = require_tool("soffice")
    src = tmp_path / "redline.docx"
    src.write_bytes(data)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "odt",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    content = etree.fromstring(zipfile.ZipFile(tmp_path / "redline.odt").read("content.xml"))
    ns = {
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
        "dc": "http://purl.org/dc/elements/1.1/",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    }
    tracked = content.findall(".//text:tracked-changes", ns)
    assert len(tracked) == 1, "no text:tracked-changes in the ODT"
    # recording is on (ODF's default, so LibreOffice writes no attribute; "false" when off)
    assert tracked[0].get(f"{{{ns['text']}}}track-changes", "true") == "true"
    regions = tracked[0].findall("text:changed-region", ns)
    kinds = [etree.QName(r[0]).localname for r in regions]
    authors = [r.findtext(".//dc:creator", namespaces=ns) or "" for r in regions]
    return kinds, authors


@pytest.mark.soffice
def test_libreoffice_reads_one_change_per_sponsor(zh_base: Plan, tmp_path: Path) -> None:
    """The bundled contribution with one sponsor per amendment: eight changed regions, eight authors."""
    c = load_contribution(bundled_contribution_path())
    proposals = [Attributed(a, "TDAG", f"S{k}", "2019-05-13") for k, a in enumerate(c.amendments, start=1)]
    kinds, authors = odt_changes(render_redline_docx(zh_base, proposals, now=NOW), tmp_path)
    assert kinds == ["insertion"] * 8
    assert sorted(authors) == sorted(f"S{k}" for k in range(1, 9))


@pytest.mark.soffice
def test_libreoffice_reads_deletions_substitutions_and_paragraphs(zh_base: Plan, tmp_path: Path) -> None:
    """A substitution is a deletion and an insertion; a new or deleted item is one region with its mark."""
    T = AmendmentType
    bg12 = "obj_1__output_1.2__background__para_1"
    amendments = [
        am(
            "L1",
            T.insertion,
            "CHN",
            target=anchor(zh_base, "obj_1__output_1.1__background__para_1", "text", "", at="高层次平台"),
            new_text={"zh": "和全球性"},
        ),
        am("L2", T.deletion, "RUS", target=anchor(zh_base, bg12, "text", "（2014年，迪拜，修订版）")),
        am(
            "L3",
            T.substitution,
            "BRA",
            target=anchor(zh_base, "obj_3__output_3.2", "title", "政策与监管"),
            new_text={"zh": "统计"},
        ),
        am(
            "L4",
            T.element_creation,
            "IND",
            new_element=NewElement(
                container="obj_2__output_2.2__project_1",
                field="text",
                after="obj_2__output_2.2__project_1__item_3",
                kind="item",
                text={"zh": "新增的一项；"},
            ),
        ),
        am("L5", T.deletion, "USA", target=Anchor(eid="obj_2__output_2.2__project_1__item_1")),
    ]
    kinds, authors = odt_changes(render_redline_docx(zh_base, contribution("X", [], amendments), now=NOW), tmp_path)
    # L3 changes the title in its heading and in the outcomes table: two deletions, two insertions
    assert sorted(zip(authors, kinds, strict=True)) == sorted(
        [
            ("CHN", "insertion"),
            ("RUS", "deletion"),
            ("BRA", "deletion"),
            ("BRA", "insertion"),
            ("BRA", "deletion"),
            ("BRA", "insertion"),
            ("IND", "insertion"),
            ("USA", "deletion"),
        ]
    )
