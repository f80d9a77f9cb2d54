"""Colliding amendments from different contributions, and rebasing onto a newer base."""

from __future__ import annotations

from actionplan.amend import Amendment, AmendmentType, Anchor, Contribution, Proposed, apply_amendments, proposed_from
from actionplan.amend.author import amendments_from_edit, current_text, link_change
from actionplan.amend.conflicts import conflict_sets, rebase
from actionplan.model import Plan

PARA = "obj_2__output_2.1__background__para_4"
OTHER = "obj_2__output_2.1__background__para_1"


def _proposed(name: str, amendments: list[Amendment]) -> list[Proposed]:
    return [Proposed(contribution=name, amendment=a, sponsor=name) for a in amendments]


def _rival(base: Plan) -> list[Proposed]:
    """Another member appending to the paragraph the bundled A2 appends to."""
    old = current_text(base, PARA, "text", "zh")
    edit = amendments_from_edit(base, PARA, "text", "zh", old + "卫星广播同样重要。", prefix="R")
    far = amendments_from_edit(
        base, OTHER, "text", "zh", current_text(base, OTHER, "text", "zh") + "另有说明。", prefix="F"
    )
    return _proposed("RIVAL", edit + far)


def test_overlapping_amendments_form_one_set_in_order_of_departure(
    bundled_base: Plan, bundled_contribution: Contribution
) -> None:
    ours = proposed_from(bundled_contribution, "SRC")
    whole = current_text(bundled_base, PARA, "text", "zh")
    rewrite = [
        Amendment(
            id="W1",
            type=AmendmentType.substitution,
            target=Anchor(eid=PARA, old=whole),
            new_text={"zh": "各国正在从模拟广播过渡到数字广播。"},
        )
    ]
    proposed = ours + _rival(bundled_base) + _proposed("THIRD", rewrite)
    sets = conflict_sets(bundled_base, proposed)
    assert len(sets) == 1, [s.keys for s in sets]
    s = sets[0]
    assert (s.eid, s.field, s.lang) == (PARA, "text", "zh")
    assert s.base_text == current_text(bundled_base, PARA, "text", "zh")
    assert set(s.keys) == {"SRC/A2", "RIVAL/R1", "THIRD/W1"}
    departures = [v.departure for v in s.members]
    assert departures == sorted(departures, reverse=True)
    assert s.members[0].proposed.contribution == "THIRD", "the rewrite departs furthest and comes first"
    for v in s.members:
        assert "".join(op.text for op in v.ops if op.kind != "delete") == v.text
        assert "".join(op.text for op in v.ops if op.kind != "insert") == s.base_text


def test_amendments_of_one_contribution_never_conflict_with_each_other(
    bundled_base: Plan, bundled_contribution: Contribution
) -> None:
    assert conflict_sets(bundled_base, proposed_from(bundled_contribution, "SRC")) == []
    twice = proposed_from(bundled_contribution, "SRC") + proposed_from(bundled_contribution, "COPY")
    sets = conflict_sets(bundled_base, twice)
    assert len(sets) == len(bundled_contribution.amendments), "the same amendment twice collides with itself"


def test_link_changes_collide_on_a_shared_code(bundled_base: Plan) -> None:
    out = bundled_base.output("2.1")
    assert out is not None
    drop = link_change(bundled_base, out.eid, "sdg_target", [], ["9.c"], id="L1")
    keep = link_change(bundled_base, out.eid, "sdg_target", ["4.4"], ["9.c"], id="L1")
    other = link_change(bundled_base, out.eid, "sdg_target", ["4.5"], [], id="L2")
    sets = conflict_sets(bundled_base, _proposed("X", [drop]) + _proposed("Y", [keep, other]))
    assert [s.keys for s in sets] == [["X/L1", "Y/L1"]] or [sorted(s.keys) for s in sets] == [["X/L1", "Y/L1"]]


def test_rebase_marks_clean_fuzzy_and_conflicting(bundled_base: Plan, bundled_contribution: Contribution) -> None:
    new_base = apply_amendments(bundled_base, bundled_contribution.amendments)
    area = "obj_2__output_2.1__project_1__area_2"
    item3 = f"{area}__item_3"
    pending = amendments_from_edit(
        bundled_base, item3, "text", "zh", current_text(bundled_base, item3, "text", "zh") + "（补充）", prefix="P"
    )
    untouched = amendments_from_edit(
        bundled_base, OTHER, "text", "zh", "（前言）" + current_text(bundled_base, OTHER, "text", "zh"), prefix="Q"
    )
    # a newer base that rewrote the words a pending amendment quotes
    old = current_text(bundled_base, PARA, "text", "zh")
    rewritten = apply_amendments(
        new_base,
        amendments_from_edit(
            new_base,
            PARA,
            "text",
            "zh",
            current_text(new_base, PARA, "text", "zh").replace("音频和视频", "声音与图像"),
            prefix="Z",
        ),
    )
    quoting = amendments_from_edit(bundled_base, PARA, "text", "zh", old.replace("音频和视频", "音视频"), prefix="C")
    results = {r.amendment.id: r for r in rebase(bundled_base, rewritten, pending + untouched + quoting)}
    assert results["Q1"].status == "clean"
    assert results["P1"].status == "fuzzy" and results["P1"].amendment.target is not None
    assert results["P1"].amendment.target.eid == f"{area}__item_4", "A1 inserted an item before it"
    assert results["C1"].status == "conflicting" and "音频和视频" in results["C1"].note
    clean = [r.amendment for r in results.values() if r.status != "conflicting"]
    after = apply_amendments(rewritten, clean)
    assert current_text(after, f"{area}__item_4", "text", "zh").endswith("（补充）")
