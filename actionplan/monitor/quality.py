"""Data-quality notes per indicator and year, computed in the database like the values.

Three notes a reader needs before trusting a number:

- **missing codes**: records behind the value whose disaggregation codes are ``_U`` (sex, age
  band or disability of a participant), so a breakdown by them is incomplete;
- **recorded late**: records entered more than 30 days after 31 December of their year, so
  the value changed after the year was reported;
- **no region**: records for a country outside every ITU-D region, missing from a regional
  breakdown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel

from actionplan.monitor.compute import REGION_CODES, SOURCES, Sql, _base_filters, _parts, _year_range
from actionplan.monitor.definitions import IndicatorDefinition
from actionplan.monitor.schema import Dialect

LATE_DAYS = 30

RECORDED = {
    "event": "e.recorded_on",
    "participation": "pa.recorded_on",
    "assistance": "a.recorded_on",
    "publication": "pu.recorded_on",
    "partnership": "pt.recorded_on",
    "milestone": "m.recorded_on",
}
MISSING = {"participation": "(p.sex = '_U' OR p.age_band = '_U' OR p.disability = '_U')"}


class QualityNote(BaseModel):
    """Counts behind one indicator-year, with the notes worth showing as sentences."""

    indicator: str
    year: int
    records: int
    missing_codes: int = 0
    recorded_late: int = 0
    no_region: int = 0
    notes: list[str] = []


def _day_number(expr: str, dialect: Dialect) -> str:
    """A date as the integer YYYYMMDD, so 'after 30 January of next year' is one comparison."""
    if dialect == "sqlite":
        return f"CAST(strftime('%Y%m%d', {expr}) AS INTEGER)"
    return (
        f"CAST(EXTRACT(YEAR FROM {expr}) * 10000 + EXTRACT(MONTH FROM {expr}) * 100 "
        f"+ EXTRACT(DAY FROM {expr}) AS INTEGER)"
    )


def quality_query(d: IndicatorDefinition, dialect: Dialect, years: Sequence[int]) -> tuple[str, list[Any]]:
    """SQL giving (year, records, missing, late, no_region) for the headline records of ``d``."""
    src = SOURCES[d.source]
    q = Sql(dialect)
    parts = _parts(d, src, q)
    year_expr, year_cond = _year_range(src, q, min(years), max(years))
    conditions = [year_cond, *_base_filters(d, src, q, d.id)]
    alternatives = [p.condition for p in parts if p.condition]
    if len(alternatives) == len(parts) and alternatives:
        conditions.append(" OR ".join(f"({c})" for c in alternatives))
    missing = MISSING.get(d.source, "1 = 0")
    recorded = RECORDED.get(d.source)
    late = "1 = 0"
    if recorded:
        deadline = f"({year_expr} + 1) * 10000 + 100 + {LATE_DAYS}"  # YYYY+1, January, day 30
        late = f"{recorded} IS NOT NULL AND {_day_number(recorded, dialect)} > {deadline}"
    no_region = "1 = 0"
    if src.country:
        codes = ", ".join(f"'{c}'" for c in REGION_CODES)
        no_region = (
            f"{src.country} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM monitor_country_group r "
            f"WHERE r.iso3 = {src.country} AND r.group_code IN ({codes}))"
        )
    flags = [f"CASE WHEN {c} THEN 1 ELSE 0 END" for c in (missing, late, no_region)]
    sql = (
        f"SELECT {year_expr}, COUNT(DISTINCT {src.alias}.id), "
        + ", ".join(f"SUM({f})" for f in flags)
        + f" FROM {src.from_sql(missing, no_region, *conditions)} WHERE {' AND '.join(f'({c})' for c in conditions)}"
        + f" GROUP BY {year_expr}"
    )
    return q.render(sql)


def _sentences(note: QualityNote) -> list[str]:
    """The notes worth showing, each with its share of the year's records."""
    out = []
    for count, text in (
        (note.missing_codes, "have unknown sex, age band or disability (_U)"),
        (note.recorded_late, f"were recorded more than {LATE_DAYS} days after the year ended"),
        (note.no_region, "are for countries outside the ITU-D regions"),
    ):
        if count:
            out.append(f"{count} of {note.records} records ({100 * count / note.records:.1f} %) {text}")
    return out


def quality(
    definitions: Iterable[IndicatorDefinition],
    cursor: Any,
    dialect: Dialect,
    years: Sequence[int] = range(2018, 2022),
) -> list[QualityNote]:
    """Quality notes per indicator and year (years without records are left out).

    Records are counted per row of the source (a participation row may repeat a person), so
    the shares describe the data entered, not the distinct units.
    """
    out = []
    years = list(years)
    for d in definitions:
        sql, params = quality_query(d, dialect, years)
        cursor.execute(sql, params)
        for year, records, missing, late, no_region in cursor.fetchall():
            note = QualityNote(
                indicator=d.id,
                year=int(year),
                records=int(records),
                missing_codes=int(missing or 0),
                recorded_late=int(late or 0),
                no_region=int(no_region or 0),
            )
            out.append(note.model_copy(update={"notes": _sentences(note)}))
    return sorted(out, key=lambda n: (n.indicator, n.year))
