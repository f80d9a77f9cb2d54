"""ICT price baskets: a monthly price as a percentage of monthly GNI per capita.

ITU expresses each basket's monthly price (USD) relative to the monthly Gross National
Income per capita (Atlas method, annual USD / 12)::

    basket % GNI = 100 * price_usd / (gni_per_capita_usd / 12), capped at ``cap`` (100)

The ICT Price Basket (IPB) of the Measuring the Information Society Reports is the
average of the capped fixed-telephone, mobile-cellular and fixed-broadband sub-baskets,
computed only for economies with all three. The same % GNI values feed the new IDI's
affordability indicators (``price_*_pct_gni``).

Reads: ``gni_per_capita_usd`` and ``price_*_usd`` columns. Writes: ``price_*_pct_gni``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from actionplan.stats.engine import IndicatorMatrix

Array = NDArray[np.float64]

GNI = "gni_per_capita_usd"


@dataclass(frozen=True)
class Basket:
    """One price basket: the monthly price column and the % GNI column it produces."""

    id: str
    name: str
    price_code: str
    code: str


BASKETS: tuple[Basket, ...] = (
    Basket("fixed_telephone", "Fixed-telephone basket", "price_fixed_telephone_usd", "price_fixed_telephone_pct_gni"),
    Basket("mobile_cellular", "Mobile-cellular basket", "price_mobile_cellular_usd", "price_mobile_cellular_pct_gni"),
    Basket("fixed_broadband", "Fixed-broadband basket", "price_fixed_broadband_usd", "price_fixed_broadband_pct_gni"),
    Basket("mobile_data", "Data-only mobile-broadband basket", "price_mobile_data_usd", "price_mobile_data_pct_gni"),
    Basket(
        "mobile_data_voice_high",
        "Mobile data and voice high-consumption basket",
        "price_mobile_data_voice_high_usd",
        "price_mobile_data_voice_high_pct_gni",
    ),
)

#: The sub-baskets averaged into the ICT Price Basket (MISR 2017).
IPB_COMPONENTS: tuple[str, ...] = ("fixed_telephone", "mobile_cellular", "fixed_broadband")


def price_pct_gni(price_usd: ArrayLike, gni_per_capita_usd: ArrayLike, cap: float | None = 100.0) -> Array:
    """Monthly price as % of monthly GNI per capita, capped at ``cap`` (None: no cap).

    >>> float(price_pct_gni(10.0, 12000.0)[()])
    1.0
    """
    p = np.asarray(price_usd, dtype=float)
    g = np.asarray(gni_per_capita_usd, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(g > 0, 100.0 * p / (g / 12.0), np.nan)
    return np.minimum(pct, cap) if cap is not None else pct


def basket_average(components: ArrayLike, require_all: bool = True) -> Array:
    """Average of capped sub-baskets over the last axis (ITU: only if all are present)."""
    c = np.asarray(components, dtype=float)
    if require_all:
        return c.mean(axis=-1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(c, axis=-1)


@dataclass
class BasketResult:
    """Per economy: each basket's % GNI (``values``, E x K in ``baskets`` order) and the IPB."""

    economies: list[str]
    baskets: list[Basket]
    values: Array
    ipb: Array

    def rows(self) -> list[dict[str, object]]:
        out = []
        for i, e in enumerate(self.economies):
            row: dict[str, object] = {"economy": e}
            for k, b in enumerate(self.baskets):
                row[b.code] = None if np.isnan(self.values[i, k]) else float(self.values[i, k])
            row["ipb"] = None if np.isnan(self.ipb[i]) else float(self.ipb[i])
            out.append(row)
        return out


def compute_baskets(
    matrix: IndicatorMatrix,
    baskets: Sequence[Basket] = BASKETS,
    cap: float | None = 100.0,
    components: Sequence[str] = IPB_COMPONENTS,
) -> BasketResult:
    """Every basket's % GNI for the economies of ``matrix``, and the IPB average."""
    gni = matrix.select([GNI]).values[:, 0]
    prices = matrix.select([b.price_code for b in baskets]).values
    values = price_pct_gni(prices, gni[:, None], cap)
    ids = [b.id for b in baskets]
    comp = [ids.index(c) for c in components if c in ids]
    ipb = basket_average(values[:, comp]) if comp else np.full(len(matrix.economies), np.nan)
    return BasketResult(list(matrix.economies), list(baskets), values, ipb)


def add_basket_indicators(matrix: IndicatorMatrix, cap: float | None = 100.0) -> IndicatorMatrix:
    """``matrix`` with ``price_*_pct_gni`` columns derived from prices and GNI.

    A % GNI column already in the data is kept where it has a value; derived values only
    fill its gaps. Nothing is added when GNI is absent.
    """
    if GNI not in matrix.codes:
        return matrix
    result = compute_baskets(matrix, cap=cap)
    columns: dict[str, Array] = {}
    for k, b in enumerate(result.baskets):
        if b.price_code not in matrix.codes:
            continue
        derived = result.values[:, k]
        if b.code in matrix.codes:
            given = matrix.values[:, matrix.codes.index(b.code)]
            derived = np.where(np.isnan(given), derived, given)
        columns[b.code] = derived
    if not columns:
        return matrix
    out = matrix.with_columns(columns)
    # keep the earlier-year arrays for the columns that were there
    if matrix.earlier is not None:
        keep = out.select(out.codes)
        keep.earlier = matrix.select(out.codes).earlier
        keep.earlier_years = matrix.select(out.codes).earlier_years
        keep.years = matrix.select(out.codes).years
        return keep
    return out
