"""ICT price baskets: price as % of monthly GNI per capita, capped, averaged into the IPB."""

from __future__ import annotations

import numpy as np
import pytest

from actionplan.stats.baskets import add_basket_indicators, basket_average, compute_baskets, price_pct_gni
from actionplan.stats.engine import IndicatorMatrix, compute
from actionplan.stats.framework import load_framework


def test_price_as_percentage_of_monthly_gni_per_capita() -> None:
    """USD 10 a month against GNI p.c. USD 12,000 a year (1,000 a month) is 1 %."""
    assert price_pct_gni(10.0, 12000.0) == pytest.approx(1.0)
    assert price_pct_gni(25.0, 600.0) == pytest.approx(50.0)
    # USD 90 a month against USD 600 a year is 180 %: capped at 100
    assert price_pct_gni(90.0, 600.0) == 100.0
    assert price_pct_gni(90.0, 600.0, cap=None) == pytest.approx(180.0)
    assert np.isnan(price_pct_gni(10.0, 0.0))


def test_ipb_averages_the_capped_sub_baskets_only_when_all_are_present() -> None:
    """Fixed telephone 1 %, mobile 2 %, fixed broadband 180 % -> capped 100: IPB (1 + 2 + 100) / 3."""
    m = IndicatorMatrix(
        ["XAA", "XBB"],
        ["gni_per_capita_usd", "price_fixed_telephone_usd", "price_mobile_cellular_usd", "price_fixed_broadband_usd"],
        np.array([[12000.0, 10.0, 20.0, 1800.0], [12000.0, 10.0, np.nan, 30.0]]),
    )
    r = compute_baskets(m)
    assert r.ipb[0] == pytest.approx(103 / 3)
    assert np.isnan(r.ipb[1])
    assert basket_average(np.array([[1.0, np.nan, 3.0]]), require_all=False)[0] == 2.0
    row = r.rows()[0]
    assert row["price_fixed_broadband_pct_gni"] == 100.0 and row["economy"] == "XAA"


def test_basket_percentages_feed_the_new_idi_affordability_indicators() -> None:
    """A fixed-broadband price of 1 % of GNI p.c. is below the 2 % goalpost: score 100."""
    m = IndicatorMatrix(
        ["XAA"],
        ["gni_per_capita_usd", "price_fixed_broadband_usd", "price_mobile_data_voice_high_usd"],
        np.array([[12000.0, 10.0, 135.0]]),
    )
    enriched = add_basket_indicators(m)
    assert "price_fixed_broadband_pct_gni" in enriched.codes
    col = enriched.values[0, enriched.codes.index("price_mobile_data_voice_high_pct_gni")]
    assert col == pytest.approx(13.5)
    fw = load_framework("idi-2023")
    r = compute(fw, enriched)
    j = r.codes.index("price_fixed_broadband_pct_gni")
    assert r.datasets["normalised"][0, j] == pytest.approx(100.0)
    # 13.5 % between goalposts 2 (best) and 25 (worst): (25 - 13.5) / 23 * 100 = 50
    k = r.codes.index("price_mobile_data_voice_high_pct_gni")
    assert r.datasets["normalised"][0, k] == pytest.approx(50.0)
