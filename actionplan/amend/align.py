"""A revised clean document as a contribution: align it to the base, diff it into amendments.

Delegates do not always track their changes: often they send the plan back edited. To
consider such a document clause by clause, its differences from the base must become the
same anchored amendments a tracked or hand-written contribution has. The revised document is
parsed by the ordinary importer (text or Word), then compared with the base the way
:mod:`actionplan.amend.diff` compares versions:

- structural elements (objectives, outcomes, indicators, outputs, projects, work areas, slots,
  sections, reference statements) are matched by eid, since their numbers are the plan's own;
  a changed text becomes the minimal anchored amendments of
  :func:`actionplan.amend.author.amendments_from_edit`;
- paragraphs and items are matched *within their list* by aligning their texts (exact first,
  then the most similar above :data:`SIMILAR`, keeping document order), so one inserted item
  is one ``element_creation`` and not a renumbering of every later item; an unmatched base
  block is a whole-element ``deletion``;
- SDG/WSIS/resolution codes are compared as sets per scheme and become ``reference_change``
  amendments.

What no amendment type can express (a new output or work area, a removed section, a changed
list level, the revised document's own front matter) is reported as :class:`Unanchored`,
never dropped. This module also holds what the Word importer (:mod:`.wordimport`) shares:
the result types and :func:`align`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from actionplan.amend.apply import block_lists
from actionplan.amend.author import amendments_from_edit, element_deletion, link_change, new_element
from actionplan.amend.model import Amendment, Contribution
from actionplan.errors import ActionPlanError
from actionplan.model import Block, Node, Output, Plan, Section, text_of
from actionplan.model.texts import TEXT_FIELDS
from actionplan.trace import SCHEMES

__all__ = ["SIMILAR", "ImportResult", "Unanchored", "align", "import_revised", "order_for_apply", "similarity"]

SIMILAR = 0.6
"""Lowest similarity (difflib ratio, 0-1) at which two different texts count as the same one edited."""
MAX_CELLS = 250_000
"""Largest gap (rows x columns) aligned by similarity; a bigger one keeps only its exact matches."""


@dataclass(frozen=True)
class Unanchored:
    """A change that could not become an amendment, with what it is and why."""

    paragraph: int | None
    """Word: the paragraph number (as the plan importer counts); a revised plan: the source line."""
    kind: str
    """ins, del, move_from, move_to, ins_mark, del_mark (Word); added, removed, changed (revised plan)."""
    text: str
    reason: str
    author: str = ""
    date: str = ""
    revision_id: str = ""


@dataclass
class ImportResult:
    contribution: Contribution
    unanchored: list[Unanchored] = field(default_factory=list)

    @property
    def amendments(self) -> list[Amendment]:
        return self.contribution.amendments


def similarity(a: str, b: str) -> float:
    """difflib's ratio of two texts by characters, cheap bounds first (they reject most pairs)."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


def align(
    a: Sequence[str], b: Sequence[str], score: Callable[[int, int], float], threshold: float = SIMILAR
) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` of ``a`` and ``b`` in increasing order of both: equal keys, then similar ones.

    Equal keys are matched first (difflib's longest matching blocks), which fixes most of the
    alignment cheaply; each gap between them is then aligned by dynamic programming on
    ``score(i, j)``, counting only pairs scoring at least ``threshold``, so that the pairs kept
    are the most similar ones that preserve document order.
    """
    pairs: list[tuple[int, int]] = []
    i0 = j0 = 0
    blocks = difflib.SequenceMatcher(None, list(a), list(b), autojunk=False).get_matching_blocks()
    for i, j, n in blocks:
        pairs += _gap(range(i0, i), range(j0, j), score, threshold)
        pairs += [(i + k, j + k) for k in range(n)]
        i0, j0 = i + n, j + n
    return pairs


def _gap(rows: range, cols: range, score: Callable[[int, int], float], threshold: float) -> list[tuple[int, int]]:
    if not rows or not cols or len(rows) * len(cols) > MAX_CELLS:
        return []
    n, m = len(rows), len(cols)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for x in range(1, n + 1):
        for y in range(1, m + 1):
            s = score(rows[x - 1], cols[y - 1])
            diagonal = best[x - 1][y - 1] + s if s >= threshold else -1.0
            best[x][y] = max(best[x - 1][y], best[x][y - 1], diagonal)
    found: list[tuple[int, int]] = []
    x, y = n, m
    while x and y:
        if best[x][y] == best[x - 1][y]:
            x -= 1
        elif best[x][y] == best[x][y - 1]:
            y -= 1
        else:
            found.append((rows[x - 1], cols[y - 1]))
            x, y = x - 1, y - 1
    return found[::-1]


def order_for_apply(amendments: list[Amendment], prefix: str = "A") -> list[Amendment]:
    """The amendments numbered ``prefix1…`` in the order found (document order).

    :func:`~actionplan.amend.apply.apply_amendments` keeps creations after the same
    sibling in the order given, so document order is also the order that applies.
    """
    return [am.model_copy(update={"id": f"{prefix}{k}"}) for k, am in enumerate(amendments, start=1)]


# -- a revised plan --------------------------------------------------------------------


def import_revised(
    revised: Plan, base: Plan, *, lang: str = "zh", document: str = "", base_ref: str = ""
) -> ImportResult:
    """The amendments that turn ``base`` into ``revised`` (both parsed plans), in ``lang``.

    ``base_ref`` names the base version in the contribution (default: the base's plan code).
    """
    diff = _Differ(base, revised, lang)
    diff.run()
    contribution = Contribution(
        document=document,
        base=base_ref or base.code,
        language=lang,
        amendments=order_for_apply(diff.amendments),
    )
    return ImportResult(contribution, diff.unanchored)


class _Differ:
    def __init__(self, base: Plan, revised: Plan, lang: str) -> None:
        self.base, self.revised, self.lang = base, revised, lang
        self.amendments: list[Amendment] = []
        self.unanchored: list[Unanchored] = []

    def run(self) -> None:
        old = {n.eid: n for n in self.base.walk() if not isinstance(n, Block)}
        new = {n.eid: n for n in self.revised.walk() if not isinstance(n, Block)}
        for eid, node in old.items():
            other = new.get(eid)
            if other is None:
                self.report(node, "removed", f"a removed {_kind(node)} cannot be expressed as an amendment")
                continue
            self.texts(node, other)
            if isinstance(node, Output) and isinstance(other, Output):
                self.links(node, other)
            for name, _ in block_lists(node):
                self.blocks(node, name, getattr(node, name), getattr(other, name))
        reported: list[str] = []
        for eid, node in new.items():
            if eid not in old and not any(eid.startswith(f"{r}__") for r in reported):  # its parent said it all
                reported.append(eid)
                front = eid.startswith("preface")
                why = "the revised document's own front matter" if front else f"a new {_kind(node)}"
                self.report(node, "added", f"{why} cannot be expressed as an amendment")

    def report(self, node: Node, kind: str, reason: str, text: str | None = None) -> None:
        if text is None:
            text = next(
                (text_of(getattr(node, f), self.lang) for f in TEXT_FIELDS if isinstance(getattr(node, f, None), dict)),
                "",
            )
        self.unanchored.append(Unanchored(node.line, kind, text, f"{node.eid}: {reason}"))

    def edit(self, node: Node, name: str, new_text: str) -> None:
        old = getattr(node, name)
        if self.lang not in old:
            self.report(node, "changed", f"the base has no {self.lang} {name} to amend", new_text)
            return
        self.amendments += amendments_from_edit(self.base, node.eid, name, self.lang, new_text, prefix="T")

    def texts(self, node: Node, other: Node) -> None:
        for name in TEXT_FIELDS:
            a, b = getattr(node, name, None), getattr(other, name, None)
            if isinstance(a, dict) and isinstance(b, dict) and a.get(self.lang, "") != b.get(self.lang, ""):
                self.edit(node, name, b.get(self.lang, ""))

    def links(self, node: Output, other: Output) -> None:
        for scheme, attr in SCHEMES.items():
            was = [str(v) for v in getattr(node.references, attr)]
            now = [str(v) for v in getattr(other.references, attr)]
            add, remove = [c for c in now if c not in was], [c for c in was if c not in now]
            if not add and not remove:
                continue
            try:
                self.amendments.append(link_change(self.base, node.eid, scheme, add, remove, id="L"))
            except ActionPlanError as exc:
                self.report(node.references, "changed", f"{scheme} +{add} -{remove}: {exc.message}", "")
        for flag in ("all_wtdc_resolutions", "all_wsis_action_lines", "all_sdgs"):
            if getattr(node.references, flag) != getattr(other.references, flag):
                self.report(node.references, "changed", f"{flag} changed; no link change expresses it", "")

    def blocks(self, node: Node, name: str, old: list[Block], new: list[Block]) -> None:
        a = [text_of(b.text, self.lang) for b in old]
        b = [text_of(x.text, self.lang) for x in new]
        pairs = align(a, b, lambda i, j: similarity(a[i], b[j]))
        matched_old = {i for i, _ in pairs}
        partner = dict((j, i) for i, j in pairs)
        for i, j in pairs:
            if (old[i].kind, old[i].level, old[i].num) != (new[j].kind, new[j].level, new[j].num):
                self.report(old[i], "changed", "its kind, list level or printed number changed", b[j])
            if a[i] != b[j]:
                self.edit(old[i], "text", b[j])
        for i, block in enumerate(old):
            if i not in matched_old:
                self.amendments.append(element_deletion(self.base, block.eid, id="D"))
        after: str | None = None
        for j, block in enumerate(new):
            if j in partner:
                after = old[partner[j]].eid
            else:
                self.create(node, name, after, block)

    def create(self, node: Node, name: str, after: str | None, block: Block) -> None:
        text = text_of(block.text, self.lang, fallback=False)
        if not text.strip():
            self.report(block, "added", f"a new {block.kind} without {self.lang} text", text_of(block.text))
            return
        if block.num:
            self.report(block, "added", f"its printed number {block.num!r} is not kept: a new element has none", text)
        am = new_element(self.base, node.eid, name, after, text, self.lang, id="C", kind=block.kind)
        assert am.new_element is not None
        self.amendments.append(
            am.model_copy(update={"new_element": am.new_element.model_copy(update={"level": block.level})})
        )


def _kind(node: Node) -> str:
    if isinstance(node, Section):
        return "section"
    return type(node).__name__.lower()
