"""Comparing two index results, checking an index's statistical coherence, and what-ifs.

- :func:`compare`: two :class:`~actionplan.stats.engine.IndexResult` (two frameworks, or
  two editions, on the same data) -> rank shift per economy, Spearman's rho and Kendall's
  tau-b between the scores.
- :func:`coherence`: per aggregate node, Cronbach's alpha of its children, the share of
  variance of their first principal component (and its loadings), and the correlation of
  each indicator with its parent node and with the index.
- :func:`what_if`: for one economy, the score and rank it would have if one indicator
  improved (closing part of the gap to the best economy), indicator by indicator, largest
  gain first.

Correlations are computed over economies with values on both sides. Kendall's tau-b and
Spearman's rho are plain numpy (ties: average ranks for Spearman, the tau-b correction
for Kendall), checked against SciPy in the tests when SciPy is installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from actionplan.errors import InputError, NotFoundError
from actionplan.stats.engine import IndexResult, IndicatorMatrix, compute
from actionplan.stats.framework import Framework

Array = NDArray[np.float64]


# --- correlations ----------------------------------------------------------------------------


def average_ranks(x: ArrayLike) -> Array:
    """Ranks 1..n (ascending), ties sharing their average rank."""
    a = np.asarray(x, dtype=float)
    order = np.argsort(a, kind="mergesort")
    ranks = np.empty(len(a))
    sorted_a = a[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_a)) + 1]
    ends = np.r_[starts[1:], len(a)]
    for s, e in zip(starts, ends, strict=True):
        ranks[order[s:e]] = (s + e + 1) / 2.0
    return ranks


def _paired(x: ArrayLike, y: ArrayLike) -> tuple[Array, Array]:
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = ~(np.isnan(a) | np.isnan(b))
    return a[ok], b[ok]


def pearson(x: ArrayLike, y: ArrayLike) -> float:
    """Pearson's r over the pairs where both are present; NaN if fewer than 3 or constant."""
    a, b = _paired(x, y)
    if len(a) < 3 or np.std(a) == 0 or np.std(b) == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def spearman(x: ArrayLike, y: ArrayLike) -> float:
    """Spearman's rho: Pearson's r of the average ranks."""
    a, b = _paired(x, y)
    if len(a) < 3:
        return float("nan")
    return pearson(average_ranks(a), average_ranks(b))


def kendall_tau_b(x: ArrayLike, y: ArrayLike) -> float:
    """Kendall's tau-b: (concordant - discordant) / sqrt((n0 - n1)(n0 - n2)), ties corrected."""
    a, b = _paired(x, y)
    n = len(a)
    if n < 2:
        return float("nan")
    i, j = np.triu_indices(n, k=1)
    da = np.sign(a[i] - a[j])
    db = np.sign(b[i] - b[j])
    s = float(np.sum(da * db))
    n0 = n * (n - 1) / 2
    n1 = float(np.sum(da == 0))
    n2 = float(np.sum(db == 0))
    denominator = np.sqrt((n0 - n1) * (n0 - n2))
    return float(s / denominator) if denominator > 0 else float("nan")


# --- comparison ------------------------------------------------------------------------------


@dataclass
class Comparison:
    """Two results on the same economies.

    ``shift`` = rank in A - rank in B per economy: positive means the economy ranks
    higher (better) under B. Economies ranked by only one side have NaN shifts and are
    left out of the correlations.
    """

    a: str
    b: str
    economies: list[str]
    scores_a: Array
    scores_b: Array
    ranks_a: Array
    ranks_b: Array
    shift: Array
    spearman: float
    kendall: float
    mean_abs_shift: float
    max_abs_shift: float

    def rows(self) -> list[dict[str, Any]]:
        """One dict per economy, largest absolute shift first."""
        order = sorted(range(len(self.economies)), key=lambda i: (
            np.isnan(self.shift[i]), -abs(float(np.nan_to_num(self.shift[i]))), self.economies[i]))
        return [{"economy": self.economies[i], "rank_a": _num(self.ranks_a[i]), "rank_b": _num(self.ranks_b[i]),
                 "shift": _num(self.shift[i]), "score_a": _num(self.scores_a[i]), "score_b": _num(self.scores_b[i])}
                for i in order]


def _num(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def _align(result: IndexResult, economies: list[str], values: Array) -> Array:
    index = {e: i for i, e in enumerate(result.economies)}
    return np.array([values[index[e]] if e in index else np.nan for e in economies])


def compare(result_a: IndexResult, result_b: IndexResult, label_a: str | None = None,
            label_b: str | None = None) -> Comparison:
    """Rank shifts and rank correlations between two results (over the union of economies)."""
    economies = sorted(set(result_a.economies) | set(result_b.economies))
    sa, sb = _align(result_a, economies, result_a.scores), _align(result_b, economies, result_b.scores)
    ra, rb = _align(result_a, economies, result_a.ranks), _align(result_b, economies, result_b.ranks)
    shift = ra - rb
    finite = shift[~np.isnan(shift)]
    return Comparison(
        a=label_a or result_a.framework_id, b=label_b or result_b.framework_id, economies=economies,
        scores_a=sa, scores_b=sb, ranks_a=ra, ranks_b=rb, shift=shift,
        spearman=spearman(sa, sb), kendall=kendall_tau_b(sa, sb),
        mean_abs_shift=float(np.mean(np.abs(finite))) if finite.size else float("nan"),
        max_abs_shift=float(np.max(np.abs(finite))) if finite.size else float("nan"),
    )


def compare_frameworks(framework_a: Framework, framework_b: Framework, matrix: IndicatorMatrix) -> Comparison:
    """:func:`compare` of two frameworks computed on the same matrix."""
    return compare(compute(framework_a, matrix), compute(framework_b, matrix))


# --- coherence -------------------------------------------------------------------------------


def cronbach_alpha(items: ArrayLike) -> float:
    """Cronbach's alpha of an (observations x items) array, over rows with every item present.

    alpha = k / (k - 1) * (1 - sum of item variances / variance of the row totals).
    """
    x = np.asarray(items, dtype=float)
    x = x[~np.isnan(x).any(axis=1)]
    k = x.shape[1]
    if k < 2 or x.shape[0] < 2:
        return float("nan")
    total = x.sum(axis=1).var(ddof=1)
    if total == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total))


def first_component(items: ArrayLike) -> tuple[float, Array]:
    """Share of variance explained by the first principal component of the correlation
    matrix, and its loadings (sign chosen so that they sum to a positive number)."""
    x = np.asarray(items, dtype=float)
    x = x[~np.isnan(x).any(axis=1)]
    k = x.shape[1]
    if k < 2 or x.shape[0] < 3:
        return float("nan"), np.full(k, np.nan)
    sd = x.std(axis=0, ddof=1)
    keep = sd > 0
    if keep.sum() < 2:
        return float("nan"), np.full(k, np.nan)
    corr = np.corrcoef(x[:, keep], rowvar=False)
    values, vectors = np.linalg.eigh(corr)
    top = vectors[:, -1] * np.sqrt(values[-1])
    if top.sum() < 0:
        top = -top
    loadings = np.full(k, np.nan)
    loadings[keep] = top
    return float(values[-1] / values.sum()), loadings


@dataclass
class NodeCoherence:
    """Coherence of one aggregate: its children and how they hang together."""

    node: str
    children: list[str]
    alpha: float
    pc1_share: float
    loadings: dict[str, float]
    corr_with_node: dict[str, float]
    corr_with_index: dict[str, float]


def coherence(result: IndexResult, framework: Framework) -> list[NodeCoherence]:
    """Per aggregate node (root last): Cronbach's alpha and the first principal component of
    its children (normalised indicators or child-node scores), and each child's correlation
    with the node and with the index."""
    normalised = result.datasets["normalised"]
    index = result.scores

    def column(child: str) -> Array:
        if child in result.codes:
            return normalised[:, result.codes.index(child)]
        return result.node(child)

    out = []
    for node_id in result.nodes:
        node = framework.node(node_id)
        items = np.column_stack([column(c) for c in node.children])
        share, loadings = first_component(items)
        node_scores = result.node(node_id)
        out.append(NodeCoherence(
            node=node_id, children=list(node.children), alpha=cronbach_alpha(items), pc1_share=share,
            loadings={c: float(v) for c, v in zip(node.children, loadings, strict=True)},
            corr_with_node={c: pearson(column(c), node_scores) for c in node.children},
            corr_with_index={c: pearson(column(c), index) for c in node.children},
        ))
    return out


def indicator_correlations(result: IndexResult, framework: Framework) -> list[dict[str, Any]]:
    """Every indicator's correlation with its parent node and with the index."""
    parents = {child: node.id for node in framework.nodes for child in node.children}
    rows = []
    for j, code in enumerate(result.codes):
        column = result.datasets["normalised"][:, j]
        parent = parents.get(code, result.nodes[-1])
        rows.append({"indicator": code, "parent": parent, "corr_parent": pearson(column, result.node(parent)),
                     "corr_index": pearson(column, result.scores)})
    return rows


# --- what-if ---------------------------------------------------------------------------------


@dataclass
class WhatIf:
    """One indicator improved for one economy: the new raw value, score and rank."""

    indicator: str
    old_value: float
    new_value: float
    old_score: float
    new_score: float
    score_gain: float
    old_rank: float
    new_rank: float
    rank_gain: float


def what_if(
    framework: Framework,
    matrix: IndicatorMatrix,
    economy: str,
    step: float = 0.1,
    mode: Literal["gap", "sd"] = "gap",
) -> list[WhatIf]:
    """For each indicator, the economy's score and rank if that indicator alone improved.

    ``mode="gap"``: the raw value closes ``step`` (10 %) of the gap to the best value any
    economy has (lowest for an inverted indicator such as a price). ``mode="sd"``: the raw
    value moves ``step`` standard deviations the good way. A missing value starts from the
    value the framework imputes (or the worst observed one). Sorted by score gain, then rank
    gain, largest first.
    """
    if economy not in matrix.economies:
        raise NotFoundError(f"no economy {economy!r} in the data", where="economy")
    base = compute(framework, matrix)
    row = base.economies.index(economy)
    if np.isnan(base.scores[row]):
        raise InputError(f"{economy} has no score (too little data)", where="economy")
    sub = matrix.select(base.codes)
    out = []
    for j, code in enumerate(base.codes):
        spec = framework.indicator(code)
        column = sub.values[:, j]
        current = base.datasets["imputed"][row, j]
        observed = column[~np.isnan(column)]
        if observed.size == 0:
            continue
        invert = spec.normalise.invert
        if np.isnan(current):
            current = float(observed.max() if invert else observed.min())
        if mode == "gap":
            best = float(observed.min() if invert else observed.max())
            new = current + step * (best - current)
        else:
            sd = float(observed.std(ddof=1)) if observed.size > 1 else 0.0
            new = current - step * sd if invert else current + step * sd
        values = sub.values.copy()
        values[row, j] = new
        changed = IndicatorMatrix(list(sub.economies), list(sub.codes), values, sub.years, sub.year, sub.earlier,
                                  sub.earlier_years, dict(sub.groups))
        result = compute(framework, changed)
        out.append(WhatIf(
            indicator=code, old_value=float(current), new_value=float(new),
            old_score=float(base.scores[row]), new_score=float(result.scores[row]),
            score_gain=float(result.scores[row] - base.scores[row]),
            old_rank=float(base.ranks[row]), new_rank=float(result.ranks[row]),
            rank_gain=float(base.ranks[row] - result.ranks[row]),
        ))
    out.sort(key=lambda w: (-w.score_gain, -w.rank_gain, w.indicator))
    return out
