"""The walk of ``word/document.xml``'s body, in document order, into blocks.

This is where the position convention of :mod:`actionplan.ingest.docx` is kept: every
``w:p`` met is counted, whether it yields text, sits in a table or was deleted, so that a
block's ``line`` is the same in the accepted view read here and in any other view of the
file. Tracked changes are resolved here (the accepted view) for the same reason: a
deleted paragraph mark changes which text goes with which position.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from actionplan.ingest.docx.package import _fail
from actionplan.ingest.docx.styles import _HEADING_STYLE, _LIST_STYLE, _Numbering, _outline_and_numbering, _Styles
from actionplan.ingest.source import BlockKind, Cell, SourceBlock, SourceText

MAX_PARAGRAPHS = 50_000
"""Most paragraphs read (the seed plan has about 900)."""

_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


@dataclass
class _Para:
    line: int
    text: str
    kind: BlockKind = "para"
    level: int = 1
    marker: str = ""


class _BodyReader:
    """Walks the body in document order, numbering every paragraph it meets."""

    def __init__(
        self,
        ns: str,
        styles: etree._Element | None,
        numbering: etree._Element | None,
        where: str,
    ):
        self.where = where
        w = ns
        self.w = w
        self.styles = _Styles(w, styles)
        self.numbering = _Numbering(w, numbering)
        self.count = 0
        self.nonempty: dict[int, str] = {}
        self.tabs = {f"{w}tab", f"{w}ptab"}
        self.breaks = {f"{w}br", f"{w}cr"}
        self.texts = {f"{w}t", f"{_M}t"}
        self.skip = {
            f"{w}{t}"
            for t in (
                "del",
                "moveFrom",
                "pPr",
                "rPr",
                "delText",
                "instrText",
                "delInstrText",
                "sym",
                "drawing",
                "pict",
                "object",
                "txbxContent",
                "rt",
                "sdtPr",
                "sdtEndPr",
                "fldData",
                "footnoteReference",
                "endnoteReference",
                "commentReference",
            )
        } | {f"{_MC}AlternateContent"}

    def blocks(self, body: etree._Element) -> list[SourceBlock]:
        out: list[SourceBlock] = []
        for item in self._walk(body):
            if isinstance(item, SourceBlock):
                out.append(item)
            elif item.text:
                self.nonempty[item.line] = item.text
                out.append(SourceBlock(item.kind, item.text, item.line, item.level, item.marker))
        return out

    def _flow(self, container: etree._Element) -> Iterator[etree._Element]:
        """Paragraphs and tables of a container, content controls and custom XML unwrapped."""
        w = self.w
        for child in container:
            tag = child.tag
            if tag == f"{w}p" or tag == f"{w}tbl":
                yield child
            elif tag == f"{w}sdt":
                content = child.find(f"{w}sdtContent")
                if content is not None:
                    yield from self._flow(content)
            elif tag in (f"{w}customXml", f"{w}ins", f"{w}moveTo"):
                yield from self._flow(child)
            elif tag == f"{_MC}AlternateContent":
                chosen = child.find(f"{_MC}Fallback")
                if chosen is None:
                    chosen = child.find(f"{_MC}Choice")
                if chosen is not None:
                    yield from self._flow(chosen)

    def _walk(self, container: etree._Element) -> list[_Para | SourceBlock]:
        items: list[_Para | SourceBlock] = []
        carry: tuple[int, str] | None = None  # a paragraph whose mark was deleted
        for el in self._flow(container):
            if el.tag == f"{self.w}tbl":
                if carry is not None:  # a deleted mark cannot join a paragraph to a table
                    items.append(_Para(carry[0], carry[1].strip()))
                    carry = None
                table = self._table(el)
                if table is not None:
                    items.append(table)
                continue
            line, text = self._next_line(), self._text(el)
            if carry is not None:
                line, text, carry = carry[0], carry[1] + text, None
            if self._mark_deleted(el):
                carry = (line, text)
            else:
                items.append(self._para(el, line, text.strip()))
        if carry is not None:
            items.append(_Para(carry[0], carry[1].strip()))
        return items

    def _next_line(self) -> int:
        self.count += 1
        if self.count > MAX_PARAGRAPHS:
            _fail(self.where, f"more than {MAX_PARAGRAPHS} paragraphs; no plan is that long")
        return self.count

    def _mark_deleted(self, p: etree._Element) -> bool:
        rpr = p.find(f"{self.w}pPr/{self.w}rPr")
        return rpr is not None and (rpr.find(f"{self.w}del") is not None or rpr.find(f"{self.w}moveFrom") is not None)

    def _text(self, el: etree._Element) -> str:
        out: list[str] = []
        self._collect(el, out)
        return "".join(out)

    def _collect(self, el: etree._Element, out: list[str]) -> None:
        for child in el:
            tag = child.tag
            if tag in self.texts:
                out.append(child.text or "")
            elif tag in self.tabs:
                out.append("\t")
            elif tag in self.breaks:
                out.append("\n")
            elif tag == f"{self.w}noBreakHyphen":
                out.append("-")
            elif tag not in self.skip:
                self._collect(child, out)

    def _para(self, p: etree._Element, line: int, text: str) -> _Para:
        w, val = self.w, f"{self.w}val"
        ppr = p.find(f"{w}pPr")
        own_outline, num_id, ilvl = (None, None, None)
        style_id = None
        if ppr is not None:
            own_outline, num_id, ilvl = _outline_and_numbering(w, ppr)
            if (ps := ppr.find(f"{w}pStyle")) is not None:
                style_id = ps.get(val)
        chain = list(self.styles.chain(style_id))
        outline = own_outline
        if outline is None:
            outline = next((s.outline for s in chain if s.outline is not None), None)
        if outline is None:
            names = (_HEADING_STYLE.match(s.name) for s in chain)
            outline = next((int(m[1]) - 1 for m in names if m), None)
        if num_id is None or ilvl is None:  # numbering not set on the paragraph: its style's
            num_style = next((s for s in chain if s.num_id is not None), None)
            if num_style is not None:
                num_id = num_id if num_id is not None else num_style.num_id
                ilvl = ilvl if ilvl is not None else num_style.ilvl
        list_names = [m for m in (_LIST_STYLE.match(s.name) for s in chain) if m]
        numbered = num_id is not None and num_id != "0"
        marker = ""
        if numbered and num_id is not None:
            marker = self.numbering.marker(num_id, ilvl or 0)
        if outline is not None and 0 <= outline < 9:
            return _Para(line, text, "heading", outline + 1, marker)
        if numbered or (list_names and num_id != "0"):
            # "List Bullet 2" is a one-level list of its own (ilvl 0), drawn at level 2
            named = int(list_names[0][1]) if list_names and list_names[0][1] else 1
            level = ilvl + 1 if ilvl is not None else named
            return _Para(line, text, "item", min(max(level, 1), 9), marker)
        return _Para(line, text)

    def _children(self, parent: etree._Element, local: str) -> Iterator[etree._Element]:
        """Direct ``w:<local>`` children, looking through content controls and custom XML."""
        w = self.w
        for child in parent:
            if child.tag == f"{w}{local}":
                yield child
            elif child.tag == f"{w}sdt":
                content = child.find(f"{w}sdtContent")
                if content is not None:
                    yield from self._children(content, local)
            elif child.tag == f"{w}customXml":
                yield from self._children(child, local)

    def _table(self, tbl: etree._Element) -> SourceBlock | None:
        w = self.w
        first = self.count + 1
        rows: list[list[Cell]] = []
        for tr in self._children(tbl, "tr"):
            if tr.find(f"{w}trPr/{w}del") is not None:
                for tc in self._children(tr, "tc"):
                    self._skip(tc)
                continue
            row = []
            for tc in self._children(tr, "tc"):
                if tc.find(f"{w}tcPr/{w}cellDel") is not None:
                    self._skip(tc)
                else:
                    row.append(Cell(self._cell_lines(tc)))
            if row:
                rows.append(row)
        return SourceBlock("table", "", first, rows=rows) if rows else None

    def _cell_lines(self, tc: etree._Element) -> list[SourceText]:
        lines: list[SourceText] = []
        for item in self._walk(tc):
            if isinstance(item, SourceBlock):  # a nested table: flattened into this cell
                lines.extend(t for row in item.rows for cell in row for t in cell.lines)
            elif item.text:
                text = f"{item.marker}\t{item.text}" if item.marker else item.text
                self.nonempty[item.line] = text
                lines.append(SourceText(text, item.line))
        return lines

    def _skip(self, container: etree._Element) -> None:
        """Count the paragraphs of dropped (deleted) content the way ``_walk`` would."""
        for el in self._flow(container):
            if el.tag == f"{self.w}p":
                self._next_line()
                continue
            for tr in self._children(el, "tr"):
                for tc in self._children(tr, "tc"):
                    self._skip(tc)
