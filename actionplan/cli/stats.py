"""``actionplan stats …``: the indicator database from the command line.

``import`` stores a file (tidy CSV, XLSX, SDMX-CSV) all or nothing, ``export`` writes the
stored observations (every vintage, or the data as of a date), ``validate`` checks a file
against the store without writing, ``load-sample`` stores the SYNTHETIC sample once and
``list`` shows the indicators with their counts. The CLI is the machine's operator
(``user=None``): it may import without an account.

Data go to stdout, messages to stderr; a file with errors prints every problem (file, row
and column) and exits with code 2, storing nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from actionplan.cli.common import err, friendly, out, store, write_atomic
from actionplan.errors import InputError

stats_app = typer.Typer(
    help="ICT statistics: import, export and validate observations; the synthetic sample.",
    no_args_is_help=True,
)

FORMATS = ("csv", "xlsx", "sdmx-csv")


def stats_store() -> Any:
    """The statistics store, with Django set up and migrations applied."""
    store()
    from actionplan.server.stats import store as stats

    return stats


def _date(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"not a date: {text!r}", where=option, expected="YYYY-MM-DD") from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", where=str(path)) from None


def _problems(problems: list[str], filename: str) -> typer.Exit:
    """Print every problem on its own line; the exit to raise (code 2, as for any input error)."""
    err.print(f"[bold red]error:[/] {len(problems)} problem{'s' if len(problems) != 1 else ''} in "
              f"{escape(filename)}; nothing was stored", highlight=False)
    for problem in problems:
        err.print(f"  {escape(problem)}", highlight=False)
    return typer.Exit(InputError.exit_code)


def _warnings(warnings: list[dict[str, Any]]) -> None:
    for w in warnings:
        err.print(f"[yellow]warning:[/] {escape(w.get('where', ''))}: {escape(w['message'])}", highlight=False)


@stats_app.command("import")
@friendly
def import_cmd(
    file: Annotated[Path, typer.Argument(help="Observations: tidy CSV, XLSX or SDMX-CSV.")],
    recorded_on: Annotated[
        str | None, typer.Option("--recorded-on", help="Vintage date of rows without their own (default today).")
    ] = None,
) -> None:
    """Store a file's observations as one batch: all of them, or none when any row has an error."""
    from actionplan.stats.io import DataFileError

    stats = stats_store()
    data = _read(file)
    try:
        batch = stats.import_observations(data, file.name, None, _date(recorded_on, "--recorded-on"))
    except DataFileError as exc:
        raise _problems(exc.problems, exc.filename) from None
    _warnings(batch.warnings)
    err.print(f"stored batch {batch.id}: {batch.rows} observations from {escape(batch.filename)} "
              f"({batch.format}, recorded on {batch.recorded_on}); {batch.unchanged} already stored unchanged; "
              f"{len(batch.warnings)} warnings", highlight=False)


@stats_app.command("export")
@friendly
def export_cmd(
    file: Annotated[Path, typer.Argument(help="Where to write; '-' for standard output (CSV formats).")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="The data as they stood on this date.")] = None,
    format: Annotated[
        str | None, typer.Option("--format", "-f", help="csv, xlsx or sdmx-csv (default: from the file name).")
    ] = None,
) -> None:
    """Write the stored observations: every vintage, or with --as-of the data as of that date."""
    fmt = format or ("xlsx" if file.suffix.lower() == ".xlsx" else "csv")
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}", where="--format", expected=", ".join(FORMATS))
    stats = stats_store()
    data = stats.export(fmt, _date(as_of, "--as-of"))
    if str(file) == "-":
        if fmt == "xlsx":
            raise InputError("XLSX is binary", where="FILE", expected="a file name for --format xlsx")
        typer.echo(data.decode("utf-8"), nl=False)
        return
    write_atomic(file, data)
    rows = max(0, data.count(b"\n") - 1) if fmt != "xlsx" else None
    counted = f"{rows} observations" if rows is not None else "observations"
    err.print(f"wrote {counted} to {escape(str(file))} ({fmt}{f', as of {as_of}' if as_of else ', every vintage'})",
              highlight=False)


@stats_app.command("validate")
@friendly
def validate_cmd(
    file: Annotated[Path, typer.Argument(help="Observations: tidy CSV, XLSX or SDMX-CSV.")],
    recorded_on: Annotated[
        str | None, typer.Option("--recorded-on", help="Vintage date of rows without their own (default today).")
    ] = None,
) -> None:
    """Check a file against the catalogue and the stored data without storing anything."""
    from actionplan.stats.io import DataFileError

    stats = stats_store()
    try:
        found, problems = stats.check_file(_read(file), file.name, _date(recorded_on, "--recorded-on"))
    except DataFileError as exc:
        raise _problems(exc.problems, exc.filename) from None
    errors = [str(p) for p in problems if p.severity == "error"]
    _warnings([p.model_dump() for p in problems if p.severity == "warning"])
    if errors:
        raise _problems(errors, file.name)
    err.print(f"{escape(file.name)}: {len(found)} observations, no errors, "
              f"{len(problems)} warnings", highlight=False)


@stats_app.command("load-sample")
@friendly
def load_sample_cmd() -> None:
    """Store the SYNTHETIC sample (all ITU Member States, 2015-2024) unless it is already loaded."""
    batch, created = stats_store().load_sample()
    if created:
        err.print(f"loaded the SYNTHETIC sample as batch {batch.id}: {batch.rows} observations "
                  "(made-up values, not ITU statistics)", highlight=False)
    else:
        err.print(f"the SYNTHETIC sample is already loaded (batch {batch.id})", highlight=False)


@stats_app.command("list")
@friendly
def list_cmd(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Count the data as they stood on this date.")] = None,
) -> None:
    """The indicators with how many values, economies and years are stored."""
    rows = stats_store().indicator_counts(_date(as_of, "--as-of"))
    table = Table(title="Indicators / 指标")
    table.add_column("indicator / 指标", overflow="fold", ratio=1)
    table.add_column("unit", overflow="fold", max_width=14)
    for col in ("values", "vintages", "economies"):
        table.add_column(col, justify="right", no_wrap=True)
    table.add_column("years", no_wrap=True, min_width=9)
    for r in rows:
        d = r["definition"]
        years = f"{r['first_year']}-{r['last_year']}" if r["first_year"] else ""
        label = f"{d.code}\n{d.name.get('zh', '')} / {d.name.get('en', '')}"
        table.add_row(escape(label), escape(d.unit), str(r["values"]), str(r["vintages"]), str(r["economies"]), years)
    out.print(table)
