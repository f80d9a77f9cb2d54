"""Commands that run things: the web server, the main job, Django's management commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from actionplan.cli.common import app, err, friendly, out, store
from actionplan.cli.plans import import_plan_file, print_findings, print_summary

BASE_NOTE = "Buenos Aires Action Plan 2018-2021 as adopted (WTDC-17), reconstructed from the source"
UNNAMED_SPONSOR = "member state not named in the source"
SOURCE_NOTE = "the source document: the plan with the contribution's four proposals written in"


@app.command()
@friendly
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    threads: Annotated[int, typer.Option(help="Worker threads.")] = 8,
) -> None:
    """Serve the web pages and the JSON API (waitress), with the store migrated first."""
    from waitress import serve as waitress_serve

    from actionplan.server import bootstrap

    bootstrap.setup()
    from actionplan.server.wsgi import application

    url = f"http://{host}:{port}/"
    err.print(f"serving actionplan at [bold]{url}[/] (API: {url}api/docs) — Ctrl+C to stop")
    waitress_serve(application, host=host, port=port, threads=threads, ident="actionplan", _quiet=True)


@app.command()
@friendly
def run(
    serve_pages: Annotated[bool, typer.Option("--serve/--no-serve", help="Start the web server afterwards.")] = True,
    port: Annotated[int, typer.Option(help="Port for the web server.")] = 8000,
) -> None:
    """The main job: store the bundled plan (as adopted, then with the source's proposals), lint it, serve it."""
    from actionplan.amend import bundled_base_path
    from actionplan.data.plans import bundled_plan
    from actionplan.lint import lint_plan

    stored = [
        import_plan_file(bundled_base_path(), note=BASE_NOTE),
        import_plan_file(bundled_plan(), note=SOURCE_NOTE),
    ]
    from django.conf import settings

    db = settings.DATABASES["default"]
    err.print(f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')}")
    for info, created in stored:
        err.print(f"{'imported' if created else 'already stored'}: [bold]{info.ref}[/] ({info.note})")
    _store_bundled_contribution(stored[0][0].ref)
    _load_monitoring_demo()
    _load_statistics_sample()
    info = stored[-1][0]
    ref = info.ref
    plan = store().load_version(ref)
    print_summary(plan, ref)
    print_findings(lint_plan(plan), ref)
    if serve_pages:
        serve(port=port)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Django's manage.py for the store (migrate, createsuperuser, dbshell, ...)."""
    from actionplan.server import bootstrap

    bootstrap.manage(["actionplan manage", *ctx.args])


def _load_statistics_sample() -> None:
    """The synthetic ICT statistics sample (clearly labelled as such), once, so the index pages work."""
    from actionplan.server.stats.store import load_sample

    info, created = load_sample()
    done = "stored" if created else "already stored"
    err.print(f"{done}: ICT statistics sample (synthetic), {info.rows:,} observations")


def _load_monitoring_demo() -> None:
    """The deterministic demo activity records, once, so the dashboards have figures at once."""
    from rich.progress import Progress

    from actionplan.server.monitor.demo import TABLES, load_demo
    from actionplan.server.monitor.records import counts

    have = counts()
    if any(have.values()):
        err.print(f"already stored: {have['events']:,} events, {have['participations']:,} participations")
        return
    with Progress(transient=True, console=err) as bar:
        task = bar.add_task("monitoring demo records", total=len(TABLES))
        loaded = load_demo(progress=lambda table, n: bar.update(task, advance=1, description=f"{table}: {n:,}"))
    err.print(
        f"stored: demo monitoring records (synthetic, seed 2018): {loaded['monitor_event']:,} events, "
        f"{loaded['monitor_participation']:,} participations, {loaded['monitor_assistance']:,} assistance records"
    )


def _store_bundled_contribution(base: str) -> None:
    """The source's proposals as a submitted contribution against the plan as adopted, once."""
    from actionplan.amend import bundled_contribution_path, load_contribution
    from actionplan.amend.model import ContributionStatus
    from actionplan.errors import NotFoundError
    from actionplan.server.store import contributions

    path = bundled_contribution_path()
    c = load_contribution(path)
    update = {
        "document": c.document or path.stem,
        "sponsors": c.sponsors or [UNNAMED_SPONSOR],  # the store needs a sponsor to submit
        "status": ContributionStatus.submitted,
    }
    c = c.model_copy(update=update)
    try:
        info = contributions.get_contribution(c.document)
        err.print(f"already stored: contribution {info.document} ({info.status.value})")
    except NotFoundError:
        info = contributions.create_contribution(c, base=base)
        err.print(f"stored: contribution {info.document} against {base}, {len(info.amendments)} amendments")


@app.command()
@friendly
def backup(file: Annotated[Path, typer.Argument(help="The backup file to write (atomically).")]) -> None:
    """A consistent snapshot of the store: SQLite's backup API, or pg_dump on PostgreSQL."""
    from actionplan.server.store.backup import backup as take_backup

    info = take_backup(file)  # sets Django up without migrating: the backup keeps the schema it finds
    _print_tables(f"Backup / 备份: {info.path.name}", info.tables)
    err.print(
        f"wrote {info.path} ({info.size:,} bytes, {info.engine} {info.database}): {info.rows:,} rows, "
        f"store at {info.migrations.get('store', '?')}"
    )


@app.command()
@friendly
def restore(
    file: Annotated[Path, typer.Argument(help="A backup written by `actionplan backup`.")],
    force: Annotated[bool, typer.Option(help="Replace a database that already holds data.")] = False,
    check: Annotated[bool, typer.Option(help="Only check the backup; touch nothing.")] = False,
) -> None:
    """Restore the store from a backup (checked first; the database is replaced in one transaction)."""
    from actionplan.server.store.backup import restore as do_restore
    from actionplan.server.store.backup import verify

    if check:
        checked = verify(file)
        _print_tables(f"Backup / 备份: {file.name}", checked.tables)
        err.print(f"{file}: a sound {checked.engine} backup of {checked.rows:,} rows, taken {checked.created_at}")
        return
    info = do_restore(file, force=force)
    _print_tables(f"Restored / 已恢复: {file.name}", info.tables)
    if info.replaced:
        err.print(f"replaced {sum(info.replaced.values()):,} rows that were there before")
    if info.migrated:
        err.print(f"migrated forward: {', '.join(info.migrated)}")
    err.print(f"restored {file} into {info.engine} {info.database}")


def _print_tables(title: str, tables: dict[str, int]) -> None:
    table = Table(title=title)
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in sorted(tables.items()):
        if count:
            table.add_row(name, f"{count:,}")
    out.print(table)
