"""Differences between two plan versions: a tree of changed elements, word-level inside.

Structural elements (objectives, outcomes, indicators, outputs, projects, work areas,
slots) are matched by eid: their numbers are the plan's own. Paragraphs and items are
matched *within their container* by aligning their texts, because inserting an item
renumbers the ones after it: a naive eid comparison would report every later item as
changed, where a reader sees one insertion. Reference lists are compared as sets of
codes (SDG targets, WSIS lines, resolutions), so link changes show too.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Literal

from actionplan.amend.apply import block_lists
from actionplan.amend.textdiff import Op, diff_words
from actionplan.model import Block, Node, Output, Plan, text_of
from actionplan.trace import SCHEMES

TEXT_FIELDS = ("title", "text", "label", "heading", "region_name")


@dataclass
class Change:
    kind: Literal["added", "removed", "changed"]
    element: str
    old_eid: str | None
    new_eid: str | None
    field: str | None = None
    ops: list[Op] = dc_field(default_factory=list)
    added: list[str] = dc_field(default_factory=list)
    removed: list[str] = dc_field(default_factory=list)

    @property
    def eid(self) -> str:
        return self.new_eid or self.old_eid or ""


def diff_plans(old: Plan, new: Plan, lang: str = "zh") -> list[Change]:
    """Every change from ``old`` to ``new``, in the new plan's document order."""
    old_nodes = {n.eid: n for n in old.walk() if not isinstance(n, Block)}
    new_nodes = {n.eid: n for n in new.walk() if not isinstance(n, Block)}
    changes: list[Change] = []
    for eid, node in new_nodes.items():
        before = old_nodes.get(eid)
        if before is None:
            changes.append(Change("added", _kind(node), None, eid))
            continue
        changes += _text_changes(before, node, lang)
        if isinstance(node, Output) and isinstance(before, Output):
            changes += _link_changes(before, node)
        for name, _ in block_lists(node):
            changes += _block_changes(getattr(before, name), getattr(node, name), lang)
    changes += [Change("removed", _kind(n), eid, None) for eid, n in old_nodes.items() if eid not in new_nodes]
    order = {n.eid: k for k, n in enumerate(new.walk())}
    return sorted(changes, key=lambda c: order.get(c.new_eid or "", order.get(_container(c.old_eid), 0)))


def _kind(node: Node) -> str:
    return type(node).__name__.lower()


def _container(eid: str | None) -> str:
    return (eid or "").rsplit("__", 1)[0]


def _text_changes(old: Node, new: Node, lang: str) -> list[Change]:
    found = []
    for name in TEXT_FIELDS:
        a, b = getattr(old, name, None), getattr(new, name, None)
        if isinstance(a, dict) and isinstance(b, dict):
            ta, tb = text_of(a, lang), text_of(b, lang)
            if ta != tb:
                found.append(Change("changed", _kind(new), old.eid, new.eid, name, diff_words(ta, tb, lang)))
    return found


def _link_changes(old: Output, new: Output) -> list[Change]:
    found = []
    for scheme, attr in SCHEMES.items():
        a = {str(v) for v in getattr(old.references, attr)}
        b = {str(v) for v in getattr(new.references, attr)}
        if a != b:
            found.append(
                Change(
                    "changed",
                    "references",
                    old.references.eid,
                    new.references.eid,
                    scheme,
                    added=sorted(b - a),
                    removed=sorted(a - b),
                )
            )
    return found


def _block_changes(old: list[Block], new: list[Block], lang: str) -> list[Change]:
    a = [text_of(b.text, lang) for b in old]
    b = [text_of(x.text, lang) for x in new]
    found: list[Change] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for o, n in zip(old[i1:i2], new[j1:j2], strict=True):
                found.append(
                    Change("changed", n.kind, o.eid, n.eid, "text", diff_words(a[old.index(o)], b[new.index(n)], lang))
                )
            continue
        found += [Change("removed", o.kind, o.eid, None) for o in old[i1:i2]]
        found += [
            Change("added", n.kind, None, n.eid, "text", [Op("insert", text_of(n.text, lang))]) for n in new[j1:j2]
        ]
    return found
