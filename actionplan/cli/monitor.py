"""``actionplan monitor …``: activity records, the plan's indicators, approval and the annual report.

The commands act on the store (the embedded SQLite by default) as the machine's operator.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import Progress as Bar
from rich.table import Table

from actionplan.cli.common import app, err, friendly, out, store, writable, write_atomic
from actionplan.errors import InputError

monitor_app = typer.Typer(
    help="Monitoring and evaluation: activity records, indicator figures, approval, annual report.",
    no_args_is_help=True,
)
app.add_typer(monitor_app, name="monitor")

KINDS_HELP = "events, participations, assistance, publications, publication_use, partnerships or milestones"
STATUS_STYLE = {"on_track": "green", "at_risk": "yellow", "off_track": "red", "no_data": "dim"}


def _figures() -> Any:
    store()
    from actionplan.server.monitor import figures

    return figures


@monitor_app.command("demo")
@friendly
def demo(
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same records.")] = 2018,
    events: Annotated[int, typer.Option(help="Number of events.")] = 600,
    participants: Annotated[int, typer.Option(help="Number of distinct people.")] = 12_000,
    assistance: Annotated[int, typer.Option(help="Number of assistance records.")] = 700,
) -> None:
    """Load the deterministic demo records (2018-2021, six regions) into an empty store."""
    _figures()
    from actionplan.server.monitor.demo import load_demo

    with Bar(transient=True, console=err) as bar:
        task = bar.add_task("loading demo records", total=9)

        def step(table: str, n: int) -> None:
            bar.update(task, advance=1, description=f"{table}: {n:,}")

        loaded = load_demo(
            seed, {"events": events, "participants": participants, "assistance": assistance}, progress=step
        )
    for table, n in loaded.items():
        err.print(f"{table}: {n:,} rows")


@monitor_app.command("template")
@friendly
def template(
    kind: Annotated[str, typer.Argument(help=KINDS_HELP)],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write (.csv or .xlsx).")],
) -> None:
    """Write an empty import template (headers, one example row; XLSX also lists the codes)."""
    from actionplan.monitor.importing import template as make_template

    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        raise InputError(f"cannot write {output.name}", where=str(output), expected="a .csv or .xlsx file name")
    write_atomic(output, make_template(kind, fmt))  # type: ignore[arg-type]  # the suffix is checked above
    err.print(f"wrote {output}")


@monitor_app.command("import")
@friendly
def import_records(
    kind: Annotated[str, typer.Argument(help=KINDS_HELP)],
    file: Annotated[Path, typer.Argument(help="A CSV (UTF-8) or XLSX file in the template's columns.")],
) -> None:
    """Import records: every row is checked, all errors are listed, and either all rows are stored or none."""
    _figures()
    from actionplan.server.monitor.imports import import_file

    data = file.read_bytes()
    stored = import_file(kind, data, file.name, user=None)
    err.print(f"{file.name}: {stored.created:,} created, {stored.updated:,} updated ({kind})")


@monitor_app.command("indicators")
@friendly
def indicators(
    version: Annotated[str | None, typer.Option(help="Plan version (default: the latest).")] = None,
    export: Annotated[Path | None, typer.Option(help="Write the definitions in force to this YAML file.")] = None,
    load: Annotated[
        Path | None, typer.Option(help="Store this YAML file as the next edition of the definitions.")
    ] = None,
    note: Annotated[str, typer.Option(help="Why the definitions changed (with --load).")] = "",
) -> None:
    """List the indicator definitions in force; export them, or load an edited set."""
    figures = _figures()
    from actionplan.monitor.definitions import dump_indicator_set

    if load is not None:
        defs = figures.save_definitions(load.read_text(encoding="utf-8"), ref=version, note=note, source=load.name)
        err.print(f"stored definitions {defs.label}")
    defs = figures.definitions(version)
    if export is not None:
        write_atomic(export, dump_indicator_set(defs.indicators).encode("utf-8"))
        err.print(f"wrote {export}")
        return
    table = Table(title=f"Indicator definitions {defs.label}")
    for col in ("indicator", "measure", "source", "time", "unit", "targets 2018-2021"):
        table.add_column(col)
    for d in defs.indicators.indicators:
        targets = " / ".join(f"{t.value:g}" for t in d.targets)
        table.add_row(d.id, d.measure, d.source, d.time, d.unit, targets)
    out.print(table)


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.1f}" if value != int(value) else f"{int(value):,}"


@monitor_app.command("figures")
@friendly
def show_figures(
    year: Annotated[int, typer.Option(help="The year (2018-2021).")] = 2021,
    by: Annotated[str, typer.Option(help="Disaggregation: region, sex, age_band, disability, group, country ...")] = "",
    indicator: Annotated[str | None, typer.Option(help="Only this indicator (e.g. 3.3.1).")] = None,
) -> None:
    """The indicators computed now from the stored records, with progress against the year's target."""
    figures = _figures()
    defs = figures.definitions()
    chosen = [d for d in defs.indicators.indicators if indicator in (None, d.id)]
    if not chosen:
        raise InputError(f"no indicator {indicator}", where="--indicator", expected="a number such as 3.3.1")
    values = figures.live_values(defs, dims=("", by) if by else ("",), years=figures.YEARS)
    progress = {p.indicator: p for p in figures.live_progress(defs, values, year)}
    table = Table(title=f"Indicators {year} (live, from the records; definitions {defs.label})")
    for col in ("indicator", "target", "actual", "status", *(["breakdown"] if by else [])):
        table.add_column(col, justify="right" if col in ("target", "actual") else "left")
    for d in chosen:
        p = progress.get(d.id)
        status = p.status.value if p else "no_data"
        row = [d.id, _number(p.target if p else None), _number(p.actual if p else None)]
        row.append(f"[{STATUS_STYLE[status]}]{status.replace('_', ' ')}[/]")
        if by:
            parts = [
                f"{escape(v.dims.get(by, ''))}: {_number(v.value)}"
                for v in values
                if v.indicator == d.id and v.year == year and by in v.dims and not v.series
            ]
            row.append(", ".join(parts) or "—")
        table.add_row(*row)
    out.print(table)


@monitor_app.command("approve")
@friendly
def approve(
    year: Annotated[int, typer.Argument(help="The year whose figures to lock.")],
    note: Annotated[str, typer.Option(help="A note kept with the approval.")] = "",
) -> None:
    """Lock a year's figures as an immutable snapshot (audit-logged); reports are built from it."""
    figures = _figures()
    snap = figures.approve(year, note=note)
    err.print(f"approved {snap.year}: {len(snap.values):,} values, sha256 {snap.content_hash[:12]}…")


@monitor_app.command("report")
@friendly
def report(
    year: Annotated[int, typer.Argument(help="An approved year.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write: .html, .docx or .pdf.")],
    lang: Annotated[str, typer.Option(help="zh or en.")] = "zh",
) -> None:
    """Write the annual implementation report of an approved year (HTML, DOCX or PDF; Chinese or English)."""
    _figures()
    from actionplan.server.monitor.reports import render_report

    fmt = output.suffix.lower().lstrip(".")
    writable(output)  # before a minute of rendering
    data, _ = render_report(year, lang, fmt)
    write_atomic(output, data)
    err.print(f"wrote {output} ({len(data):,} bytes)")
