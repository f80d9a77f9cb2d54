"""Framework comparison, statistical coherence and what-ifs (actionplan.stats.compare)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from actionplan.stats.compare import (
    average_ranks,
    coherence,
    compare,
    cronbach_alpha,
    first_component,
    indicator_correlations,
    kendall_tau_b,
    spearman,
    what_if,
)
from actionplan.stats.engine import IndicatorMatrix, compute
from actionplan.stats.framework import Framework, framework_from_dict

X, Y = "internet_users_pct", "households_internet_pct"


def two_indicator_framework(wx: float, wy: float, fid: str = "fw") -> Framework:
    data: dict[str, Any] = {
        "id": fid, "name": fid, "root": "index",
        "nodes": [{"id": "index", "children": [X, Y], "weights": {X: wx, Y: wy}}],
        "indicators": [{"code": c, "normalise": {"method": "goalposts", "lower": 0, "upper": 100}} for c in (X, Y)],
        "ranking": {"decimals": 6},
    }
    return framework_from_dict(data, fid, frozenset({X, Y}))


def crossed(n: int = 10) -> IndicatorMatrix:
    """X rises with the economy's number, Y falls: weighting one or the other reverses the order."""
    i = np.arange(n, dtype=float)
    return IndicatorMatrix([f"E{k}" for k in range(n)], [X, Y], np.column_stack([10 + 5 * i, 60 - 5 * i]))


def test_identical_frameworks_give_tau_one_and_no_shifts() -> None:
    result = compute(two_indicator_framework(0.5, 0.5), crossed())
    same = compare(result, result)
    assert same.kendall == 1.0 and same.spearman == pytest.approx(1.0)
    assert (same.shift == 0).all() and same.mean_abs_shift == 0


def test_reversed_weighting_reverses_the_ranking() -> None:
    """Weighting X (rising) then Y (falling): economy i goes from rank n - i to rank i + 1."""
    n = 10
    a = compute(two_indicator_framework(0.9, 0.1, "a"), crossed(n))
    b = compute(two_indicator_framework(0.1, 0.9, "b"), crossed(n))
    result = compare(a, b)
    expected = np.array([(n - i) - (i + 1) for i in range(n)], dtype=float)
    np.testing.assert_array_equal(result.shift, expected)
    assert result.kendall == -1.0 and result.spearman == pytest.approx(-1.0)
    assert result.max_abs_shift == n - 1
    assert result.rows()[0]["economy"] in ("E0", "E9")


def test_kendall_and_spearman_with_ties_match_hand_values_and_scipy() -> None:
    x = [1, 2, 2, 3, 4]
    y = [1, 3, 2, 2, 5]
    # pairs: concordant 7, discordant 1 (x: 2<3 vs y: 3>2), ties in x: 1 pair, ties in y: 1 pair
    # tau-b = (7 - 1) / sqrt((10 - 1) * (10 - 1)) = 2 / 3
    assert kendall_tau_b(x, y) == pytest.approx(2 / 3)
    np.testing.assert_array_equal(average_ranks(x), [1, 2.5, 2.5, 4, 5])
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 6, 40).astype(float), rng.integers(0, 6, 40).astype(float)
    assert kendall_tau_b(a, b) == pytest.approx(stats.kendalltau(a, b).statistic)
    assert spearman(a, b) == pytest.approx(stats.spearmanr(a, b).statistic)


def test_cronbach_alpha_matches_a_hand_computation() -> None:
    """Item variances 5/3, 19/12, 11/12 (sum 25/6); total variance 35/3; alpha = 3/2 (1 - 5/14) = 27/28."""
    items = np.array([[1, 2, 3], [2, 3, 3], [3, 3, 4], [4, 5, 5], [np.nan, 1, 1]])
    assert cronbach_alpha(items) == pytest.approx(27 / 28)


def test_first_component_of_perfectly_correlated_items_explains_everything() -> None:
    share, loadings = first_component([[1, 2], [2, 4], [3, 6]])
    assert share == pytest.approx(1.0, abs=1e-3)
    assert (loadings > 0).all()


def test_coherence_reports_each_node_and_indicator() -> None:
    fw = two_indicator_framework(0.5, 0.5)
    rng = np.random.default_rng(1)
    base = rng.uniform(10, 90, 30)
    matrix = IndicatorMatrix([f"E{k}" for k in range(30)], [X, Y],
                             np.column_stack([base, np.clip(base + rng.normal(0, 5, 30), 0, 100)]))
    result = compute(fw, matrix)
    (node,) = coherence(result, fw)
    assert node.node == "index" and node.alpha > 0.9 and node.pc1_share > 0.9
    assert node.corr_with_index[X] > 0.9
    rows = indicator_correlations(result, fw)
    assert [r["indicator"] for r in rows] == [X, Y] and rows[0]["parent"] == "index"


def test_what_if_ranks_the_indicator_with_the_larger_weight_first() -> None:
    """Closing 10 % of the gap to the best: X (weight 0.7) adds 0.7 * 0.1 * 0.9, Y adds 0.3 * 0.1 * 0.9."""
    fw = two_indicator_framework(0.7, 0.3)
    values = np.array([[0.0, 0.0], [90.0, 90.0], [50.0, 50.0], [5.0, 5.0]])
    matrix = IndicatorMatrix(["LOW", "TOP", "MID", "NXT"], [X, Y], values)
    gains = what_if(fw, matrix, "LOW")
    assert [g.indicator for g in gains] == [X, Y]
    assert gains[0].new_value == pytest.approx(9.0)
    assert gains[0].score_gain == pytest.approx(0.7 * 0.09)
    assert gains[1].score_gain == pytest.approx(0.3 * 0.09)
    assert gains[0].old_rank == 4 and gains[0].new_rank == 3 and gains[0].rank_gain == 1
