"""``actionplan audit …``: check the hash chain of the audit trail, export it as CSV."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from actionplan.cli.common import app, err, friendly, out, store, write_atomic
from actionplan.errors import InputError

audit_app = typer.Typer(help="The audit trail: every write, hash-chained.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


def audit_api() -> Any:
    store()
    from actionplan.server.audit import api

    return api


@audit_app.command("verify")
@friendly
def audit_verify(
    anchor: Annotated[
        str | None, typer.Option(help="SEQ:HASH of an entry kept outside the database (detects a cut-off tail).")
    ] = None,
) -> None:
    """Recompute the chain: any edited, deleted, inserted or reordered entry is named."""
    api = audit_api()
    pinned = None
    if anchor:
        seq, sep, digest = anchor.partition(":")
        if not sep or not seq.isdigit() or not digest:
            raise InputError(f"--anchor {anchor!r}", where="--anchor", expected="SEQ:HASH, e.g. 120:3f2a…")
        pinned = (int(seq), digest)
    result = api.verify(pinned)
    out.print(result.summary())
    if not result.ok:
        raise typer.Exit(1)


@audit_app.command("export")
@friendly
def audit_export(
    file: Annotated[Path, typer.Argument(help="The CSV file to write (atomically).")],
    since: Annotated[str | None, typer.Option(help="Only entries from this date (YYYY-MM-DD) on.")] = None,
) -> None:
    """Every entry (or those since a date) as CSV, UTF-8 with a header row."""
    api = audit_api()
    start = api.since_from_text(since) if since else None
    fd, tmp = tempfile.mkstemp(suffix=".csv")
    os.close(fd)
    try:
        count = api.export_csv(tmp, start)
        write_atomic(file, Path(tmp).read_bytes())
    finally:
        Path(tmp).unlink(missing_ok=True)
    err.print(f"wrote {file}: {count} entries")
