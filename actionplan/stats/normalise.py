"""Treatment and normalisation: the same maths on a column, a matrix or a framework.

Every function takes a numpy array of raw values (one column: economies) and returns an
array of the same shape; NaN means missing and stays missing. The column functions are
small enough to test by hand; :func:`normalise_matrix` applies a framework's indicator
specs column by column to an (economies x indicators) matrix.

Reads: raw or imputed values. Writes: the normalised matrix.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from actionplan.stats.framework import IndicatorSpec, NormaliseSpec, Transform

Array = NDArray[np.float64]


def transform(x: Array, spec: Transform) -> Array:
    """Cap, then log10 (values <= 0 become NaN). Works on any shape."""
    y = np.asarray(x, dtype=float).copy()
    if spec.cap_min is not None or spec.cap_max is not None:
        y = np.clip(y, spec.cap_min, spec.cap_max)
    if spec.log10:
        with np.errstate(divide="ignore", invalid="ignore"):
            y = np.where(y > 0, np.log10(np.where(y > 0, y, 1.0)), np.nan)
    return y


def transform_scalar(value: float | None, spec: Transform) -> float | None:
    """A reference value or goalpost through the same transform as its indicator."""
    if value is None:
        return None
    return float(transform(np.array([value], dtype=float), spec)[0])


def ratio(x: Array, reference: float, invert: bool = False, cap: bool = True) -> Array:
    """Distance to a reference value: ``x / reference`` (IDI 2017), capped at 1.

    Inverted (lower is better): ``reference / x``, so a price at half the reference
    scores 1 (capped) and at twice the reference 0.5.
    """
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = reference / x if invert else x / reference
    if invert:
        y = np.where(x == 0, np.inf, y)
    return np.minimum(y, 1.0) if cap else y


def goalposts(x: Array, lower: float, upper: float, invert: bool = False, cap: bool = True) -> Array:
    """Min-max between fixed goalposts: ``(x - lower) / (upper - lower)``, clipped to [0, 1].

    Inverted: ``(upper - x) / (upper - lower)``, so ``lower`` scores 1 and ``upper`` 0.
    """
    x = np.asarray(x, dtype=float)
    span = upper - lower
    y = (upper - x) / span if invert else (x - lower) / span
    return np.clip(y, 0.0, 1.0) if cap else y


def zscore(x: Array, invert: bool = False) -> Array:
    """Standard score over the non-missing values (population standard deviation, ddof=0)."""
    x = np.asarray(x, dtype=float)
    ok = ~np.isnan(x)
    if ok.sum() == 0:
        return np.full_like(x, np.nan)
    mean = np.nanmean(x)
    sd = np.nanstd(x)
    y = np.zeros_like(x) if sd == 0 else (x - mean) / sd
    y = np.where(ok, y, np.nan)
    return -y if invert else y


def fractional_rank(x: Array, invert: bool = False) -> Array:
    """Rank divided by the number ranked, in (0, 1]; the best value scores 1.

    Ties share the average of their ranks. Missing values stay missing.
    """
    x = np.asarray(x, dtype=float)
    ok = ~np.isnan(x)
    n = int(ok.sum())
    out = np.full_like(x, np.nan)
    if n == 0:
        return out
    v = -x[ok] if invert else x[ok]
    order = np.argsort(v, kind="mergesort")
    ranks = np.empty(n)
    ranks[order] = np.arange(1, n + 1)
    # average ranks over ties
    uniq, inverse = np.unique(v, return_inverse=True)
    sums = np.bincount(inverse, weights=ranks)
    counts = np.bincount(inverse)
    out[ok] = (sums / counts)[inverse] / n
    del uniq
    return out


def distance_to_target(
    x: Array, target: float, lower: float | None = None, invert: bool = False, cap: bool = True
) -> Array:
    """Progress from ``lower`` (default: the worst value observed) to ``target``, capped at 1.

    ``(x - lower) / (target - lower)``; inverted, ``lower`` is the worst (highest) value
    and the same formula measures progress downwards.
    """
    x = np.asarray(x, dtype=float)
    if lower is None:
        lower = float(np.nanmax(x) if invert else np.nanmin(x)) if np.any(~np.isnan(x)) else 0.0
    span = target - lower
    y = np.where(np.isnan(x), np.nan, 1.0) if span == 0 else (x - lower) / span
    y = np.maximum(y, 0.0)
    return np.minimum(y, 1.0) if cap else y


def normalise_column(x: Array, spec: NormaliseSpec, treat: Transform | None = None) -> Array:
    """One indicator column through ``treat`` (also applied to goalposts) and ``spec``."""
    t = treat or Transform()
    y = transform(x, t)
    m = spec.method
    if m == "none":
        out = y
    elif m == "ratio":
        ref = transform_scalar(spec.reference, t)
        assert ref is not None
        out = ratio(y, ref, spec.invert, spec.cap)
    elif m == "goalposts":
        lo, hi = transform_scalar(spec.lower, t), transform_scalar(spec.upper, t)
        assert lo is not None and hi is not None
        out = goalposts(y, lo, hi, spec.invert, spec.cap)
    elif m == "zscore":
        out = zscore(y, spec.invert)
    elif m == "rank":
        out = fractional_rank(y, spec.invert)
    elif m == "target":
        tgt = transform_scalar(spec.target, t)
        assert tgt is not None
        out = distance_to_target(y, tgt, transform_scalar(spec.lower, t), spec.invert, spec.cap)
    else:  # pragma: no cover - the schema forbids it
        raise ValueError(m)
    return out * spec.scale


def normalise_matrix(values: Array, specs: Sequence[IndicatorSpec]) -> Array:
    """An (economies x indicators) matrix normalised column by column, per ``specs``."""
    values = np.asarray(values, dtype=float)
    out = np.empty_like(values)
    for j, spec in enumerate(specs):
        out[:, j] = normalise_column(values[:, j], spec.normalise, spec.transform)
    return out
