"""A Word file with tracked changes, imported as a contribution: one amendment per revision.

Delegates mark up the plan's Word file with Track Changes; the meeting needs those changes as
anchored amendments with their authors (who become sponsors, through an author -> member
state map). The file's *rejected* view is the text its authors saw, so that is what is
aligned to the base plan; each revision then falls inside one base text, and becomes an
amendment anchored there by the quoted old words and enough context to be unique.

Alignment: every text of the base (titles, labels, headings, paragraph and item texts, in
document order, :func:`actionplan.model.texts.iter_texts`) is matched to the rejected
paragraphs, keeping document order (:func:`actionplan.amend.align.align`): equal
whitespace-normalised texts first, then a paragraph that is the text with a short printed
prefix or suffix (our own DOCX writes "部门目标 1 – " before an objective's title, "项目："
before a project's, a block's number before its text), then the most similar text above
:data:`~actionplan.amend.align.SIMILAR`. Inside a matched paragraph, characters are mapped
to the base text by difflib, so a revision in an unchanged stretch anchors exactly and one
in a stretch that differs from the base (or in a printed prefix) is reported.

What each revision becomes:

- inserted / deleted text inside a matched paragraph: an ``insertion`` / ``deletion``; a
  deletion directly followed (or preceded) by an insertion of the same author: one
  ``substitution``;
- a paragraph Word split off with an inserted paragraph mark, or a paragraph whose whole
  text is new: an ``element_creation`` beside the neighbouring base block (container and
  list from :func:`actionplan.amend.apply.block_lists`; kind and level from its style);
- a block whose whole text is deleted: a whole-element ``deletion`` (``target.old == ""``);
- a moved stretch (``w:moveFrom``/``w:moveTo``, linked by their range name, else by equal
  text) inside two matched paragraphs: a ``move``; a whole moved paragraph: the deletion of
  its source block and the creation of its destination.

Every amendment keeps its revisions' id, author and date (:class:`Provenance`; several ids
joined by commas when, say, a substitution is a deletion plus an insertion), and its
``sponsor`` is the author mapped through ``author_map``. Whatever cannot be anchored (a
paragraph not in the base, a change to a printed label, two paragraphs joined) is reported
as :class:`~actionplan.amend.align.Unanchored` with its paragraph number and text; nothing
is dropped.
"""

from __future__ import annotations

import bisect
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from actionplan.amend.align import SIMILAR, ImportResult, Unanchored, align, order_for_apply, similarity
from actionplan.amend.apply import AnchorError, block_lists, locate
from actionplan.amend.author import anchor_context, element_deletion, new_element
from actionplan.amend.model import Amendment, AmendmentType, Anchor, Contribution, Provenance
from actionplan.amend.wordrevisions import DELETED, INSERTED, Segment, WordParagraph, merged, read_revisions
from actionplan.errors import ActionPlanError
from actionplan.model import Block, Node, Plan, WorkArea
from actionplan.model.texts import iter_texts

__all__ = ["ImportResult", "Unanchored", "import_tracked"]

MAX_AFFIX = 30
"""Longest printed prefix or suffix (number, label) around a base text in a paragraph."""
HEADING_BONUS = 0.05
"""Added to a match where a title or heading falls in a heading paragraph, or a body text in a body one."""


def import_tracked(
    path: Path,
    base: Plan,
    *,
    lang: str = "zh",
    author_map: dict[str, str] | None = None,
    document: str = "",
    base_ref: str = "",
) -> ImportResult:
    """The tracked changes of the Word file at ``path`` as a contribution amending ``base``.

    ``author_map`` maps Word author names to member states (ISO3) or sector members; authors
    not in it sponsor under their own name. ``base_ref`` names the base version in the
    contribution (default: the base's plan code).
    """
    importer = _Importer(path, base, lang, author_map or {})
    importer.run()
    authors = [s.author for _, s in importer.doc.revisions()]
    sponsors = list(dict.fromkeys(importer.sponsor(a) for a in authors if a))
    contribution = Contribution(
        document=document,
        base=base_ref or base.code,
        language=lang,
        sponsors=sponsors,
        author_map=dict(author_map or {}),
        amendments=order_for_apply([am for _, am in sorted(importer.found, key=lambda f: f[0])]),
    )
    return ImportResult(contribution, importer.unanchored)


def _norm(text: str) -> str:
    return " ".join(text.split())


@dataclass
class _Unit:
    """One text of the base: what a paragraph of the document is matched to."""

    node: Node
    field: str
    text: str


@dataclass
class _Group:
    """A paragraph of the rejected (original) document: the ``w:p`` it joins, one accepted piece each."""

    index: int
    paras: list[WordParagraph]
    units: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(p.rejected_text for p in self.paras)

    def offset(self, piece: int) -> int:
        return sum(len(p.rejected_text) for p in self.paras[:piece])

    def main(self) -> int:
        """The piece holding most of the original text (the others were split off or added)."""
        sizes = [len(p.rejected_text) for p in self.paras]
        return sizes.index(max(sizes))


@dataclass
class _Edit:
    """A change of one base text: ``text[start:end]`` becomes ``new``."""

    unit: int
    start: int
    end: int
    new: str
    revisions: list[Segment]
    order: tuple[int, ...]
    move: Literal["", "from", "to"] = ""


class _Map:
    """Positions in a paragraph's text -> (unit, position in that unit's base text)."""

    def __init__(self, doc: str, texts: list[str]) -> None:
        self.starts = [0]
        for t in texts:
            self.starts.append(self.starts[-1] + len(t))
        virtual = "".join(texts)
        if doc == virtual:
            self.blocks = [(0, 0, len(doc))]
        else:
            matcher = difflib.SequenceMatcher(None, doc, virtual, autojunk=False)
            self.blocks = [(b.a, b.b, b.size) for b in matcher.get_matching_blocks() if b.size]

    def unit_of(self, v: int) -> int:
        return min(max(bisect.bisect_right(self.starts, v) - 1, 0), len(self.starts) - 2)

    def range(self, s: int, e: int) -> tuple[int, int, int] | None:
        """Where ``doc[s:e]`` is in one unit's base text, when it is there unchanged."""
        if s == e:
            return self.point(s)
        for i, j, n in self.blocks:
            if i <= s and e <= i + n:
                vs, ve = j + s - i, j + e - i
                u = self.unit_of(vs)
                return (u, vs - self.starts[u], ve - self.starts[u]) if ve <= self.starts[u + 1] else None
        return None

    def point(self, p: int) -> tuple[int, int, int] | None:
        """An insertion point: inside or at the edge of an unchanged stretch (its end preferred)."""
        for i, j, n in self.blocks:
            if i <= p <= i + n:
                v = j + p - i
                u = self.unit_of(v - 1) if p > i else self.unit_of(v)
                return (u, v - self.starts[u], v - self.starts[u])
        return None


def _mark_kind(seg: Segment) -> str:
    return "ins_mark" if seg.kind in INSERTED else "del_mark"


class _Importer:
    def __init__(self, path: Path, base: Plan, lang: str, author_map: dict[str, str]) -> None:
        self.path, self.base, self.lang, self.author_map = path, base, lang, author_map
        self.doc = read_revisions(path)
        self.units = [_Unit(t.node, t.field, t.text) for t in iter_texts(base, lang)]
        self.home: dict[str, tuple[Node, str]] = {}
        for node in base.walk():
            for name, _ in block_lists(node):
                for b in getattr(node, name):
                    self.home[b.eid] = (node, name)
        self.groups = [_Group(k, g) for k, g in enumerate(merged(self.doc, accept=False))]
        self.pending: list[tuple[tuple[int, ...], Amendment, list[Segment]]] = []
        self.found: list[tuple[tuple[int, ...], Amendment]] = []
        self.unanchored: list[Unanchored] = []
        self.edits: list[_Edit] = []
        self.seen: set[int] = set()  # ids of the revision segments an amendment or a report took

    def sponsor(self, author: str) -> str:
        return self.author_map.get(author, author)

    # -- alignment ---------------------------------------------------------------------

    def run(self) -> None:
        self.align()
        for g in self.groups:
            if any(p.has_revisions() for p in g.paras):
                self.group(g)
        self.resolve_moves()
        self.check()
        self.leftovers()

    def align(self) -> None:
        docs = [_norm(g.text) for g in self.groups]
        texts = [_norm(u.text) for u in self.units]
        headings = [g.paras[-1].kind == "heading" for g in self.groups]  # the surviving mark's style

        def score(i: int, j: int) -> float:
            """Equal 1, a printed affix 0.9, else the similarity; a title in a heading paragraph scores a little more.

            The bonus breaks ties such as an output's title printed in its heading and again in
            the outcomes table ("3.2 – title"), where only the heading is the title's place.
            """
            p, u = docs[i], texts[j]
            if not p or not u:
                return 0.0
            bonus = HEADING_BONUS if headings[i] == (self.units[j].field in ("title", "heading")) else 0.0
            if p == u:
                return 1.0 + bonus
            if len(p) - len(u) <= MAX_AFFIX and (p.endswith(u) or p.startswith(u)):
                return 0.9 + bonus
            ratio = similarity(p, u)
            return ratio + bonus if ratio >= SIMILAR else 0.0

        pairs = align([d or f"\0{k}" for k, d in enumerate(docs)], texts, score)
        owner = {j: i for i, j in pairs}
        for i, j in pairs:
            self.groups[i].units.append(j)
        for i, j in pairs:  # a paragraph holding two texts of one element: a label and its text
            for step in (-1, 1):
                k = j + step
                while k in range(len(texts)) and k not in owner and self.units[k].node is self.units[j].node:
                    if texts[k] not in docs[i]:
                        break
                    owner[k] = i
                    self.groups[i].units.append(k)
                    k += step
        for g in self.groups:
            g.units.sort()

    # -- one original paragraph --------------------------------------------------------

    def group(self, g: _Group) -> None:
        """The revisions of one original paragraph: edits of its base texts, new paragraphs beside it."""
        if not g.text.strip():
            self.new_paragraphs(g)
            return
        main = g.main()
        mapping = _Map(g.text, [self.units[u].text for u in g.units]) if g.units else None
        whole = mapping is not None and self.whole_deletion(g, main)
        for k, p in enumerate(g.paras):
            if k != main and not p.rejected_text.strip():  # wholly new: placed beside the original paragraph
                self.split_off(g, k, main)
            elif mapping is None:
                for s in p.segments:
                    if s.kind != "same":
                        self.report(p, s, "the paragraph is not in the base plan")
            elif not (k == main and whole):
                self.piece_edits(g, k, main, mapping)
                if k != main:
                    self.split_off(g, k, main)
        last = g.paras[-1]
        if last.mark.kind in DELETED and not (whole and main == len(g.paras) - 1):
            if mapping is None:
                self.report(last, last.mark, "the paragraph is not in the base plan")
            elif last.accepted_text.strip():
                self.report(last, last.mark, "joins this paragraph to the next; no amendment joins two elements")
            else:
                self.report(last, last.mark, "removes an empty paragraph mark; nothing in the plan to amend")

    def whole_deletion(self, g: _Group, main: int) -> bool:
        """A block whose whole text is deleted is deleted whole (target.old == "")."""
        p = g.paras[main]
        node = self.units[g.units[0]].node
        if len(g.units) != 1 or not isinstance(node, Block) or p.accepted_text.strip():
            return False
        revs = [s for s in p.segments if s.kind in DELETED]
        if p.mark.kind in DELETED:
            revs.append(p.mark)
        am = element_deletion(self.base, node.eid, id="D")
        self.emit((g.index, 2), am, revs)
        return True

    def piece_edits(self, g: _Group, k: int, main: int, mapping: _Map) -> None:
        """The changes of the base text in piece ``k``: all of them in the main piece, deletions elsewhere."""
        p, pos = g.paras[k], g.offset(k)
        boundary = g.paras[k].mark if k < main else g.paras[k - 1].mark if k > main else None
        changes: list[tuple[int, int, str, list[Segment], Literal["", "from", "to"]]] = []
        for s in p.segments:
            length = len(s.rejected)
            if k != main and s.kind in INSERTED:
                pass  # part of the new paragraph's text
            elif k != main:  # text of the base split off into a new paragraph: deleted here
                changes.append((pos, pos + length, "", [s if s.kind != "same" or boundary is None else boundary], ""))
            elif s.kind in DELETED:
                changes.append((pos, pos + length, "", [s], "from" if s.kind == "move_from" else ""))
            elif s.kind in INSERTED:
                changes.append((pos, pos, s.text, [s], "to" if s.kind == "move_to" else ""))
            pos += length
        for start, end, new, revs, move in _substitutions(changes):
            self.edit(g, mapping, start, end, new, revs, p.number, move)

    def edit(
        self,
        g: _Group,
        mapping: _Map,
        start: int,
        end: int,
        new: str,
        revs: list[Segment],
        number: int,
        move: Literal["", "from", "to"],
    ) -> None:
        where = mapping.range(start, end)
        if where is None:
            for s in revs:
                self.report_number(
                    number, s, "falls where the paragraph differs from the base text (or in a printed label)"
                )
            return
        u, s0, e0 = where
        seq = len(self.edits)
        # apply() edits a text from its end; at one position a range must come first, then
        # insertions last-first, for the result to read in document order
        order = (g.index, 1, u, s0, int(s0 == e0), -seq if s0 == e0 else seq)
        self.edits.append(_Edit(g.units[u], s0, e0, new, revs, order, move))

    def split_off(self, g: _Group, k: int, main: int) -> None:
        """Piece ``k`` is a paragraph of its own once accepted: a new element beside the base block."""
        p = g.paras[k]
        mark = g.paras[k].mark if k < main else g.paras[k - 1].mark
        revs = [s for s in p.segments if s.kind in INSERTED] + [mark]
        if k < main:
            point = (self.before(g.units[0], p) if g.units else None) or self.after_group(g.index, -1, p)
        else:
            point = (self.after(g.units[-1], p) if g.units else None) or self.after_group(g.index, 1, p)
        self.create(g, (g.index, 0 if k < main else 3, k), p, point, revs)

    def new_paragraphs(self, g: _Group) -> None:
        """An originally empty paragraph that now has text: new elements beside its neighbours."""
        for k, p in enumerate(g.paras):
            revs = [s for s in p.segments if s.kind != "same"]
            if p.mark.kind in INSERTED:
                revs.append(p.mark)
            if not p.accepted_text.strip():
                for s in revs + ([p.mark] if p.mark.kind in DELETED else []):
                    self.report(p, s, "changes only an empty paragraph; nothing in the plan to amend")
                continue
            point = self.after_group(g.index, -1, p) or self.after_group(g.index, 1, p)
            self.create(g, (g.index, 3, k), p, point, revs)
            if k == len(g.paras) - 1 and p.mark.kind in DELETED:
                self.report(p, p.mark, "joins this paragraph to the next; no amendment joins two elements")

    # -- where a new element goes --------------------------------------------------------

    def after_group(self, index: int, step: int, p: WordParagraph) -> tuple[str, str, str | None] | None:
        """Beside the nearest non-empty original paragraph (``step`` -1: before, 1: after), if it is matched."""
        k = index + step
        while 0 <= k < len(self.groups) and not self.groups[k].text.strip():
            k += step
        if not 0 <= k < len(self.groups) or not self.groups[k].units:
            return None
        units = self.groups[k].units
        return self.after(units[-1], p) if step < 0 else self.before(units[0], p)

    def after(self, u: int, p: WordParagraph) -> tuple[str, str, str | None] | None:
        node = self.units[u].node
        if isinstance(node, Block):
            parent, name = self.home[node.eid]
            return self.retarget(parent, name, node.eid, p)
        lists = block_lists(node)
        if not lists:
            return None
        return self.retarget(node, lists[0][0], None, p)

    def before(self, u: int, p: WordParagraph) -> tuple[str, str, str | None] | None:
        node = self.units[u].node
        if not isinstance(node, Block):
            return None
        parent, name = self.home[node.eid]
        blocks: list[Block] = getattr(parent, name)
        k = blocks.index(node)
        return self.retarget(parent, name, blocks[k - 1].eid if k else None, p)

    def retarget(self, parent: Node, name: str, after: str | None, p: WordParagraph) -> tuple[str, str, str | None]:
        """A work area keeps paragraphs and items in two lists: a new item goes first among its items."""
        if isinstance(parent, WorkArea):
            wanted = "items" if p.kind == "item" else "text"
            if wanted != name:
                last_para = parent.text[-1].eid if parent.text else None
                return (parent.eid, wanted, None if wanted == "items" else last_para)
        return (parent.eid, name, after)

    def create(
        self,
        g: _Group,
        order: tuple[int, ...],
        p: WordParagraph,
        point: tuple[str, str, str | None] | None,
        revs: list[Segment],
    ) -> None:
        text = p.accepted_text.strip()
        reason = ""
        if not text:
            reason = "inserts an empty paragraph; the plan keeps none"
        elif p.kind == "heading":
            reason = "a new heading would start a new structural element, which no amendment creates"
        elif point is None:
            reason = "no paragraph list of the plan next to it (its neighbours are not in the base)"
        if not reason and point is not None:
            container, name, after = point
            try:
                am = new_element(self.base, container, name, after, text, self.lang, id="C", kind=p.kind)  # type: ignore[arg-type]
            except ActionPlanError as exc:
                reason = exc.message
            else:
                assert am.new_element is not None
                level = p.level if p.kind == "item" else 1
                am = am.model_copy(update={"new_element": am.new_element.model_copy(update={"level": level})})
                self.emit(order, am, revs)
                return
        for s in revs:
            self.report(p, s, reason)

    # -- moves and text edits into amendments ---------------------------------------------

    def resolve_moves(self) -> None:
        sources = [e for e in self.edits if e.move == "from"]
        targets = [e for e in self.edits if e.move == "to"]
        paired: set[int] = set()
        for src in sources:
            dst = next((t for t in targets if id(t) not in paired and self.same_move(src, t)), None)
            if dst is None:
                continue
            paired |= {id(src), id(dst)}
            self.emit(src.order, self.move(src, dst), src.revisions + dst.revisions)
        for e in self.edits:
            if id(e) not in paired:
                self.emit(e.order, self.text_amendment(e), e.revisions)

    def same_move(self, src: _Edit, dst: _Edit) -> bool:
        names = (src.revisions[0].move, dst.revisions[0].move)
        old = self.units[src.unit].text[src.start : src.end]
        return old == dst.new and (names[0] == names[1] or not all(names))

    def anchor(self, unit: int, start: int, end: int) -> Anchor:
        u = self.units[unit]
        before, after = anchor_context(u.text, start, end)
        return Anchor(eid=u.node.eid, field=u.field, lang=self.lang, old=u.text[start:end], before=before, after=after)

    def move(self, src: _Edit, dst: _Edit) -> Amendment:
        return Amendment(
            id="M",
            type=AmendmentType.move,
            target=self.anchor(src.unit, src.start, src.end),
            destination=self.anchor(dst.unit, dst.start, dst.start),
        )

    def text_amendment(self, e: _Edit) -> Amendment:
        target = self.anchor(e.unit, e.start, e.end)
        kind = (
            AmendmentType.insertion
            if not target.old
            else AmendmentType.deletion
            if not e.new
            else AmendmentType.substitution
        )
        return Amendment(id="T", type=kind, target=target, new_text={self.lang: e.new} if e.new else {})

    def emit(self, order: tuple[int, ...], am: Amendment, revs: list[Segment]) -> None:
        """Add ``am`` with its revisions' provenance, once the base confirms its anchors."""
        revs = [r for r in revs if r.kind != "same"]
        author = next((r.author for r in revs if r.author), "")
        provenance = Provenance(
            file=self.path.name,
            revision_id=",".join(dict.fromkeys(r.revision_id for r in revs)),
            author=author,
            date=",".join(dict.fromkeys(r.date for r in revs if r.date)),
        )
        am = am.model_copy(update={"provenance": provenance, "sponsor": self.sponsor(author)})
        self.pending.append((order, am, revs))
        self.seen |= {id(r) for r in revs}

    def check(self) -> None:
        """Keep the amendments whose anchors the base confirms (all at once; one by one if one fails).

        A safety net against a bug here: an amendment that would not apply is reported with
        its revisions instead of being handed on.
        """
        try:
            locate(self.base, [am for _, am, _ in self.pending])
            self.found = [(order, am) for order, am, _ in self.pending]
            return
        except AnchorError:
            pass
        for order, am, revs in self.pending:
            try:
                locate(self.base, [am])
            except AnchorError as exc:
                for r in revs:
                    self.report_number(None, r, exc.message)
            else:
                self.found.append((order, am))

    # -- reports ---------------------------------------------------------------------------

    def report(self, p: WordParagraph, s: Segment, reason: str) -> None:
        self.report_number(p.number, s, reason)

    def report_number(self, number: int | None, s: Segment, reason: str) -> None:
        self.seen.add(id(s))
        kind = s.kind if s.text or s.kind == "same" else _mark_kind(s)
        self.unanchored.append(Unanchored(number, kind, s.text, reason, s.author, s.date, s.revision_id))

    def leftovers(self) -> None:
        """A revision no amendment took and no report named: reported, so that nothing is dropped."""
        for p, s in self.doc.revisions():
            if id(s) not in self.seen:
                self.report(p, s, "not expressed by any amendment")


def _substitutions(
    changes: list[tuple[int, int, str, list[Segment], Literal["", "from", "to"]]],
) -> list[tuple[int, int, str, list[Segment], Literal["", "from", "to"]]]:
    """A deletion and an insertion by one author at the same place make one substitution."""
    out: list[tuple[int, int, str, list[Segment], Literal["", "from", "to"]]] = []
    for c in changes:
        if out and not c[4] and not out[-1][4]:
            start, end, new, revs, _ = out[-1]
            touching = c[0] == end if c[0] != c[1] else c[0] in (start, end)
            one_side_each = (start == end) != (c[0] == c[1]) and not (new and c[2])
            if touching and one_side_each and revs[0].author == c[3][0].author:
                out[-1] = (min(start, c[0]), max(end, c[1]), new + c[2], revs + c[3], "")
                continue
        out.append(c)
    return out
