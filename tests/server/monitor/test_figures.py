"""Figures computed by the store's database agree with a plain Python count of the same records."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest

from actionplan.monitor import reference
from actionplan.monitor.values import Value
from actionplan.server.monitor import figures
from actionplan.server.monitor.imports import import_file


def _table_rows() -> dict[str, list[dict[str, Any]]]:
    """Every monitoring table as row dicts, as the reference evaluator takes them."""
    from django.db import connection

    from actionplan.monitor.schema import TABLES

    out: dict[str, list[dict[str, Any]]] = {}
    with connection.cursor() as cursor:
        for table, columns in TABLES.items():
            names = [c for c, _ in columns]
            cursor.execute(f"SELECT {', '.join(names)} FROM {table}")
            out[table] = [dict(zip(names, _plain(row), strict=True)) for row in cursor.fetchall()]
    return out


def _plain(row: tuple[Any, ...]) -> Iterator[Any]:
    for v in row:
        if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-":
            yield datetime.date.fromisoformat(v)
        else:
            yield v


def _key(values: list[Value]) -> dict[Any, float | None]:
    return {v.key(): None if v.value is None else round(v.value, 6) for v in values}


@pytest.mark.parametrize("dims", [("",), ("sex", "region"), ("group", "country")])
def test_database_figures_equal_the_reference_count(demo: dict[str, int], dims: tuple[str, ...]) -> None:
    defs = figures.definitions()
    computed = figures.live_values(defs, dims=dims)
    expected = reference.evaluate(defs.indicators.indicators, _table_rows(), dims=dims)
    assert _key(computed) == _key(expected)
    assert any(v.value for v in computed)


def test_one_person_in_three_trainings_counts_once(plan_stored: object) -> None:
    events = "key,kind,title,start_date,end_date,city,country,region,online,outputs,recorded_on\n" + "".join(
        f"T-{n},training,Course {n},2020-0{n}-01,2020-0{n}-03,Geneva,CHE,EUR,no,3.3,2020-0{n}-10\n" for n in (1, 2, 3)
    )
    import_file("events", events.encode(), "events.csv")
    people = (
        "event_key,person_key,sex,age_band,disability,country,organisation_type,"
        "completed,assessed,satisfaction,recorded_on\n"
    )
    people += "".join(f"T-{n},P-1,F,Y25T34,NPD,CHE,regulator,yes,yes,5,2020-0{n}-10\n" for n in (1, 2, 3))
    import_file("participations", people.encode(), "people.csv")
    defs = figures.definitions()
    trained = [v for v in figures.live_values(defs, dims=("",)) if v.indicator == "3.3.1" and not v.series]
    assert {v.year: v.value for v in trained}[2020] == 1
