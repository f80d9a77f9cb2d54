"""Each lint rule fires on the source's real slips (or on a planted one) and falls silent
once the text is corrected. The plan is re-parsed from edited source text each time, so
these tests exercise the importer and the linter together."""

from __future__ import annotations

from pathlib import Path

import pytest

from actionplan.ingest import parse_bytes
from actionplan.lint import RULES, lint_plan
from actionplan.model import Plan


def _lint_text(text: str, code: str) -> list[str]:
    plan = parse_bytes(text.encode("utf-8"), Path("edited.txt"), translations=False)
    return [f"{f.eid}|{f.line}|{f.message}" for f in lint_plan(plan, select=[code])]


def _edit(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, old
    return text.replace(old, new, count)


# (rule, slip in the source or planted, correction)
CASES = [
    ("AP001", None, ("14个相关输出成果", "17个相关输出成果")),
    ("AP002", None, ("输出3.2\n关于电信/ICT政策与监管的产品与服务", "输出3.2\n关于电信/ICT统计的产品与服务")),
    (
        "AP003",
        None,
        ("\t输出成果\n\t绩效指标\n\t输出成果\n（产品和服务）", "\t成果\n\t绩效指标\n\t输出成果\n（产品和服务）"),
    ),
    ("AP101", None, ("125、126、127、130、131、127、135", "125、126、127、130、131、135")),
    ("AP105", None, ("WTDC第2号决议（2014年，迪拜，修订版）", "WTDC第2号决议（2017年，布宜诺斯艾利斯，修订版）")),
    ("AP106", None, ("全权代表大会第16号决议（2014年，迪拜，修订版）", "WTDC第16号决议（2014年，迪拜，修订版）")),
    ("AP107", None, ("WTDC第9、10 11、15", "WTDC第9、10、11、15")),
    ("AP203", None, ("接受[集中]援助", "接受集中援助")),
    ("AP204", None, ("2018-2021路缆：新的标准出来之后，\n", "")),
]


@pytest.mark.parametrize(("code", "planted", "fix"), CASES, ids=[c[0] for c in CASES])
def test_rule_fires_on_the_source_and_is_silent_once_fixed(seed_text: str, code: str, planted, fix) -> None:  # type: ignore[no-untyped-def]
    assert _lint_text(seed_text, code), f"{code} should fire on the source"
    fixed = _edit(seed_text, *fix)
    remaining = _lint_text(fixed, code)
    assert len(remaining) < len(_lint_text(seed_text, code))
    if code not in ("AP101",):
        assert remaining == []


def test_duplicate_references_names_both_slips(seed_plan: Plan) -> None:
    msgs = [f.message for f in lint_plan(seed_plan, select=["AP101"])]
    assert msgs == ["output 2.1: pp_resolutions lists 127 2 times", "output 3.3: wtdc_resolutions lists 56 2 times"]


def test_count_claim_names_the_element_and_line(seed_plan: Plan) -> None:
    (f,) = lint_plan(seed_plan, select=["AP001"])
    assert (f.eid, f.line, f.severity) == ("chp_1__sec_1__para_2", 24, "error")
    assert "14 outputs" in f.message and "17 outputs" in f.message


def test_nonstandard_sdg_codes(seed_text: str) -> None:
    found = _lint_text(seed_text, "AP102")
    assert any("9a → 9.a" in f and "13b → 13.b" in f for f in found)
    assert any("labelled 指标" in f for f in found)
    fixed = seed_text
    for bad, good in [
        ("指标", "目标"),
        ("5b", "5.b"),
        ("8a", "8.a"),
        ("8b", "8.b"),
        ("9a", "9.a"),
        ("9b", "9.b"),
        ("9c", "9.c"),
        ("11b", "11.b"),
        ("13b", "13.b"),
    ]:
        fixed = (
            fixed.replace(f"（{bad}", f"（{good}")
            .replace(f"、{bad}", f"、{good}")
            .replace(f"（目标{bad}", f"（目标{good}")
        )
    assert _lint_text(fixed, "AP102") == []


def test_outcome_mention_disagreeing_with_table(seed_text: str) -> None:
    assert _lint_text(seed_text, "AP004") == []  # the source is consistent here
    planted = _edit(
        seed_text,
        "WSIS行动方针C1和C11的落实将支持输出成果1.3，并将推动成果1.2的实现",
        "WSIS行动方针C1和C11的落实将支持输出成果1.3，并将推动成果1.1的实现",
    )
    (f,) = _lint_text(planted, "AP004")
    assert "outcome 1.1" in f and "table maps it to outcome 1.2" in f and "obj_1__output_1.3__refs__stmt_2" in f


def test_output_missing_from_table_and_table_listing_missing_output(seed_text: str) -> None:
    assert _lint_text(seed_text, "AP005") == []
    planted = _edit(seed_text, "1.5 -区域性协调平台，包括区域发展论坛（RDFs）\n", "")
    (f,) = _lint_text(planted, "AP005")
    assert "output 1.5 is in no row" in f


def test_numbering_gaps(seed_text: str) -> None:
    assert _lint_text(seed_text, "AP006") == []
    planted = _edit(seed_text, "\n输出2.2\n", "\n输出2.4\n")
    assert any("output numbered 2.4, expected 2.2" in f for f in _lint_text(planted, "AP006"))


def test_unknown_sdg_and_wsis_codes(seed_text: str) -> None:
    assert _lint_text(seed_text, "AP103") == [] and _lint_text(seed_text, "AP104") == []
    planted = _edit(seed_text, "SDG 4、9、11和16", "SDG 4、9（目标9.9）、18和16")
    found = _lint_text(planted, "AP103")
    assert any("SDG 18 does not exist" in f for f in found)
    assert any("target 9.9 does not exist" in f for f in found)
    planted = _edit(seed_text, "WSIS行动方针C5的实施", "WSIS行动方针C5和C12的实施")
    assert any("C12 does not exist" in f for f in _lint_text(planted, "AP104"))


def test_target_without_its_goal(seed_text: str) -> None:
    planted = _edit(seed_text, "：SDG 4、9、11和16", "：SDG 4、9、11和16（目标5.b）")
    assert any("target 5.b is listed but goal 5 is not" in f for f in _lint_text(planted, "AP103"))


def test_missing_reference_statement(seed_text: str) -> None:
    assert _lint_text(seed_text, "AP108") == []
    planted = _edit(seed_text, "WSIS行动方针\nWSIS行动方针C5的实施将支持输出2.2，并将有助于实现成果2.2\n", "")
    assert _lint_text(planted, "AP108") == ["obj_2__output_2.2|365|output 2.2 has no wsis statement"] or any(
        "output 2.2 has no wsis statement" in f for f in _lint_text(planted, "AP108")
    )


def test_placeholders_fire_and_real_entries_pass(seed_text: str, seed_plan: Plan) -> None:
    ri = lint_plan(seed_plan, select=["AP201"])
    sgq = lint_plan(seed_plan, select=["AP202"])
    assert len(ri) == 11 and len(sgq) == 11  # every output of objectives 2-4
    filled = seed_text.replace("\t研究组X课题\n\n\t\n", "\t第2研究组第3/2号课题\n\n\t确保信息通信网络安全\n", 1)
    assert len(_lint_text(filled, "AP202")) == 10


def test_misspelt_names(seed_plan: Plan) -> None:
    found = {f.message for f in lint_plan(seed_plan, select=["AP205"])}
    assert "'IUT' should read 'ITU'" in found and "'ITD-D' should read 'ITU-D'" in found
    assert "'ITU T' should read 'ITU-T'" in found


def test_not_understood_lines_are_reported(seed_text: str) -> None:
    planted = seed_text.replace("输出2.2\n", "输出2.2\n\t孤立的表格单元\n\n", 1)
    found = _lint_text(planted, "AP007")
    assert found, "a stray table cell before the output's title must be reported"


def test_every_rule_is_documented() -> None:
    for r in RULES.values():
        assert r.rationale and r.bad and r.good, r.code
    from actionplan.lint.catalogue import catalogue_markdown

    doc = (Path(__file__).parents[3] / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    assert doc == catalogue_markdown(), (
        "docs/lint-rules.md is stale: run `actionplan rules --format md > docs/lint-rules.md`"
    )
    for code in RULES:
        assert f"## {code}" in doc


def test_formats(seed_plan: Plan) -> None:
    import json

    from actionplan.lint.formats import findings_json, findings_sarif

    findings = lint_plan(seed_plan)
    data = json.loads(findings_json(findings, "x"))
    assert data["count"] == len(findings)
    sarif = json.loads(findings_sarif(findings, "x.txt"))
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0" and len(run["results"]) == len(findings)
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == set(RULES)
    first = run["results"][0]
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] == findings[0].line


def test_every_rule_is_silent_on_a_correct_plan() -> None:
    from actionplan.ingest import parse_file

    plan = parse_file(Path(__file__).parents[2] / "fixtures" / "plans" / "clean_en.txt")
    assert len(plan.all_outputs()) == 3 and all(len(o.regional_initiatives) in (0, 6) for o in plan.all_outputs())
    assert lint_plan(plan) == []
