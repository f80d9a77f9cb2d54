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

from actionplan.amend.model import Amendment, AmendmentType, Anchor
from actionplan.errors import ValidationError
from actionplan.model import Block, Node, Output, Plan, RegionalInitiativeSlot, Section, child
from actionplan.model.plan import Project, References, WorkArea
from actionplan.trace import SCHEMES


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
    anchor: Anchor
    node: Node
    start: int
    end: int
    new: str


@dataclass(frozen=True)
class TextChange:
    """One resolved change of a text of the base: ``base[start:end]`` becomes ``new``.

    What redlines and conflict detection work from: the amendment's anchor turned into
    offsets in the base text (a move gives two: the deletion and the insertion).
    """

    amendment: Amendment
    eid: str
    field: str
    lang: str
    start: int
    end: int
    old: str
    new: str


def locate(base: Plan, amendments: Iterable[Amendment]) -> list[TextChange]:
    """The text changes of ``amendments`` in ``base``, in document order.

    Element creations, element deletions and link changes are not text changes and are
    left out; :class:`AnchorError` is raised for an amendment that cannot be anchored.
    """
    nodes = {n.eid: n for n in base.walk()}
    found: list[TextChange] = []
    for am in amendments:
        if am.type in (AmendmentType.element_creation, AmendmentType.reference_change):
            continue
        if am.type == AmendmentType.deletion and am.target is not None and not am.target.old:
            _node(nodes, am, am.target.eid)
            continue
        edits = _resolve_move(nodes, am) if am.type == AmendmentType.move else [_resolve_text(nodes, am)]
        for e in edits:
            old = str(getattr(e.node, e.anchor.field)[e.anchor.lang])[e.start : e.end]
            found.append(TextChange(am, e.node.eid, e.anchor.field, e.anchor.lang, e.start, e.end, old, e.new))
    order = {n.eid: k for k, n in enumerate(base.walk())}
    return sorted(found, key=lambda c: (order[c.eid], c.field, c.lang, c.start, c.end))


def apply_amendments(base: Plan, amendments: Iterable[Amendment]) -> Plan:
    """The plan with ``amendments`` applied (``base`` is not changed)."""
    return apply_with_provenance(base, amendments)[0]


def apply_with_provenance(base: Plan, amendments: Iterable[Amendment]) -> tuple[Plan, dict[str, list[str]]]:
    """The amended plan, and for each amendment id the eids it changed *in the new plan*.

    The eids are read after renumbering, so an adopted version can say which amendment
    made which of its elements (an inserted item's final ``item_3``, not a temporary name).
    """
    plan = base.model_copy(deep=True)
    nodes = {n.eid: n for n in plan.walk()}
    text_edits: list[_TextEdit] = []
    creations: list[tuple[Amendment, Node]] = []
    deletions: list[tuple[Amendment, Node, Node]] = []
    changed: dict[str, list[Node]] = {}
    for am in amendments:
        if am.type == AmendmentType.element_creation:
            creations.append((am, _node(nodes, am, am.target_eid())))
        elif am.type == AmendmentType.deletion and am.target is not None and not am.target.old:
            deletions.append((am, _node(nodes, am, am.target.eid), _parent(nodes, am)))
        elif am.type == AmendmentType.reference_change:
            changed[am.id] = [_change_links(am, _node(nodes, am, am.target_eid()))]
        elif am.type == AmendmentType.move:
            text_edits += _resolve_move(nodes, am)
        else:
            text_edits.append(_resolve_text(nodes, am))
    for e in text_edits:
        changed.setdefault(e.amendment.id, []).append(e.node)
    touched: dict[str, Node] = {}
    _apply_text_edits(text_edits)
    placed: Placed = {}
    for am, parent in creations:
        changed[am.id] = [place_new_block(am, parent, placed)]
        touched[parent.eid] = parent
    for am, node, parent in deletions:
        _delete(am, node, parent)
        changed[am.id] = [parent]
        touched[parent.eid] = parent
    for parent in touched.values():
        renumber(parent)
    return plan, {key: list(dict.fromkeys(n.eid for n in found)) for key, found in changed.items()}


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
    new = "" if am.type == AmendmentType.deletion else am.new_text.get(am.target.lang, "")
    return _resolve_anchor(nodes, am, am.target, new)


def _resolve_move(nodes: dict[str, Node], am: Amendment) -> list[_TextEdit]:
    """A move is the deletion of the quoted text and its insertion at the destination."""
    if am.target is None or am.destination is None or not am.target.old:
        raise AnchorError(
            f"amendment {am.id} (move) needs a target quoting the moved text and a destination",
            where=am.id,
            expected="target.old and destination",
        )
    return [
        _resolve_anchor(nodes, am, am.target, ""),
        _resolve_anchor(nodes, am, am.destination, am.target.old),
    ]


def _resolve_anchor(nodes: dict[str, Node], am: Amendment, a: Anchor, new: str) -> _TextEdit:
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
    return _TextEdit(am, a, node, start, start + len(a.old), new)


def _field_text(node: Node, field: str, lang: str, am: Amendment) -> str:
    value = getattr(node, field, None)
    if not isinstance(value, dict) or lang not in value:
        raise AnchorError(
            f"amendment {am.id}: {node.eid} has no {lang} {field}", where=am.id, expected="an existing text"
        )
    return str(value[lang])


def _apply_text_edits(edits: list[_TextEdit]) -> None:
    """Edits of one text are applied from the end, so earlier offsets stay valid.

    At one offset a range (a deletion or substitution) goes before an insertion, so the
    insertion is not swallowed; insertions at the same point keep the order they were
    given in (the later one is applied first, so it ends up after the earlier one).
    """
    order = sorted(
        range(len(edits)),
        key=lambda k: (
            edits[k].node.eid,
            edits[k].anchor.field,
            edits[k].anchor.lang,
            -edits[k].start,
            -edits[k].end,
            -k,
        ),
    )
    for e in (edits[k] for k in order):
        value = getattr(e.node, e.anchor.field)
        value[e.anchor.lang] = value[e.anchor.lang][: e.start] + e.new + value[e.anchor.lang][e.end :]


def _change_links(am: Amendment, node: Node) -> Node:
    """Add and remove SDG/WSIS/resolution codes of an output's references."""
    refs = node.references if isinstance(node, Output) else node
    if am.links is None or not isinstance(refs, References):
        raise AnchorError(
            f"amendment {am.id}: a reference change needs links and an output (or its references) as target",
            where=am.id,
            expected="target.eid of an output and links: {scheme, add, remove}",
        )
    attr = SCHEMES.get(am.links.scheme)
    if attr is None:
        raise AnchorError(
            f"amendment {am.id}: unknown reference scheme {am.links.scheme!r}", where=am.id, expected=", ".join(SCHEMES)
        )
    values: list[int | str] = getattr(refs, attr)
    as_int = attr not in ("wsis_action_lines", "sdg_targets", "sdg_indicators")
    missing = [code for code in am.links.remove if str(code) not in {str(v) for v in values}]
    if missing:
        raise AnchorError(
            f"amendment {am.id}: {refs.eid} does not cite {', '.join(missing)} ({am.links.scheme})",
            where=am.id,
            expected="codes the base cites",
        )
    kept = [v for v in values if str(v) not in set(am.links.remove)]
    for code in am.links.add:
        value: int | str = _code(am, code, as_int)
        if str(value) not in {str(v) for v in kept}:
            kept.append(value)
    setattr(refs, attr, kept)
    return refs


def _code(am: Amendment, code: str, as_int: bool) -> int | str:
    if not as_int:
        return code
    try:
        return int(code)
    except ValueError:
        raise AnchorError(
            f"amendment {am.id}: {code!r} is not a resolution number", where=am.id, expected="a whole number"
        ) from None


Placed = dict[tuple[str, str, str | None], Block]
"""Blocks already created, by (container eid, block list, sibling): later ones go after them."""


def place_new_block(am: Amendment, parent: Node, placed: Placed, eid: str | None = None) -> Block:
    """Insert the new block after its sibling (after earlier creations at the same place).

    The block takes its predecessor's source line, so views that merge paragraphs and
    items back into source order (:meth:`WorkArea.body`) show it where it was proposed.
    Redlines place new blocks with this too, so they show them where the amended plan has them.
    """
    spec = am.new_element
    assert spec is not None
    blocks = getattr(parent, spec.field, None)
    if not isinstance(blocks, list):
        raise AnchorError(
            f"amendment {am.id}: {parent.eid} has no list {spec.field!r}", where=am.id, expected="a block list"
        )
    slot = (parent.eid, spec.field, spec.after)
    index = 0
    if slot in placed:
        index = blocks.index(placed[slot]) + 1
    elif spec.after is not None:
        positions = [k for k, b in enumerate(blocks) if b.eid == spec.after]
        if not positions:
            raise AnchorError(
                f"amendment {am.id}: {spec.after} is not in {parent.eid}.{spec.field}",
                where=am.id,
                expected="the eid of a sibling in the base",
            )
        index = positions[0] + 1
    line = blocks[index - 1].line if index > 0 else (blocks[0].line if blocks else None)
    block = Block(eid=f"{parent.eid}__new_{am.id}", kind=spec.kind, level=spec.level, text=dict(spec.text), line=line)
    blocks.insert(index, block)
    placed[slot] = block
    return block


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
