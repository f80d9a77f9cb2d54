"""Commands on composite indices: list frameworks, compute an index, reproduce published values,
analyse uncertainty, compare two frameworks, price baskets.

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
    help="Composite indices (IDI, GCI-style) and ICT price baskets: compute, rank, reproduce, uncertainty, compare.",
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
        table.add_column(
            col,
            justify="right" if col not in ("economy", "node", "source", "indicator", "framework", "factor") else "left",
        )
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
    _warn_absent(fw, matrix, data)
    return fw, matrix


def _warn_absent(fw: Any, matrix: Any, data: Path) -> None:
    absent = [c for c in fw.indicator_codes if c not in matrix.codes]
    if absent:
        names = escape(", ".join(absent))
        err.print(f"[yellow]warning:[/] {escape(str(data))}: no values for {names}", highlight=False)


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
        float | None,
        typer.Option(
            help="Largest accepted |difference| for every value; default the value's tolerance column, "
            "else half a unit of its last printed decimal."
        ),
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
    if format == "table":
        for r in rows:
            r["ok"] = "yes" if r["ok"] else "NO"
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


@index_app.command("uncertainty")
@friendly
def uncertainty_cmd(
    framework: Annotated[str, typer.Option("--framework", help="A shipped framework id or a YAML file.")],
    data: Annotated[Path, typer.Option("--data", help="Observations: CSV economy,year,indicator,value[,...].")],
    year: Annotated[int | None, typer.Option("--year", help="Reference year; default the latest in the data.")] = None,
    n: Annotated[int, typer.Option("--n", help="Replications (with --sobol: at least this many).")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same run.")] = 0,
    sobol: Annotated[bool, typer.Option("--sobol", help="Saltelli design and Sobol indices per factor.")] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or csv")] = "table",
    replications: Annotated[
        Path | None, typer.Option("--replications", help="Write every replication's parameters here (CSV).")
    ] = None,
) -> None:
    """Monte Carlo uncertainty: per economy the median rank, the 5-95 % rank interval and the
    mean absolute rank shift when weights, normalisation, aggregation, imputation and one
    excluded indicator vary (actionplan.stats.uncertainty)."""
    from actionplan.cli.common import write_atomic
    from actionplan.stats.uncertainty import analyse

    _check_format(format)
    if n < 1:
        raise InputError(f"--n {n}", where="--n", expected="at least 1 replication")
    fw, matrix = _load(framework, data, year)
    with err.status(f"{fw.id}: {n} replications (seed {seed})...", spinner="dots"):
        result = analyse(fw, matrix, n=n, seed=seed, sobol=sobol)
    if replications is not None:
        try:
            write_atomic(replications, result.replications_csv().encode("utf-8"))
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror}", where=str(replications)) from None
    rows = result.rows()
    if format == "table":
        rows = [_uncertainty_cells(r, fw.ranking.decimals) for r in rows]
    meta = {k: v for k, v in result.as_dict().items() if k not in ("economies", "log")}
    if result.sobol is not None:  # NaN is not JSON
        meta["sobol"] = {key: {f: _clean(v) for f, v in values.items()} for key, values in result.sobol.items()}
    title = f"Uncertainty / 不确定性: {fw.name} ({result.year}), {result.n} replications, seed {seed}"
    _write_rows(rows, format, title, 2, meta)
    if format == "table" and result.sobol is not None:
        sobol_rows = [
            {"factor": f, **{k: result.sobol[k][f] for k in ("S1", "S1_conf", "ST", "ST_conf")}} for f in result.vary
        ]
        _write_rows(sobol_rows, "table", "Sobol indices of the mean absolute rank shift", 3, {})
    err.print(
        f"{fw.id}: {result.n} replications in {result.seconds:.2f} s, varied: {', '.join(result.vary)}"
        + (f"; parameters written to {replications}" if replications is not None else ""),
        highlight=False,
    )


@index_app.command("compare")
@friendly
def compare_cmd(
    a: Annotated[str, typer.Option("--a", help="Framework A: a shipped id or a YAML file.")],
    b: Annotated[str, typer.Option("--b", help="Framework B: a shipped id or a YAML file.")],
    data: Annotated[Path, typer.Option("--data", help="Observations: CSV economy,year,indicator,value[,...].")],
    year: Annotated[int | None, typer.Option("--year", help="Reference year; default the latest in the data.")] = None,
    economy: Annotated[
        str | None, typer.Option("--economy", help="ISO3: what-if, each indicator closing 10 % of its gap to the best.")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or csv (csv: rank shifts only)")] = "table",
) -> None:
    """Two frameworks on the same data: rank shift per economy, Spearman and Kendall, the
    coherence of every aggregate of each (Cronbach's alpha, first principal component) and,
    for --economy, the what-if per indicator (actionplan.stats.compare)."""
    from actionplan.stats.compare import coherence, compare, what_if
    from actionplan.stats.engine import compute

    _check_format(format)
    from actionplan.stats.framework import load_framework

    fw_a, matrix = _load(a, data, year)
    fw_b = load_framework(b)
    _warn_absent(fw_b, matrix, data)
    result_a, result_b = compute(fw_a, matrix), compute(fw_b, matrix)
    cmp = compare(result_a, result_b)
    coherence_rows = []
    for fw, result in ((fw_a, result_a), (fw_b, result_b)):
        for c in coherence(result, fw):
            corr = [v for v in c.corr_with_node.values() if not math.isnan(v)]
            coherence_rows.append(
                {
                    "framework": fw.id,
                    "node": c.node,
                    "children": len(c.children),
                    "alpha": c.alpha,
                    "pc1_share": c.pc1_share,
                    "min_corr_with_node": min(corr) if corr else None,
                }
            )
    what_if_rows: list[dict[str, Any]] = []
    if economy is not None:
        iso = economy.strip().upper()
        for fw in (fw_a, fw_b):
            codes = list(matrix.codes)
            row = matrix.economies.index(iso) if iso in matrix.economies else None
            for w in what_if(fw, matrix, iso):
                observed = row is not None and not math.isnan(float(matrix.values[row, codes.index(w.indicator)]))
                what_if_rows += _clean_rows([{"framework": fw.id, **w.__dict__, "observed": observed}])
    rows = cmp.rows()
    summary = {
        "a": cmp.a,
        "b": cmp.b,
        "year": result_a.year,
        "spearman": _clean(cmp.spearman),
        "kendall": _clean(cmp.kendall),
        "mean_abs_shift": _clean(cmp.mean_abs_shift),
        "max_abs_shift": _clean(cmp.max_abs_shift),
    }
    if format == "json":
        doc = {
            **summary,
            "rows": rows,
            "coherence": _clean_rows(coherence_rows),
            "economy": economy,
            "what_if": what_if_rows,
        }
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    if format == "csv":
        _write_rows(rows, "csv", "", 2, {})
        return
    _write_rows(
        [_rank_cells(r) for r in rows], "table", f"Rank shifts / 排名变化: {cmp.a} -> {cmp.b} ({result_a.year})", 2, {}
    )
    out.print(
        f"Spearman {cmp.spearman:.4f}, Kendall tau-b {cmp.kendall:.4f}, mean |shift| {cmp.mean_abs_shift:.2f}, "
        f"max |shift| {cmp.max_abs_shift:.0f} (shift = rank in A - rank in B; positive: higher under B)",
        highlight=False,
    )
    _write_rows(coherence_rows, "table", "Coherence per aggregate / 一致性", 3, {})
    if economy is not None:
        for fw in (fw_a, fw_b):
            cells = [_what_if_cells(r) for r in what_if_rows if r["framework"] == fw.id]
            title = f"What-if / 假设分析: {economy.upper()}, {fw.id} (one indicator closes 10 % of its gap to the best)"
            _write_rows(cells, "table", title, 3, {})
        if any(not r["observed"] for r in what_if_rows):
            err.print(
                f"note: {economy.upper()} has no value for the indicators marked observed = no; their what-if starts "
                "from the imputed value or, without imputation, the worst observed one, so it can lower the score.",
                highlight=False,
            )


def _clean(x: float) -> float | None:
    return None if x is None or math.isnan(x) else float(x)


def _clean_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: _clean(v) if isinstance(v, float) else v for k, v in r.items()} for r in rows]


def _uncertainty_cells(row: dict[str, Any], decimals: int) -> dict[str, Any]:
    """Table cells: the score as printed, ranks as integers (median and percentiles may be halves)."""

    def rank(x: Any) -> str:
        return "–" if x is None else (f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}")

    return {
        "economy": row["economy"],
        "score": _fmt(row["score"], decimals),
        "rank": rank(row["rank"]),
        "median rank": rank(row["median_rank"]),
        "5 %": rank(row["p5_rank"]),
        "95 %": rank(row["p95_rank"]),
        "mean |shift|": _fmt(row["mean_abs_shift"], 2),
    }


RANK_FIELDS = ("rank_a", "rank_b", "shift", "old_rank", "new_rank", "rank_gain")


def _rank_cells(row: dict[str, Any]) -> dict[str, Any]:
    """Ranks and rank shifts as whole numbers in a table; booleans as yes/no."""
    cells: dict[str, Any] = {}
    for k, v in row.items():
        if k in RANK_FIELDS and isinstance(v, float) and v.is_integer():
            cells[k] = f"{v:.0f}"
        elif isinstance(v, bool):
            cells[k] = "yes" if v else "no"
        else:
            cells[k] = v
    return cells


def _sig(x: Any) -> str:
    return "–" if x is None else f"{x:.4g}"


def _what_if_cells(row: dict[str, Any]) -> dict[str, Any]:
    """A what-if row as short table cells."""
    r = _rank_cells(row)
    return {
        "indicator": r["indicator"],
        "value": _sig(row["old_value"]),
        "new value": _sig(row["new_value"]),
        "score": r["old_score"],
        "new score": r["new_score"],
        "gain": r["score_gain"],
        "rank": r["old_rank"],
        "new rank": r["new_rank"],
        "rank gain": r["rank_gain"],
        "observed": r["observed"],
    }
