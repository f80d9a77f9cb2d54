"""Traceability over the source: which outputs serve a goal, target, action line, resolution."""

from __future__ import annotations

import pytest

from actionplan.errors import ValidationError
from actionplan.model import Plan
from actionplan.trace import classify_code, links, outputs_citing


def _numbers(plan: Plan, scheme: str, code: str) -> list[str]:
    return [c.output.number for c in outputs_citing(plan, scheme, code)]


def test_goal_9_is_served_directly_through_targets_and_through_all_sdgs(seed_plan: Plan) -> None:
    # Read off the SDG statements of the source: goal 9 appears in outputs 2.1, 2.2, 3.1,
    # 3.4 and 4.1; output 3.2 concerns "all SDGs".
    got = outputs_citing(seed_plan, "sdg_goal", "9")
    assert [c.output.number for c in got] == ["2.1", "2.2", "3.1", "3.2", "3.4", "4.1"]
    assert dict((c.output.number, c.basis) for c in got)["3.2"] == "all SDGs"


def test_target_written_9a_is_found_as_9_a(seed_plan: Plan) -> None:
    assert _numbers(seed_plan, "sdg_target", "9.a") == ["2.1", "3.2", "3.4", "4.1"]


def test_wsis_and_resolutions(seed_plan: Plan) -> None:
    assert _numbers(seed_plan, "wsis", "C7") == ["2.3", "3.2", "3.4", "4.1", "4.2", "4.3", "4.4"]
    assert _numbers(seed_plan, "pp_decision", "12") == ["1.4"]
    assert _numbers(seed_plan, "itu_d_recommendation", "15") == ["3.1"]
    assert _numbers(seed_plan, "wtdc_resolution", "34") == ["1.1", "1.2", "1.5", "2.3", "4.4"]


def test_links_are_unique_per_output_scheme_and_code(seed_plan: Plan) -> None:
    rows = links(seed_plan)
    keys = [(r.output.number, r.scheme, r.code) for r in rows]
    assert len(keys) == len(set(keys))
    # output 2.1 cites PP resolution 127 twice; it is one link
    assert keys.count(("2.1", "pp_resolution", "127")) == 1
    assert {r.scheme for r in rows} == {
        "sdg_goal",
        "sdg_target",
        "wsis",
        "pp_resolution",
        "pp_decision",
        "wtdc_resolution",
        "itu_d_recommendation",
    }


@pytest.mark.parametrize(
    ("kind", "code", "expected"),
    [
        ("sdg", "9", ("sdg_goal", "9")),
        ("sdg", "9c", ("sdg_target", "9.c")),
        ("sdg", "17.18", ("sdg_target", "17.18")),
        ("sdg", "9.c.1", ("sdg_indicator", "9.c.1")),
        ("wsis", "c7", ("wsis", "C7")),
        ("wtdc", "017", ("wtdc_resolution", "17")),
    ],
)
def test_classify_code(kind: str, code: str, expected: tuple[str, str]) -> None:
    assert classify_code(kind, code) == expected


@pytest.mark.parametrize(("kind", "code"), [("sdg", "nine"), ("wsis", "D5"), ("pp", "7a"), ("ilo", "1")])
def test_classify_code_refuses_nonsense(kind: str, code: str) -> None:
    with pytest.raises(ValidationError):
        classify_code(kind, code)


def test_describe_resolutions_with_the_revisions_the_plan_cites(seed_plan: Plan) -> None:
    from actionplan.trace import describe

    d = describe("wtdc_resolution", "2", seed_plan)
    assert d == {"en": "WTDC Resolution 2", "zh": "WTDC第2号决议", "cited as": "Buenos Aires, 2017; Dubai, 2014"}
    assert describe("sdg_target", "9.z") is None
    assert describe("wsis", "C5")["zh (unofficial)"]  # type: ignore[index]
