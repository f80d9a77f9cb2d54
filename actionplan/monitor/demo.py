"""Deterministic demo records for 2018-2021 across the six ITU-D regions.

Realistic enough to exercise every indicator and every data-quality note: regional weights,
women about 40 % of participants and rising, 2-5 % persons with disabilities, some ``_U``
codes (missing disaggregations), people attending several events, a few records recorded
late (after the year closed) and a few participants from territories outside any ITU-D
region. The same seed gives the same rows; sizes are arguments so a benchmark can ask for a
million participants (rows are produced by generators and only listed at the end).
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from collections.abc import Iterable, Iterator
from typing import Any

from actionplan.monitor.records import OUTPUTS, PARTNER_TYPE
from actionplan.monitor.schema import TABLES, Dialect, country_group_rows, insert_rows
from actionplan.registry import regions

YEARS = (2018, 2019, 2020, 2021)
REGION_WEIGHTS = {"AFR": 30, "ASP": 22, "AMS": 15, "ARB": 13, "EUR": 10, "CIS": 10}
OUTSIDE = ("HKG", "PRI", "GRL", "NCL")
"""Territories outside the ITU-D regions, for the 'no region' quality note."""

EVENT_KINDS = {"training": 40, "workshop": 25, "meeting": 15, "forum": 12, "conference": 8}
ASSISTANCE = {
    "2.2": ("strategy", "cirt", "policy_advice"),
    "2.3": ("early_warning", "emergency_equipment", "emergency_plan", "damage_assessment"),
    "3.1": ("policy_advice", "regulatory_advice"),
    "3.4": ("innovation_project",),
    "4.1": ("connectivity", "fellowship", "policy_advice"),
    "4.3": ("digital_inclusion",),
    "4.4": ("climate_policy", "ewaste_policy"),
}
MILESTONES = {
    "1.1.1": "level",
    "1.1.2": "level",
    "1.2.1": "level",
    "1.3.1": "share",
    "1.3.2": "share",
    "3.1.1": "share",
    "3.2.1": "share",
    "3.2.2": "share",
}
AGE_WEIGHTS = {"Y_LT25": 8, "Y25T34": 30, "Y35T44": 30, "Y45T54": 18, "Y55T64": 8, "Y_GE65": 1, "_U": 5}
SATISFACTION = {1: 3, 2: 5, 3: 14, 4: 40, 5: 38}
VISITS = {1: 45, 2: 25, 3: 15, 4: 10, 6: 5}
"""How many events a person attends (people attending several events make distinct counts matter)."""
ORG_WEIGHTS = {
    "government": 35,
    "regulator": 20,
    "private": 18,
    "academia": 12,
    "civil_society": 6,
    "international": 5,
    "other": 4,
}


class Weighted:
    """A fast weighted choice (bisect on cumulative weights): random.choices is too slow for 1M rows."""

    def __init__(self, weights: dict[Any, float]):
        self.items = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


_WEIGHTED: dict[int, Weighted] = {}


def _pick(rng: random.Random, weights: dict[Any, Any]) -> Any:
    """A weighted choice; the cumulative table is built once per weights mapping."""
    table = _WEIGHTED.get(id(weights))
    if table is None:
        table = _WEIGHTED[id(weights)] = Weighted(weights)
    return table(rng)


def _day(rng: random.Random, year: int) -> datetime.date:
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))


DAYS = [datetime.timedelta(days=n) for n in range(400)]
"""Precomputed offsets: building timedeltas is a visible cost at a million rows."""


def _recorded(rng: random.Random, day: datetime.date, late_share: float = 0.04) -> datetime.date:
    """Usually a few days after the fact; sometimes months later, after the year closed."""
    roll = rng.random()
    if roll < late_share:
        return datetime.date(day.year + 1, 1, 31) + DAYS[10 + int(roll / late_share * 110)]
    return day + DAYS[int((roll - late_share) / (1 - late_share) * 21)]


class _World:
    """Countries per region, drawn once per generation."""

    def __init__(self) -> None:
        self.members = {r.code: sorted(r.members) for r in regions()}

    def country(self, rng: random.Random, region: str | None = None) -> str:
        if region is None and rng.random() < 0.004:
            return rng.choice(OUTSIDE)
        return rng.choice(self.members[region or _pick(rng, REGION_WEIGHTS)])


def _events(rng: random.Random, world: _World, count: int) -> Iterator[tuple[dict[str, Any], list[str]]]:
    for index in range(1, count + 1):
        year = YEARS[(index - 1) % len(YEARS)]
        start = _day(rng, year)
        is_global = rng.random() < 0.15
        region = None if is_global else _pick(rng, REGION_WEIGHTS)
        country = "CHE" if is_global else world.country(rng, region)
        online = rng.random() < (0.1 if year < 2020 else 0.55)
        end = start + datetime.timedelta(days=rng.randrange(0, 5))
        outputs = sorted(set(rng.sample(OUTPUTS, rng.choice((1, 1, 2)))))
        kind = _pick(rng, EVENT_KINDS)
        row = {
            "id": index,
            "key": f"EV{index:06d}",
            "kind": kind,
            "title": f"{kind.title()} {index}",
            "start_date": start,
            "end_date": end,
            "city": None if online else f"City {index % 97}",
            "country": None if online and is_global else country,
            "region": region,
            "online": online,
            "recorded_on": _recorded(rng, end),
        }
        yield row, outputs


def _person(rng: random.Random, world: _World, index: int, first_year: int) -> dict[str, Any]:
    """A person; women's share grows with the year they first attend (36 % in 2018, +3 points a year)."""
    roll = rng.random()
    sex = "_U" if roll < 0.03 else ("F" if roll < 0.03 + 0.36 + 0.03 * (first_year - 2018) else "M")
    roll = rng.random()
    disability = "PD" if roll < 0.035 else ("_U" if roll < 0.10 else "NPD")
    return {
        "id": index,
        "person_key": f"P{index:08d}",
        "sex": sex,
        "age_band": _pick(rng, AGE_WEIGHTS),
        "disability": disability,
        "country": world.country(rng),
        "organisation_type": _pick(rng, ORG_WEIGHTS),
    }


def _attendance(rng: random.Random, event: dict[str, Any], index: int, person_id: int) -> dict[str, Any]:
    training = event["kind"] == "training"
    answered = rng.random() < 0.7
    satisfaction = _pick(rng, SATISFACTION) if answered else None
    return {
        "id": index,
        "event_id": event["id"],
        "participant_id": person_id,
        "completed": (rng.random() < 0.85) if training else None,
        "assessed": (rng.random() < 0.6) if training else None,
        "satisfaction": satisfaction,
        "recorded_on": _recorded(rng, event["end_date"], 0.03),
    }


def _people(
    rng: random.Random,
    world: _World,
    events: list[dict[str, Any]],
    count: int,
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Participants with their attendances; a person attends 1-6 events from their first year on."""
    ordered = sorted(events, key=lambda e: e["start_date"])
    starts = [e["start_date"] for e in ordered]
    next_id = 1
    for index in range(1, count + 1):
        first_year = rng.choice(YEARS)
        person = _person(rng, world, index, first_year)
        low = bisect.bisect_left(starts, datetime.date(first_year, 1, 1))
        visits = min(_pick(rng, VISITS), len(ordered) - low)
        span = len(ordered) - low
        chosen = {low + int(rng.random() * span) for _ in range(visits)}
        rows = []
        for position in sorted(chosen):
            rows.append(_attendance(rng, ordered[position], next_id, index))
            next_id += 1
        yield person, rows


def _assistance(rng: random.Random, world: _World, count: int) -> Iterator[dict[str, Any]]:
    outputs = list(ASSISTANCE)
    for index in range(1, count + 1):
        output = rng.choice(outputs)
        day = _day(rng, rng.choice(YEARS))
        yield {
            "id": index,
            "key": f"AS{index:06d}",
            "country": world.country(rng, _pick(rng, REGION_WEIGHTS)),
            "output": output,
            "kind": rng.choice(ASSISTANCE[output]),
            "delivered_on": day,
            "description": f"Assistance {index}",
            "recorded_on": _recorded(rng, day),
        }


PUBLICATIONS = {
    "1.1": ("report",),
    "1.3": ("report", "online_resource"),
    "2.1": ("guideline", "handbook", "study", "publication", "report"),
    "2.2": ("guideline", "toolkit"),
    "2.3": ("guideline", "report"),
    "3.1": ("publication", "guideline", "online_resource", "toolkit", "survey", "database"),
    "3.2": ("database", "survey", "report"),
    "3.3": ("training_programme", "online_resource"),
    "3.4": ("toolkit", "guideline"),
    "4.1": ("report", "study"),
    "4.2": ("toolkit", "report"),
    "4.3": ("publication", "guideline", "online_resource", "toolkit", "study"),
    "4.4": ("guideline", "report"),
}
"""Output -> the kinds of product it releases (what the plan's outputs describe); the kinds the
bundled definitions count are added by :func:`_publication_kinds`."""


def _publication_kinds() -> dict[str, tuple[str, ...]]:
    """:data:`PUBLICATIONS` plus every (output, kind) a bundled definition counts, so each
    publication-based indicator has records to count."""
    from actionplan.monitor.definitions import bundled_indicator_set

    kinds = {output: list(k) for output, k in PUBLICATIONS.items()}
    for d in bundled_indicator_set().indicators:
        if d.source not in ("publication", "publication_use"):
            continue
        found: dict[str, list[str]] = {}
        for f in d.filters:
            if f.field in ("output", "kind") and f.op in ("eq", "in") and f.value is not None:
                found[f.field] = [str(v) for v in f.value] if isinstance(f.value, list) else [str(f.value)]
        for output in found.get("output", []):
            for kind in found.get("kind", []):
                if kind not in kinds.setdefault(output, []):
                    kinds[output].append(kind)
    return {output: tuple(k) for output, k in sorted(kinds.items())}


def _publications(rng: random.Random, count: int) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    by_output = _publication_kinds()
    outputs = list(by_output)
    use_id = 1
    for index in range(1, count + 1):
        day = _day(rng, rng.choice(YEARS))
        due = day + datetime.timedelta(days=rng.randrange(-30, 60)) if rng.random() < 0.5 else None
        output = rng.choice(outputs)
        row = {
            "id": index,
            "key": f"PU{index:05d}",
            "kind": rng.choice(by_output[output]),
            "title": f"Publication {index}",
            "output": output,
            "due_on": due,
            "released_on": day,
            "recorded_on": _recorded(rng, day),
        }
        uses = []
        year, month = day.year, day.month
        while year <= 2021:
            views = rng.randrange(50, 3000)
            uses.append(
                {
                    "id": use_id,
                    "publication_id": index,
                    "year": year,
                    "month": month,
                    "downloads": views // rng.randrange(3, 10),
                    "page_views": views,
                    "users": views // 2,
                }
            )
            use_id += 1
            month += rng.choice((1, 2, 3))
            year, month = (year + 1, month - 12) if month > 12 else (year, month)
        yield row, uses


def _partnerships(rng: random.Random, count: int) -> Iterator[dict[str, Any]]:
    types = list(PARTNER_TYPE)
    for index in range(1, count + 1):
        day = _day(rng, rng.choice(YEARS))
        yield {
            "id": index,
            "key": f"PT{index:05d}",
            "partner": f"Partner {rng.randrange(1, max(2, count // 2))}",
            "partner_type": rng.choice(types),
            "output": rng.choice(OUTPUTS),
            "signed_on": day,
            "cash_chf": float(rng.randrange(0, 500) * 1000),
            "in_kind_chf": float(rng.randrange(0, 200) * 1000),
            "recorded_on": _recorded(rng, day),
        }


def _milestones(rng: random.Random) -> Iterator[dict[str, Any]]:
    index = 1
    for indicator, kind in MILESTONES.items():
        for year in YEARS:
            for _ in range(1 if kind == "level" else rng.randrange(1, 4)):
                due = datetime.date(year, rng.randrange(3, 12), 15)
                achieved = rng.random() < 0.85
                late = rng.random() < 0.2
                achieved_on = due + datetime.timedelta(days=rng.randrange(5, 40) if late else -rng.randrange(0, 30))
                yield {
                    "id": index,
                    "indicator": indicator,
                    "year": year,
                    "achieved": achieved,
                    "level": min(4, max(0, 2 + (year - 2018) // 2 + rng.choice((-1, 0, 0, 1))))
                    if kind == "level"
                    else None,
                    "due_on": due,
                    "achieved_on": achieved_on if achieved else None,
                    "evidence": f"Evidence for {indicator} {year}",
                    "recorded_on": _recorded(rng, achieved_on),
                }
                index += 1


def stream(
    seed: int = 2018,
    events: int = 400,
    participants: int = 4000,
    assistance: int = 600,
    publications: int = 120,
    partnerships: int = 120,
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(table, row) pairs for every monitoring table, lazily: a million participants never sit in memory.

    Only the events are held (people pick the events they attend from them). The same
    arguments give the same rows in the same order.
    """
    rng = random.Random(seed)
    world = _World()
    held: list[dict[str, Any]] = []
    output_id = 1
    for row, outputs in _events(rng, world, events):
        held.append(row)
        yield "monitor_event", row
        for output in outputs:
            yield "monitor_event_output", {"id": output_id, "event_id": row["id"], "output": output}
            output_id += 1
    for person, rows in _people(rng, world, held, participants):
        yield "monitor_participant", person
        for attendance in rows:
            yield "monitor_participation", attendance
    for row in _assistance(rng, world, assistance):
        yield "monitor_assistance", row
    for row, uses in _publications(rng, publications):
        yield "monitor_publication", row
        for use in uses:
            yield "monitor_publication_use", use
    for row in _partnerships(rng, partnerships):
        yield "monitor_partnership", row
    for row in _milestones(rng):
        yield "monitor_milestone", row
    for row in country_group_rows():
        yield "monitor_country_group", row


def generate(
    seed: int = 2018,
    events: int = 400,
    participants: int = 4000,
    assistance: int = 600,
    publications: int = 120,
    partnerships: int = 120,
) -> dict[str, list[dict[str, Any]]]:
    """Rows for every monitoring table (keyed by table name), the same for the same arguments."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table, row in stream(seed, events, participants, assistance, publications, partnerships):
        out.setdefault(table, []).append(row)
    for table in TABLES:
        out.setdefault(table, [])
    return out


def load(
    cursor: Any, dialect: Dialect, rows: Iterable[tuple[str, dict[str, Any]]], batch: int = 20_000
) -> dict[str, int]:
    """Insert streamed (table, row) pairs in per-table batches; returns the row count per table."""
    pending: dict[str, list[dict[str, Any]]] = {}
    counts: dict[str, int] = {}
    for table, row in rows:
        chunk = pending.setdefault(table, [])
        chunk.append(row)
        if len(chunk) >= batch:
            counts[table] = counts.get(table, 0) + insert_rows(cursor, dialect, table, chunk)
            pending[table] = []
    for table, chunk in pending.items():
        if chunk:
            counts[table] = counts.get(table, 0) + insert_rows(cursor, dialect, table, chunk)
    return counts
