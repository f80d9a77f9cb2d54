"""Diff of two versions: base vs consolidated shows exactly the contribution's changes."""

from __future__ import annotations

from actionplan.amend import apply_amendments, bundled_base_path, bundled_contribution_path, load_contribution
from actionplan.amend.diff import diff_plans
from actionplan.ingest import parse_file
from actionplan.model import Plan


def test_base_vs_consolidated_is_the_four_proposals() -> None:
    base = parse_file(bundled_base_path())
    contribution = load_contribution(bundled_contribution_path())
    consolidated = apply_amendments(base, contribution.amendments)
    changes = diff_plans(base, consolidated)
    targets = {a.target_eid() for a in contribution.amendments}
    assert len(changes) == len(contribution.amendments) == 8
    # every change sits in an element an amendment targets (its container for insertions)
    for c in changes:
        assert c.eid in targets or c.eid.rsplit("__", 1)[0] in targets, c.eid
    title = next(c for c in changes if c.field == "title")
    assert [(op.kind, op.text) for op in title.ops] == [("equal", "广播"), ("insert", "与视频")]
    added = [c for c in changes if c.kind == "added"]
    assert [c.new_eid for c in added] == [
        "obj_2__output_2.1__project_1__area_2__item_3",
        "obj_2__output_2.1__project_1__area_6__item_3",
        "obj_3__output_3.2__project_1__item_11",
        "obj_4__output_4.3__project_1__para_4",
        "obj_4__output_4.3__project_1__item_5",
    ]


def test_identical_versions_have_no_changes(seed_plan: Plan) -> None:
    assert diff_plans(seed_plan, seed_plan.model_copy(deep=True)) == []


def test_link_changes_and_removed_elements(seed_plan: Plan) -> None:
    new = seed_plan.model_copy(deep=True)
    out = new.output("2.2")
    assert out is not None
    out.references.sdg_targets.append("9.c")
    out.references.sdg_goals.remove(4)
    new.objectives[1].outputs[1].projects[0].text.pop(0)
    changes = diff_plans(seed_plan, new)
    links = {c.field: (c.added, c.removed) for c in changes if c.element == "references"}
    assert links == {"sdg_goal": ([], ["4"]), "sdg_target": (["9.c"], [])}
    removed = [c for c in changes if c.kind == "removed"]
    assert [c.old_eid for c in removed] == ["obj_2__output_2.2__project_1__para_1"]
