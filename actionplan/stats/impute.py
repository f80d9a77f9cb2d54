"""Imputation: filling missing raw values before normalisation.

Each function takes one indicator column (economies) and returns a filled copy plus a
boolean mask of the cells it filled; :func:`impute_matrix` applies a framework's specs.

Reads: raw values (and, for ``latest``, earlier values with their years; for group
methods, a group label per economy). Writes: imputed values and an ``imputed`` mask.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from actionplan.stats.framework import IndicatorSpec

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]


def impute_group(x: Array, groups: Sequence[str] | None = None, stat: str = "mean") -> tuple[Array, Mask]:
    """Missing values get the mean (or median) of the same group's observed values.

    Without ``groups``, every economy is in one group. A group with no observed value
    leaves its economies missing.
    """
    x = np.asarray(x, dtype=float)
    labels = np.asarray(groups if groups is not None else [""] * len(x), dtype=object)
    out = x.copy()
    miss = np.isnan(x)
    for g in np.unique(labels[miss]) if miss.any() else []:
        members = labels == g
        observed = x[members & ~miss]
        if observed.size:
            out[members & miss] = float(np.median(observed) if stat == "median" else np.mean(observed))
    filled = miss & ~np.isnan(out)
    return out, filled


def impute_latest(
    x: Array,
    earlier: Array | None,
    earlier_years: Array | None,
    year: int | None,
    max_age: int | None = None,
) -> tuple[Array, Mask]:
    """Missing values get the most recent earlier value, if at most ``max_age`` years old.

    ``earlier``/``earlier_years`` are the latest available value per economy and the year it
    comes from (what ``Dataset.matrix(..., latest_available=True)`` returns).
    """
    x = np.asarray(x, dtype=float)
    out = x.copy()
    if earlier is None:
        return out, np.zeros(x.shape, dtype=bool)
    prev = np.asarray(earlier, dtype=float)
    ok = np.isnan(x) & ~np.isnan(prev)
    if max_age is not None and year is not None and earlier_years is not None:
        age = year - np.asarray(earlier_years, dtype=float)
        ok &= age <= max_age
    out[ok] = prev[ok]
    return out, ok


def impute_hot_deck(x: Array, others: Array, donors: int = 1) -> tuple[Array, Mask]:
    """Missing values get the value of the most similar economy (mean of ``donors`` nearest).

    Similarity: root-mean-square difference over the columns of ``others`` (economies x k,
    the framework's other indicators) after standardising each column, using only the
    columns both economies report. Donors must report ``x``. Ties go to the earlier row.
    """
    x = np.asarray(x, dtype=float)
    o = np.asarray(others, dtype=float)
    out = x.copy()
    miss = np.isnan(x)
    if not miss.any() or miss.all() or o.size == 0:
        return out, np.zeros(x.shape, dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.nanstd(o, axis=0)
        z = (o - np.nanmean(o, axis=0)) / np.where(sd > 0, sd, 1.0)
    donor_rows = np.flatnonzero(~miss)
    for r in np.flatnonzero(miss):
        diff = z[donor_rows] - z[r]
        both = ~np.isnan(diff)
        n = both.sum(axis=1)
        dist = np.sqrt(np.where(both, diff**2, 0.0).sum(axis=1) / np.maximum(n, 1))
        dist = np.where(n > 0, dist, np.inf)
        if not np.isfinite(dist).any():
            continue
        nearest = donor_rows[np.argsort(dist, kind="mergesort")[:donors]]
        out[r] = float(np.mean(x[nearest]))
    return out, miss & ~np.isnan(out)


def impute_matrix(
    values: Array,
    specs: Sequence[IndicatorSpec],
    groups: Mapping[str, Sequence[str]] | None = None,
    earlier: Array | None = None,
    earlier_years: Array | None = None,
    year: int | None = None,
) -> tuple[Array, Mask]:
    """Apply each indicator's ``impute`` spec to its column; return values and the filled mask."""
    values = np.asarray(values, dtype=float)
    out = values.copy()
    mask = np.zeros(values.shape, dtype=bool)
    for j, spec in enumerate(specs):
        m = spec.impute.method
        col = values[:, j]
        if m == "none" or not np.isnan(col).any():
            continue
        if m in ("group_mean", "group_median"):
            labels = None
            if spec.impute.group:
                if not groups or spec.impute.group not in groups:
                    from actionplan.errors import InputError

                    raise InputError(
                        f"indicator {spec.code!r} imputes by group {spec.impute.group!r}, but no such grouping given",
                        where="groups",
                        expected=f"a {spec.impute.group!r} label for every economy",
                    )
                labels = groups[spec.impute.group]
            filled, f = impute_group(col, labels, "median" if m == "group_median" else "mean")
        elif m == "latest":
            prev = earlier[:, j] if earlier is not None else None
            prev_y = earlier_years[:, j] if earlier_years is not None else None
            filled, f = impute_latest(col, prev, prev_y, year, spec.impute.max_age)
        else:  # hot_deck
            filled, f = impute_hot_deck(col, np.delete(values, j, axis=1), spec.impute.donors)
        out[:, j] = filled
        mask[:, j] = f
    return out, mask
