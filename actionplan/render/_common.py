"""What every renderer shares about the plan's order: list nesting and output parts.

The renderers (:mod:`.markdown`, :mod:`.html`, :mod:`.akn`, :mod:`.docx`) walk the same
:class:`~actionplan.model.Plan` in the same order, and must agree on two things the model
leaves flat, so that a heading, a list and an eid are the same in every format:

* how a flat run of paragraphs and list items nests (:func:`group_blocks`);
* which parts an output has, with which heading and container eid, in which order
  (:func:`output_parts`).

Texts and labels in a language are in :mod:`._labels`; where references link, in :mod:`._links`.
Nothing here imports a rendering library.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from actionplan.model import Block, Output, Plan, child
from actionplan.render._labels import Shown, printed_or_label

# -- blocks -----------------------------------------------------------------------------


@dataclass
class ListEntry:
    """A list item with the items nested under it (deeper ``level``)."""

    block: Block
    children: list[ListEntry] = field(default_factory=list)


@dataclass
class ListRun:
    """Consecutive list items; ``numbered`` when the first item prints a number."""

    entries: list[ListEntry]
    numbered: bool


BlockGroup = Block | ListRun


def group_blocks(blocks: Iterable[Block]) -> list[BlockGroup]:
    """Paragraphs stay as they are; each run of consecutive items becomes a nested list.

    An item whose ``level`` is deeper than the previous item's nests under it; a level
    that jumps (1 -> 3) nests one step only, so nothing is lost.
    """
    groups: list[BlockGroup] = []
    stack: list[tuple[int, ListEntry]] = []
    run: ListRun | None = None
    for block in blocks:
        if block.kind != "item":
            groups.append(block)
            run, stack = None, []
            continue
        entry = ListEntry(block)
        if run is None:
            run = ListRun([entry], numbered=bool(block.num))
            groups.append(run)
            stack = [(block.level, entry)]
            continue
        while stack and stack[-1][0] >= block.level:
            stack.pop()
        if stack:
            stack[-1][1].children.append(entry)
        else:
            run.entries.append(entry)
        stack.append((block.level, entry))
    return groups


def sublist_numbered(entries: list[ListEntry]) -> bool:
    """Whether a nested list prints numbers (its first item has one)."""
    return bool(entries and entries[0].block.num)


# -- outputs ----------------------------------------------------------------------------

PartKey = Literal["background", "framework", "regional_initiatives", "study_group_questions", "references"]


@dataclass(frozen=True)
class Part:
    """One titled part of an output, in document order.

    ``eid`` is the container's id (for example ``obj_2__output_2.1__background``). The model
    keeps parts as lists, not nodes, so the renderer makes the id by the
    :func:`actionplan.model.child` rule. It is None when the id is already used by a
    model element. For references it is the :class:`References` node's own eid.
    """

    key: PartKey
    eid: str | None
    num: str | None
    heading: Shown


_PART_PREFIX: dict[str, str] = {
    "background": "background",
    "framework": "framework",
    "regional_initiatives": "ri",
    "study_group_questions": "sgq",
}


def output_parts(output: Output, lang: str, taken: set[str]) -> list[Part]:
    """The parts of ``output`` to render: those with content or a printed heading.

    The references part is always there, because :class:`References` is an element with
    an eid (an output without references says so: "（无）").

    ``taken`` is the set of model eids (see :func:`model_eids`), so a made-up container id
    never collides with a real one.
    """
    has: dict[PartKey, bool] = {
        "background": bool(output.background),
        "framework": bool(output.framework or output.projects),
        "regional_initiatives": bool(output.regional_initiatives or output.regional_initiatives_intro),
        "study_group_questions": bool(output.study_group_questions or output.study_group_questions_intro),
        # References is a node of its own: always shown, so its eid always has a target
        "references": True,
    }
    parts: list[Part] = []
    for key, present in has.items():
        printed = output.headings.get(key)
        if not present and printed is None:
            continue
        heading = printed_or_label(printed.text if printed else {}, key, lang)
        if key == "references":
            eid: str | None = output.references.eid
        else:
            candidate = child(output.eid, _PART_PREFIX[key])
            eid = None if candidate in taken else candidate
        parts.append(Part(key, eid, printed.num if printed else None, heading))
    return parts


def container_eid(parent: str | None, prefix: str, taken: set[str]) -> str | None:
    """A made-up container id ``parent__prefix``, or None when a model element has it."""
    candidate = child(parent, prefix)
    return None if candidate in taken else candidate


def model_eids(plan: Plan) -> set[str]:
    """Every eid the model itself assigns."""
    return {node.eid for node in plan.walk()}
