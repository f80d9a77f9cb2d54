"""Commands on composite indices: list frameworks, compute an index, reproduce published values.

Registered in the main CLI as ``actionplan index``. Data go to stdout (a Rich table, JSON
or CSV); warnings and errors to stderr, with the exit codes of :mod:`actionplan.errors`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from actionplan.cli.common import err, friendly, out
from actionplan.errors import InputError, NotFoundError

index_app = typer.Typer(
    help="Composite indices (IDI, GCI-style) and ICT price baskets: compute, rank, reproduce.",
    no_args_is_help=True,
)

FORMATS = ("table", "json", "csv")


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise InputError(f"unknown format {format!r}", where="--format", expected="table, json or csv")


def _check_weights(weights: str) -> None:
    if weights not in ("exact", "published"):
        raise InputError(f"unknown weights {weights!r}", where="--weights", expected="exact or published")


def _fmt(value: Any, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:.{decimals}f}"
    return str(value)


def _write_rows(rows: list[dict[str, Any]], format: str, title: str, decimals: int, meta: dict[str, Any]) -> None:
    if format == "json":
        sys.stdout.write(json.dumps({**meta, "rows": rows}, ensure_ascii=False, indent=2) + "\n")
        return
    if format == "csv":
        buf = io.StringIO()
        if rows:
            writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: "" if v is None else v for k, v in r.items()} for r in rows)
        sys.stdout.write(buf.getvalue())
        return
    table = Table(title=title)
    for col in rows[0] if rows else ["(no rows)"]:
        table.add_column(col, justify="right" if col not in ("economy", "node", "source") else "left")
    for r in rows:
        table.add_row(*(escape(_fmt(v, decimals)) for v in r.values()))
    out.print(table)


def _load(framework: str, data: Path, year: int | None, groups: Path | None = None) -> tuple[Any, Any]:
    from actionplan.stats.baskets import add_basket_indicators
    from actionplan.stats.engine import load_matrix, read_groups
    from actionplan.stats.framework import load_framework

    fw = load_framework(framework)
    matrix = add_basket_indicators(load_matrix(data, year))
    if not matrix.economies:
        raise NotFoundError(f"no observations for {matrix.year}", where=str(data), expected="another --year")
    if groups is not None:
        matrix.groups.update(read_groups(groups, matrix.economies))
    absent = [c for c in fw.indicator_codes if c not in matrix.codes]
    if absent:
        names = escape(", ".join(absent))
        err.print(f"[yellow]warning:[/] {escape(str(data))}: no values for {names}", highlight=False)
    return fw, matrix


@index_app.command("frameworks")
@friendly
def frameworks(format: Annotated[str, typer.Option("--format", "-f", help="table, json or csv")] = "table") -> None:
    """List the shipped frameworks."""
    from actionplan.stats.framework import load_framework, shipped_frameworks

    _check_format(format)
    rows = []
    for name in shipped_frameworks():
        fw = load_framework(name)
        rows.append(
            {
                "id": fw.id,
                "name": fw.name,
                "edition": fw.edition,
                "nodes": len(fw.nodes),
                "indicators": len(fw.indicators),
                "decimals": fw.ranking.decimals,
                "source": fw.source,
            }
        )
    _write_rows(rows, format, "Index frameworks / 指数框架", 0, {})


@index_app.command("compute")
@friendly
def compute_cmd(
    framework: Annotated[str, typer.Option("--framework", help="A shipped framework id or a YAML file.")],
    data: Annotated[Path, typer.Option("--data", help="Observations: CSV economy,year,indicator,value[,...].")],
    year: Annotated[int | None, typer.Option("--year", help="Reference year; default the latest in the data.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or csv")] = "table",
    weights: Annotated[str, typer.Option(help="exact, or published (the rounded weights printed)")] = "exact",
    normalised: Annotated[bool, typer.Option(help="Also print each normalised indicator.")] = False,
    groups: Annotated[
        Path | None, typer.Option(help="CSV economy,<grouping>... for group imputation (region is built in).")
    ] = None,
) -> None:
    """Per economy: the score, the rank (publication ties) and the value of every node."""
    from actionplan.stats.engine import compute

    _check_format(format)
    _check_weights(weights)
    fw, matrix = _load(framework, data, year, groups)
    result = compute(fw, matrix, weights)  # type: ignore[arg-type]
    for e, cov in result.excluded.items():
        err.print(f"[yellow]excluded:[/] {e}: data coverage {cov:.0%} below {fw.min_coverage:.0%}", highlight=False)
    meta = {
        "framework": fw.id,
        "year": result.year,
        "weights": weights,
        "decimals": result.decimals,
        "excluded": result.excluded,
    }
    title = f"{fw.name} ({result.year}) / 指数"
    _write_rows(result.rows(normalised), format, title, result.decimals, meta)


@index_app.command("reproduce")
@friendly
def reproduce_cmd(
    framework: Annotated[str, typer.Option("--framework", help="A shipped framework id or a YAML file.")],
    data: Annotated[Path, typer.Option("--data", help="Published inputs: CSV economy,year,indicator,value.")],
    published: Annotated[Path, typer.Option("--published", help="Published values: CSV economy,node,value.")],
    year: Annotated[int | None, typer.Option("--year", help="Reference year; default the latest in the data.")] = None,
    weights: Annotated[str, typer.Option(help="exact, or published (the rounded weights printed)")] = "exact",
    tolerance: Annotated[
        float | None, typer.Option(help="Largest accepted |difference|; default one unit of the last decimal.")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or csv")] = "table",
) -> None:
    """Each published value beside the computed one and the difference; exit 1 if any is off."""
    from actionplan.stats.reproduce import read_published, reproduce

    _check_format(format)
    _check_weights(weights)
    fw, matrix = _load(framework, data, year)
    report = reproduce(fw, matrix, read_published(published), weights, tolerance)  # type: ignore[arg-type]
    rows = [{k: v for k, v in r.items() if k != "source"} | {"ok": r["ok"]} for r in report.as_dicts()]
    _write_rows(rows, format, f"Reproduction / 复现: {fw.name}", 4, {"framework": fw.id, "ok": report.ok})
    err.print(report.summary(), highlight=False)
    if not report.ok:
        raise typer.Exit(1)


@index_app.command("baskets")
@friendly
def baskets_cmd(
    data: Annotated[Path, typer.Option("--data", help="Observations with gni_per_capita_usd and price_*_usd.")],
    year: Annotated[int | None, typer.Option("--year", help="Reference year; default the latest in the data.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or csv")] = "table",
) -> None:
    """ICT price baskets: each price as % of monthly GNI per capita (capped at 100) and the IPB."""
    from actionplan.stats.baskets import compute_baskets
    from actionplan.stats.engine import load_matrix

    _check_format(format)
    result = compute_baskets(load_matrix(data, year))
    _write_rows(result.rows(), format, "ICT price baskets (% of monthly GNI p.c.) / ICT价格篮子", 2, {})
