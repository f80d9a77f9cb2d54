"""Importing a file of activity records: parse and check every row, then store all of them or none."""

from __future__ import annotations

from typing import Any

from actionplan.errors import InputError
from actionplan.monitor.importing import read_records
from actionplan.monitor.records import ROW_MODELS
from actionplan.server.monitor.records import Stored, store_rows

KINDS = tuple(ROW_MODELS)
"""The import kinds, in the order a user imports them (events before their participations)."""

MAX_BYTES = 50 * 1024 * 1024


def import_file(kind: str, data: bytes, filename: str, *, user: Any = None) -> Stored:
    """Parse ``data`` (CSV or XLSX) as records of ``kind`` and store them in one transaction.

    Raises :class:`~actionplan.errors.InputError` with every problem (row and column) of the
    file, or of its references to stored records, and stores nothing in that case.
    """
    if kind not in KINDS:
        raise InputError(f"unknown record kind {kind!r}", where="kind", expected=", ".join(KINDS))
    if len(data) > MAX_BYTES:
        raise InputError(f"{filename} is larger than 50 MiB", where=filename, expected="a smaller file")
    result = read_records(kind, data, filename)
    if result.errors:
        raise InputError(
            f"{len(result.errors)} problem(s); nothing was imported:\n" + "\n".join(str(e) for e in result.errors),
            where=filename,
        )
    numbered = list(zip(result.row_numbers, result.rows, strict=True))
    return store_rows(kind, numbered, source=filename, data=data, user=user)
