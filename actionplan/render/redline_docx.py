"""The redline as a Word document with native tracked changes (accept/reject in Word or LibreOffice).

Why native revisions rather than coloured text: the secretariat consolidates contributions
in Word, and a delegate accepts or rejects each proposal there. So every change is a
real revision (``w:ins``/``w:del``) whose author is the sponsor (one Word author per
sponsor) and whose date is the proposal's. The document is the base plan laid out by
:mod:`actionplan.render.docx` itself (this writer subclasses it and answers its hooks
with tracked runs), so:

* accepting every revision gives the paragraphs of ``render_docx(apply_amendments(base, …))``;
* rejecting every revision gives the paragraphs of ``render_docx(base)``.

Word's model is followed exactly:

* inserted text is ``<w:ins><w:r><w:t>``; deleted text is ``<w:del><w:r><w:delText>``;
* a paragraph that is only in the result has an inserted paragraph mark
  (``w:pPr/w:rPr/w:ins``), one only in the base a deleted mark (``w:pPr/w:rPr/w:del``);
  a mark is the boundary between a paragraph and the next, so when the changed paragraph
  is the last of its cell or before a table, the mark of the paragraph before it is
  tracked instead (as Word does when a paragraph is added at the end);
* ``w:id`` is unique across the document; ``w:date`` is the amendment's provenance date,
  else the contribution's date, else the time of rendering, in UTC (``2024-01-02T00:00:00Z``).

Which changes overlap, and what happens then, is decided in :mod:`.redline` (see there):
both are drawn and accepting both applies both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from actionplan.errors import ValidationError
from actionplan.model import Block, Node, Output, Plan, StudyGroupQuestion
from actionplan.render._common import Part
from actionplan.render._labels import colon, label, shown
from actionplan.render._links import Link
from actionplan.render.docx import (
    EAST_ASIA_FONT,
    Container,
    Piece,
    ShowFn,
    _Writer,
    link_piece,
    statement_heading_of,
)
from actionplan.render.redline_model import (
    BOTH,
    Change,
    Presence,
    Redline,
    RedlineSource,
    SegKind,
    Segment,
    attribute,
)

__all__ = ["render_redline_docx", "word_date"]

_P = qn("w:p")


@dataclass(frozen=True)
class Tracked(Piece):
    """A run that a change inserts or deletes (``equal``: not tracked)."""

    kind: SegKind = "equal"
    change: Change | None = None


def word_date(value: str, now: str, where: str = "") -> str:
    """An ISO 8601 date or date-time as Word wants it (UTC, ``2024-01-02T00:00:00Z``); ``now`` if empty.

    A date without a time is midnight; a time without a zone is taken as UTC.
    """
    if not value.strip():
        return now
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            f"date {value!r} is not an ISO 8601 date", where=where or None, expected="YYYY-MM-DD or an ISO date-time"
        ) from None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class _RedlineWriter(_Writer):
    def __init__(self, rl: Redline, font: str, now: datetime | None = None) -> None:
        super().__init__(rl.plan, rl.lang, font)
        self.rl = rl
        self.now = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.dates = {c.number: word_date(c.attributed.date, self.now, where=c.id) for c in rl.changes}
        self.next_id = 1
        self.tags: dict[Any, Presence] = {}

    # -- revisions -----------------------------------------------------------------------

    def revision(self, kind: SegKind, change: Change | None) -> Any:
        """A ``w:ins`` or ``w:del`` element stamped with a new id, the author and the date."""
        element = OxmlElement("w:ins" if kind == "insert" else "w:del")
        element.set(qn("w:id"), str(self.next_id))
        self.next_id += 1
        element.set(qn("w:author"), change.sponsor if change else "—")
        element.set(qn("w:date"), self.dates[change.number] if change else self.now)
        return element

    def write_piece(self, paragraph: Paragraph, piece: Piece) -> Any:
        kind = piece.kind if isinstance(piece, Tracked) else "equal"
        if kind == "equal":
            return super().write_piece(paragraph, piece)
        if not piece.text:
            return None
        run = super().write_piece(paragraph, piece)
        assert isinstance(piece, Tracked)
        wrapper = self.revision(kind, piece.change)
        run.addprevious(wrapper)
        wrapper.append(run)
        if kind == "delete":
            for t in run.iter(qn("w:t")):
                t.tag = qn("w:delText")
        return run

    # -- hooks of the plain writer -------------------------------------------------------

    def pieces(self, segments: list[Segment], bold: bool = False) -> list[Piece]:
        return [
            Tracked(s.text + " ", marker=True, kind=s.kind, change=s.change)
            if s.marker
            else Tracked(s.text, bold=bold, kind=s.kind, change=s.change)
            for s in segments
        ]

    def text(self, node: Node, field: str, how: ShowFn = shown, bold: bool = False) -> list[Piece]:
        return self.pieces(self.rl.text(node, field, how), bold)

    def paragraph(self, where: Container, style: str | None = None, tag: object = None) -> Paragraph:
        p = super().paragraph(where, style, tag)
        if isinstance(tag, Presence) and tag.kind != "equal":
            self.tags[p._p] = tag
        return p

    def block_tag(self, block: Block) -> object:
        return self.rl.presence(block)

    def block_pieces(self, block: Block, with_num: bool) -> list[Piece]:
        presence = self.rl.presence(block)
        pieces: list[Piece] = []
        if with_num and block.num:
            pieces.append(Tracked(block.num + " ", kind=presence.kind, change=presence.change))
        return pieces + self.text(block, "text")

    def parts(self, output: Output) -> list[tuple[Part, object]]:
        return list(self.rl.parts(output, self.taken))

    def heading(self, level: int, *inlines: Any, tag: object = None) -> Paragraph:
        if isinstance(tag, Presence) and tag.kind != "equal":  # the whole heading comes or goes
            inlines = tuple(self.tracked(inline, tag) for inline in inlines)
        return super().heading(level, *inlines, tag=tag)

    def tracked(self, inline: str | Piece | list[Piece], presence: Presence) -> list[Piece]:
        pieces = [Piece(inline)] if isinstance(inline, str) else [inline] if isinstance(inline, Piece) else inline
        return [
            Tracked(
                p.text,
                marker=p.marker,
                bold=p.bold,
                italic=p.italic,
                grey=p.grey,
                href=p.href,
                kind=presence.kind,
                change=presence.change,
            )
            for p in pieces
        ]

    def output_line(self, link: Link, output: Output | None) -> list[Piece]:
        if output is None:
            return [Piece(link.text)]
        segments = self.rl.text(output, "title")
        before, after = self.rl.shown_both(output, "title")
        if not before and not after:
            return [Piece(link.text)]
        markers = self.pieces([s for s in segments if s.marker])
        sep = Presence(bool(before), bool(after), self.rl.field_change.get((output.eid, "title")))
        return [
            *markers,
            Piece(link.text),
            Tracked(" – ", kind=sep.kind, change=sep.change),
            *self.pieces([s for s in segments if not s.marker]),
        ]

    def study_group_question(self, q: StudyGroupQuestion) -> None:
        p = self.paragraph(self.doc, "List Bullet")
        self.write(p, self.text(q, "label", bold=True))
        before, after = self.rl.shown_both(q, "text")
        if before or after:
            sep = Presence(bool(before), bool(after), self.rl.field_change.get((q.eid, "text")))
            self.write(p, Tracked(colon(self.lang), kind=sep.kind, change=sep.change), self.text(q, "text"))

    def cell_blocks(self, cell: _Cell, blocks: list[Block]) -> None:
        """The blocks, and a grey "none" wherever the base or the result has no block."""
        presence = self.rl.list_presence(blocks)
        none = Presence(not presence.base, not presence.accepted, presence.change)
        first = cell.paragraphs[0]
        if none.base or none.accepted:
            p = self.paragraph(cell, None, none)
            self.write_piece(p, Tracked(label("none", self.lang), grey=True, kind=none.kind, change=none.change))
        self.blocks(blocks, cell)
        first._p.getparent().remove(first._p)

    def references(self, output: Output) -> None:
        lang = self.lang
        refs = output.references
        for stmt in refs.statements:
            self.heading(4, self.text(stmt, "heading", statement_heading_of(stmt)))
            self.write(self.paragraph(self.doc), self.text(stmt, "text"))
        has, none = self.rl.references_presence(refs)
        if none.base or none.accepted:
            self.write(
                self.paragraph(self.doc, None, none), Tracked(label("none", lang), kind=none.kind, change=none.change)
            )
        if not (has.base or has.accepted):
            return
        p = self.paragraph(self.doc, None, has)
        self.write(p, Tracked(label("normalised", lang), italic=True, kind=has.kind, change=has.change))
        for line in self.rl.reference_lines(refs):
            p = self.paragraph(self.doc, "List Bullet", line.presence)
            self.write(p, Tracked(line.label + colon(lang), kind=line.presence.kind, change=line.presence.change))
            for item, kind, change in line.runs():
                if item is None:
                    self.write(p, Tracked(", ", kind=kind, change=change))
                    continue
                plain = link_piece(item.link)
                self.write(p, Tracked(plain.text, href=plain.href, kind=kind, change=change))

    # -- paragraph marks -----------------------------------------------------------------

    def finish(self) -> None:
        """Track the paragraph marks, and switch change tracking on for the reviewers' own edits."""
        self.track_marks()
        settings = self.doc.settings.element
        if settings.find(qn("w:trackRevisions")) is None:
            track = OxmlElement("w:trackRevisions")
            later = settings.find(qn("w:defaultTabStop"))  # the schema puts trackRevisions before it
            if later is not None:
                later.addprevious(track)
            else:
                settings.append(track)

    def track_marks(self) -> None:
        """Track the paragraph marks, container by container (body, table cells).

        A run of consecutive paragraphs is what a mark can join; between runs stand tables.
        The mark after a paragraph is in the base when the paragraph and a later one of the
        run are, and likewise in the result; a mark in neither is both inserted and deleted.
        """
        body = self.doc.element.body
        for container in [body, *body.iter(qn("w:tc"))]:
            run: list[Any] = []
            for child in container:
                if child.tag == _P:
                    run.append(child)
                else:
                    self.mark_run(run)
                    run = []
            self.mark_run(run)

    def mark_run(self, paragraphs: list[Any]) -> None:
        states = [self.tags.get(p, BOTH) for p in paragraphs]
        for k in range(len(paragraphs) - 1):
            later = states[k + 1 :]
            in_base = states[k].base and any(s.base for s in later)
            in_accepted = states[k].accepted and any(s.accepted for s in later)
            if in_base and in_accepted:
                continue
            change = states[k].change or next((s.change for s in later if s.change is not None), None)
            kinds: list[SegKind] = []
            if not in_base:
                kinds.append("insert")
            if not in_accepted:
                kinds.append("delete")
            self.mark_paragraph(paragraphs[k], kinds, change)

    def mark_paragraph(self, p: Any, kinds: list[SegKind], change: Change | None) -> None:
        ppr = p.get_or_add_pPr()
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            successors = [e for e in ppr if e.tag in (qn("w:sectPr"), qn("w:pPrChange"))]
            if successors:
                successors[0].addprevious(rpr)
            else:
                ppr.append(rpr)
        for kind in reversed(kinds):  # w:ins before w:del, both first in the mark's properties
            rpr.insert(0, self.revision(kind, change))


def render_redline_docx(
    base: Plan,
    proposed: RedlineSource,
    lang: str = "zh",
    *,
    east_asia_font: str = EAST_ASIA_FONT,
    now: datetime | None = None,
) -> bytes:
    """The base plan as .docx with every proposed change as a native Word revision.

    ``proposed`` is a contribution, or amendments from several
    (:data:`~actionplan.render.redline.RedlineSource`). ``now`` dates the revisions that have
    no date of their own (default: the current time, UTC); a date that is not ISO 8601
    raises :class:`~actionplan.errors.ValidationError` naming the amendment.
    """
    rl = Redline(base, attribute(proposed), lang)
    return _RedlineWriter(rl, east_asia_font, now).render()
