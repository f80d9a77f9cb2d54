"""Apply amendments to a plan version, giving the consolidated plan.

Every amendment is first resolved against the *base* (its eid and its quoted text), so
all anchors refer to the text the authors saw; only then are the changes made, and at the
end the touched containers are renumbered so that eids stay structural (an item inserted
as the third item of a work area becomes ``item_3`` and the old third becomes ``item_4``).
An amendment that cannot be anchored raises :class:`AnchorError` naming it and why; none
is silently skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from actionplan.amend.model import Amendment, AmendmentType
from actionplan.errors import ValidationError
from actionplan.model import Block, Node, Output, Plan, RegionalInitiativeSlot, Section, child
from actionplan.model.plan import Project, WorkArea


class AnchorError(ValidationError):
    """An amendment whose element or quoted text is not in the base."""


def block_lists(node: Node) -> list[tuple[str, str]]:
    """The (field, parent eid) of every block list of ``node``, in the order eids are given."""
    if isinstance(node, WorkArea):
        return [("text", node.eid), ("items", node.eid)]
    if isinstance(node, Project):
        return [("text", node.eid)]
    if isinstance(node, (Section, RegionalInitiativeSlot)):
        return [("blocks", node.eid)]
    if isinstance(node, Output):
        return [
            ("background", child(node.eid, "background")),
            ("framework", child(node.eid, "framework")),
            ("regional_initiatives_intro", child(node.eid, "riintro")),
            ("study_group_questions_intro", child(node.eid, "sgqintro")),
        ]
    return []


@dataclass
class _TextEdit:
    amendment: Amendment
    node: Node
    start: int
    end: int


def apply_amendments(base: Plan, amendments: Iterable[Amendment]) -> Plan:
    """The plan with ``amendments`` applied (``base`` is not changed)."""
    plan = base.model_copy(deep=True)
    nodes = {n.eid: n for n in plan.walk()}
    text_edits: list[_TextEdit] = []
    creations: list[tuple[Amendment, Node]] = []
    deletions: list[tuple[Amendment, Node, Node]] = []
    for am in amendments:
        if am.type == AmendmentType.element_creation:
            creations.append((am, _node(nodes, am, am.target_eid())))
        elif am.type == AmendmentType.deletion and am.target is not None and not am.target.old:
            deletions.append((am, _node(nodes, am, am.target.eid), _parent(nodes, am)))
        else:
            text_edits.append(_resolve_text(nodes, am))
    touched: dict[str, Node] = {}
    _apply_text_edits(text_edits)
    for am, parent in creations:
        _create(am, parent)
        touched[parent.eid] = parent
    for am, node, parent in deletions:
        _delete(am, node, parent)
        touched[parent.eid] = parent
    for parent in touched.values():
        renumber(parent)
    return plan


def _node(nodes: dict[str, Node], am: Amendment, eid: str) -> Node:
    node = nodes.get(eid)
    if node is None:
        raise AnchorError(
            f"amendment {am.id}: no element {eid} in the base", where=am.id, expected="an eid of the base"
        )
    return node


def _parent(nodes: dict[str, Node], am: Amendment) -> Node:
    """The nearest enclosing element: the longest proper eid prefix that is an element."""
    assert am.target is not None
    parts = am.target.eid.split("__")
    for k in range(len(parts) - 1, 0, -1):
        candidate = nodes.get("__".join(parts[:k]))
        if candidate is not None:
            return candidate
    raise AnchorError(f"amendment {am.id}: {am.target.eid} has no parent element", where=am.id)


def _resolve_text(nodes: dict[str, Node], am: Amendment) -> _TextEdit:
    if am.target is None:
        raise AnchorError(f"amendment {am.id} ({am.type}) has no target", where=am.id, expected="a target anchor")
    a = am.target
    node = _node(nodes, am, a.eid)
    text = _field_text(node, a.field, a.lang, am)
    needle = a.before + a.old + a.after
    first = text.find(needle)
    if first < 0:
        raise AnchorError(
            f"amendment {am.id}: {a.before + '[' + a.old + ']' + a.after!r} not found in {a.eid}.{a.field}",
            where=am.id,
            expected="the quoted text and its context as they stand in the base",
        )
    if text.find(needle, first + 1) >= 0:
        raise AnchorError(
            f"amendment {am.id}: the quoted text occurs more than once in {a.eid}.{a.field}",
            where=am.id,
            expected="more context (before/after) to make the anchor unique",
        )
    start = first + len(a.before)
    return _TextEdit(am, node, start, start + len(a.old))


def _field_text(node: Node, field: str, lang: str, am: Amendment) -> str:
    value = getattr(node, field, None)
    if not isinstance(value, dict) or lang not in value:
        raise AnchorError(
            f"amendment {am.id}: {node.eid} has no {lang} {field}", where=am.id, expected="an existing text"
        )
    return str(value[lang])


def _apply_text_edits(edits: list[_TextEdit]) -> None:
    """Edits of one text are applied from the end, so earlier offsets stay valid."""
    edits.sort(key=lambda e: (e.node.eid, e.amendment.target.field if e.amendment.target else "", -e.start))
    for e in edits:
        a = e.amendment.target
        assert a is not None
        value = getattr(e.node, a.field)
        new = "" if e.amendment.type == AmendmentType.deletion else e.amendment.new_text.get(a.lang, "")
        value[a.lang] = value[a.lang][: e.start] + new + value[a.lang][e.end :]


def _create(am: Amendment, parent: Node) -> None:
    spec = am.new_element
    assert spec is not None
    blocks = getattr(parent, spec.field, None)
    if not isinstance(blocks, list):
        raise AnchorError(
            f"amendment {am.id}: {parent.eid} has no list {spec.field!r}", where=am.id, expected="a block list"
        )
    index = 0
    if spec.after is not None:
        positions = [k for k, b in enumerate(blocks) if b.eid == spec.after]
        if not positions:
            raise AnchorError(
                f"amendment {am.id}: {spec.after} is not in {parent.eid}.{spec.field}",
                where=am.id,
                expected="the eid of a sibling in the base",
            )
        index = positions[0] + 1
    blocks.insert(
        index, Block(eid=f"{parent.eid}__new_{am.id}", kind=spec.kind, level=spec.level, text=dict(spec.text))
    )


def _delete(am: Amendment, node: Node, parent: Node) -> None:
    for field, _ in block_lists(parent):
        blocks = getattr(parent, field)
        if node in blocks:
            blocks.remove(node)
            return
    raise AnchorError(f"amendment {am.id}: {node.eid} cannot be deleted from {parent.eid}", where=am.id)


def renumber(parent: Node) -> None:
    """Give the blocks of ``parent`` structural eids again (para_N / item_N in order)."""
    groups: dict[str, dict[str, int]] = {}
    for field, prefix in block_lists(parent):
        counts = groups.setdefault(prefix, {})
        for block in getattr(parent, field):
            counts[block.kind] = counts.get(block.kind, 0) + 1
            block.eid = child(prefix, block.kind, counts[block.kind])
