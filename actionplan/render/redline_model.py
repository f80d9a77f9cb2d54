"""What a redline shows: the base plan's changes resolved, attributed and placed.

Why: delegates judge a contribution against the text they know. A redline is the *base*
plan laid out exactly as the plain renderers lay it out (:mod:`.html`, :mod:`.docx`), with
every insertion and deletion marked and labelled with its amendment id and sponsor, so
that accepting every change gives the amended plan and rejecting every change gives the
base, paragraph for paragraph. Several contributions can be redlined together, which is
what a meeting's chair needs before the meeting.

Input (:data:`RedlineSource`): a contribution, or several, or chosen amendments of them
(``[(c1, chosen_amendments), c2]``), or the meeting's :class:`actionplan.amend.Proposed`.
:func:`attribute` turns any of these into :class:`Attributed` amendments: each with the
sponsor a reader sees and Word records as the author, the document, and the date. An
amendment without a sponsor is attributed to its contribution's sponsors, else to the
contribution's document number, else to "—".

Resolution (:class:`Redline`, shared by the HTML and Word redlines, in one language):

* in-text changes come from :func:`actionplan.amend.locate` and are split into words
  with :func:`actionplan.amend.textdiff.diff_words`, so a substitution marks only the
  words that change;
* element creations are placed as :func:`~actionplan.amend.apply_amendments` places
  them (after their sibling, several at one place in input order) and marked inserted;
  whole-element deletions keep the element, marked deleted;
* reference changes mark the references added and removed in the output's normalised
  reference list.

Conflicts: two changes of one text that overlap, or that start at the same place, are
not an error. Both are rendered, in document order and then input order: the later
change deletes only the part of its range the earlier one left, then inserts its text.
Both are listed with a note naming the other ("overlaps A3 (CHN)"). Accepting both then
applies both in the order shown, which may differ from :func:`apply_amendments`, which
assumes amendments that do not overlap. Someone has to decide between them; the redline
only shows them. A text change inside an element another amendment deletes is noted
and not drawn. So is an element deleted twice, or a reference removed twice. Only anchors
that do not fit the base are errors (:class:`~actionplan.amend.AnchorError`, or
:class:`~actionplan.errors.ValidationError` naming the amendment).

The HTML writer is :mod:`actionplan.render.redline`, the Word writer
:mod:`actionplan.render.redline_docx`; both read the same :class:`Redline`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from actionplan.amend import Amendment, AmendmentType, Contribution, Proposed, TextChange, locate
from actionplan.amend.apply import Placed, block_lists, place_new_block
from actionplan.amend.textdiff import diff_words
from actionplan.errors import ValidationError
from actionplan.model import (
    Block,
    Node,
    Output,
    Plan,
    References,
    ReferenceStatement,
    Text,
)
from actionplan.render._common import Part, output_parts
from actionplan.render._labels import (
    Shown,
    region_name,
    shown,
    statement_heading,
)
from actionplan.render._links import Link, reference_groups
from actionplan.trace import SCHEMES

__all__ = [
    "Attributed",
    "Change",
    "Presence",
    "Redline",
    "RedlineSource",
    "Segment",
    "attribute",
    "attributed_from",
]

SegKind = Literal["equal", "insert", "delete"]
ShowFn = Callable[[Text, str], Shown]

# -- labels -----------------------------------------------------------------------------

LABELS: dict[str, dict[str, str]] = {
    "redline": {"zh": "修订标记稿", "en": "Redline"},
    "changes": {"zh": "修改一览", "en": "List of changes"},
    "no_changes": {"zh": "没有修改。", "en": "No changes."},
    "legend": {"zh": "图例", "en": "Legend"},
    "inserted": {"zh": "插入的文字", "en": "inserted text"},
    "deleted": {"zh": "删除的文字", "en": "deleted text"},
    "sponsor": {"zh": "提案方", "en": "Proposed by"},
    "document": {"zh": "文件", "en": "Document"},
    "documents": {"zh": "文稿", "en": "Contributions"},
    "date": {"zh": "日期", "en": "Date"},
    "where": {"zh": "位置", "en": "Where"},
    "not_shown": {"zh": "不改变本语言的文本", "en": "does not change the text in this language"},
    "goto": {"zh": "转到修改", "en": "go to the change"},
    "conflict": {"zh": "冲突", "en": "Conflict"},
    "overlap": {"zh": "与{other}在同一处文字重叠", "en": "overlaps {other} in the same text"},
    "in_deleted": {"zh": "所改文字所在的条目被{other}删除，未予显示", "en": "changes text {other} deletes; not shown"},
    "deleted_twice": {"zh": "该条目已被{other}删除", "en": "deletes what {other} already deletes"},
    "link_twice": {"zh": "与{other}改动同一参考资料", "en": "changes a reference {other} also changes"},
    "added": {"zh": "增加", "en": "added"},
    "removed": {"zh": "删除", "en": "removed"},
    AmendmentType.insertion: {"zh": "插入", "en": "Insertion"},
    AmendmentType.deletion: {"zh": "删除", "en": "Deletion"},
    AmendmentType.substitution: {"zh": "替换", "en": "Substitution"},
    AmendmentType.move: {"zh": "移动", "en": "Move"},
    AmendmentType.renumbering: {"zh": "重新编号", "en": "Renumbering"},
    AmendmentType.element_creation: {"zh": "新增条目", "en": "New paragraph or item"},
    "element_deletion": {"zh": "删除条目", "en": "Paragraph or item deleted"},
    AmendmentType.reference_change: {"zh": "参考资料变更", "en": "Reference change"},
}


def rl_label(key: str, lang: str) -> str:
    """A redline label in ``lang`` (English when the language has none)."""
    entry = LABELS[key]
    return entry.get(lang) or entry["en"]


# -- input ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attributed:
    """One amendment with who proposes it, in which document, and when: what a redline labels.

    ``sponsor`` is what a reader sees and Word shows as the revision's author; ``date`` is
    ISO 8601 (a date or a date-time) or empty when unknown.
    """

    amendment: Amendment
    document: str = ""
    sponsor: str = "—"
    date: str = ""

    @property
    def id(self) -> str:
        return self.amendment.id


def attributed_from(contribution: Contribution, amendments: Iterable[Amendment] | None = None) -> list[Attributed]:
    """The amendments of ``contribution`` (all, or the ``amendments`` given) as it proposes them.

    Sponsor: the amendment's own, else the contribution's sponsors joined, else its
    document number, else "—". Date: the amendment's provenance date (an imported Word
    revision), else the contribution's date.
    """
    chosen = contribution.amendments if amendments is None else list(amendments)
    fallback = ", ".join(s for s in contribution.sponsors if s) or contribution.document or "—"
    return [
        Attributed(
            amendment=am,
            document=contribution.document,
            sponsor=am.sponsor or fallback,
            date=(am.provenance.date if am.provenance else "") or contribution.date,
        )
        for am in chosen
    ]


RedlineSource = Contribution | Iterable[Proposed | Attributed | Contribution | tuple[Contribution, Iterable[Amendment]]]
"""What a redline is made from: a contribution, or any mix of contributions, (contribution,
chosen amendments) pairs, :class:`actionplan.amend.Proposed` (as the meeting's views hold
them) and :class:`Attributed`, redlined together in that order."""


def attribute(source: RedlineSource) -> list[Attributed]:
    """The amendments of ``source`` with their sponsor, document and date, in order.

    A :class:`~actionplan.amend.Proposed` is attributed to its
    :attr:`~actionplan.amend.Proposed.label` and dated by its provenance (it does not
    know its contribution's date: pass the contribution itself to use that).
    """
    if isinstance(source, Contribution):
        return attributed_from(source)
    out: list[Attributed] = []
    for item in source:
        if isinstance(item, Attributed):
            out.append(item)
        elif isinstance(item, Proposed):
            am = item.amendment
            date = am.provenance.date if am.provenance else ""
            out.append(Attributed(am, item.contribution, item.label or "—", date))
        elif isinstance(item, Contribution):
            out.extend(attributed_from(item))
        else:
            contribution, amendments = item
            out.extend(attributed_from(contribution, amendments))
    return out


# -- resolved changes -------------------------------------------------------------------


@dataclass(eq=False)
class Change:
    """One proposal as the redline shows it: numbered 1.. in input order, with its conflicts."""

    number: int
    attributed: Attributed
    kind: str
    """The amendment type, or ``element_deletion`` for the deletion of a whole element."""
    eids: list[str] = field(default_factory=list)
    """The base elements it touches (for an element creation, the new element's id)."""
    conflicts: list[tuple[str, Change]] = field(default_factory=list)
    """(reason, other change): reasons are keys of :data:`LABELS` (overlap, in_deleted, ...)."""

    @property
    def amendment(self) -> Amendment:
        return self.attributed.amendment

    @property
    def id(self) -> str:
        return self.attributed.amendment.id

    @property
    def sponsor(self) -> str:
        return self.attributed.sponsor

    @property
    def tag(self) -> str:
        """The short visible label: amendment id and sponsor."""
        return f"{self.id} · {self.sponsor}"

    def conflict(self, reason: str, other: Change) -> None:
        if other is not self and (reason, other) not in self.conflicts:
            self.conflicts.append((reason, other))

    def conflict_notes(self, lang: str) -> list[str]:
        return [rl_label(reason, lang).format(other=f"{o.id} ({o.sponsor})") for reason, o in self.conflicts]


@dataclass(frozen=True)
class Segment:
    """A piece of a shown text: kept, inserted or deleted, and by which change.

    ``marker`` is the ``[zh]`` marker of a text shown in another language (``fallback``
    names that language).
    """

    kind: SegKind
    text: str
    change: Change | None = None
    marker: bool = False
    fallback: str | None = None


@dataclass(frozen=True)
class Presence:
    """Whether something (a paragraph, a heading, a separator) is in the base and in the result."""

    base: bool = True
    accepted: bool = True
    change: Change | None = None

    @property
    def kind(self) -> SegKind:
        if self.base and self.accepted:
            return "equal"
        return "delete" if self.base else "insert"


BOTH = Presence()


@dataclass
class _LinkEntry:
    value: int | str
    kind: SegKind
    change: Change | None = None


@dataclass(frozen=True)
class LinkItem:
    """A normalised reference in a redline: kept, added or removed."""

    link: Link
    kind: SegKind = "equal"
    change: Change | None = None


@dataclass(frozen=True)
class RefLine:
    """One group of normalised references ("WSIS action lines: C1, C11") with its changes."""

    key: str
    label: str
    presence: Presence
    items: list[LinkItem]

    def runs(self) -> list[tuple[LinkItem | None, SegKind, Change | None]]:
        """The links with their separators: ``(None, kind, change)`` is a ", " between two.

        A separator is in the base (or the result) when the link after it and some link
        before it are, so both versions read "a, b" without a stray comma.
        """
        out: list[tuple[LinkItem | None, SegKind, Change | None]] = []
        seen_base = seen_accepted = False
        last: Change | None = None
        for item in self.items:
            in_base, in_accepted = item.kind != "insert", item.kind != "delete"
            sep = Presence(in_base and seen_base, in_accepted and seen_accepted)
            if sep.base or sep.accepted:
                out.append((None, sep.kind, item.change or last))
            out.append((item, item.kind, item.change))
            seen_base, seen_accepted = seen_base or in_base, seen_accepted or in_accepted
            last = item.change or last
        return out


_GROUP_ATTR = {
    "pp_decisions": "pp_decisions",
    "pp_resolutions": "pp_resolutions",
    "wtdc_resolutions": "wtdc_resolutions",
    "itu_d_recommendations": "itu_d_recommendations",
    "wsis": "wsis_action_lines",
    "sdgs": "sdg_goals",
    "sdg_targets": "sdg_targets",
    "sdg_indicators": "sdg_indicators",
}
_INT_ATTRS = {"pp_resolutions", "pp_decisions", "wtdc_resolutions", "itu_d_recommendations", "sdg_goals"}
_OUTPUT_LISTS = ("background", "framework", "regional_initiatives_intro", "study_group_questions_intro")


def _shown_segments(s: Shown, kind: SegKind, change: Change | None) -> list[Segment]:
    if not s.text:
        return []
    fallback = s.lang if s.fallback else None
    out = [Segment(kind, s.marker, change, marker=True, fallback=fallback)] if s.fallback else []
    return [*out, Segment(kind, s.text, change, fallback=fallback)]


def _merge(segments: Iterable[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for seg in segments:
        if not seg.text:
            continue
        if out and (out[-1].kind, out[-1].change, out[-1].marker) == (seg.kind, seg.change, seg.marker):
            out[-1] = Segment(seg.kind, out[-1].text + seg.text, seg.change, seg.marker, seg.fallback)
        else:
            out.append(seg)
    return out


class Redline:
    """The proposals resolved against the base, for rendering in ``lang``.

    ``plan`` is a copy of the base with the created elements inserted where
    :func:`~actionplan.amend.apply_amendments` would put them (ids
    ``<container>__new_<amendment id>``) and the deleted ones still in place, so a writer
    walks it like any plan and asks :meth:`text`, :meth:`presence`, :meth:`parts` and
    :meth:`reference_lines` what changed.
    """

    def __init__(self, base: Plan, attributed: Sequence[Attributed], lang: str = "zh") -> None:
        self.base = base
        self.lang = lang
        self.plan = base.model_copy(deep=True)
        self.changes: list[Change] = []
        self.block_states: dict[str, Presence] = {}
        self.texts: dict[tuple[str, str, str], list[Segment]] = {}
        self.accepted: dict[tuple[str, str], Text] = {}
        self.field_change: dict[tuple[str, str], Change] = {}
        self.links: dict[tuple[str, str], list[_LinkEntry]] = {}
        self._nodes = {n.eid: n for n in self.plan.walk()}
        self._base_eids = set(self._nodes)
        self._placed: Placed = {}
        by_amendment: dict[int, Change] = {}
        amendments: list[Amendment] = []
        for k, p in enumerate(attributed, start=1):
            am = p.amendment if id(p.amendment) not in by_amendment else p.amendment.model_copy()
            whole = am.type == AmendmentType.deletion and am.target is not None and not am.target.old
            change = Change(k, p, "element_deletion" if whole else str(am.type))
            by_amendment[id(am)] = change
            amendments.append(am)
            self.changes.append(change)
        for am in amendments:
            change = by_amendment[id(am)]
            if am.type == AmendmentType.element_creation:
                self._create(am, change)
        for am in amendments:
            change = by_amendment[id(am)]
            if change.kind == "element_deletion":
                self._delete(am, change)
            elif am.type == AmendmentType.reference_change:
                self._change_links(am, change)
        self._texts([(tc, by_amendment[id(tc.amendment)]) for tc in locate(base, amendments)])

    # -- resolution ------------------------------------------------------------------------

    def _create(self, am: Amendment, change: Change) -> None:
        spec = am.new_element
        if spec is None:
            raise ValidationError(
                f"amendment {am.id}: an element creation needs new_element", where=am.id, expected="new_element"
            )
        parent = self._nodes.get(spec.container)
        if parent is None:
            raise ValidationError(
                f"amendment {am.id}: no element {spec.container} in the base",
                where=am.id,
                expected="an eid of the base",
            )
        fields = [name for name, _ in block_lists(parent)]
        if spec.field not in fields:
            raise ValidationError(
                f"amendment {am.id}: {parent.eid} has no list {spec.field!r} of paragraphs or items",
                where=am.id,
                expected=", ".join(fields) or "a container of paragraphs",
            )
        eid = f"{parent.eid}__new_{am.id}"
        if eid in self._nodes:
            eid = f"{eid}_{change.number}"
        block = place_new_block(am, parent, self._placed, eid)
        self._nodes[eid] = block
        self.block_states[eid] = Presence(False, True, change)
        change.eids.append(eid)

    def _delete(self, am: Amendment, change: Change) -> None:
        assert am.target is not None
        eid = am.target.eid
        node = self._nodes.get(eid)
        if not isinstance(node, Block) or eid not in self._base_eids or not self._in_list(node):
            raise ValidationError(
                f"amendment {am.id}: {eid} is not a paragraph or item of the base that can be deleted",
                where=am.id,
                expected="the eid of a paragraph or list item",
            )
        change.eids.append(eid)
        previous = self.block_states.get(eid)
        if previous is not None and previous.change is not None:
            change.conflict("deleted_twice", previous.change)
            previous.change.conflict("deleted_twice", change)
            return
        self.block_states[eid] = Presence(True, False, change)

    def _in_list(self, block: Block) -> bool:
        parts = block.eid.split("__")
        for k in range(len(parts) - 1, 0, -1):
            parent = self._nodes.get("__".join(parts[:k]))
            if parent is not None:
                return any(block in getattr(parent, name) for name, _ in block_lists(parent))
        return False

    def _change_links(self, am: Amendment, change: Change) -> None:
        node = self._nodes.get(am.target_eid())
        refs = node.references if isinstance(node, Output) else node
        if am.links is None or not isinstance(refs, References):
            raise ValidationError(
                f"amendment {am.id}: a reference change needs links and an output (or its references) as target",
                where=am.id,
                expected="target.eid of an output and links: {scheme, add, remove}",
            )
        attr = SCHEMES.get(am.links.scheme)
        if attr is None:
            raise ValidationError(
                f"amendment {am.id}: unknown reference scheme {am.links.scheme!r}",
                where=am.id,
                expected=", ".join(SCHEMES),
            )
        change.eids.append(refs.eid)
        entries = self.links.setdefault((refs.eid, attr), [_LinkEntry(v, "equal") for v in getattr(refs, attr)])
        for code in am.links.remove:
            live = [e for e in entries if str(e.value) == str(code) and e.kind != "delete"]
            if not live:
                gone = [e for e in entries if str(e.value) == str(code)]
                if not gone or gone[0].change is None:
                    raise ValidationError(
                        f"amendment {am.id}: {refs.eid} does not cite {code} ({am.links.scheme})",
                        where=am.id,
                        expected="codes the base cites",
                    )
                change.conflict("link_twice", gone[0].change)
                gone[0].change.conflict("link_twice", change)
                continue
            entry = live[0]
            if entry.kind == "insert":  # added by an earlier proposal, removed again: nothing left to show
                assert entry.change is not None
                change.conflict("link_twice", entry.change)
                entry.change.conflict("link_twice", change)
                entries.remove(entry)
            else:
                entry.kind, entry.change = "delete", change
        for code in am.links.add:
            value: int | str = code
            if attr in _INT_ATTRS:
                try:
                    value = int(code)
                except ValueError:
                    raise ValidationError(
                        f"amendment {am.id}: {code!r} is not a number", where=am.id, expected="a whole number"
                    ) from None
            if not any(str(e.value) == str(value) and e.kind != "delete" for e in entries):
                entries.append(_LinkEntry(value, "insert", change))

    def _texts(self, located: list[tuple[TextChange, Change]]) -> None:
        groups: dict[tuple[str, str, str], list[tuple[TextChange, Change]]] = {}
        for tc, change in located:
            if tc.eid not in change.eids:
                change.eids.append(tc.eid)
            state = self.block_states.get(tc.eid)
            if state is not None and state.change is not None:  # the element goes: its text changes are moot
                change.conflict("in_deleted", state.change)
                state.change.conflict("in_deleted", change)
                continue
            groups.setdefault((tc.eid, tc.field, tc.lang), []).append((tc, change))
        for (eid, name, lang), changes in groups.items():
            node = self._nodes[eid]
            base_text = str(getattr(node, name)[lang])
            segments: list[Segment] = []
            pos = 0
            previous: list[tuple[TextChange, Change]] = []
            for tc, change in changes:
                for other_tc, other in previous:
                    if tc.start < other_tc.end or tc.start == other_tc.start:
                        change.conflict("overlap", other)
                        other.conflict("overlap", change)
                previous.append((tc, change))
                if tc.start >= pos:
                    segments.append(Segment("equal", base_text[pos : tc.start]))
                    for op in diff_words(tc.old, tc.new, lang):
                        segments.append(Segment(op.kind, op.text, None if op.kind == "equal" else change))
                else:  # overlaps an earlier change: delete what it left of this range, insert the new text
                    segments.append(Segment("delete", base_text[pos : tc.end], change))
                    segments.append(Segment("insert", tc.new, change))
                pos = max(pos, tc.end)
                self.field_change.setdefault((eid, name), change)
            segments.append(Segment("equal", base_text[pos:]))
            merged = _merge(segments)
            self.texts[(eid, name, lang)] = merged
            accepted = self.accepted.setdefault((eid, name), dict(getattr(node, name)))
            accepted[lang] = "".join(s.text for s in merged if s.kind != "delete")

    # -- what writers ask ----------------------------------------------------------------------

    def presence(self, block: Block) -> Presence:
        """Whether a block is in the base and in the result (created and deleted ones are not)."""
        return self.block_states.get(block.eid, BOTH)

    def view(self, blocks: Iterable[Block], accepted: bool) -> list[Block]:
        """The blocks as they stand in the base (``accepted`` False) or in the result."""
        return [b for b in blocks if (self.presence(b).accepted if accepted else self.presence(b).base)]

    def list_presence(self, blocks: Sequence[Block]) -> Presence:
        """Whether the list has any block in the base / the result, and the first change to it."""
        states = [self.presence(b) for b in blocks]
        change = next((s.change for s in states if s.change is not None), None)
        return Presence(any(s.base for s in states), any(s.accepted for s in states), change)

    def shown_both(self, node: Node, name: str, how: ShowFn = shown) -> tuple[Shown, Shown]:
        """A text as shown in the base and in the result."""
        before: Text = getattr(node, name)
        state = self.block_states.get(node.eid)
        if state is not None:
            empty = Shown("", None)
            return (
                how(before, self.lang) if state.base else empty,
                how(before, self.lang) if state.accepted else empty,
            )
        return how(before, self.lang), how(self.accepted.get((node.eid, name), before), self.lang)

    def text(self, node: Node, name: str, how: ShowFn = shown) -> list[Segment]:
        """Text ``name`` of ``node`` as shown in the redline's language, in marked segments.

        ``how`` shows a text the way the plain renderers do (:func:`shown`, or a region's
        or a statement's label rule). When the change makes the shown text switch language
        (a text emptied, so the other language shows), the whole text is deleted and the
        new one inserted.
        """
        before: Text = getattr(node, name)
        state = self.block_states.get(node.eid)
        if state is not None:
            return _shown_segments(how(before, self.lang), state.kind, state.change)
        after = self.accepted.get((node.eid, name))
        old = how(before, self.lang)
        if after is None:
            return _shown_segments(old, "equal", None)
        new = how(after, self.lang)
        if old == new:
            return _shown_segments(old, "equal", None)
        segments = self.texts.get((node.eid, name, old.lang or ""))
        if (
            segments is not None
            and (old.lang, old.fallback) == (new.lang, new.fallback)
            and old.text == before.get(old.lang or "")
            and new.text == after.get(new.lang or "")
        ):
            fallback = old.lang if old.fallback else None
            marker = [Segment("equal", old.marker, marker=True, fallback=fallback)] if old.fallback else []
            return marker + [Segment(s.kind, s.text, s.change, fallback=fallback) for s in segments]
        change = self.field_change.get((node.eid, name))
        return _shown_segments(old, "delete", change) + _shown_segments(new, "insert", change)

    def parts(self, output: Output, taken: set[str]) -> list[tuple[Part, Presence]]:
        """The output's parts with their presence: a part appears or goes with its content."""
        views = [
            output.model_copy(update={name: self.view(getattr(output, name), accepted) for name in _OUTPUT_LISTS})
            for accepted in (False, True)
        ]
        before = {p.key for p in output_parts(views[0], self.lang, taken)}
        after = {p.key for p in output_parts(views[1], self.lang, taken)}
        lists = {
            "background": output.background,
            "framework": output.framework,
            "regional_initiatives": output.regional_initiatives_intro,
            "study_group_questions": output.study_group_questions_intro,
        }
        out = []
        for part in output_parts(output, self.lang, taken):
            change = self.list_presence(lists.get(part.key, [])).change
            out.append((part, Presence(part.key in before, part.key in after, change)))
        return out

    def reference_lines(self, refs: References) -> list[RefLine]:
        """The normalised reference groups of ``refs``, with links added and removed marked."""
        entries = {attr: e for (eid, attr), e in self.links.items() if eid == refs.eid}
        display = refs.model_copy(update={attr: [x.value for x in e] for attr, e in entries.items()})
        lines = []
        for group in reference_groups(display, self.plan, self.lang):
            attr_entries = entries.get(_GROUP_ATTR.get(group.key, ""), [])
            offset = len(group.links) - len(attr_entries)
            items = [LinkItem(link) for link in group.links[:offset]] + [
                LinkItem(link, e.kind, e.change) for link, e in zip(group.links[offset:], attr_entries, strict=True)
            ]
            change = next((i.change for i in items if i.change is not None), None)
            presence = Presence(any(i.kind != "insert" for i in items), any(i.kind != "delete" for i in items), change)
            lines.append(RefLine(group.key, group.label, presence, items))
        return lines

    def references_presence(self, refs: References) -> tuple[Presence, Presence]:
        """(the "normalised references" line, the "none" line) of an output's references."""
        lines = self.reference_lines(refs)
        change = next((line.presence.change for line in lines if line.presence.change is not None), None)
        has = Presence(any(x.presence.base for x in lines), any(x.presence.accepted for x in lines), change)
        statements = bool(refs.statements)
        none = Presence(not has.base and not statements, not has.accepted and not statements, change)
        return has, none


def statement_heading_of(stmt: ReferenceStatement) -> ShowFn:
    """How a reference statement's heading shows: as printed, else the label of its topic."""

    def how(value: Text, lang: str) -> Shown:
        return statement_heading(stmt.model_copy(update={"heading": value}), lang)

    return how


def region_of(region: str) -> ShowFn:
    """How a regional-initiative slot's name shows: as printed, else the region's name."""

    def how(value: Text, lang: str) -> Shown:
        return region_name(region, value, lang)

    return how
