"""Progress against the yearly targets, with a status a reader can check by hand.

The rule (Open SDG style, direction-aware):

- ``expected`` is the year's target; a year without a target takes the straight line from
  the baseline to the next target (or the last target when none follows).
- For an indicator to increase: **on track** when ``actual >= expected * (1 - 5 %)``,
  **at risk** when ``actual >= expected * (1 - 25 %)``, **off track** otherwise. For one to
  decrease the tolerances apply upwards: ``actual <= expected * (1 + 5 %)`` / ``(1 + 25 %)``.
  When ``expected`` is 0 the tolerances are absolute (0.05 and 0.25).
- Yes/no indicators: on track when the year's answer is yes (1) where the target is yes,
  off track otherwise. Milestone levels (0-4): on track at or beyond the target level, at
  risk one level short, off track further.
- **no data** when the year has no value, or when there is neither a target nor a baseline.
"""

from __future__ import annotations

from collections.abc import Iterable

from actionplan.monitor.definitions import IndicatorDefinition
from actionplan.monitor.values import Progress, Status, Value

ON_TRACK = 0.05
AT_RISK = 0.25


def expected_value(d: IndicatorDefinition, year: int) -> float | None:
    """The year's target, or the point on the line from the baseline to the next target."""
    target = d.target(year)
    if target is not None:
        return target.value
    later = sorted((t for t in d.targets if t.year > year), key=lambda t: t.year)
    if d.baseline is None or d.baseline.value is None:
        return later[0].value if later else None
    if not later:
        earlier = sorted((t for t in d.targets if t.year < year), key=lambda t: t.year)
        return earlier[-1].value if earlier else None
    nxt = later[0]
    span = nxt.year - d.baseline.year
    share = (year - d.baseline.year) / span if span else 1.0
    return d.baseline.value + (nxt.value - d.baseline.value) * share


def _gap_status(actual: float, expected: float, increase: bool) -> Status:
    """The tolerance rule: shortfall relative to the expected value (absolute when it is 0)."""
    shortfall = (expected - actual) if increase else (actual - expected)
    scale = abs(expected) if expected else 1.0
    relative = shortfall / scale
    if relative <= ON_TRACK:
        return Status.on_track
    if relative <= AT_RISK:
        return Status.at_risk
    return Status.off_track


def status(d: IndicatorDefinition, actual: float | None, expected: float | None) -> tuple[Status, str]:
    """The status of one year and the reason, in words."""
    if actual is None:
        return Status.no_data, "no value for the year"
    if expected is None:
        return Status.no_data, "no target and no baseline"
    if d.measure == "yes_no":
        met = actual >= expected
        return (Status.on_track, "achieved") if met else (Status.off_track, "not achieved")
    if d.measure == "milestone" and d.score == "level":
        short = expected - actual if d.direction == "increase" else actual - expected
        if short <= 0:
            return Status.on_track, f"level {actual:g} reaches the target level {expected:g}"
        if short <= 1:
            return Status.at_risk, f"level {actual:g} is one step short of {expected:g}"
        return Status.off_track, f"level {actual:g} is {short:g} steps short of {expected:g}"
    result = _gap_status(actual, expected, d.direction == "increase")
    word = {Status.on_track: "within 5 % of", Status.at_risk: "within 25 % of", Status.off_track: "more than 25 % from"}
    return result, f"actual {actual:g} is {word[result]} the expected {expected:g} ({d.direction})"


def progress(
    d: IndicatorDefinition, values: Iterable[Value], years: Iterable[int] = range(2018, 2022)
) -> list[Progress]:
    """Progress per year from the indicator's headline totals (series '', no dims)."""
    totals = {v.year: v.value for v in values if v.indicator == d.id and not v.series and not v.dims}
    out = []
    for year in years:
        actual = totals.get(year)
        expected = expected_value(d, year)
        target = d.target(year)
        state, reason = status(d, actual, expected)
        out.append(
            Progress(
                indicator=d.id,
                year=year,
                baseline=d.baseline.value if d.baseline else None,
                target=target.value if target else None,
                actual=actual,
                expected=expected,
                status=state,
                reason=reason,
            )
        )
    return out


def progress_all(
    definitions: Iterable[IndicatorDefinition],
    values: Iterable[Value],
    years: Iterable[int] = range(2018, 2022),
) -> list[Progress]:
    """Progress of every definition (values may hold all indicators)."""
    values = list(values)
    years = list(years)
    return [p for d in definitions for p in progress(d, values, years)]
