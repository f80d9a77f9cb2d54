"""Indicator definitions compiled to portable SQL and run in the database.

The benchmark runs this over a million participants, so nothing is counted in Python: each
definition becomes one ``SELECT ... GROUP BY year, <dims>`` per disaggregation (plus one per
component series). Distinct units are counted with ``COUNT(DISTINCT ...)``; a cumulative
value joins the records to the plan years up to each year, so a person or country first seen
in 2018 counts once in every later cumulative year. Country groups (LDC/LLDC/SIDS) are
joined as of the record's date: ``valid_from <= d < valid_to``, open bounds allowed.

The three dialects differ only in year extraction and parameter style.

Disaggregation values: ``region`` is the ITU-D region of the record's country (of the event
for events; ``_Z`` for a global event or a country outside every region); ``group`` gives
one value per LDC/LLDC/SIDS membership in force on the record's date, so the groups overlap
(a SIDS that is also an LDC is in both) and countries in no group are not listed; the
participant codes (sex, age band, disability) are the stored SDMX codes, ``_U`` included.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from actionplan.errors import ValidationError
from actionplan.monitor.definitions import CountSpec, Filter, IndicatorDefinition
from actionplan.monitor.records import GROUP, NOT_APPLICABLE, REGION
from actionplan.monitor.schema import Dialect
from actionplan.monitor.values import Value

PLAN_START = 2018
"""Cumulative values count records from this year on."""

REGION_CODES = tuple(REGION)
GROUP_CODES = tuple(GROUP)


@dataclass(frozen=True)
class Source:
    """How one record kind maps onto the tables: joins, date, year, country, fields, units."""

    table: str
    alias: str
    joins: str
    date: str | None
    year_column: str | None
    country: str | None
    fields: dict[str, str]
    units: dict[str, str]
    dims: dict[str, str] = field(default_factory=dict)
    optional: dict[str, str] = field(default_factory=dict)
    """alias -> JOIN clause, added only when the query uses that alias (saves a join per row)."""

    def from_sql(self, *parts: str) -> str:
        """The FROM clause with the optional joins the other parts of the query refer to."""
        used = " ".join(parts)
        extra = [j for alias, j in self.optional.items() if re.search(rf"\b{alias}\.", used)]
        return " ".join([self.joins, *extra])


def _output_exists(event_id: str) -> str:
    return f"EXISTS (SELECT 1 FROM monitor_event_output eo WHERE eo.event_id = {event_id} AND eo.output {{cmp}})"


SOURCES: dict[str, Source] = {
    "event": Source(
        "monitor_event",
        "e",
        "monitor_event e",
        "e.start_date",
        None,
        "e.country",
        {
            "kind": "e.kind",
            "region": "e.region",
            "country": "e.country",
            "online": "e.online",
            "output": _output_exists("e.id"),
        },
        {"record": "e.id", "event": "e.id", "country": "e.country"},
        {"region": "COALESCE(e.region, '_Z')", "country": "COALESCE(e.country, '_Z')", "kind": "e.kind"},
    ),
    "participation": Source(
        "monitor_participation",
        "pa",
        "monitor_participation pa JOIN monitor_event e ON e.id = pa.event_id",
        "e.start_date",
        None,
        "p.country",
        {
            "sex": "p.sex",
            "age_band": "p.age_band",
            "disability": "p.disability",
            "country": "p.country",
            "organisation_type": "p.organisation_type",
            "completed": "pa.completed",
            "assessed": "pa.assessed",
            "satisfaction": "pa.satisfaction",
            "event_kind": "e.kind",
            "event_region": "e.region",
            "online": "e.online",
            "output": _output_exists("e.id"),  # per event, not per participation: SQLite runs it once per row
        },
        {"record": "pa.id", "person": "pa.participant_id", "country": "p.country", "event": "pa.event_id"},
        {
            "country": "COALESCE(p.country, '_Z')",
            "sex": "p.sex",
            "age_band": "p.age_band",
            "disability": "p.disability",
            "organisation_type": "p.organisation_type",
            "kind": "e.kind",
        },
        {"p": "JOIN monitor_participant p ON p.id = pa.participant_id"},
    ),
    "assistance": Source(
        "monitor_assistance",
        "a",
        "monitor_assistance a",
        "a.delivered_on",
        None,
        "a.country",
        {"country": "a.country", "output": "a.output", "kind": "a.kind"},
        {"record": "a.id", "country": "a.country"},
        {"country": "a.country", "kind": "a.kind"},
    ),
    "publication": Source(
        "monitor_publication",
        "pu",
        "monitor_publication pu",
        "pu.released_on",
        None,
        None,
        {"kind": "pu.kind", "output": "pu.output"},
        {"record": "pu.id", "publication": "pu.id"},
        {"kind": "pu.kind"},
    ),
    "publication_use": Source(
        "monitor_publication_use",
        "u",
        "monitor_publication_use u",
        None,
        "u.year",
        None,
        {
            "kind": "pu.kind",
            "output": "pu.output",
            "downloads": "u.downloads",
            "page_views": "u.page_views",
            "users": "u.users",
        },
        {"record": "u.id", "publication": "u.publication_id"},
        {"kind": "pu.kind"},
        {"pu": "JOIN monitor_publication pu ON pu.id = u.publication_id"},
    ),
    "partnership": Source(
        "monitor_partnership",
        "pt",
        "monitor_partnership pt",
        "pt.signed_on",
        None,
        None,
        {
            "partner_type": "pt.partner_type",
            "output": "pt.output",
            "cash_chf": "pt.cash_chf",
            "in_kind_chf": "pt.in_kind_chf",
            "total_chf": "(COALESCE(pt.cash_chf, 0) + COALESCE(pt.in_kind_chf, 0))",
        },
        {"record": "pt.id", "partner": "pt.partner"},
        {"kind": "pt.partner_type"},
    ),
    "milestone": Source(
        "monitor_milestone",
        "m",
        "monitor_milestone m",
        None,
        "m.year",
        None,
        {"achieved": "m.achieved", "level": "m.level", "indicator": "m.indicator"},
        {"record": "m.id"},
    ),
}
"""Record kind -> its mapping onto the fixed table schema."""

_OPS = {"eq": "=", "ne": "<>", "ge": ">=", "gt": ">", "le": "<=", "lt": "<"}


class Sql:
    """SQL text with parameter tokens, rendered per dialect at the end.

    ``param`` returns a unique token; ``render`` replaces the tokens in the order they appear
    in the final text (a condition used twice gets its parameters twice), so the pieces of a
    query can be built in any order.
    """

    def __init__(self, dialect: Dialect):
        self.dialect = dialect
        self.values: list[Any] = []

    def param(self, value: Any) -> str:
        """A token standing for ``value`` (dates as ISO text in SQLite)."""
        if self.dialect == "sqlite" and isinstance(value, datetime.date):
            value = value.isoformat()
        self.values.append(value)
        return f"\x00{len(self.values) - 1}\x00"

    def render(self, text: str) -> tuple[str, list[Any]]:
        """The SQL in the dialect's parameter style (psycopg: %s, others: ?) and its parameters."""
        pieces = text.split("\x00")
        mark = "%s" if self.dialect == "postgresql" else "?"
        params = [self.values[int(token)] for token in pieces[1::2]]
        sql = "".join(piece if i % 2 == 0 else mark for i, piece in enumerate(pieces))
        return sql, params


def year_sql(expr: str, dialect: Dialect) -> str:
    """The calendar year of a DATE expression as an integer."""
    if dialect == "sqlite":  # dates are ISO text: the first four characters are the year
        return f"CAST(substr({expr}, 1, 4) AS INTEGER)"
    return f"CAST(EXTRACT(YEAR FROM {expr}) AS INTEGER)"


def _member_sql(country: str, date: str | None, codes: str) -> str:
    """EXISTS a country-group row of ``country`` with a code in ``codes``, in force on ``date``."""
    dated = ""
    if date is not None:
        dated = f" AND (g.valid_from IS NULL OR g.valid_from <= {date}) AND (g.valid_to IS NULL OR {date} < g.valid_to)"
    return f"EXISTS (SELECT 1 FROM monitor_country_group g WHERE g.iso3 = {country} AND g.group_code {codes}{dated})"


def _values(flt: Filter) -> list[Any]:
    value = flt.value
    return list(value) if isinstance(value, list) else [value]


def _filter_sql(flt: Filter, src: Source, q: Sql) -> str:
    """One filter as a SQL condition; output, region and group become EXISTS subqueries."""
    negate = flt.op in ("ne", "not_in")
    if flt.op in ("is_null", "not_null"):
        expr = _field_expr(flt.field, src)
        return f"{expr} IS {'NOT ' if flt.op == 'not_null' else ''}NULL"
    if flt.op in ("eq", "ne", "in", "not_in"):
        marks = ", ".join(q.param(v) for v in _values(flt))
        cmp = f"IN ({marks})"
    else:
        cmp = f"{_OPS[flt.op]} {q.param(flt.value)}"
    if flt.field == "output" and "{cmp}" in src.fields["output"]:
        return ("NOT " if negate else "") + src.fields["output"].format(cmp=cmp)
    if flt.field == "group" or (flt.field == "region" and "region" not in src.fields):
        assert src.country is not None
        date = src.date if flt.field == "group" else None
        return ("NOT " if negate else "") + _member_sql(src.country, date, cmp)
    expr = src.fields[flt.field]
    return f"{expr} NOT {cmp}" if negate else f"{expr} {cmp}"


def _field_expr(name: str, src: Source) -> str:
    return src.fields[name]


def _where(filters: Iterable[Filter], src: Source, q: Sql) -> list[str]:
    return [_filter_sql(f, src, q) for f in filters]


def _dim_parts(dims: Sequence[str], src: Source) -> tuple[list[str], list[str]]:
    """Select expressions and extra joins for the disaggregations asked for."""
    exprs, joins = [], []
    for index, dim in enumerate(dims):
        if dim == "region" and "region" not in src.dims:
            assert src.country is not None
            alias = f"rg{index}"
            codes = ", ".join(f"'{c}'" for c in REGION_CODES)
            joins.append(
                f"LEFT JOIN monitor_country_group {alias} ON {alias}.iso3 = {src.country} "
                f"AND {alias}.group_code IN ({codes})"
            )
            exprs.append(f"COALESCE({alias}.group_code, '{NOT_APPLICABLE}')")
        elif dim == "group":
            assert src.country is not None and src.date is not None
            alias = f"gg{index}"
            codes = ", ".join(f"'{c}'" for c in GROUP_CODES)
            joins.append(
                f"JOIN monitor_country_group {alias} ON {alias}.iso3 = {src.country} "
                f"AND {alias}.group_code IN ({codes}) "
                f"AND ({alias}.valid_from IS NULL OR {alias}.valid_from <= {src.date}) "
                f"AND ({alias}.valid_to IS NULL OR {src.date} < {alias}.valid_to)"
            )
            exprs.append(f"{alias}.group_code")
        else:
            exprs.append(src.dims[dim])
    return exprs, joins


@dataclass
class Part:
    """One aggregate of a query: what to aggregate, how, and under which extra condition."""

    how: str  # count | sum | max | share
    expr: str
    condition: str | None = None


def _spec_part(spec: CountSpec, src: Source, q: Sql) -> Part:
    """The aggregate for a count/distinct/sum spec with its own filters as a CASE condition."""
    conditions = _where(spec.filters, src, q)
    condition = " AND ".join(f"({c})" for c in conditions) or None
    if spec.measure == "sum":
        assert spec.field is not None
        return Part("sum", src.fields[spec.field], condition)
    return Part("count", src.units[spec.distinct], condition)


def _on_time(src: Source) -> str:
    return "(m.achieved AND (m.due_on IS NULL OR (m.achieved_on IS NOT NULL AND m.achieved_on <= m.due_on)))"


def _parts(d: IndicatorDefinition | CountSpec, src: Source, q: Sql) -> list[Part]:
    """Aggregates of a headline measure: one for counts and sums, two for shares."""
    if isinstance(d, IndicatorDefinition) and d.measure in ("percentage", "ratio"):
        assert d.numerator is not None and d.denominator is not None
        return [_spec_part(d.numerator, src, q), _spec_part(d.denominator, src, q)]
    if isinstance(d, IndicatorDefinition) and d.measure in ("milestone", "yes_no"):
        if d.measure == "milestone" and d.score == "level":
            return [Part("max", "m.level")]
        done = "m.achieved" if d.score == "achieved_share" else _on_time(src)
        return [Part("share", f"CASE WHEN {done} THEN 1 ELSE 0 END"), Part("count", "m.id")]
    measure = d.measure
    field_name = d.field
    if measure == "sum":
        assert field_name is not None
        return [Part("sum", src.fields[field_name])]
    return [Part("count", src.units[d.distinct])]


def _aggregate(part: Part, column: str) -> str:
    if part.how == "count":
        return f"COUNT(DISTINCT {column})"
    if part.how == "max":
        return f"MAX({column})"
    return f"SUM({column})"


def _base_filters(d: IndicatorDefinition | CountSpec, src: Source, q: Sql, indicator: str) -> list[str]:
    """The WHERE conditions every record behind the value meets."""
    conditions = _where(d.filters, src, q)
    if src.table == "monitor_milestone":
        conditions.append(f"m.indicator = {q.param(indicator)}")
    return conditions


def _year_range(src: Source, q: Sql, first: int, last: int) -> tuple[str, str]:
    """The year expression and a range condition (on the date column, so indexes serve it)."""
    if src.year_column is not None:
        cond = f"{src.year_column} BETWEEN {q.param(first)} AND {q.param(last)}"
        return src.year_column, cond
    assert src.date is not None
    low = q.param(datetime.date(first, 1, 1))
    high = q.param(datetime.date(last + 1, 1, 1))
    return year_sql(src.date, q.dialect), f"{src.date} >= {low} AND {src.date} < {high}"


@dataclass
class Query:
    """A compiled query: SQL, parameters and how to read its rows back."""

    sql: str
    params: list[Any]
    dims: tuple[str, ...]
    parts: list[Part]


def compile_query(
    d: IndicatorDefinition,
    spec: IndicatorDefinition | CountSpec,
    dims: Sequence[str],
    dialect: Dialect,
    years: Sequence[int],
    cumulative: bool,
    start: int = PLAN_START,
) -> Query:
    """One SQL statement giving (year, dims..., aggregates...) rows for the requested years."""
    src = SOURCES[spec.source]
    q = Sql(dialect)
    dim_exprs, dim_joins = _dim_parts(dims, src)
    parts = _parts(spec, src, q)
    first = start if cumulative else min(years)
    year_expr, year_cond = _year_range(src, q, first, max(years))
    conditions = [year_cond, *_base_filters(spec, src, q, d.id)]
    alternatives = [p.condition for p in parts if p.condition]
    if len(alternatives) == len(parts) and alternatives:
        conditions.append(" OR ".join(f"({c})" for c in alternatives))
    columns = [f"{year_expr} AS yr"] + [f"{e} AS d{i}" for i, e in enumerate(dim_exprs)]
    for index, part in enumerate(parts):
        expr = part.expr if part.condition is None else f"CASE WHEN {part.condition} THEN {part.expr} END"
        columns.append(f"{expr} AS a{index}")
    where = " AND ".join(f"({c})" for c in conditions)
    from_sql = src.from_sql(*columns, where, *dim_joins)
    base = f"SELECT {', '.join(columns)} FROM {from_sql} {' '.join(dim_joins)} WHERE {where}"
    if cumulative:
        sql = _cumulative_sql(base, len(dims), parts, years)
    else:
        dim_cols = [f"b.d{i}" for i in range(len(dims))]
        aggs = [_aggregate(p, f"b.a{i}") for i, p in enumerate(parts)]
        sql = f"SELECT b.yr, {', '.join([*dim_cols, *aggs])} FROM ({base}) b GROUP BY {', '.join(['b.yr', *dim_cols])}"
    text, params = q.render(sql)
    return Query(text, params, tuple(dims), parts)


def _cumulative_sql(base: str, width: int, parts: list[Part], years: Sequence[int]) -> str:
    """Values over the plan years up to each year, computed without rescanning per year.

    A distinct count becomes "units whose first year is <= y" (one row per unit, then a join
    with the years); sums and maxima are aggregated per year first. Other mixes (shares of
    distinct counts) join the records to the years directly.
    """
    span = " UNION ALL ".join(f"SELECT {int(y)} AS yr" for y in sorted(years))
    dims = [f"d{i}" for i in range(width)]
    grouped = ", ".join(["y.yr", *(f"f.{d}" for d in dims)])
    if len(parts) == 1 and parts[0].how == "count":
        keys = ", ".join([*(f"b.{d}" for d in dims), "b.a0"])
        first = f"SELECT {keys}, MIN(b.yr) AS yr FROM ({base}) b GROUP BY {keys}"
        return f"SELECT {grouped}, COUNT(f.a0) FROM ({first}) f JOIN ({span}) y ON f.yr <= y.yr GROUP BY {grouped}"
    if all(p.how in ("sum", "max") for p in parts):
        keys = ", ".join(["b.yr", *(f"b.{d}" for d in dims)])
        inner = ", ".join(_aggregate(p, f"b.a{i}") + f" AS a{i}" for i, p in enumerate(parts))
        yearly = f"SELECT {keys}, {inner} FROM ({base}) b GROUP BY {keys}"
        outer = ", ".join(_aggregate(p, f"f.a{i}") for i, p in enumerate(parts))
        return f"SELECT {grouped}, {outer} FROM ({yearly}) f JOIN ({span}) y ON f.yr <= y.yr GROUP BY {grouped}"
    aggs = ", ".join(_aggregate(p, f"f.a{i}") for i, p in enumerate(parts))
    return f"SELECT {grouped}, {aggs} FROM ({base}) f JOIN ({span}) y ON f.yr <= y.yr GROUP BY {grouped}"


def _number(value: Any) -> float | None:
    if value is None:
        return None
    return float(value) if isinstance(value, (int, float, Decimal)) else float(str(value))


def headline_value(
    d: IndicatorDefinition, numbers: Sequence[float | None]
) -> tuple[float | None, float | None, float | None]:
    """(value, numerator, denominator) from a query's aggregates, per the measure."""
    if (
        d.measure in ("percentage", "ratio")
        or (d.measure == "milestone" and d.score != "level")
        or d.measure == "yes_no"
    ):
        num, den = (numbers[0] or 0.0), (numbers[1] or 0.0)
        if not den:
            return None, num, den
        if d.measure == "yes_no":
            return (1.0 if num == den else 0.0), num, den
        scale = 1.0 if d.measure == "ratio" else 100.0
        return scale * num / den, num, den
    return numbers[0], None, None


def split_dims(spec: str) -> tuple[str, ...]:
    """A disaggregation request ``"region+sex"`` as its parts; ``""`` is the total."""
    return tuple(p for p in spec.split("+") if p) if spec else ()


def _rows_to_values(
    d: IndicatorDefinition,
    rows: Iterable[Sequence[Any]],
    query: Query,
    series: str,
    basis: str,
    years: Sequence[int],
) -> list[Value]:
    out = []
    width = len(query.dims)
    wanted = set(years)
    for row in rows:
        year = int(row[0])
        if year not in wanted:
            continue
        dims = {name: NOT_APPLICABLE if row[1 + i] is None else str(row[1 + i]) for i, name in enumerate(query.dims)}
        numbers = [_number(v) for v in row[1 + width :]]
        if series:
            value, num, den = numbers[0], None, None
        else:
            value, num, den = headline_value(d, numbers)
        out.append(
            Value(
                indicator=d.id,
                year=year,
                basis=basis,
                dims=dims,
                value=value,
                numerator=num,
                denominator=den,
                series=series,
            )
        )
    if not query.dims:
        seen = {v.year for v in out}
        out += [Value(indicator=d.id, year=y, basis=basis, series=series) for y in years if y not in seen]
    return out


def _allowed(d: IndicatorDefinition, source: str, dims: tuple[str, ...]) -> bool:
    """A disaggregation is computed when the definition allows it and the source can give it."""
    from actionplan.monitor.definitions import DIMENSIONS

    return all(x in d.dimensions and x in DIMENSIONS[source] for x in dims)


def plan_queries(
    d: IndicatorDefinition,
    dialect: Dialect,
    years: Sequence[int],
    dims: Sequence[str] = ("",),
) -> list[tuple[str, Query]]:
    """Every (series, query) needed for one definition and the requested disaggregations."""
    cumulative = d.time == "cumulative"
    out = []
    for spec_text in dims:
        parts = split_dims(spec_text)
        if _allowed(d, d.source, parts):
            out.append(("", compile_query(d, d, parts, dialect, years, cumulative)))
        for comp in d.components:
            if _allowed(d, comp.source, parts):
                out.append((comp.key, compile_query(d, comp, parts, dialect, years, cumulative)))
    return out


def compute(
    definitions: Iterable[IndicatorDefinition],
    cursor: Any,
    dialect: Dialect,
    years: Sequence[int] = range(2018, 2022),
    dims: Sequence[str] = ("",),
) -> list[Value]:
    """Values per indicator x year x disaggregation, computed by the database on ``cursor``.

    ``dims`` lists disaggregations: ``""`` the total, ``"sex"``, ``"region+sex"``...; one not
    allowed for a definition is skipped for it. Totals have a Value for every year (None when
    no record); disaggregated values only for the combinations found.
    """
    years = list(years)
    out: list[Value] = []
    for d in definitions:
        basis = "cumulative" if d.time == "cumulative" else "year"
        for series, query in plan_queries(d, dialect, years, dims):
            cursor.execute(query.sql, query.params)
            out += _rows_to_values(d, cursor.fetchall(), query, series, basis, years)
    return sorted(out, key=Value.key)


def records_behind(
    definition: IndicatorDefinition,
    year: int,
    dims: dict[str, str] | None = None,
    dialect: Dialect = "sqlite",
    series: str = "",
) -> tuple[str, str, list[Any]]:
    """(table, sql, params) selecting the ids of the records behind one value, for drill-down.

    For a cumulative indicator these are the records of the plan years up to ``year``.
    """
    spec: IndicatorDefinition | CountSpec = definition
    if series:
        spec = next(c for c in definition.components if c.key == series)
    src = SOURCES[spec.source]
    q = Sql(dialect)
    names = tuple((dims or {}).keys())
    if not _allowed(definition, spec.source, names):
        allowed = ", ".join(definition.dimensions) or "none"
        raise ValidationError(f"{definition.id}: cannot disaggregate by {', '.join(names)} (allowed: {allowed})")
    dim_exprs, dim_joins = _dim_parts(names, src)
    parts = _parts(spec, src, q)
    first = PLAN_START if definition.time == "cumulative" else year
    _, year_cond = _year_range(src, q, first, year)
    conditions = [year_cond, *_base_filters(spec, src, q, definition.id)]
    alternatives = [p.condition for p in parts if p.condition]
    if len(alternatives) == len(parts) and alternatives:
        conditions.append(" OR ".join(f"({c})" for c in alternatives))
    for expr, name in zip(dim_exprs, names, strict=True):
        conditions.append(f"{expr} = {q.param((dims or {})[name])}")
    where = " AND ".join(f"({c})" for c in conditions)
    from_sql = src.from_sql(where, *dim_joins)
    sql = f"SELECT DISTINCT {src.alias}.id FROM {from_sql} {' '.join(dim_joins)} WHERE {where} ORDER BY {src.alias}.id"
    text, params = q.render(sql)
    return src.table, text, params
