"""Aggregation: weighted arithmetic, geometric and harmonic means, batched.

The functions work on the last axis of arrays of any leading shape, so one call
aggregates every economy for every replication of a Monte Carlo run at once:

- ``values``: ``(..., k)`` children's scores; NaN is a missing child.
- ``weights``: ``(..., k)``, broadcastable against ``values`` (one weight vector, or one
  per replication with shape ``(B, 1, k)`` against values ``(B, E, k)``).
- ``method``: an aggregator code (``ARITHMETIC``, ``GEOMETRIC``, ``HARMONIC``) or an
  integer array broadcastable to ``values.shape[:-1]`` (one choice per replication).

Weights are used as given, not forced to sum to 1: rounded weights as a publication
prints them (three times 0.33) have their printed effect. Missing children: their weight
is spread over the present ones in proportion to their weights (the total is kept); if
the present children carry less than ``min_coverage`` of the total weight (or none is
present) the result is NaN.

Geometric and harmonic means need positive values: a zero child gives 0, a negative one
gives NaN (use them with ratio, goalposts or rank normalisation, not z-scores).

Reads: normalised children. Writes: the aggregate.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]

ARITHMETIC, GEOMETRIC, HARMONIC = 0, 1, 2
METHOD_CODES: dict[str, int] = {"arithmetic": ARITHMETIC, "geometric": GEOMETRIC, "harmonic": HARMONIC}


def _prepare(values: ArrayLike, weights: ArrayLike) -> tuple[Array, Array, Array, Array]:
    v = np.asarray(values, dtype=float)
    w = np.broadcast_to(np.asarray(weights, dtype=float), np.broadcast_shapes(v.shape, np.shape(weights)))
    v = np.broadcast_to(v, w.shape)
    present = ~np.isnan(v)
    wp = np.where(present, w, 0.0)
    total = w.sum(axis=-1)
    got = wp.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        wn = wp * (total / got)[..., None]
        coverage = np.where(total > 0, got / total, 0.0)
    return v, wn, present, coverage


def _finish(result: Array, coverage: Array, min_coverage: float) -> Array:
    ok = (coverage > 0) & (coverage >= min_coverage - 1e-12)
    return np.where(ok, result, np.nan)


def arithmetic(values: ArrayLike, weights: ArrayLike, min_coverage: float = 0.0) -> Array:
    """Weighted arithmetic mean over the last axis: sum(w_i x_i) (weights summing to 1)."""
    v, wn, present, cov = _prepare(values, weights)
    res = np.where(present, wn * np.where(present, v, 0.0), 0.0).sum(axis=-1)
    return _finish(res, cov, min_coverage)


def geometric(values: ArrayLike, weights: ArrayLike, min_coverage: float = 0.0) -> Array:
    """Weighted geometric mean: prod(x_i ** w_i)."""
    v, wn, present, cov = _prepare(values, weights)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(present, np.log(np.where(present, v, 1.0)), 0.0)
        res = np.exp(np.where(wn > 0, wn * logs, 0.0).sum(axis=-1))
        negative = (present & np.less(v, 0) & np.greater(wn, 0)).any(axis=-1)
    return _finish(np.where(negative, np.nan, res), cov, min_coverage)


def harmonic(values: ArrayLike, weights: ArrayLike, min_coverage: float = 0.0) -> Array:
    """Weighted harmonic mean: 1 / sum(w_i / x_i); a zero child gives 0."""
    v, wn, present, cov = _prepare(values, weights)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(present & np.greater(wn, 0), wn / np.where(present, v, 1.0), 0.0).sum(axis=-1)
        res = np.where(np.isinf(inv), 0.0, 1.0 / inv)
        negative = (present & np.less(v, 0) & np.greater(wn, 0)).any(axis=-1)
    return _finish(np.where(negative, np.nan, res), cov, min_coverage)


def aggregate(
    values: ArrayLike, weights: ArrayLike, method: int | ArrayLike = ARITHMETIC, min_coverage: float = 0.0
) -> Array:
    """Aggregate with one method, or a per-replication choice of methods (integer array).

    >>> aggregate([[1.0, 4.0]], [0.5, 0.5], GEOMETRIC)
    array([2.])
    """
    m = np.asarray(method)
    if m.ndim == 0:
        fn = (arithmetic, geometric, harmonic)[int(m)]
        return fn(values, weights, min_coverage)
    codes = np.unique(m)
    out: Array | None = None
    for code in codes:
        fn = (arithmetic, geometric, harmonic)[int(code)]
        part = fn(values, weights, min_coverage)
        out = part if out is None else np.where(m == code, part, out)
    assert out is not None
    return out


def _contract(a: Array, w: Array) -> Array:
    """``sum_c a[b, e, c] * w[b, c]`` -> ``(B, E)`` where either leading axis may be 1."""
    if a.shape[0] == 1:
        return (a[0] @ w.T).T  # (bw, e): one matrix product for all replications
    if w.shape[0] == 1:
        return a @ w[0]  # (b, e)
    return np.einsum("bec,bc->be", a, w)


def aggregate_batch(
    values: Array, weights: Array, method: int | NDArray[np.int64] = ARITHMETIC, min_coverage: float = 0.0
) -> Array:
    """The batched kernel behind :class:`~actionplan.stats.engine.CompiledFramework`.

    ``values``: ``(Bv, E, k)`` with ``Bv`` 1 (shared by every replication) or B;
    ``weights``: ``(Bw, k)`` with ``Bw`` 1 or B; ``method``: a code, or ``(Bm,)`` codes.
    Returns ``(B, E)``. Same results as :func:`aggregate` on broadcast arrays, computed
    with matrix products (one per method) instead of element-wise broadcasting.
    """
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    present = ~np.isnan(v)
    x = np.where(present, v, 0.0)
    pf = present.astype(float)
    got = _contract(pf, w)
    total = w.sum(axis=-1)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = total / got
        coverage = got / total
    ok = (got > 0) & (coverage >= min_coverage - 1e-12)
    codes = np.unique(np.asarray(method))
    wpos = (w > 0).astype(float)
    results: dict[int, Array] = {}
    for code in codes.tolist():
        if code == ARITHMETIC:
            with np.errstate(invalid="ignore"):
                res = _contract(x, w) * factor
        else:
            neg = _contract((present & (v < 0)).astype(float), wpos) > 0
            zero = _contract((present & (v == 0)).astype(float), wpos) > 0
            safe = np.where(present & (v > 0), v, 1.0)
            with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
                if code == GEOMETRIC:
                    res = np.exp(_contract(np.log(safe), w) * factor)
                else:
                    res = 1.0 / (_contract(np.where(present, 1.0 / safe, 0.0), w) * factor)
            res = np.where(zero, 0.0, res)
            res = np.where(neg, np.nan, res)
        results[int(code)] = res
    if len(results) == 1:
        out = next(iter(results.values()))
    else:
        m = np.asarray(method)[:, None]
        out = results[int(codes[0])]
        for code, res in results.items():
            out = np.where(m == code, res, out)
    return np.where(ok, out, np.nan)
