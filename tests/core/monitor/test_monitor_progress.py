"""Progress statuses: tolerance bands, direction, interpolation, milestones and no data."""

from __future__ import annotations

import pytest

from actionplan.monitor.definitions import Baseline, IndicatorDefinition, Target
from actionplan.monitor.progress import expected_value, progress, status
from actionplan.monitor.values import Status, Value


def _definition(
    measure: str = "count",
    direction: str = "increase",
    score: str | None = None,
    targets: dict[int, float] | None = None,
) -> IndicatorDefinition:
    source = "milestone" if measure in ("milestone", "yes_no") else "assistance"
    targets = targets if targets is not None else {2018: 100, 2019: 110, 2020: 120, 2021: 130}
    return IndicatorDefinition(
        id="2.2.3",
        eid="obj_2__outcome_2.2__ind_3",
        outcome="2.2",
        name={"en": "x"},
        measure=measure,
        source=source,
        score=score,
        direction=direction,
        baseline=Baseline(year=2017, value=90),
        targets=[Target(year=y, value=v, reason="r") for y, v in targets.items()],
    )


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (120, Status.on_track),
        (114, Status.on_track),
        (113, Status.at_risk),
        (90, Status.at_risk),
        (89, Status.off_track),
        (None, Status.no_data),
    ],
)
def test_increase_bands(actual: float | None, expected: Status) -> None:
    assert status(_definition(), actual, 120)[0] is expected


@pytest.mark.parametrize(
    ("actual", "expected"),
    [(10, Status.on_track), (10.5, Status.on_track), (12, Status.at_risk), (13, Status.off_track)],
)
def test_decrease_bands(actual: float, expected: Status) -> None:
    assert status(_definition(direction="decrease"), actual, 10)[0] is expected


def test_zero_expected_uses_absolute_tolerance() -> None:
    d = _definition(direction="decrease")
    assert status(d, 0, 0)[0] is Status.on_track
    assert status(d, 1, 0)[0] is Status.off_track


def test_milestone_levels_and_yes_no() -> None:
    level = _definition("milestone", score="level")
    assert status(level, 3, 3)[0] is Status.on_track
    assert status(level, 2, 3)[0] is Status.at_risk
    assert status(level, 1, 3)[0] is Status.off_track
    yes_no = _definition("yes_no")
    assert status(yes_no, 1, 1)[0] is Status.on_track
    assert status(yes_no, 0, 1)[0] is Status.off_track


def test_missing_target_years_follow_the_line_from_the_baseline() -> None:
    d = _definition(targets={2021: 130})
    assert expected_value(d, 2019) == pytest.approx(90 + 40 * 2 / 4)
    assert expected_value(d, 2021) == 130


def test_progress_reads_headline_totals_only() -> None:
    d = _definition()
    values = [
        Value(indicator="2.2.3", year=2018, value=100),
        Value(indicator="2.2.3", year=2019, value=70),
        Value(indicator="2.2.3", year=2019, dims={"sex": "F"}, value=500),
        Value(indicator="2.2.3", year=2020, value=120, series="other"),
    ]
    result = {p.year: p for p in progress(d, values)}
    assert result[2018].status is Status.on_track and result[2018].target == 100
    assert result[2019].status is Status.off_track and "more than 25 %" in result[2019].reason
    assert result[2020].status is Status.no_data
    assert result[2021].baseline == 90
