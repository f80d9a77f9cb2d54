"""Word's tracked changes, read as data: which text of which paragraph was inserted or deleted, by whom, when.

A delegate's contribution often arrives as the plan's own Word file with Track Changes on.
To turn it into amendments, every revision must be seen with its text, its author and date
and its place, and the document must be readable as the author saw it before (*rejected*:
the base the changes apply to) and after (*accepted*). This module reads exactly that and
nothing more; anchoring revisions to plan elements is :mod:`actionplan.amend.wordimport`'s job.

What is read (``word/document.xml``'s body, in document order, tables included):

- every ``w:p`` becomes a :class:`WordParagraph`: its text as :class:`Segment` runs of one kind
  (``same``, ``ins``, ``del``, ``move_from``, ``move_to``) with the revision's id, author and
  date, and its paragraph mark's own revision (``w:pPr/w:rPr/w:ins|del|moveFrom|moveTo``);
- ``w:ins``/``w:moveTo`` and ``w:del``/``w:moveFrom`` may nest: the innermost revision names the
  segment; text both inserted and deleted (``w:del`` inside ``w:ins``) is in neither view and
  is left out, since no amendment could express it; a deleted (inserted) table row or cell
  counts as the deletion (insertion) of its paragraphs' text and marks;
- ``w:moveFrom``/``w:moveTo`` segments carry the name of their move range
  (``w:moveFromRangeStart/@w:name``), which is what links a move's source to its destination;
- text: ``w:t`` and ``w:delText``; ``w:tab``/``w:ptab`` give ``"\\t"``, ``w:br``/``w:cr`` ``"\\n"``,
  ``w:noBreakHyphen`` ``"-"`` (as the plan reader does); a field's instructions (``w:instrText``,
  ``w:delInstrText``, and any text between ``w:fldChar`` begin and separate) are not text, its
  result is; content controls (``w:sdt``), custom XML, smart tags and hyperlinks are unwrapped;
- formatting-only revisions (``w:rPrChange``, ``w:pPrChange``, ``w:sectPrChange``,
  ``w:tblPrChange``, ``w:numberingChange``, ...) live inside property elements, which are not
  read, so they are ignored.

Paragraph numbers follow :mod:`actionplan.ingest.docx`: the 1-based ordinal of every ``w:p`` of
the body's flow (empty ones, those in tables and deleted ones included), so a number printed
in a report is the same one the plan importer would print for that file.

Safety: the file is opened by the plan importer's package reader (zip-bomb caps, no DTDs or
entities, no network); failures are :class:`~actionplan.errors.InputError` naming the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lxml import etree

from actionplan.ingest.docx.body import MAX_PARAGRAPHS, _BodyReader
from actionplan.ingest.docx.package import _fail, open_document

__all__ = [
    "Segment",
    "SegmentKind",
    "WordDocument",
    "WordParagraph",
    "accepted_paragraphs",
    "merged",
    "read_revisions",
    "rejected_paragraphs",
]

SegmentKind = Literal["same", "ins", "del", "move_from", "move_to"]
INSERTED: tuple[SegmentKind, ...] = ("ins", "move_to")
"""Kinds present once the revisions are accepted and absent once they are rejected."""
DELETED: tuple[SegmentKind, ...] = ("del", "move_from")
"""Kinds present in the original (rejected) text and absent once the revisions are accepted."""

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_KINDS: dict[str, SegmentKind] = {
    "ins": "ins",
    "del": "del",
    "moveFrom": "move_from",
    "moveTo": "move_to",
    "cellIns": "ins",
    "cellDel": "del",
}
_MOVE_RANGES = {
    "moveFromRangeStart": "move_from",
    "moveToRangeStart": "move_to",
    "moveFromRangeEnd": "move_from",
    "moveToRangeEnd": "move_to",
}
_NOT_TEXT = {
    # properties (and with them every formatting-only revision: rPrChange, pPrChange, ...)
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "sectPr",
    "sdtPr",
    "sdtEndPr",
    # field instructions, drawings, text boxes, notes, comments, ruby, symbols
    "instrText",
    "delInstrText",
    "fldData",
    "drawing",
    "pict",
    "object",
    "txbxContent",
    "rt",
    "sym",
    "footnoteReference",
    "endnoteReference",
    "commentReference",
}


@dataclass(frozen=True)
class Segment:
    """A run of text of one kind, with the revision it belongs to (none for ``same``)."""

    kind: SegmentKind
    text: str
    revision_id: str = ""
    author: str = ""
    date: str = ""
    move: str = ""
    """For a move: the name of its range, shared by its source and its destination."""

    @property
    def accepted(self) -> str:
        return "" if self.kind in DELETED else self.text

    @property
    def rejected(self) -> str:
        return "" if self.kind in INSERTED else self.text


SAME_MARK = Segment("same", "")


@dataclass
class WordParagraph:
    """One ``w:p``: its text segments and its paragraph mark (a segment without text)."""

    number: int
    segments: list[Segment] = field(default_factory=list)
    mark: Segment = SAME_MARK
    container: int = 0
    """0 for the body, one number per table cell: paragraphs merge only within one container."""
    kind: Literal["para", "item", "heading"] = "para"
    level: int = 1

    @property
    def accepted_text(self) -> str:
        return "".join(s.accepted for s in self.segments)

    @property
    def rejected_text(self) -> str:
        return "".join(s.rejected for s in self.segments)

    @property
    def mark_inserted(self) -> bool:
        return self.mark.kind in INSERTED

    @property
    def mark_deleted(self) -> bool:
        return self.mark.kind in DELETED

    def has_revisions(self) -> bool:
        return self.mark.kind != "same" or any(s.kind != "same" for s in self.segments)


@dataclass
class WordDocument:
    name: str
    paragraphs: list[WordParagraph]

    def revisions(self) -> Iterator[tuple[WordParagraph, Segment]]:
        """Every revised segment and revised paragraph mark, in document order."""
        for p in self.paragraphs:
            for s in p.segments:
                if s.kind != "same":
                    yield p, s
            if p.mark.kind != "same":
                yield p, p.mark


@dataclass(frozen=True)
class _Rev:
    kind: SegmentKind
    id: str
    author: str
    date: str
    move: str = ""


def _resolve(context: tuple[_Rev, ...]) -> _Rev | None:
    """The revision that names text under ``context`` (innermost); None: text in neither view."""
    if not context:
        return _Rev("same", "", "", "")
    kinds = {r.kind for r in context}
    if kinds & set(INSERTED) and kinds & set(DELETED):
        return None
    return context[-1]


class _Reader:
    """Walks the body in document order, numbering every paragraph as the plan importer does."""

    def __init__(self, ns: str, styles: _BodyReader, where: str) -> None:
        self.w = ns
        self.styles = styles
        self.where = where
        self.paragraphs: list[WordParagraph] = []
        self.count = 0
        self.containers = 0
        self.fields: list[str] = []  # one entry per open field: "instr" until its separator, then "result"
        self.ranges: dict[str, list[tuple[str, str]]] = {"move_from": [], "move_to": []}  # open (id, name)

    def local(self, el: etree._Element) -> str:
        tag = el.tag
        if not isinstance(tag, str):
            return ""
        return tag[len(self.w) :] if tag.startswith(self.w) else ""

    def revision(self, el: etree._Element, kind: SegmentKind) -> _Rev:
        w = self.w
        move = ""
        if kind in ("move_from", "move_to") and self.ranges[kind]:
            move = self.ranges[kind][-1][1]
        return _Rev(kind, el.get(f"{w}id", ""), el.get(f"{w}author", ""), el.get(f"{w}date", ""), move)

    def move_range(self, el: etree._Element, name: str) -> None:
        """Keep track of open move ranges, whose names link a move's two halves."""
        w, kind = self.w, _MOVE_RANGES[name]
        open_ = self.ranges[kind]
        if name.endswith("Start"):
            open_.append((el.get(f"{w}id", ""), el.get(f"{w}name", "")))
        else:
            ident = el.get(f"{w}id", "")
            self.ranges[kind] = [r for r in open_ if r[0] != ident]

    # -- block level -------------------------------------------------------------------

    def flow(self, container: etree._Element, box: int, context: tuple[_Rev, ...]) -> None:
        for child in container:
            name = self.local(child)
            if name == "p":
                self.paragraph(child, box, context)
            elif name == "tbl":
                self.table(child, context)
            elif name in ("ins", "del", "moveFrom", "moveTo"):
                self.flow(child, box, (*context, self.revision(child, _KINDS[name])))
            elif name in _MOVE_RANGES:
                self.move_range(child, name)
            elif name in ("sdt", "customXml", "sdtContent"):
                self.flow(child, box, context)
            elif child.tag == f"{_MC}AlternateContent":
                chosen = child.find(f"{_MC}Fallback")
                if chosen is None:
                    chosen = child.find(f"{_MC}Choice")
                if chosen is not None:
                    self.flow(chosen, box, context)

    def table(self, tbl: etree._Element, context: tuple[_Rev, ...]) -> None:
        for tr in self.children(tbl, "tr"):
            row = (*context, *self.property_revisions(tr, "trPr", ("ins", "del")))
            for tc in self.children(tr, "tc"):
                self.containers += 1
                cell = (*row, *self.property_revisions(tc, "tcPr", ("cellIns", "cellDel")))
                self.flow(tc, self.containers, cell)

    def property_revisions(self, el: etree._Element, props: str, names: tuple[str, ...]) -> list[_Rev]:
        pr = el.find(f"{self.w}{props}")
        if pr is None:
            return []
        return [self.revision(r, _KINDS[self.local(r)]) for r in pr if self.local(r) in names]

    def children(self, parent: etree._Element, local: str) -> Iterator[etree._Element]:
        """Direct ``w:<local>`` children, looking through content controls and custom XML."""
        for child in parent:
            name = self.local(child)
            if name == local:
                yield child
            elif name in ("sdt", "sdtContent", "customXml"):
                yield from self.children(child, local)
            elif name in _MOVE_RANGES:
                self.move_range(child, name)

    # -- paragraph level ---------------------------------------------------------------

    def paragraph(self, p: etree._Element, box: int, context: tuple[_Rev, ...]) -> None:
        self.count += 1
        if self.count > MAX_PARAGRAPHS:
            _fail(self.where, f"more than {MAX_PARAGRAPHS} paragraphs; no plan is that long")
        para = WordParagraph(self.count, container=box)
        self.inline(p, context, para.segments)
        para.mark = self.mark(p, context)
        shape = self.styles._para(p, self.count, "")
        para.kind, para.level = shape.kind, shape.level  # type: ignore[assignment]
        self.paragraphs.append(para)

    def mark(self, p: etree._Element, context: tuple[_Rev, ...]) -> Segment:
        ppr = p.find(f"{self.w}pPr")
        own = [] if ppr is None else self.property_revisions(ppr, "rPr", ("ins", "del", "moveFrom", "moveTo"))
        stack = (*context, *own)
        rev = _resolve(stack) or stack[-1]  # a mark both inserted and deleted: its innermost revision
        return Segment(rev.kind, "", rev.id, rev.author, rev.date, rev.move)

    def inline(self, el: etree._Element, context: tuple[_Rev, ...], out: list[Segment]) -> None:
        for child in el:
            name = self.local(child)
            if name in ("ins", "del", "moveFrom", "moveTo"):
                self.inline(child, (*context, self.revision(child, _KINDS[name])), out)
            elif name in _MOVE_RANGES:
                self.move_range(child, name)
            elif name == "fldChar":
                self.field_char(child)
            elif name in ("t", "delText") or child.tag == f"{_M}t":
                self.add(out, context, child.text or "")
            elif name in ("tab", "ptab"):
                self.add(out, context, "\t")
            elif name in ("br", "cr"):
                self.add(out, context, "\n")
            elif name == "noBreakHyphen":
                self.add(out, context, "-")
            elif name not in _NOT_TEXT and child.tag != f"{_MC}AlternateContent":
                self.inline(child, context, out)

    def field_char(self, el: etree._Element) -> None:
        kind = el.get(f"{self.w}fldCharType", "")
        if kind == "begin":
            self.fields.append("instr")
        elif kind == "separate" and self.fields:
            self.fields[-1] = "result"
        elif kind == "end" and self.fields:
            self.fields.pop()

    def add(self, out: list[Segment], context: tuple[_Rev, ...], text: str) -> None:
        rev = _resolve(context)
        if not text or rev is None or "instr" in self.fields:
            return
        last = out[-1] if out else None
        if last is not None and (last.kind, last.revision_id, last.author, last.date, last.move) == (
            rev.kind,
            rev.id,
            rev.author,
            rev.date,
            rev.move,
        ):
            out[-1] = Segment(rev.kind, last.text + text, rev.id, rev.author, rev.date, rev.move)
        else:
            out.append(Segment(rev.kind, text, rev.id, rev.author, rev.date, rev.move))


def read_revisions(path: Path, data: bytes | None = None) -> WordDocument:
    """The body's paragraphs with their tracked changes (``data``: the file's bytes, named ``path``)."""
    package, document, ns, where, data = open_document(path, data)
    styles = _BodyReader(ns, package.part("styles"), package.part("numbering"), where)
    reader = _Reader(ns, styles, where)
    body = document.find(f"{ns}body")
    try:
        if body is not None:
            reader.flow(body, 0, ())
    except RecursionError:
        _fail(where, f"{package.main} nests tables or fields too deeply to read")
    return WordDocument(where, reader.paragraphs)


def merged(doc: WordDocument, *, accept: bool) -> list[list[WordParagraph]]:
    """The paragraphs of the accepted (or rejected) document, each as the ``w:p`` it joins.

    A paragraph whose mark is gone in that view (deleted, on accepting; inserted, on
    rejecting) runs on into the next paragraph of the same container, as in Word; the last
    paragraph of a container, or of the document, has nothing to join and stays as it is.
    """
    gone = DELETED if accept else INSERTED
    groups: list[list[WordParagraph]] = []
    carry: list[WordParagraph] = []
    paras = doc.paragraphs
    for k, p in enumerate(paras):
        carry.append(p)
        following = paras[k + 1] if k + 1 < len(paras) else None
        if p.mark.kind in gone and following is not None and following.container == p.container:
            continue
        groups.append(carry)
        carry = []
    return groups


def accepted_paragraphs(doc: WordDocument, join: str = "") -> list[str]:
    """Paragraph texts with every revision accepted (empty paragraphs kept).

    ``join`` goes between paragraphs joined by a deleted mark: Word puts nothing there, pandoc
    a space.
    """
    return [join.join(p.accepted_text for p in group) for group in merged(doc, accept=True)]


def rejected_paragraphs(doc: WordDocument, join: str = "") -> list[str]:
    """Paragraph texts with every revision rejected: the document as it was before the changes."""
    return [join.join(p.rejected_text for p in group) for group in merged(doc, accept=False)]
