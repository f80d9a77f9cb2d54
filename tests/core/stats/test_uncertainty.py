"""Monte Carlo uncertainty and Sobol sensitivity analysis (actionplan.stats.uncertainty)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from actionplan.stats.engine import IndicatorMatrix, compute
from actionplan.stats.framework import Framework, framework_from_dict
from actionplan.stats.uncertainty import FACTORS, analyse, analyse_loop

CODES = ["internet_users_pct", "households_internet_pct", "fixed_broadband_per100", "price_fixed_broadband_usd"]


def toy_framework(**over: Any) -> Framework:
    data: dict[str, Any] = {
        "id": "toy",
        "name": "Toy index",
        "root": "index",
        "nodes": [
            {"id": "index", "children": ["use", "access"], "weights": {"use": 0.6, "access": 0.4}},
            {"id": "use", "children": CODES[:2], "weights": {CODES[0]: 0.5, CODES[1]: 0.5}},
            {"id": "access", "children": CODES[2:], "weights": {CODES[2]: 0.7, CODES[3]: 0.3},
             "aggregation": "geometric"},
        ],
        "indicators": [
            {"code": CODES[0], "normalise": {"method": "goalposts", "lower": 0, "upper": 100, "scale": 100}},
            {"code": CODES[1], "normalise": {"method": "goalposts", "lower": 0, "upper": 100, "scale": 100},
             "impute": {"method": "group_mean"}},
            {"code": CODES[2], "normalise": {"method": "ratio", "reference": 60, "scale": 100}},
            {"code": CODES[3], "normalise": {"method": "goalposts", "lower": 5, "upper": 80, "invert": True,
                                             "scale": 100}, "impute": {"method": "hot_deck"}},
        ],
        **over,
    }
    return framework_from_dict(data, "toy", frozenset(CODES))


def toy_matrix(n: int = 40, seed: int = 5) -> IndicatorMatrix:
    """Random economies plus LEAD, far ahead on every indicator; a few gaps."""
    rng = np.random.default_rng(seed)
    d = rng.normal(size=(n, 1))
    values = np.column_stack([
        np.clip(50 + 20 * d[:, 0] + rng.normal(0, 8, n), 1, 90),
        np.clip(45 + 20 * d[:, 0] + rng.normal(0, 8, n), 1, 90),
        np.clip(15 + 8 * d[:, 0] + rng.normal(0, 4, n), 0.5, 40),
        np.clip(30 - 8 * d[:, 0] + rng.normal(0, 5, n), 8, 80),
    ])
    values[3, 1] = values[7, 3] = values[11, 0] = np.nan
    lead = np.array([[99.0, 99.0, 80.0, 5.0]])
    economies = [f"E{i:02d}" for i in range(n)] + ["LEAD"]
    return IndicatorMatrix(economies, CODES, np.vstack([values, lead]), year=2023)


def test_vectorised_and_loop_give_the_same_result_for_the_same_seed() -> None:
    """analyse (batched arrays) and analyse_loop (one compute per replication) agree exactly."""
    fw, data = toy_framework(), toy_matrix()
    fast = analyse(fw, data, n=150, seed=3)
    slow = analyse_loop(fw, data, n=150, seed=3)
    np.testing.assert_array_equal(fast.ranks, slow.ranks)
    np.testing.assert_array_equal(fast.median_rank, slow.median_rank)
    np.testing.assert_array_equal(fast.p95_rank, slow.p95_rank)
    np.testing.assert_allclose(fast.nominal_scores, slow.nominal_scores, rtol=1e-12)
    assert fast.replications == slow.replications


def test_a_seed_reproduces_the_run_and_another_seed_changes_it() -> None:
    fw, data = toy_framework(), toy_matrix()
    one, again, other = (analyse(fw, data, n=100, seed=s) for s in (1, 1, 2))
    np.testing.assert_array_equal(one.ranks, again.ranks)
    assert one.replications == again.replications
    assert not np.array_equal(one.ranks, other.ranks)


def test_an_economy_far_ahead_stays_first_and_intervals_are_ordered() -> None:
    fw, data = toy_framework(), toy_matrix()
    result = analyse(fw, data, n=400, seed=0)
    lead = result.economies.index("LEAD")
    assert (result.ranks[:, lead] == 1).all()
    assert result.median_rank[lead] == result.p5_rank[lead] == result.p95_rank[lead] == 1
    assert result.mean_abs_shift[lead] == 0
    assert (result.p5_rank <= result.median_rank).all() and (result.median_rank <= result.p95_rank).all()
    np.testing.assert_array_equal(result.nominal_ranks, compute(fw, data).ranks)
    assert result.rows()[0]["economy"] == "LEAD"
    assert result.mean_abs_shift.mean() > 0


def test_nothing_varied_gives_the_nominal_ranks_every_time() -> None:
    result = analyse(toy_framework(), toy_matrix(), n=20, seed=0, vary=())
    assert (result.ranks == result.nominal_ranks[None, :]).all()
    assert (result.mean_abs_shift == 0).all()


def test_every_replication_logs_its_parameters() -> None:
    """The table has one row per replication; an excluded indicator's weight is 0."""
    fw = toy_framework()
    result = analyse(fw, toy_matrix(), n=200, seed=4)
    table = result.replications
    assert set(table) >= {"replication", "normalisation", "aggregation", "imputation", "excluded",
                          "mean_abs_shift", f"weight:use/{CODES[0]}", "weight:index/use"}
    assert all(len(column) == 200 for column in table.values())
    assert set(table["normalisation"]) == {"framework", "minmax", "rank"}
    first, second = table[f"weight:use/{CODES[0]}"], table[f"weight:use/{CODES[1]}"]
    for excluded, w1, w2 in zip(table["excluded"], first, second, strict=True):
        assert (w1 == 0) == (excluded == CODES[0])
        assert w1 + w2 == pytest.approx(1.0)  # the node's total is kept
        assert w1 == 0 or w2 == 0 or 0.75 / 1.25 <= w1 / w2 <= 1.25 / 0.75
    assert result.replications_csv().count("\n") == 201
    import json

    summary = json.loads(json.dumps(result.as_dict(replications=True)))
    assert summary["n"] == 200 and len(summary["replications"]["replication"]) == 200
    assert summary["economies"][0]["economy"] == "LEAD"


def test_sobol_indices_are_sane() -> None:
    """First-order indices sum to at most ~1 and total indices are at least the first-order ones."""
    result = analyse(toy_framework(), toy_matrix(), n=600, seed=0, vary=("weights", "normalisation", "aggregation"),
                     sobol=True)
    assert result.sobol is not None
    s1, st, conf = result.sobol["S1"], result.sobol["ST"], result.sobol["ST_conf"]
    assert set(s1) == {"weights", "normalisation", "aggregation"}
    assert result.n >= 600 and result.n % 5 == 0  # N * (3 factors + 2)
    assert -0.1 < sum(s1.values()) < 1.15
    for name in s1:
        assert st[name] >= s1[name] - 0.1 - conf[name]
        assert -0.1 <= st[name] <= 1.3


def test_unknown_factor_is_refused() -> None:
    with pytest.raises(Exception, match="cannot vary"):
        analyse(toy_framework(), toy_matrix(), n=5, vary=("colour",))
    assert FACTORS[0] == "weights"


def test_analyse_reads_a_dataset_for_a_year() -> None:
    """A Dataset goes through Dataset.matrix for the framework's indicators and the year."""
    from datetime import date

    from actionplan.stats.data import Dataset, Observation

    matrix = toy_matrix(12)
    observations = [
        Observation(economy=e, year=2023, indicator=c, value=float(matrix.values[i, j]), recorded_on=date(2024, 1, 1))
        for i, e in enumerate(matrix.economies) for j, c in enumerate(CODES) if not np.isnan(matrix.values[i, j])
    ]
    from_dataset = analyse(toy_framework(), Dataset(observations), 2023, n=50, seed=2)
    from_matrix = analyse(toy_framework(), matrix, n=50, seed=2)
    assert from_dataset.economies == sorted(matrix.economies)
    order = [matrix.economies.index(e) for e in from_dataset.economies]
    np.testing.assert_array_equal(from_dataset.median_rank, from_matrix.median_rank[order])
    with pytest.raises(Exception, match="year"):
        analyse(toy_framework(), Dataset(observations), n=5)
