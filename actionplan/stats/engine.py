"""The composite-index engine: a framework compiled to arrays, applied to an indicator matrix.

Pipeline (COINr's named steps; each adds a data set to the result and logs its arguments):

``raw`` -> ``imputed`` (per-indicator imputation) -> coverage check -> ``normalised``
(transform + normalisation) -> ``aggregated`` (every node, bottom-up) -> scores and ranks.

Two levels of API:

Object level
    :func:`compute` ``(framework, matrix, weights="exact") -> IndexResult``.

Array level (for Monte Carlo and framework comparison)
    :func:`compile_framework` turns a :class:`~actionplan.stats.framework.Framework` into a
    :class:`CompiledFramework`: integer index arrays describing the tree, so that

    1. ``cf.normalise(values)`` maps raw ``(E, I)`` -> normalised ``(E, I)`` once;
    2. ``cf.evaluate(normalised, weights, methods)`` aggregates for a **batch** of weight
       vectors ``(B, W)`` and aggregator choices ``(B, N)`` in one vectorised pass, giving
       node scores ``(B, E, N)``; ``cf.scores(...)`` returns just the root ``(B, E)``;
    3. :func:`publication_ranks` ranks ``(..., E)`` scores along the last axis.

    ``E`` economies, ``I`` indicators (``cf.codes``), ``N`` nodes (``cf.nodes``, children
    before parents, root last), ``W`` weighted edges (``cf.edges``: (node, child) pairs;
    ``cf.weights`` the framework's exact weights, ``cf.published_weights`` the rounded
    ones). Weights are per edge and used **as given**, never divided by their sum (see
    :mod:`actionplan.stats.aggregate`): printed weights such as three times 0.33 have their
    printed effect. When a child is missing, its weight is spread over the present
    children in proportion to their weights, so the node's total weight is kept.
    ``cf.normalise_weights(W)`` is a helper for callers who want random weights rescaled
    so that each node's children's weights sum to 1; the engine itself never rescales.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from actionplan.errors import InputError
from actionplan.stats.aggregate import METHOD_CODES, aggregate_batch
from actionplan.stats.framework import Framework
from actionplan.stats.impute import impute_matrix
from actionplan.stats.normalise import normalise_matrix

Array = NDArray[np.float64]


@dataclass
class IndicatorMatrix:
    """Raw indicator values: economies (ISO3) x indicator codes, NaN for missing.

    ``years`` holds the year each value refers to (NaN where missing). ``earlier`` and
    ``earlier_years`` hold the latest available value per cell and its year, for the
    ``latest`` imputation. ``groups`` maps a grouping name (``region``, ``income``) to one
    label per economy, for group-mean imputation.
    """

    economies: list[str]
    codes: list[str]
    values: Array
    years: Array | None = None
    year: int | None = None
    earlier: Array | None = None
    earlier_years: Array | None = None
    groups: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.values = np.asarray(self.values, dtype=float)
        if self.values.shape != (len(self.economies), len(self.codes)):
            raise InputError(
                f"values have shape {self.values.shape}",
                where="IndicatorMatrix",
                expected=f"({len(self.economies)}, {len(self.codes)}): economies x codes",
            )

    def select(self, codes: Sequence[str]) -> IndicatorMatrix:
        """The columns ``codes`` in that order; codes absent from the data become all-NaN."""
        idx = {c: i for i, c in enumerate(self.codes)}

        def pick(a: Array | None) -> Array | None:
            if a is None:
                return None
            a = np.asarray(a, dtype=float)
            out = np.full((len(self.economies), len(codes)), np.nan)
            for j, c in enumerate(codes):
                if c in idx:
                    out[:, j] = a[:, idx[c]]
            return out

        values = pick(self.values)
        assert values is not None
        return IndicatorMatrix(
            list(self.economies),
            list(codes),
            values,
            pick(self.years),
            self.year,
            pick(self.earlier),
            pick(self.earlier_years),
            dict(self.groups),
        )

    def with_columns(self, columns: Mapping[str, Array]) -> IndicatorMatrix:
        """A copy with columns added or replaced (e.g. price baskets as % of GNI)."""
        codes = list(self.codes)
        values = self.values.copy()
        for code, col in columns.items():
            col = np.asarray(col, dtype=float).reshape(-1, 1)
            if code in codes:
                values[:, codes.index(code)] = col[:, 0]
            else:
                codes.append(code)
                values = np.hstack([values, col])
        return IndicatorMatrix(list(self.economies), codes, values, None, self.year, None, None, dict(self.groups))


# -- compiled framework ---------------------------------------------------------------


@dataclass(frozen=True)
class CompiledFramework:
    """A framework as index arrays for vectorised evaluation (see the module docstring).

    Attributes: ``codes`` (I indicator codes, the column order of every matrix),
    ``nodes`` (N node ids, children before parents; ``nodes[-1]`` is the root),
    ``edges`` (W ``(node, child)`` pairs), ``weights`` / ``published_weights`` (W,),
    ``methods`` (N,) aggregator codes, ``scales`` (N,), ``min_coverage`` (N,),
    ``node_edges`` (per node, the edge indices of its children) and ``node_slots`` (per
    node, its children's slots: indicator j is slot j, node k is slot I + k).
    """

    framework: Framework
    codes: tuple[str, ...]
    nodes: tuple[str, ...]
    edges: tuple[tuple[str, str], ...]
    weights: Array
    published_weights: Array
    methods: NDArray[np.int64]
    scales: Array
    min_coverage: Array
    node_edges: tuple[NDArray[np.int64], ...]
    node_slots: tuple[NDArray[np.int64], ...]

    @property
    def root(self) -> str:
        return self.nodes[-1]

    def normalise(self, values: ArrayLike) -> Array:
        """Raw ``(E, I)`` (columns in ``codes`` order) -> normalised ``(E, I)``."""
        return normalise_matrix(np.asarray(values, dtype=float), self.framework.indicators)

    def weight_vector(self, mode: Literal["exact", "published"] = "exact") -> Array:
        """The framework's weights as a ``(W,)`` vector, exact or as published (rounded)."""
        return (self.published_weights if mode == "published" else self.weights).copy()

    def normalise_weights(self, weights: ArrayLike) -> Array:
        """Rescale ``(W,)`` or ``(B, W)`` weights so that each node's children's weights sum to 1.

        A helper for callers (e.g. random weights in a Monte Carlo run): :meth:`evaluate`
        uses whatever weights it is given as they are."""
        w = np.array(weights, dtype=float)
        for idx in self.node_edges:
            total = w[..., idx].sum(axis=-1, keepdims=True)
            with np.errstate(invalid="ignore", divide="ignore"):
                w[..., idx] = w[..., idx] / total
        return w

    def method_vector(self, override: str | None = None) -> NDArray[np.int64]:
        """The aggregator codes ``(N,)``; ``override`` sets one method for every node."""
        if override is None:
            return self.methods.copy()
        return np.full(len(self.nodes), METHOD_CODES[override], dtype=np.int64)

    def evaluate(
        self,
        normalised: ArrayLike,
        weights: ArrayLike | None = None,
        methods: ArrayLike | None = None,
        chunk: int = 512,
    ) -> Array:
        """Every node's score, for one or a batch of weight vectors and method choices.

        ``normalised``: ``(E, I)`` or ``(B, E, I)`` (one normalised matrix per replication).
        ``weights``: ``(W,)`` or ``(B, W)``; default the exact weights. Used as given (not
        divided by their sum); a missing child's weight goes to the present ones in
        proportion to theirs (:mod:`actionplan.stats.aggregate`).
        ``methods``: ``(N,)`` or ``(B, N)`` integer codes; default the framework's.
        Returns ``(E, N)`` when nothing is batched, else ``(B, E, N)``. Batches are computed
        ``chunk`` replications at a time to bound memory.
        """
        x = np.asarray(normalised, dtype=float)
        w = self.weights if weights is None else np.asarray(weights, dtype=float)
        m = self.methods if methods is None else np.asarray(methods, dtype=np.int64)
        batched = x.ndim == 3 or w.ndim == 2 or m.ndim == 2
        b = max(x.shape[0] if x.ndim == 3 else 1, w.shape[0] if w.ndim == 2 else 1, m.shape[0] if m.ndim == 2 else 1)
        x3 = x if x.ndim == 3 else x[None]
        w2 = w if w.ndim == 2 else w[None]
        m2 = m if m.ndim == 2 else m[None]
        e = x3.shape[1]
        out = np.empty((b, e, len(self.nodes)))
        for start in range(0, b, chunk):
            stop = min(b, start + chunk)
            xs = x3 if x3.shape[0] == 1 else x3[start:stop]
            ws = w2 if w2.shape[0] == 1 else w2[start:stop]
            ms = m2 if m2.shape[0] == 1 else m2[start:stop]
            out[start:stop] = self._evaluate_block(xs, ws, ms, stop - start)
        return out if batched else out[0]

    def _evaluate_block(self, x: Array, w: Array, m: NDArray[np.int64], b: int) -> Array:
        n_ind = len(self.codes)
        e = x.shape[1]
        shared = x.shape[0] == 1
        slots = np.empty((b, e, n_ind + len(self.nodes)))
        slots[:, :, :n_ind] = x
        for k in range(len(self.nodes)):
            idx = self.node_slots[k]
            leaves_only = bool(np.all(idx < n_ind))
            # children that are indicators of a shared matrix are the same for every replication
            child = x[:, :, idx] if (shared and leaves_only) else slots[:, :, idx]
            mk = m[:, k]
            method: Any = int(mk[0]) if np.all(mk == mk[0]) else mk
            res = aggregate_batch(child, w[:, self.node_edges[k]], method, float(self.min_coverage[k]))
            slots[:, :, n_ind + k] = res * self.scales[k]
        return slots[:, :, n_ind:]

    def scores(
        self, normalised: ArrayLike, weights: ArrayLike | None = None, methods: ArrayLike | None = None
    ) -> Array:
        """The root score only: ``(E,)`` or ``(B, E)``."""
        return self.evaluate(normalised, weights, methods)[..., -1]


def compile_framework(fw: Framework) -> CompiledFramework:
    """Flatten the tree into index arrays (children before parents)."""
    codes = fw.indicator_codes
    order: list[str] = []

    def post(nid: str) -> None:
        for child in fw.node(nid).children:
            if child not in codes:
                post(child)
        order.append(nid)

    post(fw.root)
    slot = {c: i for i, c in enumerate(codes)} | {nid: len(codes) + k for k, nid in enumerate(order)}
    edges: list[tuple[str, str]] = []
    exact: list[float] = []
    published: list[float] = []
    node_edges = []
    node_slots = []
    for nid in order:
        node = fw.node(nid)
        ids = []
        for child in node.children:
            ids.append(len(edges))
            edges.append((nid, child))
            exact.append(node.weight_of(child))
            published.append(node.weight_of(child, published=True))
        node_edges.append(np.array(ids, dtype=np.int64))
        node_slots.append(np.array([slot[c] for c in node.children], dtype=np.int64))
    return CompiledFramework(
        framework=fw,
        codes=tuple(codes),
        nodes=tuple(order),
        edges=tuple(edges),
        weights=np.array(exact),
        published_weights=np.array(published),
        methods=np.array([METHOD_CODES[fw.node(n).aggregation] for n in order], dtype=np.int64),
        scales=np.array([fw.node(n).scale for n in order]),
        min_coverage=np.array([fw.node(n).min_coverage for n in order]),
        node_edges=tuple(node_edges),
        node_slots=tuple(node_slots),
    )


# -- ranking --------------------------------------------------------------------------


def round_half_up(x: ArrayLike, decimals: int) -> Array:
    """Round as a publication prints (half away from zero), not numpy's half-to-even."""
    a = np.asarray(x, dtype=float)
    f = 10.0**decimals
    # the small nudge absorbs binary representation error (8.745 stored as 8.7449999...)
    return np.sign(a) * np.floor(np.abs(a) * f + 0.5 + 1e-9) / f


def publication_ranks(scores: ArrayLike, decimals: int | None = 2, ties: str = "rounded") -> Array:
    """Ranks along the last axis, 1 = highest; NaN scores get NaN.

    ``ties="rounded"``: scores equal once rounded to ``decimals`` share the lowest rank
    and the next rank skips ('min' method: 1, 2, 2, 4). ``ties="unrounded"``: the same on
    full-precision scores. Works on ``(E,)`` or batched ``(B, E)``.
    """
    s = np.asarray(scores, dtype=float)
    key = round_half_up(s, decimals) if ties == "rounded" and decimals is not None else s
    key = np.where(np.isnan(key), -np.inf, key)
    # 'min' method, vectorised: sort descending; a position starts a new rank when its key
    # differs from the previous one; carry that rank forward over ties; scatter back.
    n = key.shape[-1]
    if n == 0:
        return s.copy()
    order = np.argsort(-key, axis=-1, kind="stable")
    srt = np.take_along_axis(key, order, axis=-1)
    position = np.broadcast_to(np.arange(1, n + 1, dtype=float), srt.shape)
    starts = np.ones(srt.shape, dtype=bool)
    starts[..., 1:] = srt[..., 1:] != srt[..., :-1]
    sorted_ranks = np.maximum.accumulate(np.where(starts, position, 0.0), axis=-1)
    ranks = np.empty_like(sorted_ranks)
    np.put_along_axis(ranks, order, sorted_ranks, axis=-1)
    return np.where(np.isnan(s), np.nan, ranks)


# -- result ---------------------------------------------------------------------------


@dataclass
class IndexResult:
    """One computed index: per economy, the score, the rank and every node's value.

    ``node_scores``: ``(E, N)`` in ``nodes`` order (root last). ``datasets`` holds the
    pipeline's named matrices (``raw``, ``imputed``, ``normalised``: ``(E, I)`` in
    ``codes`` order), ``imputed`` the mask of filled cells, ``excluded`` the economies left
    out for low data coverage (with their coverage), ``log`` each step and its arguments.
    """

    framework_id: str
    year: int | None
    economies: list[str]
    codes: list[str]
    nodes: list[str]
    node_scores: Array
    scores: Array
    ranks: Array
    decimals: int
    datasets: dict[str, Array]
    imputed: NDArray[np.bool_]
    coverage: Array
    excluded: dict[str, float]
    log: list[dict[str, Any]]
    framework: Framework | None = None
    matrix: IndicatorMatrix | None = None
    weights: str = "exact"

    def regen(self, changes: dict[str, Any] | None = None, weights: str | None = None) -> IndexResult:
        """Recompute from the same input with framework fields changed (see
        :func:`~actionplan.stats.framework.framework_variant`) or other weights."""
        from actionplan.stats.framework import framework_variant

        if self.framework is None or self.matrix is None:
            raise ValueError("this result does not carry its framework and input")
        fw = framework_variant(self.framework, changes) if changes else self.framework
        return compute(fw, self.matrix, weights or self.weights)  # type: ignore[arg-type]

    def node(self, node_id: str) -> Array:
        """One node's scores ``(E,)``."""
        return self.node_scores[:, self.nodes.index(node_id)]

    def score_of(self, economy: str) -> float:
        return float(self.scores[self.economies.index(economy)])

    def rows(self, normalised: bool = False) -> list[dict[str, Any]]:
        """One dict per economy, best rank first (excluded economies last): economy, score,
        rank, data_coverage (share of the indicators with data), excluded, every node's value
        and, optionally, normalised indicators."""
        order = sorted(
            range(len(self.economies)),
            key=lambda i: (
                bool(np.isnan(self.ranks[i])),
                float(np.nan_to_num(self.ranks[i])),
                -float(np.nan_to_num(self.scores[i])),
                self.economies[i],
            ),
        )
        out = []
        for i in order:
            row: dict[str, Any] = {
                "economy": self.economies[i],
                "score": _num(self.scores[i]),
                "rank": None if np.isnan(self.ranks[i]) else int(self.ranks[i]),
                "data_coverage": round(float(self.coverage[i]), 4),
                "excluded": self.economies[i] in self.excluded,
            }
            for k, nid in enumerate(self.nodes):
                row[nid] = _num(self.node_scores[i, k])
            if normalised:
                for j, code in enumerate(self.codes):
                    row[f"n:{code}"] = _num(self.datasets["normalised"][i, j])
            out.append(row)
        return out


def _num(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def default_groups(economies: Sequence[str]) -> dict[str, list[str]]:
    """Groupings known without extra data: ``region`` (the ITU-D region of each economy).

    An economy outside every region gets a label of its own (no donors for it).
    """
    from actionplan.registry.regions import itu_d_region

    return {"region": [itu_d_region(e) or f"?{e}" for e in economies]}


def read_groups(path: Path, economies: Sequence[str]) -> dict[str, list[str]]:
    """Groupings from a CSV ``economy,<grouping>[,<grouping>...]`` (e.g. ``economy,income``).

    Economies absent from the file get a label of their own in every grouping.
    """
    import csv

    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            names = [n for n in (reader.fieldnames or []) if n != "economy"]
            if "economy" not in (reader.fieldnames or []) or not names:
                raise InputError("no groupings", where=f"{path}:1", expected="economy,<grouping>[,...]")
            table = {r["economy"].strip().upper(): r for r in reader}
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", where=str(path)) from None
    return {n: [(table[e][n] or f"?{e}") if e in table else f"?{e}" for e in economies] for n in names}


def compute(
    framework: Framework,
    matrix: IndicatorMatrix,
    weights: Literal["exact", "published"] = "exact",
    compiled: CompiledFramework | None = None,
) -> IndexResult:
    """Run the whole pipeline for one framework on one indicator matrix.

    ``weights="published"`` computes with the rounded weights the publication prints.
    Economies whose share of observed (not imputed) indicators is below the framework's
    ``min_coverage`` are excluded: their scores and ranks are NaN and they are listed in
    ``IndexResult.excluded``.
    """
    cf = compiled or compile_framework(framework)
    codes = list(cf.codes)
    sub = matrix.select(codes)
    log: list[dict[str, Any]] = [{"step": "select", "codes": codes, "economies": len(sub.economies)}]
    wanted = {s.impute.group for s in framework.indicators if s.impute.group}
    groups = dict(sub.groups)
    if wanted - set(groups):
        for name, labels in default_groups(sub.economies).items():
            if name in wanted and name not in groups:
                groups[name] = labels
    raw = sub.values
    observed = ~np.isnan(raw)
    coverage = observed.mean(axis=1) if codes else np.zeros(len(sub.economies))
    imputed_values, filled = impute_matrix(raw, framework.indicators, groups, sub.earlier, sub.earlier_years, sub.year)
    log.append(
        {
            "step": "impute",
            "methods": {s.code: s.impute.method for s in framework.indicators},
            "filled": int(filled.sum()),
        }
    )
    normalised = cf.normalise(imputed_values)
    log.append({"step": "normalise", "methods": {s.code: s.normalise.method for s in framework.indicators}})
    node_scores = cf.evaluate(normalised, cf.weight_vector(weights))
    log.append(
        {"step": "aggregate", "weights": weights, "methods": {n: framework.node(n).aggregation for n in cf.nodes}}
    )
    excluded_mask = coverage < framework.min_coverage - 1e-12
    node_scores = np.where(excluded_mask[:, None], np.nan, node_scores)
    scores = node_scores[:, -1]
    ranks = publication_ranks(scores, framework.ranking.decimals, framework.ranking.ties)
    log.append({"step": "rank", "decimals": framework.ranking.decimals, "ties": framework.ranking.ties})
    excluded = {e: float(c) for e, c, x in zip(sub.economies, coverage, excluded_mask, strict=True) if x}
    return IndexResult(
        framework_id=framework.id,
        year=sub.year,
        economies=list(sub.economies),
        codes=codes,
        nodes=list(cf.nodes),
        node_scores=node_scores,
        scores=scores,
        ranks=ranks,
        decimals=framework.ranking.decimals,
        datasets={"raw": raw, "imputed": imputed_values, "normalised": normalised},
        imputed=filled,
        coverage=coverage,
        excluded=excluded,
        log=log,
        framework=framework,
        matrix=matrix,
        weights=weights,
    )


# -- input ----------------------------------------------------------------------------


def matrix_from_dataset(dataset: Any, codes: Sequence[str], year: int) -> IndicatorMatrix:
    """Adapter from the data layer's ``Dataset`` (``actionplan.stats.data``).

    Rows are every economy with a value for ``year`` or an earlier one
    (``Dataset.matrix(codes, year, latest_available=True)``); ``values`` hold ``year``'s
    values only, and ``earlier``/``earlier_years`` the latest value of an earlier year, for
    the ``latest`` imputation.
    """
    economies, latest, latest_years = dataset.matrix(list(codes), year, latest_available=True)
    _, values, years = dataset.matrix(list(codes), year, economies=list(economies))
    latest = np.asarray(latest, dtype=float)
    latest_years = np.asarray(latest_years, dtype=float)
    older = latest_years < year
    return IndicatorMatrix(
        list(economies),
        list(codes),
        np.asarray(values, dtype=float),
        np.asarray(years, dtype=float),
        year,
        np.where(older, latest, np.nan),
        np.where(older, latest_years, np.nan),
    )


def load_matrix(path: Path, year: int | None = None) -> IndicatorMatrix:
    """Read an observations file (CSV, XLSX, SDMX-CSV) through the statistics data layer.

    Every indicator in the file becomes a column; ``year`` defaults to the latest year in
    the file.
    """
    from actionplan.stats.data import Dataset
    from actionplan.stats.io import read_observations

    dataset = Dataset(read_observations(path))
    years = dataset.years()
    if not years:
        raise InputError("no observations", where=str(path))
    return matrix_from_dataset(dataset, dataset.indicators(), year if year is not None else years[-1])
