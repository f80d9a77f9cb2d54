"""The ``actionplan`` command: a thin Typer layer over the core and the store.

Every command prints data on stdout and messages on stderr. Errors from the core
(:mod:`actionplan.errors`) become one red line naming the file, line or field, and the
error's exit code; no traceback reaches the user.
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from actionplan.errors import ActionPlanError, InputError
from actionplan.model import Plan, text_of

app = typer.Typer(
    name="actionplan",
    help="The ITU-D action plan as living, machine-readable, measurable data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
refs_app = typer.Typer(help="Look up SDG targets, WSIS action lines and resolutions, and the outputs citing them.")
app.add_typer(refs_app, name="refs")
contribution_app = typer.Typer(help="Contributions: amendments proposed to a plan version.")
app.add_typer(contribution_app, name="contribution")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


def friendly(func: F) -> F:
    """Turn core errors into one line on stderr and the error's exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ActionPlanError as exc:
            err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def _store() -> Any:
    """The store API, with Django set up (and migrations applied) on first use."""
    from actionplan.server import bootstrap

    bootstrap.setup()
    from actionplan.server.store import api

    return api


def _load(file_or_version: str | None) -> tuple[Plan, str]:
    """A plan from a file path, else from the store by version reference."""
    if file_or_version and (os.sep in file_or_version or Path(file_or_version).exists()):
        from actionplan.ingest import parse_file

        return parse_file(Path(file_or_version)), file_or_version
    api = _store()
    plan = api.load_version(file_or_version)
    info = api.version_info(file_or_version)
    return plan, f"{info.plan_code}@{info.number}"


# -- parse / import / versions --------------------------------------------------------


@app.command()
@friendly
def parse(
    file: Annotated[Path, typer.Argument(help="A plan document: .txt, .docx, or our own .json/.yaml export.")],
    format: Annotated[str, typer.Option("--format", "-f", help="json or yaml")] = "json",
    translations: Annotated[bool, typer.Option(help="Add the shipped unofficial translations.")] = True,
) -> None:
    """Print the structured plan without storing anything."""
    from actionplan.ingest import parse_file
    from actionplan.render import render_json, render_yaml

    if format not in ("json", "yaml"):
        raise InputError(f"unknown format {format!r}", where="--format", expected="json or yaml")
    plan = parse_file(file, translations=translations)
    _warn_not_understood(plan, str(file))
    sys.stdout.write(render_json(plan) if format == "json" else render_yaml(plan))


def _warn_not_understood(plan: Plan, name: str) -> None:
    for sl in plan.not_understood:
        err.print(
            f"[yellow]warning:[/] {escape(name)}:{sl.line}: not understood: {escape(sl.text[:70])}", highlight=False
        )


@app.command("import")
@friendly
def import_(
    file: Annotated[Path, typer.Argument(help="A plan document to store as a new version.")],
    note: Annotated[str, typer.Option(help="A note kept with the version.")] = "",
) -> None:
    """Store the parsed plan as a new immutable version (identical content: no-op)."""
    info, created = _import(file, note)
    verb = "imported as" if created else "unchanged; already stored as"
    err.print(f"{file}: {verb} [bold]{info.plan_code}@{info.number}[/] (sha256 {info.content_hash[:12]})")


def _import(file: Path, note: str = "") -> tuple[Any, bool]:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from actionplan.ingest import parse_file

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(f"parsing {file.name}", total=None)
        plan = parse_file(file)
        _warn_not_understood(plan, str(file))
        bar.update(task, description="opening the store")
        api = _store()
        bar.update(task, description="storing the version")
        return api.import_plan(plan, note=note)


@app.command()
@friendly
def versions(plan: Annotated[str | None, typer.Option(help="Only this plan code.")] = None) -> None:
    """List the stored plan versions."""
    rows = _store().list_versions(plan)
    table = Table(title="Stored plan versions / 已存储的版本")
    for col in ("version", "imported (UTC)", "source", "objectives", "outcomes", "indicators", "outputs", "sha256"):
        table.add_column(col)
    for v in rows:
        c = v.counts
        table.add_row(
            f"{v.plan_code}@{v.number}",
            v.imported_at.strftime("%Y-%m-%d %H:%M"),
            v.source_name,
            str(c.get("objectives", "")),
            str(c.get("outcomes", "")),
            str(c.get("indicators", "")),
            str(c.get("outputs", "")),
            v.content_hash[:12],
        )
    out.print(table if rows else "no versions stored yet: run `actionplan import FILE`")


# -- lint -----------------------------------------------------------------------------


@app.command()
@friendly
def lint(
    target: Annotated[
        str | None, typer.Argument(help="A plan file, or a stored version (e.g. baap@2); default: latest.")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text, json or sarif")] = "text",
    select: Annotated[list[str] | None, typer.Option(help="Only these rule codes.")] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Skip these rule codes.")] = None,
    fail_on: Annotated[str, typer.Option(help="Exit 1 when a finding is at least: error, warning, never.")] = "never",
) -> None:
    """Check a plan for the errors editors make (see `actionplan rules`)."""
    from actionplan.lint import lint_plan
    from actionplan.lint.formats import findings_json, findings_sarif

    plan, name = _load(target)
    findings = lint_plan(plan, select, ignore or ())
    if format == "json":
        sys.stdout.write(findings_json(findings, name) + "\n")
    elif format == "sarif":
        sys.stdout.write(findings_sarif(findings, name) + "\n")
    elif format == "text":
        print_findings(findings, name)
    else:
        raise InputError(f"unknown format {format!r}", where="--format", expected="text, json or sarif")
    levels = {"error": {"error"}, "warning": {"error", "warning"}, "never": set()}
    if fail_on not in levels:
        raise InputError(f"unknown level {fail_on!r}", where="--fail-on", expected="error, warning or never")
    if any(f.severity in levels[fail_on] for f in findings):
        raise typer.Exit(1)


def print_findings(findings: list[Any], name: str) -> None:
    colour = {"error": "red", "warning": "yellow", "info": "blue"}
    if not findings:
        out.print(f"{name}: no findings / 未发现问题")
        return
    table = Table(title=f"Lint findings / 检查结果: {name}", show_lines=False)
    for col in ("line", "code", "severity", "element", "message"):
        table.add_column(col, overflow="fold")
    for f in findings:
        table.add_row(
            str(f.line or ""), f.code, f"[{colour[f.severity]}]{f.severity}[/]", f.eid or "", escape(f.message)
        )
    out.print(table)
    counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
    out.print(
        f"{len(findings)} findings: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} info"
    )


@app.command()
def rules(format: Annotated[str, typer.Option("--format", "-f", help="table or md")] = "table") -> None:
    """Show the lint rule catalogue."""
    from actionplan.lint import RULES
    from actionplan.lint.catalogue import catalogue_markdown

    if format == "md":
        sys.stdout.write(catalogue_markdown())
        return
    table = Table(title="Lint rules / 检查规则", show_lines=True)
    for col in ("code", "name", "severity", "rationale"):
        table.add_column(col, overflow="fold")
    for r in sorted(RULES.values(), key=lambda r: r.code):
        table.add_row(r.code, r.name, r.severity, " ".join(r.rationale.split()))
    out.print(table)


# -- export ---------------------------------------------------------------------------


@app.command()
@friendly
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="yaml, json, md, html, docx or akn")],
    version: Annotated[str | None, typer.Option(help="Stored version (e.g. 2 or baap@2); default: latest.")] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (atomically); default stdout.")
    ] = None,
    lang: Annotated[str | None, typer.Option(help="Language for md/html/docx/akn; default the plan's.")] = None,
) -> None:
    """Export a stored version."""
    from actionplan.render import render

    plan = _store().load_version(version)
    data = render(plan, format, lang)
    if output is None:
        if format == "docx":
            raise InputError("DOCX is binary", where="--format docx", expected="-o FILE")
        sys.stdout.buffer.write(data)
        return
    write_atomic(output, data)
    err.print(f"wrote {output} ({len(data):,} bytes)")


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: never a half-written file."""
    path = path.resolve()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- refs -----------------------------------------------------------------------------


def _refs(kind: str, code: str, version: str | None) -> None:
    from actionplan.trace import classify_code, describe, outputs_citing

    scheme, norm = classify_code(kind, code)
    plan, name = _load(version)
    titles = describe(scheme, norm, plan)
    if titles is None:
        raise InputError(f"{norm} is not in the shipped registry", where=f"refs {kind} {code}")
    table = Table(show_header=False, title=f"{scheme} {norm}")
    for label, title in titles.items():
        table.add_row(label, escape(title))
    out.print(table)
    outputs = outputs_citing(plan, scheme, norm)
    listing = Table(title=f"Outputs citing {norm} in {name} / 相关输出成果")
    for col in ("output", "cites", "title (zh)", "title (en)"):
        listing.add_column(col, overflow="fold")
    for o, basis in outputs:
        listing.add_row(o.number, basis, escape(text_of(o.title, "zh")), escape(text_of(o.title, "en", fallback=False)))
    out.print(listing if outputs else f"no output of {name} cites {norm}")


@refs_app.command("sdg")
@friendly
def refs_sdg(code: str, version: Annotated[str | None, typer.Option(help="Version or plan file.")] = None) -> None:
    """An SDG goal (9), target (9.c) or indicator (9.c.1) in zh and en, and the outputs citing it."""
    _refs("sdg", code, version)


@refs_app.command("wsis")
@friendly
def refs_wsis(code: str, version: Annotated[str | None, typer.Option(help="Version or plan file.")] = None) -> None:
    """A WSIS action line (C5) and the outputs citing it."""
    _refs("wsis", code, version)


@refs_app.command("resolution")
@friendly
def refs_resolution(
    body: Annotated[str, typer.Argument(help="pp, pp-decision, wtdc or itu-d")],
    number: str,
    version: Annotated[str | None, typer.Option(help="Version or plan file.")] = None,
) -> None:
    """A PP/WTDC resolution (or PP decision, ITU-D recommendation) and the outputs citing it."""
    _refs(body, number, version)


# -- contributions and diffs ----------------------------------------------------------


def _contribution(file: Path | None) -> tuple[Any, Path]:
    from actionplan.amend import bundled_contribution_path, load_contribution

    path = file or bundled_contribution_path()
    return load_contribution(path), path


def _base(base: str | None) -> tuple[Plan, str]:
    from actionplan.amend import bundled_base_path

    return _load(base) if base else _load(str(bundled_base_path()))


@contribution_app.command("show")
@friendly
def contribution_show(
    file: Annotated[Path | None, typer.Argument(help="A contribution (YAML/JSON); default: the source's.")] = None,
) -> None:
    """The contribution's proposals and its amendments, one row each."""
    c, path = _contribution(file)
    out.print(f"[bold]{escape(text_of(c.title))}[/] ({path.name}) — base {c.base}, status {c.status}")
    for k, p in enumerate(c.proposals, 1):
        out.print(f"  {k}. {escape(text_of(p))}")
    table = Table(title="Amendments / 修正")
    for col in ("id", "type", "proposal", "element", "new text", "status"):
        table.add_column(col, overflow="fold")
    for a in c.amendments:
        new = a.new_element.text if a.new_element else a.new_text
        table.add_row(a.id, a.type, str(a.proposal or ""), a.target_eid(), escape(text_of(new)[:80]), a.status)
    out.print(table)


@contribution_app.command("apply")
@friendly
def contribution_apply(
    file: Annotated[Path | None, typer.Argument(help="A contribution; default: the source's.")] = None,
    base: Annotated[
        str | None, typer.Option(help="Base plan file or stored version; default: the bundled base.")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json or yaml")] = "json",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (atomically).")] = None,
) -> None:
    """Print (or write) the consolidated plan: the base with every amendment applied."""
    from actionplan.amend import apply_amendments
    from actionplan.render import render

    c, _ = _contribution(file)
    plan, _name = _base(base)
    data = render(apply_amendments(plan, c.amendments), format)
    if output:
        write_atomic(output, data)
        err.print(f"wrote {output} ({len(data):,} bytes)")
    else:
        sys.stdout.buffer.write(data)


@app.command()
@friendly
def diff(
    old: Annotated[str, typer.Argument(help="Old plan: a file or a stored version.")],
    new: Annotated[str, typer.Argument(help="New plan: a file or a stored version.")],
    lang: Annotated[str, typer.Option(help="Language of the texts compared.")] = "zh",
    format: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
) -> None:
    """What changed between two versions: elements added, removed, changed (word level)."""
    import json as _json
    from dataclasses import asdict

    from actionplan.amend.diff import diff_plans

    a, name_a = _load(old)
    b, name_b = _load(new)
    changes = diff_plans(a, b, lang)
    if format == "json":
        sys.stdout.write(_json.dumps([asdict(c) for c in changes], ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"[bold]{len(changes)} changes[/] from {escape(name_a)} to {escape(name_b)}")
    for c in changes:
        out.print(f"[bold]{c.kind}[/] {c.element} [cyan]{c.eid}[/]{f' ({c.field})' if c.field else ''}")
        if c.ops:
            out.print("    " + _ops_markup(c.ops))
        if c.added or c.removed:
            out.print(f"    [green]+ {', '.join(c.added)}[/]  [red]- {', '.join(c.removed)}[/]")


def _ops_markup(ops: list[Any]) -> str:
    """Colours on a terminal; git's word-diff markers ``{+ins+}`` ``[-del-]`` elsewhere."""
    if out.is_terminal:
        style = {"insert": "[green underline]{}[/]", "delete": "[red strike]{}[/]", "equal": "{}"}
    else:
        style = {"insert": "{{+{}+}}", "delete": "\\[-{}-]", "equal": "{}"}
    return "".join(style[op.kind].format(escape(op.text)) for op in ops)


# -- summary and the main job ---------------------------------------------------------


@app.command()
@friendly
def summary(target: Annotated[str | None, typer.Argument(help="A plan file or a stored version.")] = None) -> None:
    """Objectives, outcomes, indicators and outputs of a plan, as a table."""
    plan, name = _load(target)
    print_summary(plan, name)


def print_summary(plan: Plan, name: str) -> None:
    table = Table(title=f"{text_of(plan.title)} {plan.period or ''} — {name}")
    for col in ("#", "objective / 部门目标", "outcomes", "indicators", "outputs", "output numbers"):
        table.add_column(col, overflow="fold")
    for obj in plan.objectives:
        table.add_row(
            str(obj.number),
            f"{escape(text_of(obj.title, 'zh'))}\n[dim]{escape(text_of(obj.title, 'en', fallback=False))}[/]",
            str(len(obj.outcomes)),
            str(sum(len(o.indicators) for o in obj.outcomes)),
            str(len(obj.outputs)),
            ", ".join(o.number for o in obj.outputs),
        )
    table.add_row(
        "",
        "[bold]total[/]",
        str(len(plan.all_outcomes())),
        str(len(plan.all_indicators())),
        str(len(plan.all_outputs())),
        "",
    )
    out.print(table)
    if plan.not_understood:
        out.print(f"[yellow]{len(plan.not_understood)} source lines not understood[/]")


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
    """The main job: import the bundled Buenos Aires plan into the default store, show it, lint it, serve it."""
    from actionplan.data.plans import bundled_plan
    from actionplan.lint import lint_plan

    info, created = _import(bundled_plan(), note="bundled Buenos Aires Action Plan")
    from django.conf import settings

    db = settings.DATABASES["default"]
    err.print(f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')}")
    err.print(f"{'imported' if created else 'already stored'}: [bold]{info.plan_code}@{info.number}[/]")
    plan = _store().load_version(f"{info.plan_code}@{info.number}")
    print_summary(plan, f"{info.plan_code}@{info.number}")
    print_findings(lint_plan(plan), f"{info.plan_code}@{info.number}")
    if serve_pages:
        serve(port=port)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Django's manage.py for the store (migrate, createsuperuser, dbshell, ...)."""
    from actionplan.server import bootstrap

    bootstrap.manage(["actionplan manage", *ctx.args])


def main() -> None:
    app()


if __name__ == "__main__":
    main()
