"""UN country groups with dates of validity: LDC, LLDC and SIDS.

Read from ``actionplan/data/reference/country_groups.yaml``, which was derived from two
dated snapshots of the country-codes CSV plus documented LDC graduation dates (the rule is in
the file's header and in ``PROVENANCE.md``). Membership is a half-open interval: a country is
a member on ``d`` when ``valid_from <= d < valid_to`` (either bound may be open), so it is
no longer an LDC on its graduation date.

>>> import datetime
>>> sorted(country_groups("VUT", datetime.date(2019, 6, 1)))
['LDC', 'SIDS']
>>> sorted(country_groups("VUT", datetime.date(2021, 6, 1)))
['SIDS']
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from actionplan.registry._data import Problems, Text, fold, load_yaml, make_text, parse_csv
from actionplan.registry._data import read_text as _read_text
from actionplan.registry.countries import ISO3, SNAPSHOT_2019, countries
from actionplan.registry.countries import SOURCE as COUNTRIES_SOURCE

SOURCE = "country_groups.yaml"

GROUP_COLUMNS = {
    "LDC": "Least Developed Countries (LDC)",
    "LLDC": "Land Locked Developing Countries (LLDC)",
    "SIDS": "Small Island Developing States (SIDS)",
}
"""Group code -> flag column of the country-codes CSV (flagged with ``x``)."""

SNAPSHOTS = {
    datetime.date(2019, 4, 4): SNAPSHOT_2019,
    datetime.date(2024, 9, 25): COUNTRIES_SOURCE,
}
"""Evidence date -> CSV snapshot the group memberships were derived from."""


@dataclass(frozen=True)
class Membership:
    """One country's membership of one group, valid on ``valid_from <= d < valid_to``.

    ``valid_from`` None means the start is not recorded (open towards the past); ``seen``
    lists the snapshot dates whose CSV flags the country; ``source`` cites the document that
    fixes a bound (e.g. the General Assembly resolution on a graduation).
    """

    iso3: str
    group: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    seen: tuple[datetime.date, ...] = ()
    source: str | None = None

    def covers(self, on: datetime.date) -> bool:
        """True when the membership is in force on ``on``."""
        if self.valid_from is not None and on < self.valid_from:
            return False
        return self.valid_to is None or on < self.valid_to


@dataclass(frozen=True)
class CountryGroup:
    """A group (``"LDC"``) with its names and every membership ever recorded."""

    code: str
    name: Text = field(hash=False)
    memberships: tuple[Membership, ...] = ()


def _date(value: Any, where: str, problems: Problems) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    problems.add(where, f"value is {value!r}", "a date YYYY-MM-DD or null")
    return None


def parse_country_groups(
    data: Any, source: str = SOURCE, known_iso3: set[str] | None = None
) -> dict[str, CountryGroup]:
    """Groups from the parsed YAML; checks codes, dates, overlaps and (optionally) ISO3s."""
    problems = Problems(source)
    groups_data = data.get("groups") if isinstance(data, dict) else None
    members_data = data.get("memberships") if isinstance(data, dict) else None
    if not isinstance(groups_data, dict):
        problems.add("groups", "missing or not a mapping", "group code -> {name}")
    if not isinstance(members_data, dict):
        problems.add("memberships", "missing or not a mapping", "group code -> list")
    problems.raise_if_any()
    assert isinstance(groups_data, dict) and isinstance(members_data, dict)

    names: dict[str, Text] = {}
    for code, spec in groups_data.items():
        name = spec.get("name") if isinstance(spec, dict) else None
        if not isinstance(name, dict) or not isinstance(name.get("en"), str):
            problems.add(f"groups.{code}.name", f"value is {name!r}", "{en: ..., zh: ...}")
            continue
        names[str(code)] = make_text(en=name["en"], zh=name.get("zh"))

    result: dict[str, list[Membership]] = {code: [] for code in names}
    for code, entries in members_data.items():
        if code not in names:
            problems.add(f"memberships.{code}", "group not declared under groups", "LDC/...")
            continue
        if not isinstance(entries, list):
            problems.add(f"memberships.{code}", "not a list", "a list of memberships")
            continue
        for index, entry in enumerate(entries):
            where = f"memberships.{code}[{index}]"
            if not isinstance(entry, dict):
                problems.add(where, f"entry is {type(entry).__name__}", "a mapping")
                continue
            iso3 = entry.get("iso3")
            if not isinstance(iso3, str) or len(iso3) != 3 or not iso3.isupper():
                problems.add(f"{where}.iso3", f"value is {iso3!r}", "an ISO 3166 alpha-3 code")
                continue
            where = f"memberships.{code}.{iso3}"
            if known_iso3 is not None and iso3 not in known_iso3:
                problems.add(f"{where}.iso3", f"{iso3} is not in {COUNTRIES_SOURCE}", "a known code")
            start = _date(entry.get("valid_from"), f"{where}.valid_from", problems)
            end = _date(entry.get("valid_to"), f"{where}.valid_to", problems)
            if start is not None and end is not None and not start < end:
                problems.add(f"{where}.valid_to", f"{end} is not after {start}", "valid_from < valid_to")
            raw_seen = entry.get("seen") or []
            seen = tuple(d for i, v in enumerate(raw_seen) if (d := _date(v, f"{where}.seen[{i}]", problems)))
            source_text = entry.get("source")
            if end is not None and not source_text:
                problems.add(f"{where}.source", "an end date without a source", "a citation")
            result[code].append(Membership(iso3, code, start, end, seen, source_text if source_text else None))

    for code, items in result.items():
        by_country: dict[str, list[Membership]] = {}
        for item in items:
            by_country.setdefault(item.iso3, []).append(item)
        for iso3, spans in by_country.items():
            spans.sort(key=lambda m: m.valid_from or datetime.date.min)
            for before, after in itertools.pairwise(spans):
                if before.valid_to is None or (after.valid_from is None or after.valid_from < before.valid_to):
                    problems.add(f"memberships.{code}.{iso3}", "memberships overlap", "disjoint")
    problems.raise_if_any()
    return {
        code: CountryGroup(code, names[code], tuple(sorted(items, key=lambda m: m.iso3)))
        for code, items in result.items()
    }


@cache
def _groups() -> dict[str, CountryGroup]:
    return parse_country_groups(load_yaml(SOURCE), SOURCE, {c.iso3 for c in countries()})


def groups() -> list[CountryGroup]:
    """The groups (LDC, LLDC, SIDS) with all their memberships."""
    return list(_groups().values())


def group(code: str) -> CountryGroup | None:
    """The group ``"LDC"``, ``"LLDC"`` or ``"SIDS"`` (any case); None if unknown."""
    return _groups().get(fold(code).upper()) if isinstance(code, str) else None


def country_groups(iso3: str, on: datetime.date) -> set[str]:
    """The groups ``iso3`` belongs to on date ``on``, e.g. ``{"LDC", "SIDS"}``."""
    key = fold(iso3).upper()
    return {g.code for g in _groups().values() if any(m.iso3 == key and m.covers(on) for m in g.memberships)}


def members(group_code: str, on: datetime.date) -> set[str]:
    """ISO3 codes of the members of a group on date ``on`` (empty for an unknown group)."""
    found = group(group_code)
    return {m.iso3 for m in found.memberships if m.covers(on)} if found else set()


def snapshot_flags(on: datetime.date) -> dict[str, set[str]]:
    """The group flags of the country-codes snapshot dated ``on`` (see :data:`SNAPSHOTS`).

    This reads the CSV directly, independently of ``country_groups.yaml``, so tests can
    check the compiled memberships against the evidence they were derived from.
    """
    source = SNAPSHOTS[on]
    rows = parse_csv(_read_text(source), source, [ISO3, *GROUP_COLUMNS.values()])
    problems = Problems(source)
    flags: dict[str, set[str]] = {code: set() for code in GROUP_COLUMNS}
    for line, row in enumerate(rows, start=2):
        iso3 = (row[ISO3] or "").strip()
        for code, column in GROUP_COLUMNS.items():
            value = (row[column] or "").strip()
            if value not in ("", "x"):
                problems.add(f"row {line} {column}", f"value is {value!r}", "'x' or empty")
            elif value == "x" and not iso3:
                problems.add(f"row {line} {ISO3}", "flagged row without ISO3", "a code")
            elif value == "x":
                flags[code].add(iso3)
    problems.raise_if_any()
    return flags
