"""Authoring amendments: a delegate edits a text, the amendments are computed from the edit.

Delegates think in edited text, not in anchors; the system turns "this paragraph now reads
so" into the smallest amendments a meeting can consider one by one: each run of changed
words becomes an insertion, deletion or substitution, anchored by the quoted old words and
just enough context on either side to be unique in the text (so the anchor survives edits
elsewhere and renumbering). Link changes, new paragraphs and element deletions have their
own constructors, all checked against the plan so a bad amendment is refused at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from actionplan.amend.apply import AnchorError, block_lists
from actionplan.amend.model import Amendment, AmendmentType, Anchor, LinkChange, NewElement
from actionplan.amend.textdiff import Op, diff_words
from actionplan.errors import NotFoundError, ValidationError
from actionplan.model import Block, Node, Output, Plan
from actionplan.model.plan import References
from actionplan.model.texts import TEXT_FIELDS, iter_texts
from actionplan.registry.sdg import sdg_goal, sdg_indicator, sdg_target
from actionplan.registry.wsis import wsis_line
from actionplan.trace import SCHEMES

CONTEXT = 6
"""Characters of context an anchor takes at least on each side (fewer at a text's ends)."""

MERGE_GAP = 2
"""Changed runs separated by at most this many unchanged characters make one amendment."""


@dataclass(frozen=True)
class EditableText:
    """A text a delegate can edit: the element, its field, a short label and the text."""

    eid: str
    field: str
    label: str
    text: str


@dataclass
class _Hunk:
    start: int
    end: int
    new: str


def editable_texts(plan: Plan, lang: str) -> list[EditableText]:
    """Every non-empty text of ``plan`` in ``lang``, in document order, for picking one."""
    return [EditableText(t.node.eid, t.field, _label(t.node, t.field), t.text) for t in iter_texts(plan, lang)]


def _label(node: Node, field: str) -> str:
    number = getattr(node, "number", None) or getattr(node, "code", None)
    kind = type(node).__name__.lower()
    return f"{kind} {number} · {field}" if number else f"{node.eid} · {field}"


def amendments_from_edit(
    plan: Plan, eid: str, field: str, lang: str, new_text: str, *, prefix: str = "A", start: int = 1
) -> list[Amendment]:
    """The amendments that turn the ``field`` text of ``eid`` into ``new_text``.

    Ids are ``prefix`` + a running number from ``start``. An unchanged text gives none.
    """
    old = current_text(plan, eid, field, lang)
    hunks = _hunks(old, diff_words(old, new_text, lang))
    found = []
    for k, h in enumerate(hunks):
        before, after = anchor_context(old, h.start, h.end)
        kind = _kind(old[h.start : h.end], h.new)
        found.append(
            Amendment(
                id=f"{prefix}{start + k}",
                type=kind,
                target=Anchor(eid=eid, field=field, lang=lang, old=old[h.start : h.end], before=before, after=after),
                new_text={lang: h.new} if h.new else {},
            )
        )
    return found


def current_text(plan: Plan, eid: str, field: str, lang: str) -> str:
    """The text an edit starts from, with errors that say what exists instead."""
    node = _find(plan, eid)
    if field not in TEXT_FIELDS:
        raise ValidationError(f"{field!r} is not a text field", where="field", expected=", ".join(TEXT_FIELDS))
    value = getattr(node, field, None)
    if not isinstance(value, dict) or lang not in value:
        have = [f for f in TEXT_FIELDS if isinstance(getattr(node, f, None), dict) and lang in getattr(node, f)]
        raise ValidationError(
            f"{eid} has no {lang} {field}", where="field", expected=", ".join(have) or "an element with text"
        )
    return str(value[lang])


def _find(plan: Plan, eid: str) -> Node:
    for node in plan.walk():
        if node.eid == eid:
            return node
    raise NotFoundError(f"no element {eid} in the plan", where="eid", expected="an eid of the base version")


def _kind(old: str, new: str) -> AmendmentType:
    if not old:
        return AmendmentType.insertion
    if not new:
        return AmendmentType.deletion
    return AmendmentType.substitution


def _hunks(old: str, ops: list[Op]) -> list[_Hunk]:
    """Runs of changed words with their offsets in the old text; near neighbours merged.

    Merging matters for Chinese: a rewritten clause often keeps a single "的" or "，" in
    place, and two amendments either side of it would only make the meeting's work harder.
    """
    raw: list[_Hunk] = []
    pos = 0
    for op in ops:
        if op.kind == "equal":
            pos += len(op.text)
            continue
        if not raw or raw[-1].end != pos or (raw[-1].new and op.kind == "delete"):
            raw.append(_Hunk(pos, pos, ""))
        if op.kind == "delete":
            pos += len(op.text)
            raw[-1].end = pos
        else:
            raw[-1].new += op.text
    merged: list[_Hunk] = []
    for h in raw:
        if merged and h.start - merged[-1].end <= MERGE_GAP:
            last = merged[-1]
            last.new += old[last.end : h.start] + h.new
            last.end = h.end
        else:
            merged.append(h)
    return merged


def anchor_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The shortest context (at least :data:`CONTEXT` characters a side) unique in ``text``."""
    width = CONTEXT
    while True:
        before = text[max(0, start - width) : start]
        after = text[end : end + width]
        needle = before + text[start:end] + after
        first = text.find(needle)
        if text.find(needle, first + 1) < 0 or (len(before) == start and len(after) == len(text) - end):
            return before, after
        width *= 2


def link_change(plan: Plan, eid: str, scheme: str, add: list[str], remove: list[str], *, id: str) -> Amendment:
    """An amendment adding and removing SDG/WSIS/resolution links of one output."""
    node = _find(plan, eid)
    output = node if isinstance(node, Output) else None
    if output is None and isinstance(node, References):
        output = next((o for o in plan.all_outputs() if o.references is node), None)
    if output is None:
        raise ValidationError(f"{eid} is not an output", where="eid", expected="the eid of an output")
    if scheme not in SCHEMES:
        raise ValidationError(f"unknown reference scheme {scheme!r}", where="scheme", expected=", ".join(SCHEMES))
    if not add and not remove:
        raise ValidationError("a link change adds or removes at least one code", where="add/remove")
    cited = {str(v) for v in getattr(output.references, SCHEMES[scheme])}
    _check_codes(scheme, add, remove, cited)
    return Amendment(
        id=id,
        type=AmendmentType.reference_change,
        target=Anchor(eid=output.eid, field="references", lang=plan.language),
        links=LinkChange(scheme=scheme, add=list(add), remove=list(remove)),
    )


def _check_codes(scheme: str, add: list[str], remove: list[str], cited: set[str]) -> None:
    not_cited = [c for c in remove if c not in cited]
    if not_cited:
        raise ValidationError(
            f"the output does not cite {', '.join(not_cited)}", where="remove", expected=", ".join(sorted(cited))
        )
    already = [c for c in add if c in cited]
    if already:
        raise ValidationError(f"the output already cites {', '.join(already)}", where="add")
    lookup = {"sdg_goal": sdg_goal, "sdg_target": sdg_target, "sdg_indicator": sdg_indicator, "wsis": wsis_line}
    for code in add:
        known = lookup[scheme](code) is not None if scheme in lookup else code.isdigit()
        if not known:
            raise ValidationError(
                f"{code!r} is not a known {scheme} code", where="add", expected=f"a code of the {scheme} registry"
            )


def new_element(
    plan: Plan,
    container: str,
    field: str,
    after: str | None,
    text: str,
    lang: str,
    *,
    id: str,
    kind: Literal["para", "item"] = "para",
) -> Amendment:
    """An amendment adding a paragraph or list item to one of ``container``'s block lists."""
    parent = _find(plan, container)
    lists = dict(block_lists(parent))
    if field not in lists:
        raise ValidationError(
            f"{container} has no block list {field!r}", where="field", expected=", ".join(lists) or "a container"
        )
    blocks: list[Block] = getattr(parent, field)
    if after is not None and after not in {b.eid for b in blocks}:
        raise ValidationError(
            f"{after} is not in {container}.{field}", where="after", expected="the eid of a sibling, or none"
        )
    if kind not in ("para", "item"):
        raise ValidationError(f"unknown block kind {kind!r}", where="kind", expected="para, item")
    if not text.strip():
        raise ValidationError("the new element has no text", where="text")
    level = next((b.level for b in blocks if b.eid == after), 1)
    return Amendment(
        id=id,
        type=AmendmentType.element_creation,
        new_element=NewElement(
            container=container,
            field=field,
            after=after,
            kind=kind,
            level=level,
            text={lang: text},
        ),
    )


def element_deletion(plan: Plan, eid: str, *, id: str) -> Amendment:
    """An amendment deleting a whole paragraph or list item."""
    node = _find(plan, eid)
    if not isinstance(node, Block):
        raise AnchorError(
            f"{eid} is not a paragraph or item; only those can be deleted whole",
            where="eid",
            expected="the eid of a paragraph or list item",
        )
    return Amendment(id=id, type=AmendmentType.deletion, target=Anchor(eid=eid, lang=plan.language))
