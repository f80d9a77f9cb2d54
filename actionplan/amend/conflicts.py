"""Colliding amendments, and amendments carried over to a newer base.

Two amendments from different contributions that touch overlapping text of one element
cannot both be applied as written: the meeting has to consider them together. They form a
*conflict set*, shown side by side, and the suggested order of consideration is the
parliamentary one: the amendment that departs furthest from the text first (if it is
adopted, the others usually fall).

When the base moves on (a newer version is adopted while amendments are pending), each
pending amendment is *rebased*: found again by its quoted text and context. It is
``clean`` when the anchor is found as it was, ``fuzzy`` when it had to be re-anchored
(renumbered element, changed context), ``conflicting`` when the text it quotes is gone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Literal

from actionplan.amend.apply import AnchorError, locate
from actionplan.amend.author import anchor_context
from actionplan.amend.model import Amendment, AmendmentType, Anchor, Proposed
from actionplan.amend.textdiff import Op, diff_words, similarity
from actionplan.model import Block, Node, Output, Plan
from actionplan.trace import SCHEMES


@dataclass(frozen=True)
class _Touch:
    """The part of one text (or link list) an amendment touches, and the text it makes."""

    proposed: Proposed
    place: tuple[str, str, str]  # eid, field, lang (field "links:<scheme>" for link changes)
    start: int
    end: int
    base_text: str
    text: str
    codes: frozenset[str] = frozenset()

    def overlaps(self, other: _Touch) -> bool:
        if self.place != other.place or self.proposed.contribution == other.proposed.contribution:
            return False
        if self.codes or other.codes:
            return bool(self.codes & other.codes)
        if self.start == self.end or other.start == other.end:  # an insertion point touching a range
            return self.start <= other.end and other.start <= self.end
        return self.start < other.end and other.start < self.end


@dataclass
class Variant:
    """One amendment of a conflict set: the text with only that amendment applied."""

    proposed: Proposed
    text: str
    ops: list[Op]
    departure: float


@dataclass
class ConflictSet:
    eid: str
    field: str
    lang: str
    base_text: str
    members: list[Variant] = dc_field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        return [v.proposed.key for v in self.members]


def conflict_sets(base: Plan, proposed: Iterable[Proposed]) -> list[ConflictSet]:
    """The sets of colliding amendments from different contributions, in document order.

    Amendments that cannot be anchored in ``base`` take part in no set (applying them
    reports why); within one contribution overlaps are the author's to settle.
    """
    nodes = {n.eid: n for n in base.walk()}
    touches = [t for p in proposed for t in _touches(base, nodes, p)]
    groups = _group(touches)
    order = {n.eid: k for k, n in enumerate(base.walk())}
    sets = [_conflict_set(members) for members in groups if len({t.proposed.key for t in members}) > 1]
    return sorted(sets, key=lambda s: (order.get(s.eid, len(order)), s.field))


def _group(touches: list[_Touch]) -> list[list[_Touch]]:
    """Connected groups of overlapping touches (union-find over overlapping pairs)."""
    parent = list(range(len(touches)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_place: dict[tuple[str, str, str], list[int]] = {}
    for i, t in enumerate(touches):
        by_place.setdefault(t.place, []).append(i)
    for indices in by_place.values():
        for a_pos, a in enumerate(indices):
            for b in indices[a_pos + 1 :]:
                if touches[a].overlaps(touches[b]):
                    parent[root(a)] = root(b)
    groups: dict[int, list[_Touch]] = {}
    for i, t in enumerate(touches):
        groups.setdefault(root(i), []).append(t)
    return [g for g in groups.values() if len(g) > 1]


def _conflict_set(members: list[_Touch]) -> ConflictSet:
    eid, fld, lang = members[0].place
    base_text = members[0].base_text
    variants: dict[str, Variant] = {}
    for t in members:
        if t.proposed.key in variants:
            continue
        departure = 1.0 - similarity(base_text, t.text, lang)
        variants[t.proposed.key] = Variant(t.proposed, t.text, diff_words(base_text, t.text, lang), departure)
    ordered = sorted(variants.values(), key=lambda v: (-v.departure, v.proposed.key))
    return ConflictSet(eid, fld, lang, base_text, ordered)


def _touches(base: Plan, nodes: dict[str, Node], p: Proposed) -> list[_Touch]:
    am = p.amendment
    try:
        if am.type == AmendmentType.element_creation and am.new_element is not None:
            return [_creation_touch(p, nodes)]
        if am.type == AmendmentType.reference_change:
            return [_link_touch(p, nodes)]
        if am.type == AmendmentType.deletion and am.target is not None and not am.target.old:
            return [_deletion_touch(p, nodes, base.language)]
        changes = locate(base, [am])
    except (AnchorError, KeyError):
        return []
    found = []
    for c in changes:
        text = str(getattr(nodes[c.eid], c.field)[c.lang])
        variant = text[: c.start] + c.new + text[c.end :]
        found.append(_Touch(p, (c.eid, c.field, c.lang), c.start, c.end, text, variant))
    return found


def _creation_touch(p: Proposed, nodes: dict[str, Node]) -> _Touch:
    spec = p.amendment.new_element
    assert spec is not None
    if spec.container not in nodes:
        raise KeyError(spec.container)
    lang = next(iter(spec.text), "zh")
    place = (spec.container, f"{spec.field} after {spec.after or '-'}", lang)
    return _Touch(p, place, 0, 0, "", spec.text.get(lang, ""))


def _deletion_touch(p: Proposed, nodes: dict[str, Node], lang: str) -> _Touch:
    assert p.amendment.target is not None
    node = nodes[p.amendment.target.eid]
    text = str(getattr(node, "text", {}).get(lang, ""))
    return _Touch(p, (node.eid, "text", lang), 0, len(text), text, "")


def _link_touch(p: Proposed, nodes: dict[str, Node]) -> _Touch:
    am = p.amendment
    assert am.links is not None
    node = nodes[am.target_eid()]
    refs = node.references if isinstance(node, Output) else node
    cited = [str(v) for v in getattr(refs, SCHEMES[am.links.scheme])]
    after = [c for c in cited if c not in am.links.remove] + [c for c in am.links.add if c not in cited]
    codes = frozenset(am.links.add) | frozenset(am.links.remove)
    place = (am.target_eid(), f"links:{am.links.scheme}", "")
    return _Touch(p, place, 0, 0, ", ".join(cited), ", ".join(after), codes)


# --- rebasing -------------------------------------------------------------------------

RebaseStatus = Literal["clean", "fuzzy", "conflicting"]


@dataclass
class Rebased:
    """A pending amendment carried to a newer base: as it now reads, and how it fared."""

    amendment: Amendment
    status: RebaseStatus
    note: str = ""


_WORST = {"clean": 0, "fuzzy": 1, "conflicting": 2}


def rebase(old_base: Plan, new_base: Plan, amendments: Iterable[Amendment]) -> list[Rebased]:
    """Each amendment re-anchored in ``new_base`` and marked clean, fuzzy or conflicting."""
    old_nodes = {n.eid: n for n in old_base.walk()}
    new_nodes = {n.eid: n for n in new_base.walk()}
    return [_rebase_one(am, old_nodes, new_nodes) for am in amendments]


def _rebase_one(am: Amendment, old: dict[str, Node], new: dict[str, Node]) -> Rebased:
    if am.type == AmendmentType.element_creation:
        return _rebase_creation(am, old, new)
    if am.type == AmendmentType.reference_change:
        return _rebase_links(am, new)
    if am.type == AmendmentType.deletion and am.target is not None and not am.target.old:
        return _rebase_block(am, old, new)
    if am.target is None:
        return Rebased(am, "conflicting", "the amendment has no target")
    target, status, note = _reanchor(am.target, new)
    update: dict[str, object] = {"target": target}
    if am.destination is not None:
        destination, d_status, d_note = _reanchor(am.destination, new)
        update["destination"] = destination
        if _WORST[d_status] > _WORST[status]:
            status, note = d_status, d_note
    return Rebased(am.model_copy(update=update), status, note)


def _reanchor(a: Anchor, new: dict[str, Node]) -> tuple[Anchor, RebaseStatus, str]:
    needle = a.before + a.old + a.after
    here = _text(new.get(a.eid), a.field, a.lang)
    if here is not None and here.count(needle) == 1:
        return a, "clean", ""
    if here is not None and a.old and here.count(a.old) == 1:
        return _moved(a, a.eid, here), "fuzzy", "context changed; re-anchored on the quoted text"
    homes = [eid for eid, n in new.items() if (t := _text(n, a.field, a.lang)) is not None and t.count(needle) == 1]
    if len(homes) == 1:
        return _moved(a, homes[0], str(_text(new[homes[0]], a.field, a.lang))), "fuzzy", f"now in {homes[0]}"
    if here is not None and not a.old:
        for side in (a.before, a.after):
            if side and here.count(side) == 1:
                at = here.index(side) + (len(side) if side is a.before else 0)
                before, after = anchor_context(here, at, at)
                return a.model_copy(update={"before": before, "after": after}), "fuzzy", "context changed"
    return a, "conflicting", f"the quoted text {a.old or needle!r} is no longer in {a.eid}.{a.field}"


def _moved(a: Anchor, eid: str, text: str) -> Anchor:
    needle = a.before + a.old + a.after
    start = text.index(needle) + len(a.before) if needle in text else text.index(a.old)
    before, after = anchor_context(text, start, start + len(a.old))
    return a.model_copy(update={"eid": eid, "before": before, "after": after})


def _text(node: Node | None, fld: str, lang: str) -> str | None:
    value = getattr(node, fld, None) if node is not None else None
    return str(value[lang]) if isinstance(value, dict) and lang in value else None


def _same_block(block: Node | None, new: dict[str, Node]) -> str | None:
    """The eid of the block in ``new`` with the same text as ``block`` (same eid first)."""
    if not isinstance(block, Block):
        return None
    same = new.get(block.eid)
    if isinstance(same, Block) and same.text == block.text:
        return block.eid
    matches = [eid for eid, n in new.items() if isinstance(n, Block) and n.text == block.text]
    return matches[0] if len(matches) == 1 else None


def _rebase_block(am: Amendment, old: dict[str, Node], new: dict[str, Node]) -> Rebased:
    assert am.target is not None
    eid = _same_block(old.get(am.target.eid), new)
    if eid is None:
        return Rebased(am, "conflicting", f"{am.target.eid} changed or is gone in the new base")
    status: RebaseStatus = "clean" if eid == am.target.eid else "fuzzy"
    return Rebased(am.model_copy(update={"target": am.target.model_copy(update={"eid": eid})}), status)


def _rebase_creation(am: Amendment, old: dict[str, Node], new: dict[str, Node]) -> Rebased:
    spec = am.new_element
    assert spec is not None
    if spec.container not in new:
        return Rebased(am, "conflicting", f"{spec.container} is not in the new base")
    if spec.after is None:
        return Rebased(am, "clean")
    after = _same_block(old.get(spec.after), new)
    if after is None:
        return Rebased(am, "conflicting", f"the paragraph it follows ({spec.after}) changed or is gone")
    status: RebaseStatus = "clean" if after == spec.after else "fuzzy"
    return Rebased(am.model_copy(update={"new_element": spec.model_copy(update={"after": after})}), status)


def _rebase_links(am: Amendment, new: dict[str, Node]) -> Rebased:
    node = new.get(am.target_eid())
    refs = node.references if isinstance(node, Output) else node
    if refs is None or am.links is None or not hasattr(refs, SCHEMES.get(am.links.scheme, "-")):
        return Rebased(am, "conflicting", f"{am.target_eid()} is not an output of the new base")
    cited = {str(v) for v in getattr(refs, SCHEMES[am.links.scheme])}
    gone = [c for c in am.links.remove if c not in cited]
    there = [c for c in am.links.add if c in cited]
    if gone or there:
        return Rebased(am, "conflicting", f"the new base already has: removed {gone}, added {there}")
    return Rebased(am, "clean")
