"""A deliberately simple evaluator in plain Python, to hold the SQL of compute() to account.

It reads the same table rows (dicts keyed by column name, as :func:`demo.generate` returns
them) and applies each definition literally: flatten every record with its fields, keep the
ones the filters accept, put each under its year (or every later year, when cumulative) and
its disaggregation, and count sets of units. It is slow and obvious on purpose; tests check
``compute(...) == evaluate(...)`` on generated data.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from actionplan.monitor.compute import PLAN_START, headline_value, split_dims
from actionplan.monitor.definitions import DIMENSIONS, CountSpec, Filter, IndicatorDefinition
from actionplan.monitor.records import GROUP, NOT_APPLICABLE, REGION
from actionplan.monitor.values import Value

Tables = Mapping[str, Sequence[Mapping[str, Any]]]


def _as_date(value: Any) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


class World:
    """Lookups over the tables: event outputs, regions and dated group memberships."""

    def __init__(self, tables: Tables):
        self.tables = tables
        self.outputs: dict[int, set[str]] = {}
        for row in tables.get("monitor_event_output", []):
            self.outputs.setdefault(row["event_id"], set()).add(row["output"])
        self.region: dict[str, str] = {}
        self.memberships: dict[str, list[tuple[str, datetime.date | None, datetime.date | None]]] = {}
        for row in tables.get("monitor_country_group", []):
            if row["group_code"] in REGION:
                self.region[row["iso3"]] = row["group_code"]
            elif row["group_code"] in GROUP:
                self.memberships.setdefault(row["iso3"], []).append(
                    (row["group_code"], _as_date(row["valid_from"]), _as_date(row["valid_to"]))
                )

    def groups(self, iso3: str | None, on: datetime.date | None) -> set[str]:
        """Groups of ``iso3`` in force on ``on``: valid_from <= on < valid_to."""
        if iso3 is None or on is None:
            return set()
        return {
            g
            for g, start, end in self.memberships.get(iso3, [])
            if (start is None or start <= on) and (end is None or on < end)
        }


@dataclass
class Fact:
    """One record flattened: its year, date, country, fields, unit keys and dimension values."""

    id: int
    year: int
    date: datetime.date | None
    country: str | None
    fields: dict[str, Any]
    units: dict[str, Any]
    dims: dict[str, str] = field(default_factory=dict)
    outputs: set[str] = field(default_factory=set)


def _facts(source: str, tables: Tables, world: World) -> list[Fact]:
    """Every record of a source kind as a Fact."""
    return list(FACTS[source](tables, world))


def _event_facts(tables: Tables, world: World) -> Iterable[Fact]:
    for e in tables["monitor_event"]:
        day = _as_date(e["start_date"])
        assert day is not None
        yield Fact(
            e["id"],
            day.year,
            day,
            e["country"],
            {"kind": e["kind"], "region": e["region"], "country": e["country"], "online": e["online"]},
            {"record": e["id"], "event": e["id"], "country": e["country"]},
            {"region": e["region"] or NOT_APPLICABLE, "country": e["country"] or NOT_APPLICABLE, "kind": e["kind"]},
            world.outputs.get(e["id"], set()),
        )


def _participation_facts(tables: Tables, world: World) -> Iterable[Fact]:
    events = {e["id"]: e for e in tables["monitor_event"]}
    people = {p["id"]: p for p in tables["monitor_participant"]}
    for pa in tables["monitor_participation"]:
        e, p = events[pa["event_id"]], people[pa["participant_id"]]
        day = _as_date(e["start_date"])
        assert day is not None
        fields = {k: p[k] for k in ("sex", "age_band", "disability", "country", "organisation_type")}
        fields |= {k: pa[k] for k in ("completed", "assessed", "satisfaction")}
        fields |= {
            "event_kind": e["kind"],
            "event_region": e["region"],
            "online": e["online"],
            "region": world.region.get(p["country"]),
        }
        dims = {k: p[k] for k in ("sex", "age_band", "disability", "organisation_type")}
        dims |= {
            "country": p["country"] or NOT_APPLICABLE,
            "kind": e["kind"],
            "region": world.region.get(p["country"], NOT_APPLICABLE),
        }
        yield Fact(
            pa["id"],
            day.year,
            day,
            p["country"],
            fields,
            {"record": pa["id"], "person": pa["participant_id"], "country": p["country"], "event": pa["event_id"]},
            dims,
            world.outputs.get(pa["event_id"], set()),
        )


def _assistance_facts(tables: Tables, world: World) -> Iterable[Fact]:
    for a in tables["monitor_assistance"]:
        day = _as_date(a["delivered_on"])
        assert day is not None
        yield Fact(
            a["id"],
            day.year,
            day,
            a["country"],
            {
                "country": a["country"],
                "output": a["output"],
                "kind": a["kind"],
                "region": world.region.get(a["country"]),
            },
            {"record": a["id"], "country": a["country"]},
            {"country": a["country"], "kind": a["kind"], "region": world.region.get(a["country"], NOT_APPLICABLE)},
            {a["output"]},
        )


def _publication_facts(tables: Tables, world: World) -> Iterable[Fact]:
    for pu in tables["monitor_publication"]:
        day = _as_date(pu["released_on"])
        assert day is not None
        yield Fact(
            pu["id"],
            day.year,
            day,
            None,
            {"kind": pu["kind"], "output": pu["output"]},
            {"record": pu["id"], "publication": pu["id"]},
            {"kind": pu["kind"]},
            {pu["output"]},
        )


def _use_facts(tables: Tables, world: World) -> Iterable[Fact]:
    publications = {p["id"]: p for p in tables["monitor_publication"]}
    for u in tables["monitor_publication_use"]:
        pu = publications[u["publication_id"]]
        fields = {"kind": pu["kind"], "output": pu["output"]} | {k: u[k] for k in ("downloads", "page_views", "users")}
        yield Fact(
            u["id"],
            int(u["year"]),
            None,
            None,
            fields,
            {"record": u["id"], "publication": u["publication_id"]},
            {"kind": pu["kind"]},
            {pu["output"]},
        )


def _partnership_facts(tables: Tables, world: World) -> Iterable[Fact]:
    for pt in tables["monitor_partnership"]:
        day = _as_date(pt["signed_on"])
        assert day is not None
        total = float(pt["cash_chf"] or 0) + float(pt["in_kind_chf"] or 0)
        fields = {k: pt[k] for k in ("partner_type", "output", "cash_chf", "in_kind_chf")} | {"total_chf": total}
        yield Fact(
            pt["id"],
            day.year,
            day,
            None,
            fields,
            {"record": pt["id"], "partner": pt["partner"]},
            {"kind": pt["partner_type"]},
            {pt["output"]},
        )


def _milestone_facts(tables: Tables, world: World) -> Iterable[Fact]:
    for m in tables["monitor_milestone"]:
        due, done = _as_date(m["due_on"]), _as_date(m["achieved_on"])
        on_time = bool(m["achieved"]) and (due is None or (done is not None and done <= due))
        fields = {"achieved": m["achieved"], "level": m["level"], "indicator": m["indicator"], "on_time": on_time}
        yield Fact(m["id"], int(m["year"]), None, None, fields, {"record": m["id"]})


FACTS = {
    "event": _event_facts,
    "participation": _participation_facts,
    "assistance": _assistance_facts,
    "publication": _publication_facts,
    "publication_use": _use_facts,
    "partnership": _partnership_facts,
    "milestone": _milestone_facts,
}


def _compare(actual: Any, op: str, expected: Any) -> bool:
    """SQL semantics: a NULL field fails every comparison (but IS NULL)."""
    if op == "is_null":
        return actual is None
    if op == "not_null":
        return actual is not None
    if actual is None:
        return False
    wanted = expected if isinstance(expected, list) else [expected]
    if op in ("eq", "in"):
        return actual in wanted
    if op in ("ne", "not_in"):
        return actual not in wanted
    return {"ge": actual >= expected, "gt": actual > expected, "le": actual <= expected, "lt": actual < expected}[op]


def _accepts(fact: Fact, flt: Filter, world: World) -> bool:
    """One filter; output and group are set membership (NOT for ne/not_in)."""
    wanted = set(flt.value) if isinstance(flt.value, list) else {flt.value}
    if flt.field == "output":
        hit = bool(fact.outputs & wanted)
        return hit if flt.op in ("eq", "in") else not hit
    if flt.field == "group":
        hit = bool(world.groups(fact.country, fact.date) & wanted)
        return hit if flt.op in ("eq", "in") else not hit
    if flt.field == "region" and flt.op in ("ne", "not_in"):
        return fact.fields.get("region") not in wanted
    return _compare(fact.fields.get(flt.field), flt.op, flt.value)


def _all(fact: Fact, filters: Iterable[Filter], world: World) -> bool:
    return all(_accepts(fact, f, world) for f in filters)


def _dim_values(fact: Fact, dims: Sequence[str], world: World) -> list[tuple[str, ...]]:
    """The dimension tuples a fact falls under (a country may be in several groups, or none)."""
    combos: list[tuple[str, ...]] = [()]
    for dim in dims:
        values = sorted(world.groups(fact.country, fact.date)) if dim == "group" else [fact.dims.get(dim)]
        combos = [(*c, v if v is not None else NOT_APPLICABLE) for c in combos for v in values]
    return combos


class Acc:
    """Accumulates one aggregate: a set of units, a sum or a maximum."""

    def __init__(self, how: str):
        self.how = how
        self.units: set[Any] = set()
        self.total: float | None = None

    def add(self, value: Any) -> None:
        if value is None:
            return
        if self.how == "count":
            self.units.add(value)
        elif self.how == "max":
            self.total = float(value) if self.total is None else max(self.total, float(value))
        else:
            number = float(value)
            self.total = number if self.total is None else self.total + number

    def result(self) -> float | None:
        return float(len(self.units)) if self.how == "count" else self.total


def _extractors(spec: IndicatorDefinition | CountSpec, world: World) -> list[tuple[str, Any]]:
    """(how, function fact -> value or None) per aggregate of the measure."""

    def counted(s: CountSpec) -> tuple[str, Any]:
        if s.measure == "sum":
            return "sum", lambda f: f.fields[s.field] if _all(f, s.filters, world) else None
        return "count", lambda f: f.units[s.distinct] if _all(f, s.filters, world) else None

    if isinstance(spec, IndicatorDefinition) and spec.measure in ("percentage", "ratio"):
        assert spec.numerator is not None and spec.denominator is not None
        return [counted(spec.numerator), counted(spec.denominator)]
    if isinstance(spec, IndicatorDefinition) and spec.measure in ("milestone", "yes_no"):
        if spec.measure == "milestone" and spec.score == "level":
            return [("max", lambda f: f.fields["level"])]
        key = "achieved" if spec.score == "achieved_share" else "on_time"
        return [("sum", lambda f: 1 if f.fields[key] else 0), ("count", lambda f: f.id)]
    if spec.measure == "sum":
        return [("sum", lambda f: f.fields[spec.field])]
    return [("count", lambda f: f.units[spec.distinct])]


def _evaluate_one(
    d: IndicatorDefinition,
    spec: IndicatorDefinition | CountSpec,
    dims: tuple[str, ...],
    facts: list[Fact],
    world: World,
    years: Sequence[int],
    series: str,
) -> list[Value]:
    cumulative = d.time == "cumulative"
    extractors = _extractors(spec, world)
    first = PLAN_START if cumulative else min(years)
    cells: dict[tuple[int, tuple[str, ...]], list[Acc]] = {}
    for fact in facts:
        if not first <= fact.year <= max(years) or not _all(fact, spec.filters, world):
            continue
        if spec.source == "milestone" and fact.fields["indicator"] != d.id:
            continue
        values = [fn(fact) for _, fn in extractors]
        if len(values) > 1 and all(v is None for v in values) and d.measure not in ("milestone", "yes_no"):
            continue
        targets = [y for y in years if fact.year <= y] if cumulative else [fact.year]
        for combo in _dim_values(fact, dims, world):
            for year in targets:
                accs = cells.setdefault((year, combo), [Acc(how) for how, _ in extractors])
                for acc, value in zip(accs, values, strict=True):
                    acc.add(value)
    basis = "cumulative" if cumulative else "year"
    out = []
    for (year, combo), accs in cells.items():
        if year not in years:
            continue
        numbers = [a.result() for a in accs]
        if len(accs) == 2 and accs[0].how == "count" and numbers[0] is None:
            numbers[0] = 0.0
        value, num, den = (numbers[0], None, None) if series else headline_value(d, numbers)
        out.append(
            Value(
                indicator=d.id,
                year=year,
                basis=basis,
                dims=dict(zip(dims, combo, strict=True)),
                value=value,
                numerator=num,
                denominator=den,
                series=series,
            )
        )
    if not dims:
        seen = {v.year for v in out}
        out += [Value(indicator=d.id, year=y, basis=basis, series=series) for y in years if y not in seen]
    return out


def evaluate(
    definitions: Iterable[IndicatorDefinition],
    tables: Tables,
    years: Sequence[int] = range(2018, 2022),
    dims: Sequence[str] = ("",),
) -> list[Value]:
    """The same Values as :func:`actionplan.monitor.compute.compute`, computed in Python."""
    world = World(tables)
    cache: dict[str, list[Fact]] = {}
    years = list(years)
    out: list[Value] = []
    for d in definitions:
        for text in dims:
            parts = split_dims(text)
            specs: list[tuple[str, IndicatorDefinition | CountSpec]] = [("", d)]
            specs += [(c.key, c) for c in d.components]
            for series, spec in specs:
                if not all(p in d.dimensions and p in DIMENSIONS[spec.source] for p in parts):
                    continue
                if spec.source not in cache:
                    cache[spec.source] = _facts(spec.source, tables, world)
                facts = cache[spec.source]
                out += _evaluate_one(d, spec, parts, facts, world, years, series)
    return sorted(out, key=Value.key)
