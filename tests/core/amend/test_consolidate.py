"""The meeting's decisions turned into the consolidated text, with element provenance."""

from __future__ import annotations

import pytest

from actionplan.amend import Contribution, apply_amendments, proposed_from
from actionplan.amend.author import current_text
from actionplan.amend.consolidate import Decision, consolidate
from actionplan.amend.diff import diff_plans
from actionplan.errors import ValidationError
from actionplan.model import Plan


def test_accepting_everything_gives_the_source(bundled_base: Plan, bundled_contribution: Contribution) -> None:
    proposed = proposed_from(bundled_contribution, "SRC")
    result = consolidate(bundled_base, proposed, [Decision(p.key, "accept") for p in proposed])
    expected = apply_amendments(bundled_base, bundled_contribution.amendments)
    assert result.plan.model_dump() == expected.model_dump()
    assert sorted(result.provenance) == sorted(p.key for p in proposed)
    assert result.provenance["SRC/A1"] == ["obj_2__output_2.1__project_1__area_2__item_3"]
    assert result.undecided == []
    changed = {c.eid for c in diff_plans(bundled_base, result.plan)}
    recorded = {eid for eids in result.provenance.values() for eid in eids}
    assert recorded <= changed | {e.rsplit("__", 1)[0] for e in changed}


def test_reject_modify_and_undecided(bundled_base: Plan, bundled_contribution: Contribution) -> None:
    proposed = proposed_from(bundled_contribution, "SRC")
    by_id = {p.amendment.id: p for p in proposed}
    a2 = by_id["A2"].amendment
    modified = a2.model_copy(update={"new_text": {"zh": "视频业务日益重要。"}})
    decisions = [
        Decision("SRC/A1", "reject"),
        Decision("SRC/A2", "modify", modified),
        Decision("SRC/A3", "accept"),
    ]
    result = consolidate(bundled_base, proposed, decisions)
    assert [p.key for p in result.applied] == ["SRC/A2", "SRC/A3"]
    assert len(result.undecided) == len(proposed) - 3
    para = current_text(result.plan, "obj_2__output_2.1__background__para_4", "text", "zh")
    assert para.endswith("视频业务日益重要。") and "正在成为" not in para
    area = next(n for n in result.plan.walk() if n.eid == "obj_2__output_2.1__project_1__area_2")
    assert len(area.items) == len(next(n for n in bundled_base.walk() if n.eid == area.eid).items)  # type: ignore[attr-defined]


def test_bad_decisions_are_refused(bundled_base: Plan, bundled_contribution: Contribution) -> None:
    proposed = proposed_from(bundled_contribution, "SRC")
    with pytest.raises(ValidationError, match="SRC/A99"):
        consolidate(bundled_base, proposed, [Decision("SRC/A99", "accept")])
    with pytest.raises(ValidationError, match="modified amendment"):
        consolidate(bundled_base, proposed, [Decision("SRC/A2", "modify")])
    with pytest.raises(ValidationError, match="proposed twice"):
        consolidate(bundled_base, proposed + proposed[:1], [])
