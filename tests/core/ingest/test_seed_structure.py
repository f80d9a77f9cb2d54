"""The source document parsed into the model: counts, mapping, texts kept in place."""

from __future__ import annotations

import re
from pathlib import Path

from actionplan.data.plans import bundled_plan
from actionplan.ingest import parse_file
from actionplan.model import Plan, parse_eid

# Read off the source by hand (its three-column tables, section 2).
OUTCOME_OUTPUTS = {
    "1.1": ["1.1", "1.2", "1.5"],
    "1.2": ["1.3"],
    "1.3": ["1.4", "1.6"],
    "2.1": ["2.1"],
    "2.2": ["2.2"],
    "2.3": ["2.3"],
    "3.1": ["3.1"],
    "3.2": ["3.2"],
    "3.3": ["3.3"],
    "3.4": ["3.4"],
    "4.1": ["4.1"],
    "4.2": ["4.2"],
    "4.3": ["4.3"],
    "4.4": ["4.4"],
}
INDICATORS_PER_OUTCOME = {
    "1.1": 2,
    "1.2": 1,
    "1.3": 4,
    "2.1": 3,
    "2.2": 3,
    "2.3": 3,
    "3.1": 3,
    "3.2": 2,
    "3.3": 4,
    "3.4": 3,
    "4.1": 2,
    "4.2": 3,
    "4.3": 2,
    "4.4": 3,
}


def test_seed_has_the_plans_counts(seed_plan: Plan) -> None:
    """4 objectives, 14 outcomes, 38 performance indicators, 17 outputs."""
    assert len(seed_plan.objectives) == 4
    assert len(seed_plan.all_outcomes()) == 14
    assert len(seed_plan.all_indicators()) == 38
    assert len(seed_plan.all_outputs()) == 17
    assert [o.number for o in seed_plan.all_outputs()] == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "1.5",
        "1.6",
        "2.1",
        "2.2",
        "2.3",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
        "4.1",
        "4.2",
        "4.3",
        "4.4",
    ]


def test_outcome_to_output_mapping_comes_from_each_objectives_table(seed_plan: Plan) -> None:
    got = {oc.number: oc.outputs for oc in seed_plan.all_outcomes()}
    assert got == OUTCOME_OUTPUTS
    assert {oc.number: len(oc.indicators) for oc in seed_plan.all_outcomes()} == INDICATORS_PER_OUTCOME
    assert seed_plan.outcome("1.1").output_labels["1.5"]["zh"] == "区域性协调平台，包括区域发展论坛（RDFs）"  # type: ignore[union-attr]


def test_indicator_text_keeps_its_words_without_the_bullet(seed_plan: Plan) -> None:
    ind = seed_plan.outcome("1.3").indicators[0]  # type: ignore[union-attr]
    assert ind.text["zh"].startswith("开展的工作计划针对：第2号决议")
    assert ind.number == "1.3.1" and ind.eid == "obj_1__outcome_1.3__ind_1"


def test_output_has_projects_work_areas_and_items_in_order(seed_plan: Plan) -> None:
    out = seed_plan.output("2.1")
    assert out is not None
    assert out.title["zh"].startswith("关于电信/信息通信技术（ICT）基础设施及服务的产品和服务")
    (project,) = out.projects
    assert project.title["zh"] == "电信/ICT网络基础设施与服务"
    assert [a.title["zh"] for a in project.work_areas] == [
        "下一代网络，包括用于智能电网的ICT网络",
        "宽带网：有线与无线技术，包括IMT",
        "农村通信",
        "连接标准化差距",
        "一致性与互操作性（C&I）",
        "广播与视频",
        "频谱管理",
    ]
    broadband = project.work_areas[1]
    items = [b.text["zh"] for b in broadband.items]
    assert len(items) == 4
    assert items[2].startswith("推动国际公约的建立")  # the contribution's first proposal
    assert "跨多国陆缆" in items[2]
    video = project.work_areas[5].items
    assert video[-1].text["zh"].startswith("就电信网络服务视频业务接入的政策与解决方案提供帮助")


def test_every_output_has_six_region_slots_and_its_study_group_slot(seed_plan: Plan) -> None:
    for out in seed_plan.all_outputs():
        if out.number.startswith("1."):
            assert out.regional_initiatives == []  # objective 1's outputs have none
            continue
        assert [s.region for s in out.regional_initiatives] == ["AFR", "AMS", "ARB", "ASP", "CIS", "EUR"]
        assert all(s.blocks == [] for s in out.regional_initiatives)
        assert len(out.study_group_questions) == 1
    assert seed_plan.output("2.2").regional_initiatives_intro[0].text["zh"].startswith("下列区域性举措将有助于成果2.2")  # type: ignore[union-attr]


def test_references_are_parsed_and_normalised(seed_plan: Plan) -> None:
    r11 = seed_plan.output("1.1").references  # type: ignore[union-attr]
    assert r11.pp_decisions == [5, 13]
    assert r11.pp_resolutions == [25, 71, 72, 77, 131, 135, 139, 140, 151, 154, 165, 167]
    assert r11.all_wtdc_resolutions and r11.wtdc_resolutions == []
    assert r11.wsis_action_lines == ["C1", "C11"]
    assert r11.sdg_goals == [1, 3, 5, 10, 16, 17]
    assert r11.sdg_targets == ["3.d", "16.5", "16.6", "16.8", "17.9", "17.16", "17.17", "17.18", "17.19"]
    assert r11.contributes_to_outcomes == ["1.1"]

    r21 = seed_plan.output("2.1").references  # type: ignore[union-attr]
    assert r21.pp_resolutions.count(127) == 2  # as written; the linter reports it
    assert r21.wtdc_resolutions[:4] == [9, 10, 11, 15]  # '10 11' separated by a space
    assert r21.wsis_action_lines == ["C1", "C2", "C3", "C9", "C11"]

    r22 = seed_plan.output("2.2").references  # type: ignore[union-attr]
    assert r22.sdg_goals == [4, 9, 11, 16] and r22.sdg_targets == []

    r31 = seed_plan.output("3.1").references  # type: ignore[union-attr]
    assert r31.itu_d_recommendations == [15, 16]

    r32 = seed_plan.output("3.2").references  # type: ignore[union-attr]
    assert r32.all_sdgs and r32.sdg_goals == []  # '第48、57、74-76和83段' are paragraphs
    assert r32.all_wsis_action_lines

    r33 = seed_plan.output("3.3").references  # type: ignore[union-attr]
    assert r33.wtdc_resolutions == [73, 40, 11, 17, 35, 37, 38, 56, 48, 55, 56, 58, 67]

    r41 = seed_plan.output("4.1").references  # type: ignore[union-attr]
    assert r41.sdg_targets == ["1.4", "1.5", "3.9", "7.b", "8.a", "9.a", "9.b", "9.c", "11.5", "13.b", "17.8", "17.18"]


def test_every_sdg_code_is_in_the_shipped_registry(seed_plan: Plan) -> None:
    from actionplan import registry

    for out in seed_plan.all_outputs():
        for g in out.references.sdg_goals:
            assert registry.sdg_goal(g) is not None, (out.number, g)
        for t in out.references.sdg_targets:
            assert registry.sdg_target(t) is not None, (out.number, t)


def test_front_matter_and_introduction_are_kept_in_place(seed_plan: Plan) -> None:
    first, second = seed_plan.preface
    assert (first.num, first.heading) == ("I", {"zh": "引言"})
    assert second.heading == {"zh": "建议"}
    proposals = [b for b in second.blocks if b.num]
    assert [b.num for b in proposals] == ["1", "2", "3", "4"]
    assert "IDI工作框架优化和完善" in proposals[2].text["zh"]
    chapter = seed_plan.introduction[0]
    assert chapter.heading == {"zh": "引言"}
    assert [s.num for s in chapter.sections] == ["1", "2", "3", "4"]
    assert [s.num for s in chapter.sections[3].sections] == ["4.1", "4.2", "4.3", "4.4", "4.5"]
    assert seed_plan.title == {"zh": "布宜诺斯艾利斯行动计划", "en": "Buenos Aires Action Plan"}
    assert seed_plan.part == {"zh": "C部分"} and seed_plan.period == "2018-2021"
    assert [b.text["zh"] for b in seed_plan.notes] == ["______________", "http://www.itu.int/ITU-D/TDAG/"]


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


# Printed numbers, bullets and labels are structure (kept as num, kind, or element type).
_LABELS = re.compile(r"^(?:[•·○\-–]\s*|\d+(?:\.\d+)*[.、]?\s*[-–]?\s*|第\d+节\s*[–-]\s*|[IVX]+\s+|项目[:：])")


def test_nothing_is_silently_lost(seed_text: str, seed_plan: Plan) -> None:
    """Every non-empty source line is in the model (as text) or in not_understood."""
    haystack = "\n".join(_strings(seed_plan.model_dump(mode="json")))
    not_understood = {sl.line for sl in seed_plan.not_understood}
    missing = []
    for n, raw in enumerate(seed_text.split("\n"), 1):
        line = re.sub(r"\[bookmark: [^\]]*\]", "", raw).strip()
        if not line or n in not_understood:
            continue
        for piece in (p.strip() for p in line.split("\t")):
            piece = _LABELS.sub("", piece).strip()
            if piece and piece not in haystack:
                missing.append((n, piece[:40]))
    assert missing == []
    assert seed_plan.not_understood == []  # the source is fully understood


def test_eids_are_unique_wellformed_and_deterministic(seed_path: Path) -> None:
    a, b = parse_file(seed_path), parse_file(seed_path)
    eids = [n.eid for n in a.walk()]
    assert len(eids) == len(set(eids))
    assert eids == [n.eid for n in b.walk()]
    for eid in eids:
        parse_eid(eid)


def test_eids_come_from_structure_not_language(seed_plan: Plan) -> None:
    """The English mini plan mirrors objective 1: its skeleton has the same ids."""
    english = parse_file(Path(__file__).parents[2] / "fixtures" / "plans" / "mini_en.txt")
    assert english.language == "en"
    skeleton = {
        n.eid
        for n in english.walk()
        if n.eid.count("__") <= 2
        and "__refs" not in n.eid
        and "__background" not in n.eid
        and "__ri_" not in n.eid
        and "__project" not in n.eid
        and "__sgq" not in n.eid
    }
    seed_ids = {n.eid for n in seed_plan.walk()}
    assert {"obj_1", "obj_1__outcome_1.1__ind_1", "obj_1__output_1.3"} <= skeleton
    assert skeleton <= seed_ids


def test_english_documents_are_understood() -> None:
    plan = parse_file(Path(__file__).parents[2] / "fixtures" / "plans" / "mini_en.txt")
    assert plan.not_understood == []
    o11, o12, o13 = plan.all_outputs()
    assert o11.references.all_wtdc_resolutions and o11.references.pp_decisions == [5, 13]
    assert o12.references.sdg_goals == [4, 9, 11, 16]
    assert o12.references.itu_d_recommendations == [15]
    assert o12.projects[0].title == {"en": "Regional preparatory meetings"}
    assert [len(s.blocks) for s in o12.regional_initiatives] == [1, 0, 0, 0, 0, 0]
    assert o12.study_group_questions[0].label["en"].startswith("Question 1/1")
    assert o13.references.contributes_to_outcomes == ["1.2"]
    assert plan.objectives[0].table_header[2] == {"en": "Outputs (products and services)"}


def test_bundled_plan_is_the_source_document(seed_path: Path) -> None:
    assert bundled_plan().read_bytes() == seed_path.read_bytes()


def test_english_titles_are_marked_unofficial(seed_plan: Plan) -> None:
    assert seed_plan.translations["zh"].official
    assert not seed_plan.translations["en"].official
    for el in [*seed_plan.objectives, *seed_plan.all_outputs()]:
        assert el.title.get("en"), el.eid
    for el in [*seed_plan.all_outcomes(), *seed_plan.all_indicators()]:
        assert el.text.get("en"), el.eid
