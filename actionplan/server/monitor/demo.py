"""Load the deterministic demo records into an empty store, so every dashboard has data at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction

from actionplan.errors import StoreError
from actionplan.monitor import demo
from actionplan.monitor.schema import insert_rows
from actionplan.server.audit import api as audit
from actionplan.server.monitor import models
from actionplan.server.monitor.figures import dialect, ensure_country_groups
from actionplan.server.monitor.records import counts

TABLES = [
    models.Event,
    models.EventOutput,
    models.Participant,
    models.Participation,
    models.Assistance,
    models.Publication,
    models.PublicationUse,
    models.Partnership,
    models.Milestone,
]
"""The record tables the demo fills, parents before children."""

DEFAULT_SIZES: dict[str, int] = {
    "events": 600,
    "participants": 12_000,
    "assistance": 700,
    "publications": 420,
    "partnerships": 140,
}
"""The embedded default's demo size: realistic for four years of ITU-D activity, loaded in seconds."""


def load_demo(
    seed: int = 2018,
    sizes: dict[str, int] | None = None,
    *,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Generate the demo records with ``seed`` and store them; refuses a store that has records."""
    if any(counts().values()):
        raise StoreError(
            "the store already holds activity records; the demo data goes only into an empty store",
            where="monitoring records",
            expected="an empty store (a new ACTIONPLAN_HOME or database)",
        )
    rows = demo.generate(seed=seed, **{**DEFAULT_SIZES, **(sizes or {})})
    loaded: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for model in TABLES:
            table = model._meta.db_table
            loaded[table] = insert_rows(cursor, dialect(), table, rows.get(table, []))
            if progress is not None:
                progress(table, loaded[table])
        for statement in connection.ops.sequence_reset_sql(no_style(), TABLES):
            cursor.execute(statement)
        audit.record(None, "load demo", "monitor.records", f"demo seed {seed}", None, _summary(seed, sizes, loaded))
    ensure_country_groups()
    return loaded


def _summary(seed: int, sizes: dict[str, int] | None, loaded: dict[str, int]) -> dict[str, Any]:
    return {"seed": seed, "sizes": {**DEFAULT_SIZES, **(sizes or {})}, "rows": loaded}
