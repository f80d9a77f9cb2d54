"""Word's tracked changes read back: accepted and rejected texts against public oracles.

The oracles are pandoc's own expected outputs (``--track-changes=accept|reject|all``) for
its test files, and the two versions Python-Redlines compared to make its redline. A small
parser of pandoc's native format (Haskell ``show`` syntax) is written here so the oracle
files can be used unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from lxml import etree

from actionplan.amend.wordrevisions import (
    WordDocument,
    accepted_paragraphs,
    merged,
    read_revisions,
    rejected_paragraphs,
)
from actionplan.errors import InputError
from actionplan.ingest.docx import read_docx
from tests.conftest import SHARED
from tests.fixtures.make_docx import W_NS, document_xml, make_package

FIXTURES = SHARED / "data" / "docx-fixtures"
PANDOC = sorted(FIXTURES.glob("pandoc_*.docx"))
W = f"{{{W_NS}}}"

# -- pandoc's native format ---------------------------------------------------------------


@dataclass
class Con:
    """A constructor applied to its arguments: ``Para [Str "a"]`` is Con("Para", [[Con("Str", ["a"])]])."""

    name: str
    args: list[object]


_SINGLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "a": "\a", "b": "\b", "f": "\f"}
_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][\w\']*)|(?P<p>.))', re.S
)


def haskell_string(literal: str) -> str:
    """A Haskell string literal's value: ``\\n``, ``\\8220`` (decimal), ``\\x201c``, ``\\o17``, ``\\&``."""
    out: list[str] = []
    body, i = literal[1:-1], 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt.isdigit():
            m = re.match(r"\d+", body[i + 1 :])
            assert m
            out.append(chr(int(m[0])))
            i += 1 + len(m[0])
        elif nxt in "xo":
            m = re.match(r"[0-9a-fA-F]+" if nxt == "x" else r"[0-7]+", body[i + 2 :])
            assert m
            out.append(chr(int(m[0], 16 if nxt == "x" else 8)))
            i += 2 + len(m[0])
        elif nxt == "&":  # the empty escape, which ends a numeric one
            i += 2
        else:
            out.append(_SINGLE_ESCAPES[nxt])
            i += 2
    return "".join(out)


class NativeParser:
    """Recursive descent over tokens: strings, numbers, names, and ``[](){},=``."""

    def __init__(self, text: str) -> None:
        self.tokens = [(m.lastgroup, m[m.lastgroup or "p"]) for m in _TOKEN.finditer(text) if m.lastgroup]
        self.pos = 0

    def peek(self) -> tuple[str | None, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, "")

    def take(self, expected: str | None = None) -> str:
        value = self.peek()[1]
        assert expected is None or value == expected, f"expected {expected!r}, got {value!r}"
        self.pos += 1
        return value

    def value(self) -> object:
        """An application: a constructor followed by atoms, or a single atom."""
        kind, value = self.peek()
        if kind == "name":  # a constructor, or a function such as fromList
            self.take()
            args = []
            while self.peek()[1] not in (",", "]", ")", "}", "") or self.peek()[0] == "str":
                args.append(self.atom())
            return Con(value, args)
        return self.atom()

    def atom(self) -> object:
        kind, value = self.take_token()
        if kind == "str":
            return haskell_string(value)
        if kind == "num":
            return float(value) if "." in value else int(value)
        if kind == "name":
            return Con(value, [])
        if value == "[":
            return self.sequence("]")
        if value == "(":
            items = self.sequence(")")
            return items[0] if len(items) == 1 else tuple(items)
        if value == "{":  # record syntax: {unMeta = fromList []}
            fields = {}
            while self.peek()[1] != "}":
                name = self.take()
                self.take("=")
                fields[name] = self.value()
                if self.peek()[1] == ",":
                    self.take()
            self.take("}")
            return fields
        raise AssertionError(f"unexpected token {value!r}")

    def take_token(self) -> tuple[str | None, str]:
        token = self.peek()
        self.pos += 1
        return token

    def sequence(self, close: str) -> list[object]:
        items: list[object] = []
        while self.peek()[1] != close:
            items.append(self.value())
            if self.peek()[1] == ",":
                self.take()
        self.take(close)
        return items


def parse_native(text: str) -> list[Con]:
    """The blocks of a native file: a bare list of blocks, or ``Pandoc meta [blocks]``."""
    tree = NativeParser(text).value()
    if isinstance(tree, Con) and tree.name == "Pandoc":
        tree = tree.args[1]
    assert isinstance(tree, list)
    return [b for b in tree if isinstance(b, Con)]


_WRAPPERS = {"Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Underline"}


def inline_text(inlines: list[object], mode: str, merge: list[bool]) -> str:
    """Plain text of inlines; ``Span``s of tracked changes resolved for ``mode`` (accept/reject/all)."""
    out: list[str] = []
    for item in inlines:
        assert isinstance(item, Con)
        name, args = item.name, item.args
        if name == "Str":
            out.append(str(args[0]))
        elif name in ("Space", "SoftBreak"):
            out.append(" ")
        elif name == "LineBreak":
            out.append("\n")
        elif name in _WRAPPERS:
            out.append(inline_text(args[0], mode, merge))  # type: ignore[arg-type]
        elif name == "Quoted":
            quote = "“”" if args[0] == Con("DoubleQuote", []) else "‘’"
            out.append(quote[0] + inline_text(args[1], mode, merge) + quote[1])  # type: ignore[arg-type]
        elif name in ("Code", "Math"):
            out.append(str(args[1]))
        elif name == "Link":
            out.append(inline_text(args[1], mode, merge))  # type: ignore[arg-type]
        elif name == "Span":
            out.append(span_text(args, mode, merge))
    return "".join(out)


def span_text(args: list[object], mode: str, merge: list[bool]) -> str:
    attr, inner = args
    assert isinstance(attr, tuple) and isinstance(inner, list)
    classes = attr[1]
    hidden = {"accept": {"deletion", "comment-start"}, "reject": {"insertion", "comment-start"}}.get(mode, set())
    joins = {"accept": "paragraph-deletion", "reject": "paragraph-insertion"}.get(mode)
    if joins in classes:
        merge.append(True)
    if hidden & set(classes):
        return ""
    return inline_text(inner, mode, merge)


def native_paragraphs(path: Path, mode: str = "all") -> list[str]:
    """The paragraph texts of a native file; with ``mode``, its tracked-change spans resolved.

    A paragraph whose mark is deleted (accept) or inserted (reject) is joined to the next
    one with a space, as pandoc does.
    """
    paras: list[tuple[str, bool]] = []

    def blocks(items: list[object]) -> None:
        for b in items:
            assert isinstance(b, Con)
            if b.name in ("Para", "Plain", "Header"):
                merge: list[bool] = []
                paras.append((inline_text(b.args[-1], mode, merge), bool(merge)))  # type: ignore[arg-type]
            elif b.name in ("Div", "BlockQuote"):
                blocks(b.args[-1])  # type: ignore[arg-type]
            elif b.name in ("BulletList", "OrderedList"):
                for entry in b.args[-1]:  # type: ignore[attr-defined]
                    blocks(entry)

    blocks(parse_native(path.read_text(encoding="utf-8")))  # type: ignore[arg-type]
    out: list[str] = []
    carry = ""
    for text, joins in paras:
        if joins:
            carry += text + " "
            continue
        out.append(carry + text)
        carry = ""
    if carry:
        out.append(carry)
    return out


def normal(texts: list[str]) -> list[str]:
    """Non-empty paragraphs with whitespace collapsed: pandoc keeps neither empty paragraphs nor runs of spaces."""
    return [" ".join(t.split()) for t in texts if t.strip()]


def oracle(docx_path: Path, mode: str) -> Path:
    """``X_accept.native``; a file without one has only ``X.native`` (tracked changes shown as spans)."""
    own = docx_path.with_name(f"{docx_path.stem}_{mode}.native")
    return own if own.exists() else docx_path.with_suffix(".native")


# -- the parser itself --------------------------------------------------------------------


def test_native_parser_reads_escapes_records_and_nesting(tmp_path: Path) -> None:
    text = (
        'Pandoc (Meta {unMeta = fromList []}) [Header 1 ("h",[],[]) [Str "\\8220Title\\8221"],'
        'Para [Emph [Str "a\\&1"],Space,Strong [Str "b"],LineBreak,Str "c\\nd\\\\"],'
        'Plain [Quoted DoubleQuote [Str "q"]]]'
    )
    path = tmp_path / "probe.native"
    path.write_text(text, encoding="utf-8")
    assert native_paragraphs(path) == ["“Title”", "a1 b\nc\nd\\", "“q”"]


@pytest.mark.parametrize("path", [p for p in PANDOC if p.with_name(f"{p.stem}_all.native").exists()], ids=str)
def test_the_parser_derives_pandocs_accept_and_reject_from_all(path: Path) -> None:
    """Resolving the spans of ``_all.native`` gives ``_accept``/``_reject``: the parser reads the oracle right."""
    everything = path.with_name(f"{path.stem}_all.native")
    for mode in ("accept", "reject"):
        assert normal(native_paragraphs(everything, mode)) == normal(native_paragraphs(oracle(path, mode)))


# -- the fixtures ---------------------------------------------------------------------------


def test_the_public_fixtures_are_there() -> None:
    assert len(PANDOC) == 5, f"expected pandoc's five test files in {FIXTURES}"


@pytest.mark.parametrize("path", PANDOC, ids=lambda p: p.name)
def test_accept_and_reject_agree_with_pandoc(path: Path) -> None:
    doc = read_revisions(path)
    assert list(doc.revisions()), "every pandoc fixture holds tracked changes"
    for mode, view in (("accept", accepted_paragraphs), ("reject", rejected_paragraphs)):
        expected = normal(native_paragraphs(oracle(path, mode), mode))
        assert normal(view(doc, " ")) == expected, mode


@pytest.mark.parametrize("path", [*PANDOC, FIXTURES / "pyredlines_expected_redline.docx"], ids=lambda p: p.name)
def test_paragraph_numbers_are_the_plan_importers(path: Path) -> None:
    """The importer reads the accepted view; its positions and texts are ours, paragraph for paragraph."""
    ours = {g[0].number: "".join(p.accepted_text for p in g).strip() for g in merged(read_revisions(path), accept=True)}
    assert read_docx(path).nonempty_lines == {n: t for n, t in ours.items() if t}


def test_word_joins_a_deleted_mark_without_a_space() -> None:
    doc = read_revisions(FIXTURES / "pandoc_paragraph_insertion_deletion.docx")
    assert accepted_paragraphs(doc) == ["This is a", " splitParagraph."]
    assert rejected_paragraphs(doc) == ["This is a split", "Paragraph."]
    assert [(p.number, p.mark.kind, p.mark.revision_id) for p in doc.paragraphs] == [
        (1, "ins", "0"),
        (2, "del", "1"),
        (3, "same", ""),
    ]


def test_pyredlines_redline_accepts_to_modified_and_rejects_to_original() -> None:
    doc = read_revisions(FIXTURES / "pyredlines_expected_redline.docx")

    def plain(name: str) -> list[str]:
        return [p.text for p in docx.Document(str(FIXTURES / name)).paragraphs if p.text.strip()]

    assert [t for t in accepted_paragraphs(doc) if t.strip()] == plain("pyredlines_modified.docx")
    assert [t for t in rejected_paragraphs(doc) if t.strip()] == plain("pyredlines_original.docx")
    revisions = list(doc.revisions())
    assert len(revisions) == 10  # 5 w:ins (one of them a paragraph mark) and 5 w:del
    assert {s.date for _, s in revisions} == {"2024-01-15T06:43:04.5079862-06:00"}
    last = doc.paragraphs[-1]
    assert (last.mark.kind, last.mark.revision_id, last.kind) == ("ins", "8", "item")


def test_authors_dates_and_ids_are_read() -> None:
    doc = read_revisions(FIXTURES / "docxrevisions_OXML_TrackChanges_Test.docx")
    got = [(p.number, s.kind, s.revision_id, s.author, s.date, s.text) for p, s in doc.revisions()]
    assert got == [
        (3, "ins", "1001", "Test Author", "2026-01-29T16:55:00Z", "inserted"),
        (4, "del", "1002", "Test Author", "2026-01-29T16:56:00Z", "old "),
        (5, "del", "1003", "Editor A", "2026-01-29T16:57:00Z", "colour"),
        (5, "ins", "1004", "Editor A", "2026-01-29T16:57:01Z", "color"),
        (6, "del", "1005", "Reviewer", "2026-01-29T16:58:00Z", "reenter"),
        (8, "ins", "1006", "Reviewer B", "2026-01-29T16:59:00Z", "— or is it?"),
        (9, "ins", "1007", "Author A", "2026-01-29T17:00:00Z", "DRAFT "),
        (9, "del", "1008", "Author B", "2026-01-29T17:00:10Z", "DRAFT "),
    ]


def test_the_files_own_expectations_hold() -> None:
    """Each paragraph of the docx-revisions file states its accepted and rejected text.

    One statement is wrong: "It’s complicated." keeps its full stop in the XML (only
    "— or is it?" is inserted), so Word's accepted text is "It’s complicated.— or is it?",
    not the stated "It’s complicated— or is it?"; that paragraph is checked against the XML.
    """
    doc = read_revisions(FIXTURES / "docxrevisions_OXML_TrackChanges_Test.docx")
    stated = re.compile(r"^(?P<body>.*?) \[Test: Accept → '(?P<accept>[^']*)'; Reject → '(?P<reject>[^']*)'")
    checked = 0
    for accepted, rejected in zip(accepted_paragraphs(doc), rejected_paragraphs(doc), strict=True):
        m, r = stated.match(accepted), stated.match(rejected)
        if not m or not r:
            continue
        if m["accept"] == "It’s complicated— or is it?":
            assert (m["body"], r["body"]) == ("It’s complicated.— or is it?", "It’s complicated.")
        else:
            assert (" ".join(m["body"].split()), " ".join(r["body"].split())) == (
                " ".join(m["accept"].split()),
                " ".join(m["reject"].split()),
            )
        checked += 1
    assert checked == 6


def test_scrubbed_metadata_revisions_have_no_date_and_still_resolve() -> None:
    doc = read_revisions(FIXTURES / "pandoc_track_changes_scrubbed_metadata.docx")
    assert [(s.kind, s.author, s.date) for _, s in doc.revisions()] == [("del", "Author", ""), ("ins", "Author", "")]
    assert accepted_paragraphs(doc) == ["Here is a test document."]
    assert rejected_paragraphs(doc) == ["Here is a dummy document."]


def test_moves_carry_their_range_name() -> None:
    doc = read_revisions(FIXTURES / "pandoc_track_changes_move.docx")
    moves = [(p.number, s.kind, s.move) for p, s in doc.revisions()]
    assert moves == [(3, "move_to", "move322414172"), (7, "move_from", "move322414172")]


# -- hand-made XML: what the public files do not cover -------------------------------------


def _doc(tmp_path: Path, body: str) -> WordDocument:
    return read_revisions(make_package(tmp_path / "t.docx", {"word/document.xml": document_xml(body)}))


def _rev(tag: str, rid: int, inner: str, author: str = "A") -> str:
    return f'<w:{tag} w:id="{rid}" w:author="{author}" w:date="2024-01-01T00:00:00Z">{inner}</w:{tag}>'


def _r(text: str, tag: str = "t") -> str:
    return f'<w:r><w:{tag} xml:space="preserve">{text}</w:{tag}></w:r>'


def test_nested_revisions_take_the_innermost_and_inserted_then_deleted_text_is_in_neither_view(
    tmp_path: Path,
) -> None:
    body = (
        "<w:p>"
        + _r("keep ")
        + _rev("moveTo", 1, _r("moved ") + _rev("ins", 2, _r("plus "), "B"))
        + _rev("ins", 3, _r("new ") + _rev("del", 4, _r("gone ", "delText"), "C"))
        + _rev("del", 5, _r("old", "delText"))
        + "</w:p>"
    )
    doc = _doc(tmp_path, body)
    assert [(s.kind, s.text, s.revision_id) for s in doc.paragraphs[0].segments] == [
        ("same", "keep ", ""),
        ("move_to", "moved ", "1"),
        ("ins", "plus ", "2"),
        ("ins", "new ", "3"),
        ("del", "old", "5"),
    ]
    assert accepted_paragraphs(doc) == ["keep moved plus new "]
    assert rejected_paragraphs(doc) == ["keep old"]


def test_fields_tabs_breaks_and_content_controls(tmp_path: Path) -> None:
    body = (
        "<w:p>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        "<w:r><w:tab/><w:t>a</w:t><w:br/><w:t>b</w:t><w:noBreakHyphen/><w:t>c</w:t></w:r>"
        '<w:fldSimple w:instr="DATE"><w:r><w:t>d</w:t></w:r></w:fldSimple>'
        + _rev("del", 1, "<w:r><w:delInstrText>REF x</w:delInstrText><w:delText>e</w:delText></w:r>")
        + "<w:sdt><w:sdtPr><w:alias w:val='x'/></w:sdtPr><w:sdtContent><w:r><w:t>f</w:t></w:r></w:sdtContent></w:sdt>"
        "</w:p>"
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>in a control</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    doc = _doc(tmp_path, body)
    assert accepted_paragraphs(doc) == ["7\ta\nb-cdf", "in a control"]
    assert rejected_paragraphs(doc) == ["7\ta\nb-cdef", "in a control"]


def test_formatting_only_revisions_are_ignored(tmp_path: Path) -> None:
    change = '<w:rPrChange w:id="9" w:author="F" w:date="2024-01-01T00:00:00Z"><w:rPr><w:i/></w:rPr></w:rPrChange>'
    body = (
        '<w:p><w:pPr><w:jc w:val="center"/><w:pPrChange w:id="8" w:author="F"><w:pPr/></w:pPrChange></w:pPr>'
        f"<w:r><w:rPr><w:b/>{change}</w:rPr><w:t>bold now</w:t></w:r></w:p>"
        '<w:sectPr><w:sectPrChange w:id="7" w:author="F"><w:sectPr/></w:sectPrChange></w:sectPr>'
    )
    doc = _doc(tmp_path, body)
    assert list(doc.revisions()) == []
    assert accepted_paragraphs(doc) == rejected_paragraphs(doc) == ["bold now"]


def test_tables_rows_and_cells(tmp_path: Path) -> None:
    """Cells are read in order; a deleted row's text is deleted; a mark never joins two cells."""
    deleted_mark = '<w:pPr><w:rPr><w:del w:id="5" w:author="A"/></w:rPr></w:pPr>'
    body = (
        "<w:p><w:r><w:t>before</w:t></w:r></w:p><w:tbl>"
        f"<w:tr><w:tc><w:p>{deleted_mark}<w:r><w:t>c1</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>c2</w:t></w:r></w:p></w:tc></w:tr>"
        '<w:tr><w:trPr><w:del w:id="6" w:author="B" w:date="2024-02-02T00:00:00Z"/></w:trPr>'
        "<w:tc><w:p><w:r><w:t>gone row</w:t></w:r></w:p></w:tc></w:tr>"
        "</w:tbl><w:p><w:r><w:t>after</w:t></w:r></w:p>"
    )
    doc = _doc(tmp_path, body)
    assert [p.number for p in doc.paragraphs] == [1, 2, 3, 4, 5]
    assert [(s.kind, s.text, s.author) for _, s in doc.revisions() if s.text] == [("del", "gone row", "B")]
    assert accepted_paragraphs(doc) == ["before", "c1", "c2", "", "after"]
    assert rejected_paragraphs(doc) == ["before", "c1", "c2", "gone row", "after"]


def test_a_mark_inserted_and_deleted_vanishes_in_both_views(tmp_path: Path) -> None:
    both = '<w:pPr><w:rPr><w:ins w:id="1" w:author="A"/><w:del w:id="2" w:author="B"/></w:rPr></w:pPr>'
    doc = _doc(tmp_path, f"<w:p>{both}<w:r><w:t>a</w:t></w:r></w:p><w:p><w:r><w:t>b</w:t></w:r></w:p>")
    assert doc.paragraphs[0].mark.revision_id == "2"
    assert rejected_paragraphs(doc) == ["a", "b"]  # innermost (deleted) wins: kept on reject, gone on accept
    assert accepted_paragraphs(doc) == ["ab"]


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"word/document.xml": "<w:document"}, "not well-formed"),
        ({"word/document.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><x/>'}, "DTD"),
        ({"word/other.xml": "<x/>"}, "no word/document.xml"),
    ],
)
def test_bad_files_are_refused_with_the_file_named(tmp_path: Path, parts: dict[str, str], message: str) -> None:
    path = make_package(tmp_path / "bad.docx", dict(parts))
    with pytest.raises(InputError, match=message) as exc:
        read_revisions(path)
    assert "bad.docx" in str(exc.value)


def test_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.docx"
    path.write_text("just text", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable zip"):
        read_revisions(path)


def test_the_revision_count_matches_the_xml() -> None:
    """Nothing is lost: every w:ins/w:del/w:moveFrom/w:moveTo with content or on a mark is a revision read."""
    for path in [*PANDOC, FIXTURES / "pyredlines_expected_redline.docx"]:
        doc = read_revisions(path)
        root = etree.fromstring(read_docx_xml(path))
        ids = {el.get(f"{W}id") for tag in ("ins", "del", "moveFrom", "moveTo") for el in root.iter(f"{W}{tag}")}
        assert {s.revision_id for _, s in doc.revisions()} == ids, path.name


def read_docx_xml(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")
