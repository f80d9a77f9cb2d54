"""Indicator definitions as data: how each performance indicator of a plan is measured.

The secretariat edits one YAML file per plan version
(``actionplan/data/monitor/baap-2018-2021.yaml``); this module gives it a typed shape, checks
it (every problem at once, each naming the file and the field path) and checks it against
the plan it belongs to, so a definition can never silently drift from the indicator text.

A definition says *what is counted*: a source record kind (``participation``,
``assistance``...), filters on that kind's fields, the unit counted distinctly (a person, a
country...), the disaggregations that make sense for the kind, the time basis (per year or
cumulative over the plan period), the direction, a baseline and a target per year with the
reason for each change. :mod:`actionplan.monitor.compute` turns it into SQL.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticValidationError

from actionplan.errors import ValidationError
from actionplan.model.plan import Plan, Text

PLAN_YEARS = range(2018, 2022)
"""The plan period: targets and values are per year 2018..2021."""

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

BUNDLED_NAME = "baap-2018-2021.yaml"
BUNDLED_PACKAGE = "actionplan.data.monitor"

Measure = Literal["count", "distinct_count", "sum", "percentage", "ratio", "yes_no", "milestone"]
SourceKind = Literal[
    "event", "participation", "assistance", "publication", "publication_use", "partnership", "milestone"
]
Dimension = Literal["region", "country", "group", "sex", "age_band", "disability", "organisation_type", "kind"]
DistinctUnit = Literal["record", "person", "country", "event", "publication", "partner"]
TimeBasis = Literal["per_year", "cumulative"]
Direction = Literal["increase", "decrease"]
FilterOp = Literal["eq", "ne", "in", "not_in", "ge", "gt", "le", "lt", "is_null", "not_null"]
MilestoneScore = Literal["level", "on_time_share", "achieved_share"]

FIELDS: dict[str, dict[str, str]] = {
    "event": {
        "kind": "code",
        "region": "code",
        "country": "code",
        "online": "bool",
        "output": "code",
        "group": "code",
    },
    "participation": {
        "sex": "code",
        "age_band": "code",
        "disability": "code",
        "country": "code",
        "organisation_type": "code",
        "completed": "bool",
        "assessed": "bool",
        "satisfaction": "int",
        "event_kind": "code",
        "event_region": "code",
        "online": "bool",
        "output": "code",
        "region": "code",
        "group": "code",
    },
    "assistance": {"country": "code", "output": "code", "kind": "code", "region": "code", "group": "code"},
    "publication": {"kind": "code", "output": "code"},
    "publication_use": {
        "kind": "code",
        "output": "code",
        "downloads": "int",
        "page_views": "int",
        "users": "int",
    },
    "partnership": {"partner_type": "code", "output": "code", "cash_chf": "num", "in_kind_chf": "num"},
    "milestone": {"achieved": "bool", "level": "int"},
}
"""Fields a filter may name, per source kind, with their type (code, bool, int, num).

``output`` is the output served (events may serve several: the filter matches any);
``region`` is the ITU-D region of the record's country and ``group`` an LDC/LLDC/SIDS
membership in force on the record's date.
"""

SUM_FIELDS: dict[str, set[str]] = {
    "publication_use": {"downloads", "page_views", "users"},
    "partnership": {"cash_chf", "in_kind_chf", "total_chf"},
}
"""Numeric fields a ``sum`` may add up (``total_chf`` is cash plus in kind)."""

DIMENSIONS: dict[str, set[str]] = {
    "event": {"region", "country", "group", "kind"},
    "participation": {"region", "country", "group", "sex", "age_band", "disability", "organisation_type", "kind"},
    "assistance": {"region", "country", "group", "kind"},
    "publication": {"kind"},
    "publication_use": {"kind"},
    "partnership": {"kind"},
    "milestone": set(),
}
"""Disaggregations each source kind can give (``kind`` is the event, assistance,
publication or partner type)."""

UNITS: dict[str, set[str]] = {
    "event": {"record", "event", "country"},
    "participation": {"record", "person", "country", "event"},
    "assistance": {"record", "country"},
    "publication": {"record", "publication"},
    "publication_use": {"record", "publication"},
    "partnership": {"record", "partner"},
    "milestone": {"record"},
}
"""What may be counted distinctly per source kind (``record`` = every row once)."""


class Strict(BaseModel):
    """Base: unknown keys are errors, so a typo in the YAML is reported, not ignored."""

    model_config = ConfigDict(extra="forbid")


class Filter(Strict):
    """One condition on a field of the source record, e.g. ``satisfaction ge 4``."""

    field: str
    op: FilterOp = "eq"
    value: str | int | float | bool | list[str] | list[int] | None = None


class CountSpec(Strict):
    """What one number counts: records of a kind, filtered, counted, counted distinctly or summed."""

    source: SourceKind
    measure: Literal["count", "distinct_count", "sum"] = "count"
    filters: list[Filter] = Field(default_factory=list)
    distinct: DistinctUnit = "record"
    field: str | None = Field(default=None, description="the numeric field a sum adds up")


class Component(CountSpec):
    """A second number reported beside the headline (e.g. resources mobilised beside partnerships)."""

    key: str = Field(description="series name, e.g. 'resources_chf'")
    name: Text = Field(default_factory=dict)
    unit: str = "number"


class Baseline(Strict):
    """The value before the plan period, and where it comes from."""

    year: int
    value: float | None
    source: str = ""


class Target(Strict):
    """The value aimed at in one plan year; ``reason`` says why it differs from the year before."""

    year: int
    value: float
    reason: str = ""

    @field_validator("year")
    @classmethod
    def _in_plan(cls, year: int) -> int:
        if year not in PLAN_YEARS:
            raise ValueError(f"expected a year within {PLAN_YEARS[0]}-{PLAN_YEARS[-1]}")
        return year


class IndicatorDefinition(Strict):
    """How one performance indicator is measured (see the module docstring)."""

    id: str = Field(description="the plan's indicator number, e.g. '3.3.1'")
    eid: str = Field(description="the plan element id, e.g. 'obj_3__outcome_3.3__ind_1'")
    outcome: str
    outputs: list[str] = Field(default_factory=list, description="output numbers the indicator draws on")
    name: Text
    measure: Measure
    source: SourceKind
    filters: list[Filter] = Field(default_factory=list)
    distinct: DistinctUnit = "record"
    field: str | None = Field(default=None, description="the numeric field a sum adds up")
    numerator: CountSpec | None = None
    denominator: CountSpec | None = None
    score: MilestoneScore | None = Field(default=None, description="for milestones: what the value is")
    components: list[Component] = Field(default_factory=list)
    dimensions: list[Dimension] = Field(default_factory=list)
    time: TimeBasis = "per_year"
    direction: Direction = "increase"
    unit: str = "number"
    baseline: Baseline | None = None
    targets: list[Target] = Field(default_factory=list)
    notes: str = ""

    def target(self, year: int) -> Target | None:
        """The target of ``year`` (None when the plan year has none)."""
        return next((t for t in self.targets if t.year == year), None)


class IndicatorSet(Strict):
    """All indicator definitions of one plan version."""

    plan: str = "baap"
    plan_version: str = Field(default="", description="the plan version (period or stored version) these belong to")
    notes: str = ""
    indicators: list[IndicatorDefinition] = Field(default_factory=list)

    def get(self, number: str) -> IndicatorDefinition | None:
        """The definition of indicator ``number`` ('3.3.1'), None when not defined."""
        return next((d for d in self.indicators if d.id == number), None)


# -- validation -----------------------------------------------------------------------------


def _path(loc: tuple[int | str, ...]) -> str:
    """A pydantic location as the YAML path a person reads: ``targets[0].year``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _pydantic_problems(error: PydanticValidationError, prefix: str) -> list[str]:
    """One line per pydantic error: path, what was expected, what was found."""
    lines = []
    for item in error.errors():
        message = str(item["msg"]).removeprefix("Value error, ")
        path = _path(tuple(item["loc"]))
        where = f"{prefix}.{path}" if prefix and path else prefix or path
        if item["type"] == "missing":
            lines.append(f"{where}: required field missing")
        else:
            lines.append(f"{where}: {message}, got {item.get('input')!r}")
    return lines


def _check_filters(filters: list[Filter], source: str, where: str) -> list[str]:
    """Every filter names a field of its source and has a value fitting its operator."""
    problems = []
    for index, flt in enumerate(filters):
        here = f"{where}[{index}]"
        if flt.field not in FIELDS[source]:
            known = ", ".join(sorted(FIELDS[source]))
            problems.append(f"{here}.field: expected a field of {source} ({known}), got {flt.field!r}")
        if flt.op in ("in", "not_in") and not isinstance(flt.value, list):
            problems.append(f"{here}.value: expected a list for op {flt.op}, got {flt.value!r}")
        elif flt.op in ("is_null", "not_null") and flt.value is not None:
            problems.append(f"{here}.value: expected no value for op {flt.op}, got {flt.value!r}")
        elif flt.op not in ("in", "not_in", "is_null", "not_null") and (
            flt.value is None or isinstance(flt.value, list)
        ):
            problems.append(f"{here}.value: expected a single value for op {flt.op}, got {flt.value!r}")
    return problems


def _check_spec(spec: CountSpec, where: str) -> list[str]:
    """A count/sum spec: filters, distinct unit and summed field fit the source kind."""
    problems = _check_filters(spec.filters, spec.source, f"{where}.filters")
    if spec.distinct not in UNITS[spec.source]:
        units = ", ".join(sorted(UNITS[spec.source]))
        problems.append(f"{where}.distinct: expected one of {units} for {spec.source}, got {spec.distinct!r}")
    if spec.measure == "count" and spec.distinct != "record":
        problems.append(f"{where}.distinct: expected 'record' for a count (use distinct_count), got {spec.distinct!r}")
    if spec.measure == "distinct_count" and spec.distinct == "record":
        problems.append(f"{where}.distinct: expected the unit counted distinctly, got 'record'")
    if spec.measure == "sum":
        allowed = SUM_FIELDS.get(spec.source, set())
        if spec.field not in allowed:
            names = ", ".join(sorted(allowed)) or "none"
            problems.append(f"{where}.field: expected a numeric field of {spec.source} ({names}), got {spec.field!r}")
    return problems


def _check_measure(d: IndicatorDefinition) -> list[str]:
    """Cross-field rules of the headline measure."""
    problems: list[str] = []
    if d.measure in ("percentage", "ratio"):
        for part in ("numerator", "denominator"):
            spec = getattr(d, part)
            if spec is None:
                problems.append(f"{part}: expected a {part} spec for a {d.measure}, got None")
            else:
                problems += _check_spec(spec, part)
                if spec.source != d.source:
                    problems.append(f"{part}.source: expected the indicator's source {d.source!r}, got {spec.source!r}")
    elif d.numerator is not None or d.denominator is not None:
        problems.append(f"numerator: expected only for a percentage or ratio, got one for {d.measure!r}")
    if d.measure in ("yes_no", "milestone"):
        if d.source != "milestone":
            problems.append(f"source: expected 'milestone' for a {d.measure} measure, got {d.source!r}")
        if d.time != "per_year":
            problems.append(f"time: expected 'per_year' for a {d.measure} measure, got {d.time!r}")
    if d.measure == "milestone" and d.score is None:
        problems.append("score: expected one of level, on_time_share, achieved_share, got None")
    if d.measure in ("count", "distinct_count", "sum"):
        spec = CountSpec(source=d.source, measure=d.measure, filters=d.filters, distinct=d.distinct, field=d.field)
        problems += _check_spec(spec, "")
    else:
        problems += _check_filters(d.filters, d.source, "filters")
    return [p.removeprefix(".") for p in problems]


def _check_targets(d: IndicatorDefinition) -> list[str]:
    """One target per year at most, and a reason whenever the value changes from the year before."""
    problems = []
    seen: set[int] = set()
    previous: float | None = d.baseline.value if d.baseline else None
    for target in sorted(d.targets, key=lambda t: t.year):
        position = d.targets.index(target)
        if target.year in seen:
            problems.append(f"targets[{position}].year: expected one target per year, got {target.year} twice")
        seen.add(target.year)
        if previous is not None and target.value != previous and not target.reason.strip():
            problems.append(f"targets[{position}].reason: expected a reason for the change from {previous:g}, got ''")
        previous = target.value
    if d.baseline is not None and d.baseline.year >= PLAN_YEARS[0]:
        problems.append(f"baseline.year: expected a year before {PLAN_YEARS[0]}, got {d.baseline.year}")
    return problems


def definition_problems(d: IndicatorDefinition) -> list[str]:
    """Every cross-field problem of one valid-shaped definition, as ``field: message`` lines."""
    problems = _check_measure(d)
    allowed = DIMENSIONS[d.source]
    for index, dim in enumerate(d.dimensions):
        if dim not in allowed:
            names = ", ".join(sorted(allowed)) or "none"
            problems.append(f"dimensions[{index}]: expected a disaggregation of {d.source} ({names}), got {dim!r}")
    for index, comp in enumerate(d.components):
        problems += _check_spec(comp, f"components[{index}]")
    problems += _check_targets(d)
    if not d.id.startswith(d.outcome + "."):
        problems.append(f"outcome: expected the outcome of {d.id}, got {d.outcome!r}")
    return problems


def load_indicator_set(text: str, source: str) -> IndicatorSet:
    """Parse and check definitions; raise one ValidationError listing every problem.

    Each problem line names ``source``, the indicator (position and number) and the field
    path, e.g. ``indicators.yaml: indicators[3] (3.3.1).targets[0].year: expected ...``.
    """
    try:
        data = yaml.load(text, Loader=_LOADER)  # a safe loader, the C one when available
    except yaml.YAMLError as exc:
        raise ValidationError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ValidationError(f"{source}: expected a mapping with 'indicators', got {type(data).__name__}")
    problems: list[str] = []
    raw_items = data.get("indicators")
    if not isinstance(raw_items, list):
        problems.append(f"indicators: expected a list, got {raw_items!r}")
        raw_items = []
    header = {k: v for k, v in data.items() if k != "indicators"}
    try:
        top = IndicatorSet.model_validate(header)
    except PydanticValidationError as exc:
        problems += _pydantic_problems(exc, "")
        top = IndicatorSet()
    indicators = _load_items(raw_items, problems)
    if problems:
        lines = [f"{source}: {p}" for p in problems]
        error = ValidationError("\n".join(lines))
        error.problems = lines  # type: ignore[attr-defined]
        raise error
    return top.model_copy(update={"indicators": indicators})


def _load_items(raw_items: list[Any], problems: list[str]) -> list[IndicatorDefinition]:
    """Validate each indicator on its own so one bad entry does not hide the others."""
    out = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_items):
        number = raw.get("id") if isinstance(raw, dict) else None
        prefix = f"indicators[{index}]" + (f" ({number})" if number else "")
        try:
            item = IndicatorDefinition.model_validate(raw)
        except PydanticValidationError as exc:
            problems += _pydantic_problems(exc, prefix)
            continue
        problems += [f"{prefix}.{p}" for p in definition_problems(item)]
        if item.id in seen:
            problems.append(
                f"{prefix}.id: expected each indicator once, got {item.id!r} again (first at [{seen[item.id]}])"
            )
        seen.setdefault(item.id, index)
        out.append(item)
    return out


def dump_indicator_set(indicator_set: IndicatorSet) -> str:
    """The set as YAML (Chinese kept readable), loadable again with :func:`load_indicator_set`."""
    data = indicator_set.model_dump(mode="json", exclude_defaults=False)
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=120)


def bundled_indicator_set() -> IndicatorSet:
    """The definitions shipped for the Buenos Aires plan 2018-2021."""
    text = files(BUNDLED_PACKAGE).joinpath(BUNDLED_NAME).read_text(encoding="utf-8")
    return load_indicator_set(text, BUNDLED_NAME)


def check_against_plan(indicator_set: IndicatorSet, plan: Plan) -> list[str]:
    """Problems between definitions and the plan: each plan indicator defined once, ids matching."""
    problems = []
    by_number = {i.number: i for i in plan.all_indicators()}
    outcomes = {o.number: o for o in plan.all_outcomes()}
    outputs = {o.number for o in plan.all_outputs()}
    counts: dict[str, int] = {}
    for d in indicator_set.indicators:
        counts[d.id] = counts.get(d.id, 0) + 1
        indicator = by_number.get(d.id)
        if indicator is None:
            problems.append(f"{d.id}: not an indicator of plan {plan.code}")
            continue
        if d.eid != indicator.eid:
            problems.append(f"{d.id}.eid: expected {indicator.eid!r}, got {d.eid!r}")
        if d.outcome not in outcomes or indicator.eid not in [i.eid for i in outcomes[d.outcome].indicators]:
            problems.append(f"{d.id}.outcome: expected the outcome holding {indicator.eid}, got {d.outcome!r}")
        problems += [f"{d.id}.outputs: {o!r} is not an output of the plan" for o in d.outputs if o not in outputs]
    problems += [f"{n}: defined {c} times, expected once" for n, c in counts.items() if c > 1]
    problems += [f"{n}: plan indicator {i.eid} has no definition" for n, i in by_number.items() if n not in counts]
    if indicator_set.plan != plan.code:
        problems.append(f"plan: expected {plan.code!r}, got {indicator_set.plan!r}")
    return problems
