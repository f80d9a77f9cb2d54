"""Indicator definitions: the bundled set against the plan, and every bad definition named precisely."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from actionplan.errors import ValidationError
from actionplan.model import Plan
from actionplan.monitor.definitions import (
    IndicatorSet,
    bundled_indicator_set,
    check_against_plan,
    dump_indicator_set,
    load_indicator_set,
)


@pytest.fixture(scope="module")
def bundled() -> IndicatorSet:
    return bundled_indicator_set()


_RAW: dict[str, Any] = {}


def _raw(bundled: IndicatorSet) -> dict[str, Any]:
    """The bundled set as plain YAML data (a fresh deep copy each time)."""
    if not _RAW:
        _RAW.update(yaml.load(dump_indicator_set(bundled), Loader=yaml.CSafeLoader))
    return copy.deepcopy(_RAW)


def _errors(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as info:
        load_indicator_set(yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True), "indicators.yaml")
    return str(info.value)


def test_bundled_set_defines_every_plan_indicator_once(bundled: IndicatorSet, seed_plan: Plan) -> None:
    assert len(bundled.indicators) == 38
    assert check_against_plan(bundled, seed_plan) == []
    assert bundled.plan == "baap"


def test_bundled_names_are_the_plan_text(bundled: IndicatorSet, seed_plan: Plan) -> None:
    texts = {i.number: i.text for i in seed_plan.all_indicators()}
    for d in bundled.indicators:
        assert d.name["zh"] == texts[d.id]["zh"]


def test_bundled_choices_follow_the_plan_wording(bundled: IndicatorSet) -> None:
    trained = bundled.get("3.3.1")
    assert trained is not None and trained.measure == "distinct_count" and trained.distinct == "person"
    assert {(f.field, f.value) for f in trained.filters} == {("event_kind", "training"), ("completed", True)}
    satisfied = bundled.get("3.3.3")
    assert satisfied is not None and satisfied.measure == "percentage"
    assert satisfied.numerator is not None and satisfied.numerator.filters[0].op == "ge"
    cirt = bundled.get("2.2.2")
    assert cirt is not None and cirt.time == "cumulative" and cirt.distinct == "country"
    assert bundled.get("3.2.1").measure == "yes_no"  # type: ignore[union-attr]
    understanding = bundled.get("1.1.1")
    assert understanding is not None and understanding.measure == "milestone" and understanding.score == "level"
    partnerships = bundled.get("1.3.4")
    assert partnerships is not None and [c.measure for c in partnerships.components] == ["sum"]


def test_every_target_change_has_a_reason_and_targets_cover_the_plan(bundled: IndicatorSet) -> None:
    for d in bundled.indicators:
        assert [t.year for t in d.targets] == [2018, 2019, 2020, 2021]
        assert "illustrative" in d.notes


def test_dump_and_load_round_trip(bundled: IndicatorSet) -> None:
    assert load_indicator_set(dump_indicator_set(bundled), "x.yaml") == bundled


def _case(bundled: IndicatorSet, number: str, change: Any) -> dict[str, Any]:
    data = _raw(bundled)
    index = next(i for i, d in enumerate(data["indicators"]) if d["id"] == number)
    change(data["indicators"][index])
    return data


def test_target_year_outside_the_plan_names_file_indicator_and_field(bundled: IndicatorSet) -> None:
    data = _case(bundled, "3.3.1", lambda d: d["targets"][0].update(year=2031))
    message = _errors(data)
    index = [d.id for d in bundled.indicators].index("3.3.1")
    assert (
        f"indicators.yaml: indicators[{index}] (3.3.1).targets[0].year: expected a year within 2018-2021, got 2031"
    ) in message


@pytest.mark.parametrize(
    ("number", "change", "expected"),
    [
        ("3.3.3", lambda d: d.pop("numerator"), "(3.3.3).numerator: expected a numerator spec for a percentage"),
        (
            "3.3.1",
            lambda d: d["filters"][0].update(field="colour"),
            "(3.3.1).filters[0].field: expected a field of participation",
        ),
        (
            "2.2.2",
            lambda d: d["dimensions"].append("sex"),
            "(2.2.2).dimensions[4]: expected a disaggregation of assistance",
        ),
        (
            "2.2.2",
            lambda d: d.update(distinct="person"),
            "(2.2.2).distinct: expected one of country, record for assistance",
        ),
        (
            "3.3.1",
            lambda d: d["targets"][2].update(reason=""),
            "(3.3.1).targets[2].reason: expected a reason for the change",
        ),
        ("3.3.1", lambda d: d.update(measur="count"), "(3.3.1).measur: Extra inputs are not permitted"),
        ("3.3.1", lambda d: d.update(measure="median"), "(3.3.1).measure: Input should be"),
        ("3.3.1", lambda d: d.pop("eid"), "(3.3.1).eid: required field missing"),
        ("1.1.1", lambda d: d.update(time="cumulative"), "(1.1.1).time: expected 'per_year' for a milestone"),
        (
            "1.3.4",
            lambda d: d["components"][0].update(field="colour"),
            "(1.3.4).components[0].field: expected a numeric field",
        ),
        (
            "3.3.1",
            lambda d: d["filters"].append({"field": "sex", "op": "in", "value": "F"}),
            "(3.3.1).filters[2].value: expected a list",
        ),
        ("3.3.1", lambda d: d.update(outcome="2.1"), "(3.3.1).outcome: expected the outcome of 3.3.1"),
    ],
)
def test_each_bad_definition_names_file_and_field(
    bundled: IndicatorSet, number: str, change: Any, expected: str
) -> None:
    message = _errors(_case(bundled, number, change))
    line = next((x for x in message.splitlines() if expected in x), None)
    assert line is not None, message
    assert line.startswith("indicators.yaml: indicators[")


def test_all_problems_are_reported_at_once(bundled: IndicatorSet) -> None:
    data = _raw(bundled)
    data["indicators"][0]["targets"][0]["year"] = 1999
    data["indicators"][5]["unit"] = ["not", "text"]
    data["indicators"].append(copy.deepcopy(data["indicators"][1]))
    with pytest.raises(ValidationError) as info:
        load_indicator_set(yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True), "indicators.yaml")
    lines = str(info.value).splitlines()
    assert len(lines) == 3
    assert all(line.startswith("indicators.yaml: ") for line in lines)
    assert "expected each indicator once" in lines[2]


def test_not_yaml_and_not_a_mapping_name_the_file() -> None:
    for text in ("a: [", "- 1\n- 2\n"):
        with pytest.raises(ValidationError, match=r"^indicators\.yaml: "):
            load_indicator_set(text, "indicators.yaml")


def test_check_against_plan_finds_missing_wrong_and_doubled(bundled: IndicatorSet, seed_plan: Plan) -> None:
    indicators = list(bundled.indicators)
    wrong = indicators[1].model_copy(update={"eid": "obj_9__outcome_9.9__ind_9"})
    doubled = indicators[2]
    broken = bundled.model_copy(update={"indicators": [wrong, *indicators[2:], doubled]})
    problems = check_against_plan(broken, seed_plan)
    assert f"{indicators[0].id}: plan indicator {indicators[0].eid} has no definition" in problems
    assert any(p.startswith(f"{wrong.id}.eid: expected") for p in problems)
    assert f"{doubled.id}: defined 2 times, expected once" in problems
