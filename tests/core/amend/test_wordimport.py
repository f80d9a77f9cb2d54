"""Tracked changes in Word imported as amendments to the base plan.

The acceptance case: the bundled base, rendered to DOCX by our own writer, with the bundled
contribution's eight amendments written in as Word revisions (plus a deletion, a
substitution, a move, a deleted paragraph and a change the base cannot anchor) imports
back to amendments that consolidate to the same plan, each with its Word author and date.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from actionplan.amend import apply_amendments
from actionplan.amend.model import Amendment, AmendmentType, Anchor, Contribution
from actionplan.amend.wordimport import ImportResult, import_tracked
from actionplan.amend.wordrevisions import read_revisions
from actionplan.model import Block, Plan, Section
from actionplan.model.texts import iter_texts
from actionplan.render import render
from tests.conftest import SHARED
from tests.fixtures.make_tracked_docx import Author, TrackedDocx, original_text

FIXTURES = SHARED / "data" / "docx-fixtures"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

WANG = Author("Wang Fang", "2019-01-15T09:30:00Z")
LI = Author("Li Lei", "2019-01-16T14:05:00Z")
SMITH = Author("J. Smith", "2019-01-17T08:00:00Z")
AUTHOR_MAP = {"Wang Fang": "CHN", "Li Lei": "CHN"}

SEC1 = "chp_1__sec_1"
EXTRAS = [
    Amendment(
        id="X1",
        type=AmendmentType.deletion,
        target=Anchor(eid=f"{SEC1}__para_1", old="简单、", before="提供一个"),
    ),
    Amendment(  # in an output's title, which our DOCX prints after "输出成果 3.2 – "
        id="X2",
        type=AmendmentType.substitution,
        target=Anchor(eid="obj_3__output_3.2", field="title", old="政策与监管", before="关于电信/ICT"),
        new_text={"zh": "统计"},
    ),
    Amendment(
        id="X3",
        type=AmendmentType.move,
        target=Anchor(eid=f"{SEC1}__para_2", old="成果说明是否实现了某项部门目标。"),
        destination=Anchor(eid=f"{SEC1}__para_1", before="的战略目标。"),
    ),
    Amendment(id="X4", type=AmendmentType.deletion, target=Anchor(eid="chp_1__sec_4__para_2")),
]


def _texts(plan: Plan) -> list[tuple[str, str, str, str]]:
    return [(t.node.eid, t.field, t.lang, t.text) for t in iter_texts(plan)]


def _dump(plan: Plan) -> object:
    """The model without source positions, to compare kinds, levels and eids as well as texts."""

    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("line", "heading_line", "source")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(plan.model_dump(mode="json"))


def _xml_ids(path: Path) -> set[str]:
    """Ids of every revision with content or on a paragraph mark (range markers are not revisions)."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return {el.get(f"{W}id", "") for tag in ("ins", "del", "moveFrom", "moveTo") for el in root.iter(f"{W}{tag}")}


@pytest.fixture(scope="module")
def tracked(tmp_path_factory: pytest.TempPathFactory, bundled_base: Plan, bundled_contribution: Contribution) -> Path:
    doc = TrackedDocx(render(bundled_base, "docx"))
    for am in bundled_contribution.amendments:  # A1 the way Word records Enter at a paragraph's end
        doc.track(am, bundled_base, WANG if am.proposal in (1, 2) else LI, word_way=am.id == "A1")
    for am in EXTRAS:
        doc.track(am, bundled_base, SMITH)
    period = doc.paragraph("时期：2018-2021")  # a label of the renderer, not a text of the plan
    doc.insert(period, len(original_text(period)), "年", SMITH)
    return doc.save(tmp_path_factory.mktemp("tracked") / "tracked.docx")


@pytest.fixture(scope="module")
def imported(tracked: Path, bundled_base: Plan) -> ImportResult:
    return import_tracked(tracked, bundled_base, author_map=AUTHOR_MAP, document="TDAG-19/X", base_ref="baap@1")


def test_the_tracked_contribution_consolidates_to_the_same_plan(
    imported: ImportResult, bundled_base: Plan, bundled_contribution: Contribution
) -> None:
    expected = apply_amendments(bundled_base, [*bundled_contribution.amendments, *EXTRAS])
    got = apply_amendments(bundled_base, imported.amendments)
    assert _texts(got) == _texts(expected)
    assert _dump(got) == _dump(expected)
    assert _texts(got) != _texts(bundled_base)


def test_one_amendment_per_change_of_the_right_type(imported: ImportResult) -> None:
    types = Counter(a.type.value for a in imported.amendments)
    assert types == {"element_creation": 5, "insertion": 3, "deletion": 2, "substitution": 1, "move": 1}
    move = next(a for a in imported.amendments if a.type == AmendmentType.move)
    assert move.target is not None and move.destination is not None
    assert (move.target.eid, move.target.old, move.destination.eid) == (
        f"{SEC1}__para_2",
        "成果说明是否实现了某项部门目标。",
        f"{SEC1}__para_1",
    )
    whole = [a for a in imported.amendments if a.type == AmendmentType.deletion and a.target and not a.target.old]
    assert [a.target.eid for a in whole if a.target] == ["chp_1__sec_4__para_2"]
    assert [a.id for a in imported.amendments] == [f"A{k}" for k in range(1, 13)]


def test_authors_dates_and_revision_ids_are_kept(imported: ImportResult, tracked: Path) -> None:
    by_author: dict[str, set[str]] = {}
    ids: set[str] = set()
    for am in imported.amendments:
        p = am.provenance
        assert p is not None and p.file == "tracked.docx"
        by_author.setdefault(p.author, set()).add(p.date)
        ids |= set(p.revision_id.split(","))
        assert am.sponsor == AUTHOR_MAP.get(p.author, p.author)
    assert by_author == {"Wang Fang": {WANG.date}, "Li Lei": {LI.date}, "J. Smith": {SMITH.date}}
    unanchored = {u.revision_id for u in imported.unanchored}
    assert ids | unanchored == _xml_ids(tracked), "every revision is an amendment or reported"
    assert not ids & unanchored
    substitution = next(a for a in imported.amendments if a.type == AmendmentType.substitution)
    assert substitution.provenance is not None and len(substitution.provenance.revision_id.split(",")) == 2


def test_the_contribution_names_its_base_sponsors_and_author_map(imported: ImportResult) -> None:
    c = imported.contribution
    assert (c.document, c.base, c.language) == ("TDAG-19/X", "baap@1", "zh")
    assert c.sponsors == ["J. Smith", "CHN"]  # in the order their first revision comes in the document
    assert c.author_map == AUTHOR_MAP


def test_a_change_outside_the_plans_texts_is_reported_not_dropped(imported: ImportResult, tracked: Path) -> None:
    numbers = {p.number: p for p in read_revisions(tracked).paragraphs}
    assert len(imported.unanchored) == 1
    u = imported.unanchored[0]
    assert (u.kind, u.text, u.author, u.date) == ("ins", "年", "J. Smith", SMITH.date)
    assert numbers[u.paragraph or 0].rejected_text == "时期：2018-2021"
    assert "not in the base" in u.reason


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("pandoc_*.docx")), ids=lambda p: p.name)
def test_revisions_of_another_document_are_all_reported(path: Path, bundled_base: Plan) -> None:
    result = import_tracked(path, bundled_base)
    assert result.amendments == []
    assert {u.revision_id for u in result.unanchored} == _xml_ids(path)
    doc = read_revisions(path)
    assert len(result.unanchored) == len(list(doc.revisions()))
    numbers = {p.number for p in doc.paragraphs}
    for u in result.unanchored:
        assert u.paragraph in numbers and u.reason
        assert u.text or u.kind in ("ins_mark", "del_mark")


def test_the_redline_of_pyredlines_is_reported_revision_by_revision(bundled_base: Plan) -> None:
    result = import_tracked(
        FIXTURES / "pyredlines_expected_redline.docx", bundled_base, author_map={"TestAuthor": "XYZ"}
    )
    assert len(result.unanchored) == 10 and result.contribution.sponsors == ["XYZ"]
    assert [(u.paragraph, u.kind, u.text) for u in result.unanchored][:3] == [
        (2, "del", " for testing"),
        (3, "del", "not testing"),
        (3, "ins", "nothing"),
    ]


def test_an_english_plan_with_its_own_tracked_changes(tmp_path: Path) -> None:
    """Word files of other plans and languages: the mini English plan, edited in Word."""
    from actionplan.ingest import parse_file
    from tests.conftest import FIXTURES as PLANS

    base = parse_file(PLANS / "plans" / "mini_en.txt")
    doc = TrackedDocx(render(base, "docx", "en"))
    target = "The World Telecommunication Development Conference (WTDC), held every four years"
    p = doc.paragraph(next(t.text for t in iter_texts(base, "en") if t.text.startswith(target)))
    doc.substitute(p, original_text(p).index("four"), len("four"), "three", SMITH)
    result = import_tracked(doc.save(tmp_path / "en.docx"), base, lang="en")
    assert result.unanchored == []
    (am,) = result.amendments
    assert (am.type, am.target and am.target.old, am.new_text) == (AmendmentType.substitution, "four", {"en": "three"})
    got = apply_amendments(base, result.amendments)
    assert any("held every three years" in t.text for t in iter_texts(got, "en"))


def test_a_file_that_is_not_a_docx_is_an_input_error(tmp_path: Path, bundled_base: Plan) -> None:
    from actionplan.errors import InputError

    path = tmp_path / "notes.docx"
    path.write_bytes(b"")
    with pytest.raises(InputError, match=r"notes\.docx: the file is empty"):
        import_tracked(path, bundled_base)


def test_split_joined_moved_paragraphs_and_two_authors_at_one_place(tmp_path: Path, bundled_base: Plan) -> None:
    """Enter inside a paragraph, a deleted paragraph mark, a whole paragraph moved, and an
    insertion by one author where another deletes."""
    base = bundled_base
    nodes = {n.eid: n for n in base.walk()}

    def text(eid: str) -> str:
        node = nodes[eid]
        assert isinstance(node, Block)
        return node.text["zh"]

    doc = TrackedDocx(render(base, "docx"))
    head = "ITU-D战略规划包括四个部门目标和14个相关输出成果。"
    doc.split_paragraph(doc.paragraph(text(f"{SEC1}__para_2")), len(head), WANG)
    doc.join_next(doc.paragraph(text("chp_1__sec_3__subsec_3.1__para_1")), LI)
    doc.move_paragraph(doc.paragraph(text("chp_1__sec_2__para_7")), doc.paragraph(text("chp_1__sec_2__para_5")), LI)
    tie = doc.paragraph(text("chp_1__sec_4__para_1"))
    doc.insert(tie, 0, "此外，", WANG)
    doc.delete(tie, 0, 4, SMITH)
    path = doc.save(tmp_path / "shapes.docx")

    result = import_tracked(path, base, author_map=AUTHOR_MAP)
    got = apply_amendments(base, result.amendments)

    def blocks(plan: Plan, eid: str) -> list[str]:
        section = plan.element(eid)
        assert isinstance(section, Section)
        return [b.text["zh"] for b in section.blocks]

    assert blocks(got, SEC1)[1:3] == [head, text(f"{SEC1}__para_2")[len(head) :]]
    assert len(blocks(got, SEC1)) == len(blocks(base, SEC1)) + 1
    sec2 = blocks(got, "chp_1__sec_2")
    assert sec2.index(text("chp_1__sec_2__para_7")) == sec2.index(text("chp_1__sec_2__para_5")) + 1
    assert sorted(sec2) == sorted(blocks(base, "chp_1__sec_2"))
    assert blocks(got, "chp_1__sec_4")[0] == "此外，" + text("chp_1__sec_4__para_1")[4:]

    (join,) = result.unanchored
    assert (join.kind, join.author, join.text) == ("del_mark", "Li Lei", "")
    assert "joins this paragraph to the next" in join.reason
    moved = [a for a in result.amendments if a.provenance and a.provenance.author == "Li Lei"]
    assert sorted(a.type.value for a in moved) == ["deletion", "element_creation"]
    ids = {i for a in result.amendments if a.provenance for i in a.provenance.revision_id.split(",")}
    assert ids | {join.revision_id} == _xml_ids(path)
