"""The monitoring tables as plain DDL, and the country-group rows they join against.

The Django models (``actionplan.server``) create the same tables with exactly these table and
column names; this DDL exists so the core can be tested and benchmarked on SQLite, DuckDB
and PostgreSQL without Django. Dates are SQL DATE (ISO text in SQLite), booleans 0/1 in
SQLite.
"""

from __future__ import annotations

import csv
import datetime
import os
import tempfile
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from actionplan.registry import countries, groups, itu_d_region

Dialect = Literal["sqlite", "postgresql", "duckdb"]

TABLES: dict[str, list[tuple[str, str]]] = {
    "monitor_event": [
        ("id", "INTEGER PRIMARY KEY"),
        ("key", "TEXT UNIQUE NOT NULL"),
        ("kind", "TEXT NOT NULL"),
        ("title", "TEXT"),
        ("start_date", "DATE NOT NULL"),
        ("end_date", "DATE"),
        ("city", "TEXT"),
        ("country", "TEXT"),
        ("region", "TEXT"),
        ("online", "BOOLEAN NOT NULL"),
        ("recorded_on", "DATE"),
    ],
    "monitor_event_output": [
        ("id", "INTEGER PRIMARY KEY"),
        ("event_id", "INTEGER NOT NULL"),
        ("output", "TEXT NOT NULL"),
    ],
    "monitor_participant": [
        ("id", "INTEGER PRIMARY KEY"),
        ("person_key", "TEXT UNIQUE NOT NULL"),
        ("sex", "TEXT"),
        ("age_band", "TEXT"),
        ("disability", "TEXT"),
        ("country", "TEXT"),
        ("organisation_type", "TEXT"),
    ],
    "monitor_participation": [
        ("id", "INTEGER PRIMARY KEY"),
        ("event_id", "INTEGER NOT NULL"),
        ("participant_id", "INTEGER NOT NULL"),
        ("completed", "BOOLEAN"),
        ("assessed", "BOOLEAN"),
        ("satisfaction", "SMALLINT"),
        ("recorded_on", "DATE"),
    ],
    "monitor_assistance": [
        ("id", "INTEGER PRIMARY KEY"),
        ("key", "TEXT UNIQUE NOT NULL"),
        ("country", "TEXT NOT NULL"),
        ("output", "TEXT NOT NULL"),
        ("kind", "TEXT NOT NULL"),
        ("delivered_on", "DATE NOT NULL"),
        ("description", "TEXT"),
        ("recorded_on", "DATE"),
    ],
    "monitor_publication": [
        ("id", "INTEGER PRIMARY KEY"),
        ("key", "TEXT UNIQUE NOT NULL"),
        ("kind", "TEXT NOT NULL"),
        ("title", "TEXT"),
        ("output", "TEXT NOT NULL"),
        ("due_on", "DATE"),
        ("released_on", "DATE NOT NULL"),
        ("recorded_on", "DATE"),
    ],
    "monitor_publication_use": [
        ("id", "INTEGER PRIMARY KEY"),
        ("publication_id", "INTEGER NOT NULL"),
        ("year", "INTEGER NOT NULL"),
        ("month", "INTEGER NOT NULL"),
        ("downloads", "INTEGER"),
        ("page_views", "INTEGER"),
        ("users", "INTEGER"),
    ],
    "monitor_partnership": [
        ("id", "INTEGER PRIMARY KEY"),
        ("key", "TEXT UNIQUE NOT NULL"),
        ("partner", "TEXT NOT NULL"),
        ("partner_type", "TEXT"),
        ("output", "TEXT"),
        ("signed_on", "DATE NOT NULL"),
        ("cash_chf", "NUMERIC"),
        ("in_kind_chf", "NUMERIC"),
        ("recorded_on", "DATE"),
    ],
    "monitor_milestone": [
        ("id", "INTEGER PRIMARY KEY"),
        ("indicator", "TEXT NOT NULL"),
        ("year", "INTEGER NOT NULL"),
        ("achieved", "BOOLEAN NOT NULL"),
        ("level", "SMALLINT"),
        ("due_on", "DATE"),
        ("achieved_on", "DATE"),
        ("evidence", "TEXT"),
        ("recorded_on", "DATE"),
    ],
    "monitor_country_group": [
        ("id", "INTEGER PRIMARY KEY"),
        ("iso3", "TEXT NOT NULL"),
        ("group_code", "TEXT NOT NULL"),
        ("valid_from", "DATE"),
        ("valid_to", "DATE"),
    ],
}
"""Table -> (column, type) in the fixed names the Django models use."""

INDEXES: list[tuple[str, tuple[str, ...]]] = [
    ("monitor_event_output", ("event_id",)),
    # covering: the participation queries read these columns from the index, not the table
    ("monitor_participation", ("event_id", "participant_id", "completed", "assessed", "satisfaction")),
    ("monitor_participation", ("participant_id",)),
    ("monitor_country_group", ("iso3",)),
    ("monitor_event", ("start_date",)),
    ("monitor_assistance", ("delivered_on",)),
]
"""The secondary indexes (the Django models declare the same ones)."""


def ddl(dialect: Dialect = "sqlite") -> list[str]:
    """CREATE TABLE and CREATE INDEX statements (the same for the three dialects)."""
    statements = []
    for table, columns in TABLES.items():
        body = ", ".join(f"{name} {kind}" for name, kind in columns)
        statements.append(f"CREATE TABLE {table} ({body})")
    for table, indexed in INDEXES:
        statements.append(f"CREATE INDEX ix_{table}_{'_'.join(indexed)} ON {table} ({', '.join(indexed)})")
    return statements


def create_tables(cursor: Any, dialect: Dialect = "sqlite") -> None:
    """Create every monitoring table on a DB-API cursor."""
    for statement in ddl(dialect):
        cursor.execute(statement)


def _cell(value: Any, dialect: Dialect) -> Any:
    """SQLite keeps dates as ISO text; the others take date objects."""
    if dialect == "sqlite" and isinstance(value, datetime.date):
        return value.isoformat()
    return value


def insert_rows(
    cursor: Any, dialect: Dialect, table: str, rows: Iterable[Mapping[str, Any]], batch: int = 50_000
) -> int:
    """Insert row dicts (keys = column names) in batches; returns the count.

    SQLite and PostgreSQL take ``executemany``; DuckDB runs that row by row (slow), so its
    batches go through a temporary CSV file and ``COPY``.
    """
    columns = [name for name, _ in TABLES[table]]
    mark = "%s" if dialect == "postgresql" else "?"
    one = f"({', '.join([mark] * len(columns))})"
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    count = 0
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(tuple(_cell(row.get(c), dialect) for c in columns))
        if len(chunk) >= batch:
            count += _flush(cursor, dialect, head, one, chunk)
            chunk = []
    if chunk:
        count += _flush(cursor, dialect, head, one, chunk)
    return count


def _flush(cursor: Any, dialect: Dialect, head: str, one: str, chunk: list[tuple[Any, ...]]) -> int:
    """Write one batch of rows."""
    if dialect == "duckdb":
        _duckdb_copy(cursor, head, chunk)
    else:
        cursor.executemany(head + one, chunk)
    return len(chunk)


def _duckdb_copy(cursor: Any, head: str, chunk: list[tuple[Any, ...]]) -> None:
    """DuckDB inserts row by row from Python; its CSV reader is two orders of magnitude faster."""
    table = head.split()[2]
    columns = head[head.index("(") + 1 : head.index(")")]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "rows.csv")
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            for row in chunk:
                writer.writerow(
                    ["" if v is None else (v.isoformat() if isinstance(v, datetime.date) else v) for v in row]
                )
        cursor.execute(f"COPY {table} ({columns}) FROM '{path}' (FORMAT CSV, HEADER FALSE, NULLSTR '')")


def country_group_rows() -> list[dict[str, Any]]:
    """Rows for ``monitor_country_group``: dated LDC/LLDC/SIDS memberships, then ITU-D regions.

    Regions are stored as groups with open dates so one join gives a country's region.
    """
    rows: list[dict[str, Any]] = []
    for group in groups():
        for m in group.memberships:
            rows.append({"iso3": m.iso3, "group_code": group.code, "valid_from": m.valid_from, "valid_to": m.valid_to})
    for c in countries():
        code = itu_d_region(c.iso3)
        if code:
            rows.append({"iso3": c.iso3, "group_code": code, "valid_from": None, "valid_to": None})
    for index, row in enumerate(rows, start=1):
        row["id"] = index
    return rows
