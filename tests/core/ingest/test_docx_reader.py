"""The DOCX reader: the seed plan as a real Word file, tracked changes in real Word files
(pandoc's expected outputs as the oracle), hand-made packages for the finer rules, and
hostile files, each refused with a one-line error naming the file."""

from __future__ import annotations

import hashlib
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from actionplan.errors import InputError
from actionplan.ingest.docx_reader import read_docx
from actionplan.ingest.source import SourceDocument

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # repo root, for tests.fixtures
from tests.fixtures import make_docx as M

SEED = M.SEED
SHARED = Path("/work/shared/data/docx-fixtures")
W = f"{{{M.W_NS}}}"


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


def normalise(text: str) -> str:
    """Text as both sides should agree on it: no bookmarks, no bullet, no outer space."""
    text = M.BOOKMARK.sub("", text).strip()
    return re.sub(r"^[•·○][\t ]+", "", text)


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return M.make_seed_docx(tmp_path_factory.mktemp("docx") / "seed.docx")


@pytest.fixture(scope="module")
def seed_doc(seed_docx: Path) -> SourceDocument:
    return read_docx(seed_docx)


# --- the seed as a Word document ----------------------------------------------------------


def test_seed_docx_is_named_hashed_and_counted_in_paragraphs(seed_docx: Path, seed_doc: SourceDocument) -> None:
    """The document carries its name, the sha256 of its bytes and paragraph positions."""
    assert seed_doc.name == str(seed_docx)
    assert seed_doc.format == "docx"
    assert seed_doc.unit == "paragraph"
    assert seed_doc.sha256 == hashlib.sha256(seed_docx.read_bytes()).hexdigest()
    assert seed_doc.where(13) == f"{seed_docx}:¶13"


def test_seed_docx_has_one_table_per_table_of_the_text(seed_doc: SourceDocument) -> None:
    """Counted by hand in the seed: 4 outcome tables (header cell "绩效指标"), 11 regional-
    initiative tables (header cell "区域", outputs 2.1-4.4) and 11 study-group tables."""
    lines = seed_lines()
    outcome = sum(line == "\t绩效指标" for line in lines)
    regional = sum(line == "\t区域" for line in lines)
    study = sum(bool(re.match(r"^\t(第X号)?研究组X?课题\s*$", line)) for line in lines)
    assert (outcome, regional, study) == (4, 11, 11)
    tables = [b for b in seed_doc.blocks if b.kind == "table"]
    assert len(tables) == outcome + regional + study == 26


def test_seed_docx_outcome_tables_are_three_columns_wide(seed_doc: SourceDocument) -> None:
    """Objectives 1-4 have 3, 3, 4 and 4 outcomes (seed lines 107-124, 229-245, 492-515,
    775-795), each a row of outcome | indicators | outputs under a header row."""
    tables = [b for b in seed_doc.blocks if b.kind == "table" and len(b.rows[0]) == 3]
    assert [len(t.rows) for t in tables] == [4, 4, 5, 5]
    assert all(len(row) == 3 for t in tables for row in t.rows)
    first = tables[0]
    assert [c.text for c in first.rows[0]] == ["输出成果", "绩效指标", "输出成果\n（产品和服务）"]
    assert [t.text for t in first.rows[1][1].lines] == [
        "-  对于ITU-D的部门目标和输出成果的成员级别的理解和共享",
        "-  批准的宣言 - 支持/共识程度",
    ]
    assert first.rows[3][2].text == "1.4 -研究组与研究组的指导方针、建议和报告\n1.6 -伙伴关系平台、产品和服务"


def test_seed_docx_headings_have_their_word_levels(seed_doc: SourceDocument) -> None:
    """Heading levels come from the Heading N styles the fixture gave them."""
    headings = {b.text: b.level for b in seed_doc.blocks if b.kind == "heading"}
    assert headings["I\t引言"] == 1
    assert headings["C部分"] == 1
    assert headings["第2节 – 部门目标和输出成果"] == 1
    assert headings["1\t引言"] == 2
    assert headings["3.1\t项目"] == 3
    assert headings["4.1\t国际电联内部的协调"] == 3  # its bookmark is not text
    assert headings["输出成果1.1"] == 3
    assert headings["输出2.2"] == 3
    assert headings["1\t背景"] == 4
    levels = Counter(b.level for b in seed_doc.blocks if b.kind == "heading")
    body = [normalise(line) for line in seed_lines() if not line.startswith("\t")]
    objectives = sum(bool(re.match(r"(部门)?目标\s*\d – ", line)) for line in body)
    outputs = sum(bool(re.fullmatch(r"输出(成果)?\d\.\d", line)) for line in body)
    front = body[: body.index("输出成果1.1")]
    numbered = sum(bool(re.match(r"\d\t", line)) for line in front)
    subsections = sum(bool(re.match(r"\d\.\d(\t|\.\s)", line)) for line in front)
    assert (objectives, outputs, numbered, subsections) == (4, 17, 4, 9)
    assert levels[2] == objectives + numbered
    assert levels[3] == outputs + subsections
    assert "布宜诺斯艾利斯行动计划" not in headings  # Title style: no outline level


def test_seed_docx_list_items_keep_level_and_bullet(seed_doc: SourceDocument) -> None:
    """Every •/·/○ line of the seed is a list item; ○ ones are at level 2."""
    lines = seed_lines()
    bullets = [ln for ln in lines if re.match(r"^[•·○][\t ]", ln)]
    second = [ln for ln in lines if ln.startswith("○")]
    items = [b for b in seed_doc.blocks if b.kind == "item"]
    assert len(items) == len(bullets) and len(second) == 7
    assert [b.text for b in items if b.level == 2] == [normalise(ln) for ln in second]
    assert {b.marker for b in items} == {"•"}  # python-docx's List Bullet styles use U+F0B7
    assert items[0].text == "目标名称" and items[0].line == 42


def test_seed_docx_loses_no_paragraph(seed_doc: SourceDocument) -> None:
    """Every non-empty line of the seed is a paragraph of the DOCX, read back exactly once."""
    expected = Counter(normalise(ln) for ln in seed_lines() if normalise(ln))
    got = Counter(normalise(t) for t in seed_doc.nonempty_lines.values())
    assert got == expected
    covered = {line for b in seed_doc.blocks for line in b.lines()}
    assert set(seed_doc.nonempty_lines) <= covered
    texts = [b.text for b in seed_doc.blocks if b.kind != "table"]
    assert all(t == t.strip() and t for t in texts)


def test_seed_docx_positions_count_every_paragraph(seed_docx: Path, seed_doc: SourceDocument) -> None:
    """Positions count all w:p, empty ones and those in tables; before the first table
    (seed line 102) every seed line is one paragraph, so the ordinal is the line number."""
    root = etree.fromstring(zipfile.ZipFile(seed_docx).read("word/document.xml"))
    total = sum(1 for _ in root.iter(f"{W}p"))
    lines = [b.line for b in seed_doc.blocks]
    assert lines == sorted(set(lines)) and lines[0] == 1 and lines[-1] <= total
    for n, text in enumerate(seed_lines()[:101], 1):
        if normalise(text):
            assert normalise(seed_doc.nonempty_lines[n]) == normalise(text), n
    table = next(b for b in seed_doc.blocks if b.kind == "table")
    assert table.line == 102 and table.rows[0][0].line == 102
    # 4 rows of 3 cells holding 1+1+2 / 1+2+3 / 1+1+1 / 1+4+2 paragraphs: 20; the blank
    # lines after the table end its rows, so "输出成果1.1" (seed line 130) comes next
    assert seed_doc.blocks[seed_doc.blocks.index(table) + 1].line == 102 + 20


# --- tracked changes: the accepted view ---------------------------------------------------


def native_paragraphs(path: Path) -> list[str]:
    """The paragraphs of a pandoc ``.native`` file as text (Str and Space only)."""
    out = []
    for para in re.split(r"\bPara\s*\[", path.read_text(encoding="utf-8"))[1:]:
        para = re.sub(r"Span\s*\(.*?\)\s*\[\]", "", para)  # empty revision marks
        words = re.findall(r'Str\s+"((?:[^"\\]|\\.)*)"|(Space)', para)
        out.append("".join(" " if space else s for s, space in words))
    return out


@pytest.mark.parametrize(
    "name",
    [
        "pandoc_track_changes_insertion",
        "pandoc_track_changes_deletion",
        "pandoc_track_changes_move",
        "pandoc_paragraph_insertion_deletion",
    ],
)
def test_accepted_view_matches_pandoc(name: str) -> None:
    """Accepting all changes gives pandoc's ``--track-changes=accept`` paragraphs. Compared
    without spaces: where a deleted paragraph mark joins two paragraphs pandoc puts a space,
    Word (and this reader) put nothing."""
    expected = native_paragraphs(SHARED / f"{name}_accept.native")
    got = [b.text for b in read_docx(SHARED / f"{name}.docx").blocks]
    assert ["".join(t.split()) for t in got] == ["".join(t.split()) for t in expected]
    if name != "pandoc_paragraph_insertion_deletion":
        assert [t.split() for t in got] == [t.split() for t in expected]


def test_accepted_view_joins_paragraphs_at_a_deleted_mark() -> None:
    """pandoc_paragraph_insertion_deletion: "This is a| split¶Paragraph." with the first
    mark inserted and the second deleted; the joined paragraph keeps the first position."""
    doc = read_docx(SHARED / "pandoc_paragraph_insertion_deletion.docx")
    assert [(b.line, b.text) for b in doc.blocks] == [(1, "This is a"), (2, "splitParagraph.")]
    assert doc.nonempty_lines == {1: "This is a", 2: "splitParagraph."}


def test_accepted_view_of_other_real_word_files() -> None:
    """Expected texts read by hand from each file's document.xml (w:ins kept, w:del gone).
    The redline's accepted view is the "modified" document it was computed from."""
    doc = read_docx(SHARED / "pandoc_track_changes_scrubbed_metadata.docx")
    assert [b.text for b in doc.blocks] == ["Here is a test document."]
    doc = read_docx(SHARED / "docxrevisions_OXML_TrackChanges_Test.docx")
    assert [b.text.split(" [Test:")[0] for b in doc.blocks] == [
        "Pre-authored tracked changes: Accept/Reject ready",
        "This sentence has an inserted word.",
        "This sentence remains.",
        "We prefer  color spelling.",
        "Please  your credentials.",
        "It’s complicated.— or is it?",
        "DRAFT Specification follows.",
    ]
    assert [b.line for b in doc.blocks] == [2, 3, 4, 5, 6, 8, 9]  # ¶1 and ¶7 are empty
    redline = read_docx(SHARED / "pyredlines_expected_redline.docx")
    modified = read_docx(SHARED / "pyredlines_modified.docx")
    assert [(b.kind, b.text) for b in redline.blocks] == [(b.kind, b.text) for b in modified.blocks]


# --- finer rules, on hand-made packages ---------------------------------------------------


def p(text: str = "", ppr: str = "", runs: str | None = None) -> str:
    body = runs if runs is not None else (f"<w:r><w:t>{text}</w:t></w:r>" if text else "")
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{body}</w:p>"


def tbl(*rows: str, row_props: dict[int, str] | None = None) -> str:
    props = row_props or {}
    trs = "".join(
        f"<w:tr>{props.get(k, '')}{''.join(f'<w:tc>{c}</w:tc>' for c in cells.split('|'))}</w:tr>"
        for k, cells in enumerate(rows)
    )
    return f"<w:tbl>{trs}</w:tbl>"


STYLES = M.part_xml(
    "styles",
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "</w:style>"
    '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>'
    '<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Sub"><w:name w:val="My subheading"/>'
    '<w:basedOn w:val="Heading2"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Plain"><w:name w:val="heading 7"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="ListNumber2"><w:name w:val="List Number 2"/>'
    '<w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Loop1"><w:name w:val="a"/><w:basedOn w:val="Loop2"/>'
    '</w:style><w:style w:type="paragraph" w:styleId="Loop2"><w:name w:val="b"/>'
    '<w:basedOn w:val="Loop1"/></w:style>',
)
NUMBERING = M.part_xml(
    "numbering",
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
    '<w:lvlText w:val="%1.%2)"/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="3"/>'
    '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>',
)


def read_body(tmp_path: Path, body: str) -> SourceDocument:
    path = M.make_package(
        tmp_path / "made.docx",
        {
            "word/document.xml": M.document_xml(body),
            "word/styles.xml": STYLES,
            "word/numbering.xml": NUMBERING,
        },
    )
    return read_docx(path)


def summary(doc: SourceDocument) -> list[tuple[object, ...]]:
    return [(b.kind, b.line, b.level, b.marker, b.text) for b in doc.blocks]


def test_heading_comes_from_outline_level_through_based_on(tmp_path: Path) -> None:
    """A style inherits its basedOn's outline level; a paragraph's own outline level wins,
    9 meaning body text; a style *named* heading N counts; a basedOn loop is cut."""
    doc = read_body(
        tmp_path,
        p("a", '<w:pStyle w:val="Sub"/>')
        + p("b", '<w:pStyle w:val="Heading2"/><w:outlineLvl w:val="9"/>')
        + p("c", '<w:outlineLvl w:val="0"/>')
        + p("d", '<w:pStyle w:val="Plain"/>')
        + p("e", '<w:pStyle w:val="Loop1"/>')
        + p("f", '<w:pStyle w:val="NoSuchStyle"/>'),
    )
    assert [(b.kind, b.level, b.text) for b in doc.blocks] == [
        ("heading", 2, "a"),
        ("para", 1, "b"),
        ("heading", 1, "c"),
        ("heading", 7, "d"),
        ("para", 1, "e"),
        ("para", 1, "f"),
    ]


def test_numbered_paragraphs_are_items_with_their_numbers(tmp_path: Path) -> None:
    """numPr makes an item at ilvl + 1, with Word's number; numId 0 turns numbering off;
    a List Number 2 style numbers from its own list (Chinese counting, starting at 3)."""
    num = '<w:numPr><w:ilvl w:val="{}"/><w:numId w:val="1"/></w:numPr>'
    doc = read_body(
        tmp_path,
        p("one", num.format(0))
        + p("one-a", num.format(1))
        + p("one-b", num.format(1))
        + p("two", num.format(0))
        + p("two-a", num.format(1))
        + p("plain", '<w:pStyle w:val="ListNumber2"/><w:numPr><w:numId w:val="0"/></w:numPr>')
        + p("cn", '<w:pStyle w:val="ListNumber2"/>')
        + p("cn2", '<w:pStyle w:val="ListNumber2"/>'),
    )
    assert summary(doc) == [
        ("item", 1, 1, "1.", "one"),
        ("item", 2, 2, "1.a)", "one-a"),
        ("item", 3, 2, "1.b)", "one-b"),
        ("item", 4, 1, "2.", "two"),
        ("item", 5, 2, "2.a)", "two-a"),
        ("para", 6, 1, "", "plain"),
        ("item", 7, 2, "三、", "cn"),
        ("item", 8, 2, "四、", "cn2"),
    ]


def test_tables_flatten_nested_tables_and_count_their_paragraphs(tmp_path: Path) -> None:
    """Cell paragraphs are numbered in document order; a nested table's paragraphs join
    the enclosing cell; empty paragraphs count but yield no line; a numbered paragraph in
    a cell keeps its number before a tab."""
    nested = tbl("<w:p><w:r><w:t>n1</w:t></w:r></w:p>|" + p("n2"))
    body = (
        p("before")
        + tbl(
            p("a1") + p() + p("a2") + "|" + p("b1") + nested + p("b2"),
            p("one", '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>') + "|" + p(),
        )
        + p("after")
    )
    doc = read_body(tmp_path, body)
    before, table, after = doc.blocks
    assert (before.line, table.line, after.line) == (1, 2, 11)
    assert [[[(t.line, t.text) for t in c.lines] for c in row] for row in table.rows] == [
        [[(2, "a1"), (4, "a2")], [(5, "b1"), (6, "n1"), (7, "n2"), (8, "b2")]],
        [[(9, "1.\tone")], []],
    ]
    assert doc.nonempty_lines[9] == "1.\tone"
    assert set(doc.nonempty_lines) == {1, 2, 4, 5, 6, 7, 8, 9, 11}


def test_deleted_rows_are_dropped_but_still_counted(tmp_path: Path) -> None:
    """Accepted view: a deleted row disappears; its paragraphs keep their ordinals taken."""
    body = tbl(p("r1"), p("gone") + p("gone too"), p("r3"), row_props={1: "<w:trPr><w:del/></w:trPr>"})
    body += p("after")
    doc = read_body(tmp_path, body)
    table, after = doc.blocks
    assert [[c.text for c in row] for row in table.rows] == [["r1"], ["r3"]]
    assert [row[0].line for row in table.rows] == [1, 4]
    assert after.line == 5


def test_paragraph_text_rules(tmp_path: Path) -> None:
    """Tabs and breaks become \\t and \\n; inserted and moved-to text is read, deleted,
    moved-from, field-instruction, ruby and text-box text is not; content controls and
    hyperlinks are looked through; bookmarks and comments carry no text."""
    runs = (
        '<w:bookmarkStart w:id="1" w:name="x"/><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t>'
        "<w:br/><w:t>c</w:t></w:r>"
        '<w:ins w:id="2" w:author="A"><w:r><w:t>+ins</w:t></w:r></w:ins>'
        '<w:del w:id="3" w:author="A"><w:r><w:delText>-del</w:delText></w:r></w:del>'
        '<w:moveFrom w:id="4" w:author="A"><w:r><w:t>-from</w:t></w:r></w:moveFrom>'
        '<w:moveTo w:id="5" w:author="A"><w:r><w:t>+to</w:t></w:r></w:moveTo>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>+field</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        "<w:sdt><w:sdtPr><w:alias w:val='-alias'/></w:sdtPr><w:sdtContent><w:r><w:t>+sdt</w:t>"
        "</w:r></w:sdtContent></w:sdt>"
        '<w:hyperlink w:anchor="x"><w:r><w:t>+link</w:t></w:r></w:hyperlink>'
        "<w:r><w:ruby><w:rt><w:r><w:t>-rt</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>+漢</w:t>"
        "</w:r></w:rubyBase></w:ruby></w:r>"
        "<w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>-box</w:t></w:r></w:p></w:txbxContent>"
        '</w:drawing></w:r><w:bookmarkEnd w:id="1"/>'
    )
    body = p(runs=runs) + "<w:sdt><w:sdtContent>" + p("in control") + "</w:sdtContent></w:sdt>"
    doc = read_body(tmp_path, body)
    assert [(b.line, b.text) for b in doc.blocks] == [
        (1, "a\tb\nc+ins+to+field+sdt+link+漢"),
        (2, "in control"),
    ]


def test_package_without_styles_or_numbering_still_reads(tmp_path: Path) -> None:
    """styles.xml and numbering.xml are optional: numbered paragraphs are items without a
    marker; a package naming another main part in _rels/.rels is followed."""
    rels = M.ROOT_RELS.replace("word/document.xml", "word/document2.xml")
    body = p("x", '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr>')
    path = tmp_path / "bare.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document2.xml", M.document_xml(body))
    assert summary(read_docx(path)) == [("item", 1, 1, "", "x")]


# --- hostile files ------------------------------------------------------------------------


def utf16_xxe(path: Path) -> Path:
    """The XXE document in UTF-16, which a byte search for "<!DOCTYPE" does not see."""
    prolog = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    xml = M.document_xml("<w:p><w:r><w:t>&e;</w:t></w:r></w:p>", prolog)
    data = xml.replace("UTF-8", "UTF-16").encode("utf-16")
    return M.make_package(path, {"word/document.xml": data})


def lying_bomb(path: Path) -> Path:
    """Headers declare 4 KiB; the deflate stream holds 64 MiB of zeros."""
    return M.make_zip_bomb(path, size=64 << 20, declared=4096)


def not_wordprocessing(path: Path) -> Path:
    xml = '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'
    return M.make_package(path, {"word/document.xml": xml})


def malformed(path: Path) -> Path:
    return M.make_package(path, {"word/document.xml": M.document_xml("<w:p>")})


def deeply_nested(path: Path) -> Path:
    """300 nested hyperlinks: deeper than libxml2's limit of 256 without huge_tree."""
    body = "<w:p>" + "<w:hyperlink>" * 300 + "</w:hyperlink>" * 300 + "</w:p>"
    return M.make_package(path, {"word/document.xml": M.document_xml(body)})


HOSTILE: list[tuple[str, Callable[[Path], Path], str]] = [
    ("empty", M.make_empty, "the file is empty"),
    ("text renamed .docx", M.make_text_renamed, "not a readable zip package"),
    ("old binary .doc", M.make_ole, "OLE compound file"),
    ("no document part", M.make_no_document, "has no word/document.xml"),
    ("XXE", M.make_xxe, "word/document.xml contains a DTD/entity declaration"),
    ("XXE in UTF-16", utf16_xxe, "word/document.xml contains a DTD/entity declaration"),
    ("billion laughs", M.make_billion_laughs, "contains a DTD/entity declaration"),
    ("zip bomb", M.make_zip_bomb, "word/document.xml would unpack to 1024 MiB"),
    ("lying zip bomb", lying_bomb, "word/document.xml cannot be unpacked"),
    ("not WordprocessingML", not_wordprocessing, "is not a WordprocessingML document"),
    ("malformed XML", malformed, "word/document.xml is not well-formed XML"),
    ("deeply nested", deeply_nested, "Excessive depth in document"),
    ("60 MB", M.make_oversized, "over the 50 MiB limit"),
]


@pytest.mark.parametrize(("make", "phrase"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_file_is_refused_in_one_line(tmp_path: Path, make: Callable[[Path], Path], phrase: str) -> None:
    """Each hostile file gives an InputError whose one-line message names the file."""
    path = make(tmp_path / "hostile.docx")
    with pytest.raises(InputError) as caught:
        read_docx(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and phrase in message
    assert "\n" not in message and "root:" not in message
    assert caught.value.where == str(path)


def test_truncated_docx_is_refused(tmp_path: Path, seed_docx: Path) -> None:
    """The first half of a real .docx has no central directory: not a readable zip."""
    path = M.make_truncated(tmp_path / "truncated.docx", seed_docx)
    with pytest.raises(InputError, match=r"truncated\.docx: not a readable zip package"):
        read_docx(path)


def test_bytes_are_checked_like_files(tmp_path: Path) -> None:
    """Given the bytes, the reader checks them the same way and names ``path``."""
    name = tmp_path / "upload.docx"
    with pytest.raises(InputError, match=r"upload\.docx: the file is empty"):
        read_docx(name, b"")
    with pytest.raises(InputError, match=r"upload\.docx: .*DTD/entity"):
        read_docx(name, M.make_xxe(tmp_path / "x.docx").read_bytes())
    with pytest.raises(InputError, match=r"upload\.docx: the file is 52\.4 MB, over"):
        read_docx(name, bytes(50 * 1024 * 1024 + 1))


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.docx: cannot read the file"):
        read_docx(tmp_path / "nope.docx")


def test_limits_on_parsed_xml_and_paragraphs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An XML part over MAX_XML_BYTES is not parsed; reading stops past MAX_PARAGRAPHS.
    (The limits are lowered here so that the test stays small and fast.)"""
    from actionplan.ingest.docx import body, package

    path = M.make_package(tmp_path / "long.docx", {"word/document.xml": M.document_xml(p("x") * 40)})
    monkeypatch.setattr(body, "MAX_PARAGRAPHS", 30)
    with pytest.raises(InputError, match=r"long\.docx: more than 30 paragraphs"):
        read_docx(path)
    monkeypatch.setattr(package, "MAX_XML_BYTES", 1024)
    with pytest.raises(InputError, match=r"long\.docx: word/document\.xml is 0 MiB of XML, over"):
        read_docx(path)
