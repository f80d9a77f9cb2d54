"""Uncertainty and sensitivity analysis of a composite index (COINr's ``get_sensitivity``).

Each Monte Carlo replication re-runs the index with its assumptions varied:

``weights``
    every edge weight multiplied by a factor drawn uniformly in [1 - noise, 1 + noise]
    (``weight_noise``, default 0.25), then rescaled so that each node's weights keep
    their total (:func:`replication_weights`).
``normalisation``
    one of :data:`NORMALISATIONS` for every indicator: ``framework`` (as written),
    ``minmax`` (goalposts at the observed minimum and maximum) or ``rank`` (fractional rank).
``aggregation``
    one of :data:`AGGREGATIONS` for every node: ``framework``, ``arithmetic``, ``geometric``.
``imputation``
    one of :data:`IMPUTATIONS` for every indicator: ``framework``, ``none`` (missing children's
    weights spread over the rest), ``group_mean``, ``latest``, ``hot_deck``.
``exclusion``
    no indicator, or one indicator left out (its weight set to 0 and its siblings'
    weights scaled up to the node's total), with equal probability.

Every replication's parameters come from one row of a unit hypercube sample (uniform from
``numpy.random.default_rng(seed)``, or SALib's Sobol/Saltelli design when ``sobol=True``),
so a seed reproduces the run exactly. :func:`analyse` evaluates all replications in
vectorised batches through the engine's array API
(:meth:`actionplan.stats.engine.CompiledFramework.evaluate`): the few distinct
imputation x normalisation matrices are computed once and weights and aggregators vary
per replication. :func:`analyse_loop` is the straightforward reference: one modified
framework and one :func:`actionplan.stats.engine.compute` per replication. Both give the
same result for the same seed.

Outputs (:class:`UncertaintyResult`): per economy the nominal rank, the median rank, the
5-95 % rank interval and the mean absolute rank shift from the nominal rank; every
replication's parameters (:attr:`UncertaintyResult.replications`); optionally Sobol
first-order and total indices of each varied factor for the mean absolute rank shift.
"""

from __future__ import annotations

import csv
import io
import math
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from actionplan.errors import InputError
from actionplan.stats.aggregate import METHOD_CODES
from actionplan.stats.data import Dataset
from actionplan.stats.engine import (
    CompiledFramework,
    IndicatorMatrix,
    compile_framework,
    compute,
    matrix_from_dataset,
    publication_ranks,
)
from actionplan.stats.framework import Framework, ImputeSpec, IndicatorSpec, NormaliseSpec
from actionplan.stats.impute import impute_matrix
from actionplan.stats.normalise import normalise_matrix, transform

Array = NDArray[np.float64]

FACTORS = ("weights", "normalisation", "aggregation", "imputation", "exclusion")
NORMALISATIONS = ("framework", "minmax", "rank")
AGGREGATIONS = ("framework", "arithmetic", "geometric")
IMPUTATIONS = ("framework", "none", "group_mean", "latest", "hot_deck")
WEIGHT_NOISE = 0.25


# --- parameters ------------------------------------------------------------------------


@dataclass(frozen=True)
class Design:
    """What varies and how the unit hypercube maps onto parameters."""

    vary: tuple[str, ...]
    n_edges: int
    n_indicators: int
    weight_noise: float
    normalisations: tuple[str, ...]
    aggregations: tuple[str, ...]
    imputations: tuple[str, ...]

    def groups(self) -> list[tuple[str, int]]:
        """``(factor, dimensions)`` for each varied factor, in :data:`FACTORS` order."""
        dims = {"weights": self.n_edges, "normalisation": 1, "aggregation": 1, "imputation": 1, "exclusion": 1}
        return [(f, dims[f]) for f in FACTORS if f in self.vary]

    @property
    def dimensions(self) -> int:
        return sum(d for _, d in self.groups())

    def parameters(self, u: Array) -> dict[str, NDArray[Any]]:
        """Per-replication parameters from a ``(n, dimensions)`` sample in [0, 1)."""
        n = u.shape[0]
        out: dict[str, NDArray[Any]] = {
            "factors": np.ones((n, self.n_edges)),
            "normalisation": np.zeros(n, dtype=np.int64),
            "aggregation": np.zeros(n, dtype=np.int64),
            "imputation": np.zeros(n, dtype=np.int64),
            "exclusion": np.zeros(n, dtype=np.int64),
        }
        column = 0
        for name, dims in self.groups():
            block = u[:, column:column + dims]
            column += dims
            if name == "weights":
                out["factors"] = 1.0 + self.weight_noise * (2.0 * block - 1.0)
                continue
            choices = {"normalisation": len(self.normalisations), "aggregation": len(self.aggregations),
                       "imputation": len(self.imputations), "exclusion": self.n_indicators + 1}[name]
            out[name] = np.minimum((block[:, 0] * choices).astype(np.int64), choices - 1)
        return out


def _design(cf: CompiledFramework, vary: Sequence[str], weight_noise: float) -> Design:
    unknown = [v for v in vary if v not in FACTORS]
    if unknown:
        raise InputError(f"cannot vary {', '.join(unknown)}", where="vary", expected=", ".join(FACTORS))
    return Design(tuple(f for f in FACTORS if f in vary), len(cf.edges), len(cf.codes), weight_noise,
                  NORMALISATIONS, AGGREGATIONS, IMPUTATIONS)


def _sample(design: Design, n: int, seed: int, sobol: bool) -> tuple[Array, dict[str, Any] | None]:
    if not sobol:
        return np.random.default_rng(seed).random((n, design.dimensions)), None
    from SALib.sample import sobol as sobol_sample

    groups = design.groups()
    names = [f"{name}_{k}" if dims > 1 else name for name, dims in groups for k in range(dims)]
    problem: dict[str, Any] = {
        "num_vars": len(names),
        "names": names,
        "bounds": [[0.0, 1.0]] * len(names),
        "groups": [name for name, dims in groups for _ in range(dims)],
    }
    base = 2 ** max(1, math.ceil(math.log2(max(2.0, n / (len(groups) + 2)))))
    u = sobol_sample.sample(problem, base, calc_second_order=False, scramble=True, seed=seed)
    return np.minimum(np.asarray(u, dtype=float), np.nextafter(1.0, 0.0)), problem


# --- variants of the framework -------------------------------------------------------------


def _impute_spec(spec: IndicatorSpec, option: str) -> ImputeSpec:
    if option == "framework":
        return spec.impute
    if option == "none":
        return ImputeSpec(method="none")
    if option == "latest":
        return ImputeSpec(method="latest", max_age=spec.impute.max_age)
    if option == "group_mean":
        return ImputeSpec(method="group_mean")
    return ImputeSpec(method="hot_deck", donors=spec.impute.donors)


def _normalise_spec(spec: IndicatorSpec, option: str, column: Array) -> NormaliseSpec:
    base = spec.normalise
    scale = base.scale
    if option == "framework":
        return base
    if option == "rank":
        return NormaliseSpec(method="rank", invert=base.invert, scale=scale)
    y = transform(column, spec.transform)
    y = y[np.isfinite(y)]
    low, high = (float(y.min()), float(y.max())) if y.size else (0.0, 1.0)
    if high <= low:
        high = low + 1.0
    if spec.transform.log10:
        low, high = 10.0**low, 10.0**high
    return NormaliseSpec(method="goalposts", lower=low, upper=high, invert=base.invert, scale=scale)


def _variant_indicators(
    fw: Framework, imputed: Array | None, imputation: str, normalisation: str
) -> list[IndicatorSpec]:
    specs = []
    for j, spec in enumerate(fw.indicators):
        update: dict[str, Any] = {"impute": _impute_spec(spec, imputation)}
        if imputed is not None:
            update["normalise"] = _normalise_spec(spec, normalisation, imputed[:, j])
        specs.append(spec.model_copy(update=update))
    return specs


def _imputed(fw: Framework, sub: IndicatorMatrix, imputation: str) -> Array:
    specs = _variant_indicators(fw, None, imputation, "framework")
    values, _ = impute_matrix(sub.values, specs, sub.groups, sub.earlier, sub.earlier_years, sub.year)
    return values


def _normalised(fw: Framework, sub: IndicatorMatrix, imputation: str, normalisation: str) -> Array:
    imputed = _imputed(fw, sub, imputation)
    return normalise_matrix(imputed, _variant_indicators(fw, imputed, imputation, normalisation))


def replication_weights(cf: CompiledFramework, params: dict[str, NDArray[Any]]) -> Array:
    """Each replication's edge weights ``(n, W)``: the framework's weights times the noise
    factors, the excluded indicator's weight set to 0, then rescaled within each node so
    that its children's weights keep the framework's total (the engine uses weights as
    given, so the noise must not change a node's scale)."""
    weights = cf.weights[None, :] * params["factors"]
    excluded = params["exclusion"] - 1
    for k, (_, child) in enumerate(cf.edges):
        if child in cf.codes:
            weights[excluded == cf.codes.index(child), k] = 0.0
    for edges in cf.node_edges:
        total = cf.weights[edges].sum()
        got = weights[:, edges].sum(axis=1)
        scale = np.divide(total, got, out=np.ones_like(got), where=got > 0)
        weights[:, edges] *= scale[:, None]
    return weights


def variant_framework(fw: Framework, cf: CompiledFramework, sub: IndicatorMatrix, design: Design,
                      params: dict[str, NDArray[Any]], r: int) -> Framework:
    """The framework as replication ``r`` changes it (what :func:`analyse_loop` computes)."""
    imputation = design.imputations[int(params["imputation"][r])]
    normalisation = design.normalisations[int(params["normalisation"][r])]
    aggregation = design.aggregations[int(params["aggregation"][r])]
    weights_r = replication_weights(cf, params)[r]
    edge_index = {edge: k for k, edge in enumerate(cf.edges)}
    nodes = []
    for node in fw.nodes:
        weights = {child: float(weights_r[edge_index[(node.id, child)]]) for child in node.children}
        update: dict[str, Any] = {"weights": weights}
        if aggregation != "framework":
            update["aggregation"] = aggregation
        nodes.append(node.model_copy(update=update))
    imputed = _imputed(fw, sub, imputation)
    indicators = _variant_indicators(fw, imputed, imputation, normalisation)
    return fw.model_copy(update={"nodes": nodes, "indicators": indicators})


# --- result --------------------------------------------------------------------------------


@dataclass
class UncertaintyResult:
    """Rank statistics of a Monte Carlo run and the parameters of every replication.

    Arrays are per economy in ``economies`` order; NaN for economies excluded for low data
    coverage. ``ranks`` is ``(n, E)``. ``replications`` is a table (column -> list, one
    entry per replication): ``replication``, ``normalisation``, ``aggregation``,
    ``imputation``, ``excluded`` (indicator code or ""), ``weight:<node>/<child>`` (the
    weight used) and ``mean_abs_shift``. ``sobol``, when asked
    for, maps ``S1``/``ST``/``S1_conf``/``ST_conf`` to ``{factor: value}`` for the output
    "mean absolute rank shift over economies".
    """

    framework_id: str
    year: int | None
    n: int
    seed: int
    vary: tuple[str, ...]
    economies: list[str]
    nominal_scores: Array
    nominal_ranks: Array
    median_rank: Array
    p5_rank: Array
    p95_rank: Array
    mean_abs_shift: Array
    ranks: Array
    replications: dict[str, list[Any]]
    sobol: dict[str, dict[str, float]] | None = None
    seconds: float = 0.0
    log: list[dict[str, Any]] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        """One dict per economy, best nominal rank first (excluded economies last)."""
        order = sorted(range(len(self.economies)), key=lambda i: (
            bool(np.isnan(self.nominal_ranks[i])), float(np.nan_to_num(self.nominal_ranks[i])), self.economies[i]))
        out = []
        for i in order:
            out.append({
                "economy": self.economies[i],
                "score": _num(self.nominal_scores[i]),
                "rank": _num(self.nominal_ranks[i]),
                "median_rank": _num(self.median_rank[i]),
                "p5_rank": _num(self.p5_rank[i]),
                "p95_rank": _num(self.p95_rank[i]),
                "mean_abs_shift": _num(self.mean_abs_shift[i]),
            })
        return out

    def as_dict(self, replications: bool = False) -> dict[str, Any]:
        """JSON-ready: the run's settings, per-economy rows, Sobol indices and (optionally) the table."""
        out: dict[str, Any] = {
            "framework": self.framework_id, "year": self.year, "n": self.n, "seed": self.seed,
            "vary": list(self.vary), "seconds": round(self.seconds, 3), "economies": self.rows(),
            "sobol": self.sobol, "log": self.log,
        }
        if replications:
            out["replications"] = self.replications
        return out

    def replications_csv(self) -> str:
        """The replication table as CSV text."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        columns = list(self.replications)
        writer.writerow(columns)
        writer.writerows(zip(*(self.replications[c] for c in columns), strict=True))
        return buffer.getvalue()


def _num(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


# --- running ---------------------------------------------------------------------------------


def _prepare(framework: Framework, data: Dataset | IndicatorMatrix, year: int | None) -> tuple[
        CompiledFramework, IndicatorMatrix]:
    cf = compile_framework(framework)
    if isinstance(data, Dataset):
        if year is None:
            raise InputError("a year is needed to analyse a dataset", where="year")
        matrix = matrix_from_dataset(data, list(cf.codes), year)
    elif isinstance(data, IndicatorMatrix):
        matrix = data
    else:
        raise InputError(f"cannot analyse {type(data).__name__}", expected="a Dataset or an IndicatorMatrix")
    return cf, matrix.select(list(cf.codes))


def _excluded_rows(framework: Framework, sub: IndicatorMatrix) -> NDArray[np.bool_]:
    coverage = (~np.isnan(sub.values)).mean(axis=1) if sub.codes else np.zeros(len(sub.economies))
    return np.asarray(coverage < framework.min_coverage - 1e-12)


def _rank(framework: Framework, scores: Array) -> Array:
    return publication_ranks(scores, framework.ranking.decimals, framework.ranking.ties)


def analyse(
    framework: Framework,
    dataset_or_matrix: Dataset | IndicatorMatrix,
    year: int | None = None,
    n: int = 1000,
    seed: int = 0,
    vary: Sequence[str] = FACTORS,
    sobol: bool = False,
    weight_noise: float = WEIGHT_NOISE,
    chunk: int = 1000,
) -> UncertaintyResult:
    """Monte Carlo uncertainty analysis, vectorised (see the module docstring).

    ``n`` replications (with ``sobol=True``, SALib's Saltelli design: ``N * (factors + 2)``
    replications with ``N`` the power of two giving at least ``n``), reproducible with
    ``seed``. ``vary`` picks factors among :data:`FACTORS`.
    """
    started = time.perf_counter()
    cf, sub = _prepare(framework, dataset_or_matrix, year)
    design = _design(cf, vary, weight_noise)
    u, problem = _sample(design, n, seed, sobol)
    params = design.parameters(u)
    combos = [(i, k) for i in range(len(design.imputations)) for k in range(len(design.normalisations))]
    combo_of = {c: idx for idx, c in enumerate(combos)}
    used = sorted({(int(a), int(b)) for a, b in zip(params["imputation"], params["normalisation"], strict=True)}
                  | {(0, 0)})
    stack = np.full((len(combos), len(sub.economies), len(cf.codes)), np.nan)
    for i, k in used:
        stack[combo_of[(i, k)]] = _normalised(framework, sub, design.imputations[i], design.normalisations[k])
    combo = params["imputation"] * len(design.normalisations) + params["normalisation"]
    weights = replication_weights(cf, params)
    methods = np.where(
        params["aggregation"][:, None] == 0,
        cf.methods[None, :],
        np.array([0] + [METHOD_CODES[a] for a in design.aggregations[1:]])[params["aggregation"]][:, None],
    )
    dropped = _excluded_rows(framework, sub)
    nominal = cf.scores(stack[combo_of[(0, 0)]], cf.weights, cf.methods)
    nominal = np.where(dropped, np.nan, nominal)
    nominal_ranks = _rank(framework, nominal)
    total = u.shape[0]
    ranks = np.empty((total, len(sub.economies)))
    # replications sorted by aggregator choice, so that most batches aggregate with one method
    order = np.argsort(params["aggregation"] * len(combos) + combo, kind="stable")
    for start in range(0, total, chunk):
        rows = order[start:start + chunk]
        scores = cf.scores(stack[combo[rows]], weights[rows], methods[rows])
        ranks[rows] = _rank(framework, np.where(dropped[None, :], np.nan, scores))
    return _summarise(framework, cf, sub, design, params, ranks, nominal, nominal_ranks, n, seed, problem,
                      time.perf_counter() - started, "vectorised")


def analyse_loop(
    framework: Framework,
    dataset_or_matrix: Dataset | IndicatorMatrix,
    year: int | None = None,
    n: int = 1000,
    seed: int = 0,
    vary: Sequence[str] = FACTORS,
    sobol: bool = False,
    weight_noise: float = WEIGHT_NOISE,
) -> UncertaintyResult:
    """The plain-loop reference: per replication, build the varied framework and run
    :func:`actionplan.stats.engine.compute` on it. Same parameters and results as
    :func:`analyse` for the same arguments; slow, used by tests and the benchmark."""
    started = time.perf_counter()
    cf, sub = _prepare(framework, dataset_or_matrix, year)
    design = _design(cf, vary, weight_noise)
    u, problem = _sample(design, n, seed, sobol)
    params = design.parameters(u)
    nominal_result = compute(framework, sub, compiled=cf)
    ranks = np.empty((u.shape[0], len(sub.economies)))
    for r in range(u.shape[0]):
        variant = variant_framework(framework, cf, sub, design, params, r)
        ranks[r] = compute(variant, sub).ranks
    return _summarise(framework, cf, sub, design, params, ranks, nominal_result.scores, nominal_result.ranks, n,
                      seed, problem, time.perf_counter() - started, "loop")


def _summarise(
    framework: Framework, cf: CompiledFramework, sub: IndicatorMatrix, design: Design,
    params: dict[str, NDArray[Any]], ranks: Array, nominal: Array, nominal_ranks: Array, n: int, seed: int,
    problem: dict[str, Any] | None, seconds: float, how: str,
) -> UncertaintyResult:
    total = ranks.shape[0]
    shifts = np.abs(ranks - nominal_ranks[None, :])
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        median = np.nanmedian(ranks, axis=0)
        p5 = np.nanpercentile(ranks, 5, axis=0)
        p95 = np.nanpercentile(ranks, 95, axis=0)
        mean_shift = np.nanmean(shifts, axis=0)
        per_replication = np.nanmean(shifts, axis=1)
    table: dict[str, list[Any]] = {
        "replication": list(range(total)),
        "normalisation": [design.normalisations[i] for i in params["normalisation"]],
        "aggregation": [design.aggregations[i] for i in params["aggregation"]],
        "imputation": [design.imputations[i] for i in params["imputation"]],
        "excluded": [cf.codes[i - 1] if i > 0 else "" for i in params["exclusion"]],
    }
    weights = replication_weights(cf, params)
    for k, (node, child) in enumerate(cf.edges):
        table[f"weight:{node}/{child}"] = [float(x) for x in weights[:, k]]
    table["mean_abs_shift"] = [float(x) for x in per_replication]
    sobol = None
    if problem is not None:
        from SALib.analyze import sobol as sobol_analyze

        y = np.nan_to_num(per_replication)
        indices = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed, print_to_console=False)
        names = [name for name, _ in design.groups()]
        sobol = {key: {name: float(indices[key][g]) for g, name in enumerate(names)}
                 for key in ("S1", "ST", "S1_conf", "ST_conf")}
    return UncertaintyResult(
        framework_id=framework.id, year=sub.year, n=total, seed=seed, vary=design.vary,
        economies=list(sub.economies), nominal_scores=nominal, nominal_ranks=nominal_ranks,
        median_rank=median, p5_rank=p5, p95_rank=p95, mean_abs_shift=mean_shift, ranks=ranks,
        replications=table, sobol=sobol, seconds=seconds,
        log=[{"step": "uncertainty", "how": how, "n": total, "requested": n, "seed": seed, "vary": list(design.vary),
              "weight_noise": design.weight_noise, "normalisations": list(design.normalisations),
              "aggregations": list(design.aggregations), "imputations": list(design.imputations),
              "sobol": problem is not None}],
    )
