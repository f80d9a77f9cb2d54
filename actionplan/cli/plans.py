"""Commands on plans: parse, import, list versions, lint, export, look up references, diff."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from actionplan.cli.common import app, err, friendly, load_plan, ops_markup, out, store, write_atomic
from actionplan.errors import InputError
from actionplan.model import Plan, text_of

refs_app = typer.Typer(help="Look up SDG targets, WSIS action lines and resolutions, and the outputs citing them.")
app.add_typer(refs_app, name="refs")


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
    info, created = import_plan_file(file, note)
    verb = "imported as" if created else "unchanged; already stored as"
    err.print(f"{file}: {verb} [bold]{info.plan_code}@{info.number}[/] (sha256 {info.content_hash[:12]})")


def import_plan_file(file: Path, note: str = "") -> tuple[Any, bool]:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from actionplan.ingest import parse_file

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(f"parsing {file.name}", total=None)
        plan = parse_file(file)
        _warn_not_understood(plan, str(file))
        bar.update(task, description="opening the store")
        api = store()
        bar.update(task, description="storing the version")
        return api.import_plan(plan, note=note)


@app.command()
@friendly
def versions(plan: Annotated[str | None, typer.Option(help="Only this plan code.")] = None) -> None:
    """List the stored plan versions."""
    rows = store().list_versions(plan)
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

    plan, name = load_plan(target)
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

    plan = store().load_version(version)
    data = render(plan, format, lang)
    if output is None:
        if format == "docx":
            raise InputError("DOCX is binary", where="--format docx", expected="-o FILE")
        sys.stdout.buffer.write(data)
        return
    write_atomic(output, data)
    err.print(f"wrote {output} ({len(data):,} bytes)")


# -- refs -----------------------------------------------------------------------------


def _refs(kind: str, code: str, version: str | None) -> None:
    from actionplan.trace import classify_code, describe, outputs_citing

    scheme, norm = classify_code(kind, code)
    plan, name = load_plan(version)
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

    a, name_a = load_plan(old)
    b, name_b = load_plan(new)
    changes = diff_plans(a, b, lang)
    if format == "json":
        sys.stdout.write(_json.dumps([asdict(c) for c in changes], ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"[bold]{len(changes)} changes[/] from {escape(name_a)} to {escape(name_b)}")
    for c in changes:
        out.print(f"[bold]{c.kind}[/] {c.element} [cyan]{c.eid}[/]{f' ({c.field})' if c.field else ''}")
        if c.ops:
            out.print("    " + ops_markup(c.ops))
        if c.added or c.removed:
            out.print(f"    [green]+ {', '.join(c.added)}[/]  [red]- {', '.join(c.removed)}[/]")


@app.command()
@friendly
def summary(target: Annotated[str | None, typer.Argument(help="A plan file or a stored version.")] = None) -> None:
    """Objectives, outcomes, indicators and outputs of a plan, as a table."""
    plan, name = load_plan(target)
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
