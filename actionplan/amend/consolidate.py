"""Consolidation: the meeting's decisions on proposed amendments, turned into the new text.

The secretariat decides each amendment: accept it, accept it with a modification (the
meeting's wording replaces the proposer's), or reject it. Only accepted amendments are
applied, all against the same base, so the order of decisions never changes the result.
The consolidation also says which amendment changed which element of the new text, the
record an adopted version keeps (Akoma Ntoso calls these passive modifications).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from actionplan.amend.apply import apply_with_provenance
from actionplan.amend.model import Amendment, AmendmentStatus, Proposed
from actionplan.errors import ValidationError
from actionplan.model import Plan

Choice = Literal["accept", "modify", "reject"]
CHOICES: tuple[Choice, ...] = ("accept", "modify", "reject")

STATUS_OF: dict[Choice, AmendmentStatus] = {
    "accept": AmendmentStatus.accepted,
    "modify": AmendmentStatus.accepted_with_modification,
    "reject": AmendmentStatus.rejected,
}


@dataclass(frozen=True)
class Decision:
    """The decision on one proposed amendment (named by :attr:`Proposed.key`).

    For ``modify``, ``amendment`` is the wording the meeting agreed (same target, new text).
    """

    key: str
    choice: Choice
    amendment: Amendment | None = None


@dataclass
class Consolidation:
    """The consolidated plan with what made it: applied proposals and element provenance."""

    plan: Plan
    applied: list[Proposed] = field(default_factory=list)
    provenance: dict[str, list[str]] = field(default_factory=dict)
    undecided: list[Proposed] = field(default_factory=list)

    def status(self, key: str, decisions: dict[str, Decision]) -> AmendmentStatus:
        decision = decisions.get(key)
        return STATUS_OF[decision.choice] if decision else AmendmentStatus.pending


def consolidate(base: Plan, proposed: list[Proposed], decisions: list[Decision]) -> Consolidation:
    """The base with every accepted (or modified) amendment applied.

    Undecided amendments are left out (and listed), so a preview can be shown part-way
    through a meeting. Decisions naming no proposed amendment are an error, not ignored:
    they usually mean a contribution was withdrawn or renamed after the decision was taken.
    """
    by_key = {p.key: p for p in proposed}
    if len(by_key) != len(proposed):
        dupes = sorted({p.key for p in proposed if sum(q.key == p.key for q in proposed) > 1})
        raise ValidationError(f"amendments proposed twice: {', '.join(dupes)}", where="proposed")
    chosen: dict[str, Decision] = {}
    for d in decisions:
        _check_decision(d, by_key)
        chosen[d.key] = d
    applied = [p for p in proposed if p.key in chosen and chosen[p.key].choice != "reject"]
    to_apply = [_wording(p, chosen[p.key]).model_copy(update={"id": p.key}) for p in applied]
    plan, provenance = apply_with_provenance(base, to_apply)
    undecided = [p for p in proposed if p.key not in chosen]
    return Consolidation(plan, applied, provenance, undecided)


def _check_decision(d: Decision, by_key: dict[str, Proposed]) -> None:
    if d.key not in by_key:
        raise ValidationError(
            f"decision on {d.key}, which is not among the proposed amendments",
            where=d.key,
            expected=", ".join(sorted(by_key)) or "a proposed amendment",
        )
    if d.choice not in CHOICES:
        raise ValidationError(f"unknown decision {d.choice!r}", where=d.key, expected=", ".join(CHOICES))
    if d.choice == "modify" and d.amendment is None:
        raise ValidationError(
            f"{d.key}: accepting with a modification needs the modified amendment",
            where=d.key,
            expected="the agreed wording",
        )


def _wording(p: Proposed, d: Decision) -> Amendment:
    if d.choice == "modify" and d.amendment is not None:
        return d.amendment
    return p.amendment
