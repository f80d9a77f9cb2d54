"""Shared helpers for the monitoring tests: databases loaded with rows, small record builders."""

from __future__ import annotations

import datetime
import sqlite3
from typing import Any

import pytest

from actionplan.monitor.schema import country_group_rows, create_tables, insert_rows

D = datetime.date
TABLE_NAMES = (
    "monitor_event",
    "monitor_event_output",
    "monitor_participant",
    "monitor_participation",
    "monitor_assistance",
    "monitor_publication",
    "monitor_publication_use",
    "monitor_partnership",
    "monitor_milestone",
)


def empty_tables() -> dict[str, list[dict[str, Any]]]:
    """Every table empty except the country groups from the registry."""
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_NAMES}
    tables["monitor_country_group"] = country_group_rows()
    return tables


def sqlite_cursor(tables: dict[str, list[dict[str, Any]]]) -> sqlite3.Cursor:
    """An in-memory SQLite database with the tables created and loaded."""
    cursor = sqlite3.connect(":memory:").cursor()
    create_tables(cursor, "sqlite")
    for name, rows in tables.items():
        insert_rows(cursor, "sqlite", name, rows)
    return cursor


def duckdb_cursor(tables: dict[str, list[dict[str, Any]]]) -> Any:
    """An in-memory DuckDB database with the tables created and loaded (skip without duckdb)."""
    duckdb = pytest.importorskip("duckdb")
    cursor = duckdb.connect().cursor()
    create_tables(cursor, "duckdb")
    for name, rows in tables.items():
        insert_rows(cursor, "duckdb", name, rows)
    return cursor


def add_event(
    tables: dict[str, list[dict[str, Any]]],
    kind: str,
    start: datetime.date,
    outputs: tuple[str, ...] = ("3.3",),
    country: str | None = "KEN",
    region: str | None = "AFR",
) -> int:
    """Append an event (and its outputs); returns its id."""
    ident = len(tables["monitor_event"]) + 1
    tables["monitor_event"].append(
        {
            "id": ident,
            "key": f"E{ident}",
            "kind": kind,
            "title": f"event {ident}",
            "start_date": start,
            "end_date": start,
            "city": "X",
            "country": country,
            "region": region,
            "online": False,
            "recorded_on": start,
        }
    )
    for output in outputs:
        tables["monitor_event_output"].append(
            {"id": len(tables["monitor_event_output"]) + 1, "event_id": ident, "output": output}
        )
    return ident


def add_person(tables: dict[str, list[dict[str, Any]]], sex: str = "F", country: str = "KEN") -> int:
    ident = len(tables["monitor_participant"]) + 1
    tables["monitor_participant"].append(
        {
            "id": ident,
            "person_key": f"P{ident}",
            "sex": sex,
            "age_band": "Y25T34",
            "disability": "NPD",
            "country": country,
            "organisation_type": "government",
        }
    )
    return ident


def attend(
    tables: dict[str, list[dict[str, Any]]],
    event: int,
    person: int,
    completed: bool | None = True,
    satisfaction: int | None = None,
    recorded_on: datetime.date | None = None,
) -> None:
    tables["monitor_participation"].append(
        {
            "id": len(tables["monitor_participation"]) + 1,
            "event_id": event,
            "participant_id": person,
            "completed": completed,
            "assessed": None,
            "satisfaction": satisfaction,
            "recorded_on": recorded_on or D(2019, 1, 1),
        }
    )


def assist(
    tables: dict[str, list[dict[str, Any]]], country: str, day: datetime.date, kind: str = "cirt", output: str = "2.2"
) -> None:
    ident = len(tables["monitor_assistance"]) + 1
    tables["monitor_assistance"].append(
        {
            "id": ident,
            "key": f"A{ident}",
            "country": country,
            "output": output,
            "kind": kind,
            "delivered_on": day,
            "description": "",
            "recorded_on": day,
        }
    )
