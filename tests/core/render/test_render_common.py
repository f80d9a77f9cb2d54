"""Shared rendering rules: language fallback, list nesting, output parts and links."""

from __future__ import annotations

from actionplan.model import Block, Plan
from actionplan.render._common import ListRun, group_blocks, model_eids, output_parts
from actionplan.render._labels import label, shown, table_header
from actionplan.render._links import reference_groups


def test_shown_uses_wanted_language_and_flags_fallback() -> None:
    """The wanted language wins; otherwise the first other text is shown and flagged."""
    assert shown({"zh": "成果", "en": "Outcome"}, "en").text == "Outcome"
    fb = shown({"zh": "成果", "en": ""}, "en")
    assert (fb.text, fb.lang, fb.fallback, fb.marker) == ("成果", "zh", True, "[zh]")
    assert fb.plain() == "[zh] 成果"
    empty = shown({}, "zh")
    assert not empty and empty.marker == ""


def test_group_blocks_nests_items_by_level_and_keeps_paragraphs() -> None:
    """Consecutive items form one list; a deeper level nests under the previous item."""
    blocks = [
        Block(eid="p1", text={"zh": "段"}),
        Block(eid="i1", kind="item", text={"zh": "a"}),
        Block(eid="i2", kind="item", level=2, text={"zh": "b"}),
        Block(eid="i3", kind="item", level=3, text={"zh": "c"}),
        Block(eid="i4", kind="item", text={"zh": "d"}),
        Block(eid="p2", text={"zh": "段"}),
        Block(eid="i5", kind="item", num="1", text={"zh": "e"}),
    ]
    groups = group_blocks(blocks)
    assert [type(g).__name__ for g in groups] == ["Block", "ListRun", "Block", "ListRun"]
    run = groups[1]
    assert isinstance(run, ListRun) and not run.numbered
    assert [e.block.eid for e in run.entries] == ["i1", "i4"]
    assert [e.block.eid for e in run.entries[0].children] == ["i2"]
    assert [e.block.eid for e in run.entries[0].children[0].children] == ["i3"]
    last = groups[3]
    assert isinstance(last, ListRun) and last.numbered


def test_output_parts_skip_empty_parts_and_use_printed_headings(plan: Plan) -> None:
    """Output 1.2 has only a background, so no framework, RI or SGQ part; references (an
    element with an eid) are always there. Output 1.1's headings are the printed ones."""
    taken = model_eids(plan)
    o11, o12 = plan.objectives[0].outputs
    parts = output_parts(o11, "zh", taken)
    assert [(p.key, p.num, p.heading.text) for p in parts] == [
        ("background", "1", "背景和实施框架"),
        ("references", "2", "与WTDC决议、WSIS行动方针和可持续发展目标有关的参考资料"),
    ]
    assert parts[0].eid == "obj_1__output_1.1__background"
    assert parts[1].eid == "obj_1__output_1.1__refs"
    assert [p.key for p in output_parts(o12, "zh", taken)] == ["background", "references"]


def test_output_parts_use_labels_when_printed_heading_lacks_language(plan: Plan) -> None:
    """Structural headings are never shown as a fallback: English gets English labels."""
    o21 = plan.objectives[1].outputs[0]
    parts = output_parts(o21, "en", model_eids(plan))
    assert [p.heading.text for p in parts] == [
        "Background",
        "Implementation framework",
        "Regional initiatives",
        "Study Group Questions",
        "References to WTDC resolutions, WSIS action lines and SDGs",
    ]
    assert not any(p.heading.fallback for p in parts)


def test_made_up_container_ids_never_collide_with_model_eids(plan: Plan) -> None:
    """If a model element already has the container's id, the container gets none."""
    o21 = plan.objectives[1].outputs[0]
    taken = model_eids(plan) | {"obj_2__output_2.1__background"}
    background = output_parts(o21, "zh", taken)[0]
    assert background.key == "background" and background.eid is None


def test_reference_groups_link_sdgs_wsis_and_outcomes(plan: Plan) -> None:
    """SDG targets link to UN metadata pages, WSIS lines to the Plan of Action, outcomes
    to their anchors; resolutions are AKN-style names, not web links."""
    refs = plan.objectives[1].outputs[0].references
    groups = {g.key: g for g in reference_groups(refs, plan, "zh")}
    assert groups["sdg_targets"].links[1].href == ("https://unstats.un.org/sdgs/metadata/?Text=&Goal=9&Target=9.c")
    assert groups["sdg_indicators"].links[0].href == ("https://unstats.un.org/sdgs/metadata/?Text=&Goal=9&Target=9.c")
    assert groups["wsis"].links[0].href == ("https://www.itu.int/net/wsis/docs/geneva/official/poa.html#c2")
    assert groups["contributes_to"].links[0].href == "#obj_2__outcome_2.1"
    pp = groups["pp_resolutions"].links[0]
    assert (pp.text, pp.href, pp.external) == ("32", "/akn/int/doc/resolution/itu-pp/32", False)
    assert groups["wtdc_resolutions"].label == label("wtdc_resolutions", "zh") == "WTDC决议"


def test_all_flags_show_as_all(plan: Plan) -> None:
    """'All WTDC resolutions' is listed as 全部, not dropped."""
    refs = plan.objectives[0].outputs[0].references
    groups = {g.key: g for g in reference_groups(refs, plan, "zh")}
    assert [link.text for link in groups["wtdc_resolutions"].links] == ["全部"]


def test_table_header_prefers_printed_labels_in_the_wanted_language(plan: Plan) -> None:
    obj = plan.objectives[0]
    assert [c.text for c in table_header(obj.table_header, "zh")] == [
        "成果",
        "绩效指标",
        "输出成果（产品和服务）",
    ]
    assert [c.text for c in table_header(obj.table_header, "en")] == [
        "Outcome",
        "Performance indicators",
        "Outputs (products and services)",
    ]
