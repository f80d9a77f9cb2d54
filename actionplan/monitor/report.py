"""The annual implementation report as data: what each format (HTML, Word, PDF) shows.

A report is built from one approved (locked) snapshot of a year's figures, so it never
changes after approval: :func:`build_report` takes the plan, the indicator definitions, the
snapshot's values and progress, its data-quality notes and the snapshot's identity, and
arranges them the way the plan reads -- objectives, their outcomes with indicator rows
(baseline, target, actual, status), their outputs with the indicators drawing on them --
plus the view of section 4.4 of the plan (women and girls, persons with disabilities,
across all outputs) and the data-quality notes.

Everything here is renderer-neutral: texts are ``{zh, en}`` maps and charts are
:class:`ChartData` (kind, points, titles), which :mod:`actionplan.render.monitor_charts`
turns into Vega-Lite specs in either language. Keeping the chart's data rather than a
spec per language keeps a report small (a world map's shapes are ~100 kB) and lets a web
page draw the same chart the PDF prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from actionplan.model.plan import Plan, Text
from actionplan.monitor.definitions import IndicatorDefinition, IndicatorSet
from actionplan.monitor.quality import LATE_DAYS
from actionplan.monitor.values import Progress, Status, Value

__all__ = [
    "DIMENSION_NAMES",
    "DISABILITY_CODES",
    "WOMEN_CODES",
    "ChartData",
    "ChartKind",
    "ChartPoint",
    "InclusionRow",
    "IndicatorRow",
    "ObjectiveSection",
    "OutcomeSection",
    "OutputSection",
    "ReportData",
    "ReportNote",
    "SnapshotInfo",
    "build_report",
]

ChartKind = Literal["trend", "target_actual", "achievement", "disaggregation", "country_map", "region_map"]

WOMEN_CODES = frozenset({"female", "f", "woman", "women", "girl", "girls"})
"""Codes of the ``sex`` dimension that count as women and girls (SDMX: ``F``)."""

DISABILITY_CODES = frozenset({"pd", "yes", "true", "with_disability", "pwd"})
"""Codes of the ``disability`` dimension that count as persons with disabilities (SDMX: ``PD``)."""

DIMENSION_NAMES: dict[str, Text] = {
    "sex": {"zh": "性别", "en": "sex"},
    "age_band": {"zh": "年龄段", "en": "age band"},
    "disability": {"zh": "残疾状况", "en": "disability"},
    "region": {"zh": "ITU-D区域", "en": "ITU-D region"},
    "country": {"zh": "国家", "en": "country"},
    "group": {"zh": "国家类别（LDC/LLDC/SIDS）", "en": "country group (LDC/LLDC/SIDS)"},
    "organisation_type": {"zh": "组织类型", "en": "organisation type"},
    "kind": {"zh": "类型", "en": "kind"},
}
"""What each disaggregation is called in a report, in both languages."""

BAR_DIMENSIONS = ("sex", "age_band", "disability", "region", "group")
"""Disaggregations drawn as bars, in this order. Country figures are drawn as a world map;
region figures also as a map when there are no country figures."""


class Strict(BaseModel):
    """Base: unknown fields are errors, so renderers and builders cannot drift apart."""

    model_config = ConfigDict(extra="forbid")


class SnapshotInfo(Strict):
    """Which approved snapshot the figures come from: the report cites it on its cover."""

    id: str = ""
    year: int | None = None
    locked: bool = True
    approved_by: str = ""
    approved_at: str = Field(default="", description="ISO 8601 date or time of approval")
    sha256: str = Field(default="", description="hash of the snapshot's canonical content")
    note: str = ""


class ReportNote(Strict):
    """One data-quality remark: missing disaggregation, late data, no data, ..."""

    indicator: str | None = Field(default=None, description="indicator number, None for the whole report")
    kind: str = Field(default="note", description="e.g. missing_disaggregation, late_data, no_data")
    dimension: str | None = None
    message: Text = Field(default_factory=dict)


class ChartPoint(Strict):
    """One mark of a chart: ``x`` is a year, a category code, an ISO3 or a region code."""

    x: str
    series: str = "actual"
    value: float | None = None


class ChartData(Strict):
    """The data of one chart; :func:`actionplan.render.monitor_charts.chart_spec` draws it."""

    kind: ChartKind
    indicator: str
    dimension: str | None = None
    title: Text = Field(default_factory=dict)
    unit: str = "number"
    baseline: float | None = None
    points: list[ChartPoint] = Field(default_factory=list)


class IndicatorRow(Strict):
    """One indicator in the report year: the row of its table, its charts and its notes."""

    id: str
    eid: str
    outcome: str
    text: Text = Field(default_factory=dict, description="the indicator as the plan words it")
    name: Text = Field(default_factory=dict, description="the definition's short name")
    unit: str = "number"
    measure: str = ""
    direction: str = "increase"
    outputs: list[str] = Field(default_factory=list)
    dimensions: list[str] = Field(default_factory=list)
    baseline: float | None = None
    baseline_year: int | None = None
    target: float | None = None
    actual: float | None = None
    expected: float | None = None
    status: Status = Status.no_data
    reason: str = ""
    target_reason: str = ""
    charts: list[ChartData] = Field(default_factory=list)
    notes: list[ReportNote] = Field(default_factory=list)


class OutcomeSection(Strict):
    """An outcome of an objective with its indicator rows."""

    number: str
    eid: str
    text: Text = Field(default_factory=dict)
    indicators: list[IndicatorRow] = Field(default_factory=list)


class OutputSection(Strict):
    """An output with the numbers of the indicators that draw on it (rows live in outcomes)."""

    number: str
    eid: str
    title: Text = Field(default_factory=dict)
    indicators: list[str] = Field(default_factory=list)


class ObjectiveSection(Strict):
    """An objective: its outcomes (indicator tables) and its outputs."""

    number: int
    eid: str
    title: Text = Field(default_factory=dict)
    outcomes: list[OutcomeSection] = Field(default_factory=list)
    outputs: list[OutputSection] = Field(default_factory=list)
    charts: list[ChartData] = Field(default_factory=list, description="target vs actual of all its indicators")

    def rows(self) -> list[IndicatorRow]:
        """Every indicator row of the objective, in table order."""
        return [row for outcome in self.outcomes for row in outcome.indicators]


class InclusionRow(Strict):
    """Section 4.4 of the plan for one indicator: women and persons with disabilities.

    ``*_share`` is the part of the indicator's population (its numerator for percentages)
    that is women, or persons with disabilities, in the report year; ``*_value`` is the
    indicator's own value for that group. None where the disaggregation has no data.
    """

    indicator: str
    text: Text = Field(default_factory=dict)
    outputs: list[str] = Field(default_factory=list)
    unit: str = "number"
    total: float | None = None
    women_value: float | None = None
    women_share: float | None = None
    disability_value: float | None = None
    disability_share: float | None = None


class ReportData(Strict):
    """The whole annual implementation report, in both languages."""

    plan_code: str
    plan_title: Text = Field(default_factory=dict)
    period: str | None = None
    year: int
    snapshot: SnapshotInfo = Field(default_factory=SnapshotInfo)
    objectives: list[ObjectiveSection] = Field(default_factory=list)
    inclusion_title: Text = Field(default_factory=dict, description="the heading of the plan's section 4.4")
    inclusion: list[InclusionRow] = Field(default_factory=list)
    quality_notes: list[ReportNote] = Field(default_factory=list)
    status_counts: dict[str, int] = Field(default_factory=dict)

    def rows(self) -> list[IndicatorRow]:
        """Every indicator row of the report, objective by objective."""
        return [row for objective in self.objectives for row in objective.rows()]


# -- building ------------------------------------------------------------------------------


def build_report(
    plan: Plan,
    indicator_set: IndicatorSet,
    values: Sequence[Value],
    progress: Sequence[Progress],
    quality_notes: Iterable[Any],
    year: int,
    snapshot_info: SnapshotInfo | Mapping[str, Any] | BaseModel | None = None,
) -> ReportData:
    """The report of ``year`` from one approved snapshot's figures.

    ``quality_notes`` may be the quality checks' counted records
    (:func:`actionplan.monitor.quality.quality`; only those of ``year`` are used),
    :class:`ReportNote`, mappings or objects with ``indicator``/``kind``/``message``, or strings;
    notes about missing disaggregations and missing data are added where the figures show
    them and no given note says so already.
    """
    notes = [note for n in quality_notes for note in _as_notes(n, year)]
    notes += _derived_notes(indicator_set, values, progress, year, notes)
    by_year = {p.indicator: p for p in progress if p.year == year}
    objectives = [_objective(obj, indicator_set, values, progress, by_year, notes, year) for obj in plan.objectives]
    data = ReportData(
        plan_code=plan.code,
        plan_title=dict(plan.title),
        period=plan.period,
        year=year,
        snapshot=_as_snapshot(snapshot_info, year),
        objectives=objectives,
        inclusion_title=_inclusion_title(plan),
        quality_notes=notes,
    )
    rows = data.rows()
    data.inclusion = [r for r in (_inclusion(row, values, indicator_set, year) for row in rows) if r is not None]
    data.status_counts = {s.value: sum(1 for r in rows if r.status == s) for s in Status}
    return data


def _objective(
    obj: Any,
    indicator_set: IndicatorSet,
    values: Sequence[Value],
    progress: Sequence[Progress],
    by_year: Mapping[str, Progress],
    notes: list[ReportNote],
    year: int,
) -> ObjectiveSection:
    """One objective section: outcome tables of indicator rows, then its outputs."""
    outcomes = []
    for outcome in obj.outcomes:
        rows = []
        for indicator in outcome.indicators:
            definition = indicator_set.get(indicator.number)
            series = [p for p in progress if p.indicator == indicator.number]
            rows.append(_row(indicator, outcome, definition, values, series, by_year, notes, year))
        outcomes.append(
            OutcomeSection(number=outcome.number, eid=outcome.eid, text=dict(outcome.text), indicators=rows)
        )
    all_rows = [r for oc in outcomes for r in oc.indicators]
    outputs = [
        OutputSection(
            number=out.number,
            eid=out.eid,
            title=dict(out.title),
            indicators=[r.id for r in all_rows if out.number in r.outputs],
        )
        for out in obj.outputs
    ]
    return ObjectiveSection(
        number=obj.number,
        eid=obj.eid,
        title=dict(obj.title),
        outcomes=outcomes,
        outputs=outputs,
        charts=[_achievement(obj.number, all_rows)],
    )


ACHIEVEMENT_TITLE: Text = {"zh": "实际值与年度目标值之比", "en": "Actual against the year's target"}


def _achievement(number: int, rows: Sequence[IndicatorRow]) -> ChartData:
    """Target vs actual for every indicator of an objective at once: actual as % of target.

    Indicators count different things, so one chart can only compare them as a share of
    their own target (inverted for those that should decrease); the series is the status.
    """
    points = []
    for row in rows:
        if row.actual is None or not row.target:
            continue
        share = row.actual / row.target if row.direction != "decrease" else row.target / max(row.actual, 1e-9)
        points.append(ChartPoint(x=row.id, series=row.status.value, value=round(100 * share, 1)))
    return ChartData(
        kind="achievement", indicator=str(number), title=ACHIEVEMENT_TITLE, unit="percent", points=points
    )


def _row(
    indicator: Any,
    outcome: Any,
    definition: IndicatorDefinition | None,
    values: Sequence[Value],
    series: Sequence[Progress],
    by_year: Mapping[str, Progress],
    notes: list[ReportNote],
    year: int,
) -> IndicatorRow:
    """The row of one plan indicator; an indicator without definition still gets its row."""
    number = indicator.number
    p = by_year.get(number)
    target = definition.target(year) if definition else None
    baseline = definition.baseline if definition else None
    outputs = list(definition.outputs) if definition and definition.outputs else list(outcome.outputs)
    row = IndicatorRow(
        id=number,
        eid=indicator.eid,
        outcome=outcome.number,
        text=dict(indicator.text),
        name=dict(definition.name) if definition else {},
        unit=definition.unit if definition else "number",
        measure=definition.measure if definition else "",
        direction=definition.direction if definition else "increase",
        outputs=outputs,
        dimensions=list(definition.dimensions) if definition else [],
        baseline=p.baseline if p and p.baseline is not None else (baseline.value if baseline else None),
        baseline_year=baseline.year if baseline else None,
        target=p.target if p and p.target is not None else (target.value if target else None),
        actual=p.actual if p else None,
        expected=p.expected if p else None,
        status=p.status if p else Status.no_data,
        reason=p.reason if p else "",
        target_reason=target.reason if target else "",
        notes=[n for n in notes if n.indicator == number],
    )
    row.charts = _charts(row, definition, values, series, year)
    return row


def _basis(definition: IndicatorDefinition | None) -> str:
    """The Value basis that matches the definition's time basis (cumulative or per year)."""
    return "cumulative" if definition is not None and definition.time == "cumulative" else "year"


def _headline(values: Sequence[Value], number: str, basis: str) -> list[Value]:
    """The indicator's headline values (no component series) on its own time basis."""
    return [v for v in values if v.indicator == number and not v.series and v.basis == basis]


def _chart(kind: ChartKind, row: IndicatorRow, points: list[ChartPoint], dim: str) -> ChartData:
    """A chart of one disaggregation of a row."""
    return ChartData(kind=kind, indicator=row.id, dimension=dim, title=row.text, unit=row.unit, points=points)


def _charts(
    row: IndicatorRow,
    definition: IndicatorDefinition | None,
    values: Sequence[Value],
    series: Sequence[Progress],
    year: int,
) -> list[ChartData]:
    """The trend over the years (actual, with the target dashed), then one chart per disaggregation of ``year``.

    A report draws these for all 38 indicators, so each must earn its place: target-vs-actual
    bars would repeat the trend (pages still offer them, see ``monitor_charts.target_actual_spec``).
    """
    charts: list[ChartData] = []
    ordered = sorted((p for p in series if p.year <= year), key=lambda p: p.year)
    if any(p.actual is not None or p.target is not None for p in ordered):
        trend = [ChartPoint(x=str(p.year), series="actual", value=p.actual) for p in ordered]
        trend += [ChartPoint(x=str(p.year), series="target", value=p.target) for p in ordered if p.target is not None]
        charts.append(
            ChartData(
                kind="trend", indicator=row.id, title=row.text, unit=row.unit, baseline=row.baseline, points=trend
            )
        )
    headline = [v for v in _headline(values, row.id, _basis(definition)) if v.year == year]
    by_dim = {
        dim: [ChartPoint(x=v.dims[dim], value=v.value) for v in headline if set(v.dims) == {dim}]
        for dim in row.dimensions
    }
    for dim in BAR_DIMENSIONS:
        if by_dim.get(dim):
            charts.append(_chart("disaggregation", row, by_dim[dim], dim))
    if by_dim.get("country"):
        charts.append(_chart("country_map", row, by_dim["country"], "country"))
    elif by_dim.get("region"):
        charts.append(_chart("region_map", row, by_dim["region"], "region"))
    return charts


# -- section 4.4 ---------------------------------------------------------------------------


def _sum(numbers: Iterable[float | None]) -> float | None:
    """The sum of the known numbers; None when none is known."""
    known = [n for n in numbers if n is not None]
    return sum(known) if known else None


def _group(values: list[Value], dim: str, codes: frozenset[str]) -> tuple[float | None, float | None]:
    """(the group's value, its share of the population) for one dimension of one indicator-year.

    The population is what the indicator counts -- the sum over every category of the
    dimension, unknown included, so shares never exceed 1 -- or, for a rate, its
    denominator (the share of women among the participants asked, not among the satisfied).
    """
    by_code = [v for v in values if set(v.dims) == {dim}]
    group = [v for v in by_code if v.dims[dim].strip().lower() in codes]
    if not by_code:
        return None, None  # not disaggregated this year: unknown, not zero
    rate = any(v.denominator is not None for v in by_code)

    def base(v: Value) -> float | None:
        """What the share is taken of."""
        return v.denominator if rate else v.value

    total, part = _sum(base(v) for v in by_code), _sum(base(v) for v in group)
    if not group:  # disaggregated, and nobody of the group: zero
        return 0.0, (0.0 if total else None)
    value = group[0].value if len(group) == 1 else _sum(v.value for v in group)
    share = part / total if part is not None and total else None
    return value, share


def _inclusion(
    row: IndicatorRow, values: Sequence[Value], indicator_set: IndicatorSet, year: int
) -> InclusionRow | None:
    """The section-4.4 line of an indicator disaggregated by sex or disability, else None."""
    if "sex" not in row.dimensions and "disability" not in row.dimensions:
        return None
    definition = indicator_set.get(row.id)
    current = [v for v in _headline(values, row.id, _basis(definition)) if v.year == year]
    women = _group(current, "sex", WOMEN_CODES) if "sex" in row.dimensions else (None, None)
    disability = _group(current, "disability", DISABILITY_CODES) if "disability" in row.dimensions else (None, None)
    return InclusionRow(
        indicator=row.id,
        text=row.text,
        outputs=row.outputs,
        unit=row.unit,
        total=row.actual,
        women_value=women[0],
        women_share=women[1],
        disability_value=disability[0],
        disability_share=disability[1],
    )


INCLUSION_TITLE_EN = (
    "Mainstreaming the empowerment of women and girls and of persons with disabilities in all outputs "
    "of the Buenos Aires Action Plan"
)


def _inclusion_title(plan: Plan) -> Text:
    """Section 4.4's heading as the plan prints it (English added when the plan has none)."""
    stack = list(plan.introduction)
    while stack:
        section = stack.pop(0)
        if section.num == "4.4" and section.heading:
            return {"en": INCLUSION_TITLE_EN} | dict(section.heading)
        stack.extend(section.sections)
    return {"zh": "将加强赋能于女性和年轻女性以及残疾人的工作纳入所有输出成果", "en": INCLUSION_TITLE_EN}


# -- notes and snapshot --------------------------------------------------------------------


def _text(value: Any) -> Text:
    """A message as a ``{lang: text}`` map, whatever shape it came in."""
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items() if v}
    return {"en": str(value)} if value else {}


def _counted_notes(note: Any, year: int) -> list[ReportNote]:
    """Notes from a count-based quality record (:class:`actionplan.monitor.quality.QualityNote`).

    Its English sentences are rebuilt in both languages from its counts, so the Chinese
    report does not show English; a record of another year gives no note.
    """
    if getattr(note, "year", year) != year:
        return []
    records = int(getattr(note, "records", 0) or 0)
    out = []
    for field, kind in (
        ("missing_codes", "missing_disaggregation"),
        ("recorded_late", "late_data"),
        ("no_region", "no_region"),
    ):
        count = int(getattr(note, field, 0) or 0)
        if count and records:
            share = f"{100 * count / records:.1f}"
            out.append(ReportNote(indicator=note.indicator, kind=kind, message=_COUNTED[kind](count, records, share)))
    return out


_COUNTED = {
    "missing_disaggregation": lambda n, total, pct: {
        "zh": f"{total}条记录中有{n}条（{pct}%）的性别、年龄段或残疾状况不详（_U），相应分列数据不完整。",
        "en": f"{n} of {total} records ({pct} %) have unknown sex, age band or disability (_U): "
        "breakdowns by them are incomplete.",
    },
    "late_data": lambda n, total, pct: {
        "zh": f"{total}条记录中有{n}条（{pct}%）在年度结束{LATE_DAYS}天后才录入。",
        "en": f"{n} of {total} records ({pct} %) were recorded more than {LATE_DAYS} days after the year ended.",
    },
    "no_region": lambda n, total, pct: {
        "zh": f"{total}条记录中有{n}条（{pct}%）涉及不属于任何ITU-D区域的国家，未计入区域分列。",
        "en": f"{n} of {total} records ({pct} %) are for countries outside the ITU-D regions "
        "and missing from the regional breakdown.",
    },
}


def _as_notes(note: Any, year: int) -> list[ReportNote]:
    """Report notes from whatever the caller holds: counted quality records, mappings, strings."""
    if isinstance(note, ReportNote):
        return [note]
    if isinstance(note, str):
        return [ReportNote(message={"en": note})]
    if hasattr(note, "missing_codes") or hasattr(note, "recorded_late"):
        return _counted_notes(note, year)
    if isinstance(note, BaseModel):
        note = note.model_dump(mode="json")
    get = note.get if isinstance(note, Mapping) else lambda key, default=None: getattr(note, key, default)
    if get("year", year) != year:
        return []
    kind = get("kind", None) or get("code", None) or "note"
    message = get("message", None) or get("text", None) or get("detail", None) or ""
    dimension = get("dimension", None)
    indicator = get("indicator", None)
    return [
        ReportNote(
            indicator=str(indicator) if indicator else None,
            kind=str(getattr(kind, "value", kind)),
            dimension=str(dimension) if dimension else None,
            message=_text(message),
        )
    ]


def _derived_notes(
    indicator_set: IndicatorSet,
    values: Sequence[Value],
    progress: Sequence[Progress],
    year: int,
    given: Sequence[ReportNote],
) -> list[ReportNote]:
    """Notes the figures themselves show: no value for the year, a declared disaggregation missing."""
    said = {(n.indicator, n.kind, n.dimension) for n in given}
    said_any = {(n.indicator, n.kind) for n in given}
    out: list[ReportNote] = []
    statuses = {p.indicator: p for p in progress if p.year == year}
    for d in indicator_set.indicators:
        p = statuses.get(d.id)
        if (p is None or p.actual is None) and (d.id, "no_data") not in said_any:
            out.append(ReportNote(indicator=d.id, kind="no_data", message=_no_data_message(year)))
            continue
        current = [v for v in _headline(values, d.id, _basis(d)) if v.year == year]
        for dim in d.dimensions:
            if any(set(v.dims) == {dim} for v in current) or (d.id, "missing_disaggregation", dim) in said:
                continue
            out.append(
                ReportNote(
                    indicator=d.id, kind="missing_disaggregation", dimension=dim, message=_missing_message(dim, year)
                )
            )
    return out


def _no_data_message(year: int) -> Text:
    """The note for an indicator without a value in the year."""
    return {"zh": f"{year}年无数据。", "en": f"No data for {year}."}


def _missing_message(dim: str, year: int) -> Text:
    """The note for a declared disaggregation without figures in the year."""
    names = DIMENSION_NAMES.get(dim, {"zh": dim, "en": dim})
    return {
        "zh": f"{year}年缺少按{names['zh']}分列的数据。",
        "en": f"No {year} figures disaggregated by {names['en']}.",
    }


def _as_snapshot(info: SnapshotInfo | Mapping[str, Any] | BaseModel | None, year: int) -> SnapshotInfo:
    """The snapshot's identity from whatever the caller holds (model, mapping or nothing)."""
    if isinstance(info, SnapshotInfo):
        return info
    if info is None:
        return SnapshotInfo(year=year)
    raw = info.model_dump(mode="json") if isinstance(info, BaseModel) else dict(info)
    known = {k: raw[k] for k in SnapshotInfo.model_fields if raw.get(k) is not None}
    known = {k: (v if k in ("year", "locked") else str(v)) for k, v in known.items()}
    known.setdefault("year", year)
    return SnapshotInfo.model_validate(known)
