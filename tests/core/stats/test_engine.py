"""The engine: every normalisation, imputation and aggregation option on tiny hand-computed inputs,
publication ties, batch evaluation, and the IDI 2017 worked by hand."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from actionplan.stats.aggregate import ARITHMETIC, GEOMETRIC, HARMONIC, aggregate, arithmetic, geometric, harmonic
from actionplan.stats.engine import (
    IndicatorMatrix,
    compile_framework,
    compute,
    load_matrix,
    publication_ranks,
    round_half_up,
)
from actionplan.stats.framework import FRAMEWORKS_DIR, NormaliseSpec, Transform, framework_from_dict, load_framework
from actionplan.stats.impute import impute_group, impute_hot_deck, impute_latest
from actionplan.stats.normalise import (
    distance_to_target,
    fractional_rank,
    goalposts,
    normalise_column,
    ratio,
    zscore,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "stats"
NAN = np.nan


# -- normalisation ----------------------------------------------------------------------


def test_ratio_to_reference_is_capped_at_one() -> None:
    """IDI 2017: 30 fixed lines per 100 against the reference 60 is 0.5; 90 is capped at 1."""
    assert ratio(np.array([30.0, 90.0, NAN]), 60).tolist()[:2] == [0.5, 1.0]
    assert np.isnan(ratio(np.array([NAN]), 60)[0])
    # inverted (a price): half the reference scores 1 (capped), twice the reference 0.5
    assert ratio(np.array([5.0, 20.0]), 10, invert=True).tolist() == [1.0, 0.5]
    assert ratio(np.array([90.0]), 60, cap=False)[0] == 1.5


def test_log10_transform_applies_to_the_reference_value_too() -> None:
    """Bandwidth 21,582.12 bit/s against 2,158,212: log10 4.3341 / 6.3341 = 0.68425."""
    spec = NormaliseSpec(method="ratio", reference=2158212)
    got = normalise_column(np.array([21582.12, 2158212.0, 0.0]), spec, Transform(log10=True))
    expected = np.log10(21582.12) / np.log10(2158212)
    assert got[0] == pytest.approx(expected)
    assert got[0] == pytest.approx(0.68425, abs=1e-5)
    assert got[1] == 1.0
    assert np.isnan(got[2])  # log of zero is missing


def test_goalposts_min_max_with_inversion_and_clipping() -> None:
    """(x - lo) / (hi - lo) clipped to [0, 1]; inverted, the lower goalpost scores 1."""
    assert goalposts(np.array([0.0, 25.0, 100.0, 120.0]), 0, 100).tolist() == [0.0, 0.25, 1.0, 1.0]
    assert goalposts(np.array([2.0, 13.5, 25.0, 1.0]), 2, 25, invert=True).tolist() == [1.0, 0.5, 0.0, 1.0]
    spec = NormaliseSpec(method="goalposts", lower=0, upper=100, scale=100)
    assert normalise_column(np.array([42.0]), spec)[0] == pytest.approx(42.0)


def test_zscore_uses_population_standard_deviation() -> None:
    """[1, 2, 3]: mean 2, sd sqrt(2/3) = 0.8165: z = -1.2247, 0, 1.2247."""
    z = zscore(np.array([1.0, 2.0, 3.0, NAN]))
    assert z[:3] == pytest.approx([-1.224745, 0.0, 1.224745], abs=1e-6)
    assert np.isnan(z[3])
    assert zscore(np.array([1.0, 3.0]), invert=True).tolist() == [1.0, -1.0]


def test_rank_is_fractional_with_average_ties() -> None:
    """[10, 20, 20, 40]: ranks 1, 2.5, 2.5, 4 over n = 4."""
    assert fractional_rank(np.array([10.0, 20.0, 20.0, 40.0])).tolist() == [0.25, 0.625, 0.625, 1.0]
    assert fractional_rank(np.array([10.0, 40.0]), invert=True).tolist() == [1.0, 0.5]


def test_distance_to_target_from_the_worst_observed_value() -> None:
    """Target 80 from the minimum 20: 50 -> 0.5, 80 and above -> 1."""
    assert distance_to_target(np.array([20.0, 50.0, 90.0]), 80).tolist() == [0.0, 0.5, 1.0]
    assert distance_to_target(np.array([50.0]), 80, lower=0)[0] == pytest.approx(0.625)
    # prices: target 2 %, the worst observed 10 %: 6 % is halfway
    assert distance_to_target(np.array([10.0, 6.0, 1.0]), 2, invert=True).tolist() == [0.0, 0.5, 1.0]


def test_cap_transform_clips_before_normalising() -> None:
    spec = NormaliseSpec(method="none")
    assert normalise_column(np.array([-5.0, 50.0, 500.0]), spec, Transform(cap_min=0, cap_max=100)).tolist() == [
        0.0,
        50.0,
        100.0,
    ]


# -- imputation -----------------------------------------------------------------------


def test_group_mean_and_median_fill_from_the_same_group() -> None:
    x = np.array([1.0, 3.0, 8.0, NAN, 10.0, NAN])
    groups = ["a", "a", "a", "a", "b", "c"]
    filled, mask = impute_group(x, groups, "mean")
    assert filled[3] == 4.0  # mean of 1, 3, 8
    assert np.isnan(filled[5])  # group c has no observed value
    assert mask.tolist() == [False, False, False, True, False, False]
    assert impute_group(x, groups, "median")[0][3] == 3.0
    assert impute_group(x, None, "mean")[0][3] == pytest.approx(22 / 4)


def test_latest_available_respects_max_age() -> None:
    x = np.array([NAN, NAN, 5.0])
    earlier = np.array([40.0, 30.0, 1.0])
    years = np.array([2014.0, 2010.0, 2015.0])
    filled, mask = impute_latest(x, earlier, years, 2016, max_age=3)
    assert filled[0] == 40.0 and np.isnan(filled[1]) and filled[2] == 5.0
    assert mask.tolist() == [True, False, False]


def test_hot_deck_copies_the_most_similar_economy() -> None:
    """Row 2 resembles row 0 on the other indicators, so it takes row 0's value."""
    x = np.array([10.0, 90.0, NAN])
    others = np.array([[1.0, 100.0], [9.0, 900.0], [1.2, 110.0]])
    filled, mask = impute_hot_deck(x, others)
    assert filled[2] == 10.0 and mask[2]
    assert impute_hot_deck(x, others, donors=2)[0][2] == 50.0


# -- aggregation ----------------------------------------------------------------------


def test_arithmetic_geometric_harmonic_by_hand() -> None:
    """Values 1 and 4 with weights 1/2: arithmetic 2.5, geometric 2, harmonic 1.6."""
    v = np.array([1.0, 4.0])
    w = np.array([0.5, 0.5])
    assert arithmetic(v, w) == pytest.approx(2.5)
    assert geometric(v, w) == pytest.approx(2.0)
    assert harmonic(v, w) == pytest.approx(1.6)
    # unequal weights: 0.25*1 + 0.75*4 = 3.25; 1**0.25 * 4**0.75 = 2.828427; 1/(0.25/1+0.75/4) = 2.285714
    w2 = np.array([0.25, 0.75])
    assert arithmetic(v, w2) == pytest.approx(3.25)
    assert geometric(v, w2) == pytest.approx(2.828427, abs=1e-6)
    assert harmonic(v, w2) == pytest.approx(2.285714, abs=1e-6)
    assert geometric(np.array([0.0, 4.0]), w) == 0.0
    assert harmonic(np.array([0.0, 4.0]), w) == 0.0
    assert np.isnan(geometric(np.array([-1.0, 4.0]), w))


def test_missing_child_renormalises_weights_unless_coverage_too_low() -> None:
    """[NaN, 4, 6] with weights 0.5/0.25/0.25: mean of 4 and 6 = 5; covered weight 0.5.
    Weights are used as given: three printed weights 0.33 on [3, 6, 9] give 0.33 * 18 = 5.94."""
    assert arithmetic(np.array([3.0, 6.0, 9.0]), np.array([0.33, 0.33, 0.33])) == pytest.approx(5.94)
    assert arithmetic(np.array([3.0, NAN, 9.0]), np.array([0.33, 0.33, 0.33])) == pytest.approx(5.94)
    v = np.array([NAN, 4.0, 6.0])
    w = np.array([0.5, 0.25, 0.25])
    assert arithmetic(v, w) == 5.0
    assert arithmetic(v, w, min_coverage=0.5) == 5.0
    assert np.isnan(arithmetic(v, w, min_coverage=0.6))
    assert np.isnan(arithmetic(np.array([NAN, NAN]), np.array([0.5, 0.5])))


def test_method_may_differ_per_replication() -> None:
    v = np.array([[1.0, 4.0]])  # one economy
    methods = np.array([[ARITHMETIC], [GEOMETRIC], [HARMONIC]])  # three replications
    got = aggregate(np.broadcast_to(v, (3, 1, 2)), np.array([0.5, 0.5]), methods)
    assert got[:, 0] == pytest.approx([2.5, 2.0, 1.6])


# -- frameworks end to end ------------------------------------------------------------


def _xaa_matrix() -> IndicatorMatrix:
    fw = load_framework("idi-2017")
    values = {
        "fixed_telephone_per100": 30,
        "mobile_cellular_per100": 120,
        "intl_bandwidth_per_user": 2158212,
        "households_computer_pct": 50,
        "households_internet_pct": 50,
        "internet_users_pct": 60,
        "fixed_broadband_per100": 30,
        "mobile_broadband_per100": 70,
        "mean_years_schooling": 12,
        "secondary_gross_enrolment": 90,
        "tertiary_gross_enrolment": 40,
    }
    codes = fw.indicator_codes
    return IndicatorMatrix(["XAA"], codes, np.array([[values[c] for c in codes]], dtype=float))


def test_idi_2017_worked_by_hand_with_exact_and_published_weights() -> None:
    """Access 10*(0.5+1+1+0.5+0.5)/5 = 7.0; use 10*(0.6+0.5+0.7)/3 = 6.0; skills 10*(0.8+0.9+0.4)/3 = 7.0;
    IDI = 0.4*7 + 0.4*6 + 0.2*7 = 6.6. With the printed weights 0.33: use 5.94, skills 6.93, IDI 6.562."""
    fw = load_framework("idi-2017")
    exact = compute(fw, _xaa_matrix())
    assert exact.node("access")[0] == pytest.approx(7.0)
    assert exact.node("use")[0] == pytest.approx(6.0)
    assert exact.node("skills")[0] == pytest.approx(7.0)
    assert exact.score_of("XAA") == pytest.approx(6.6)
    published = compute(fw, _xaa_matrix(), weights="published")
    assert published.node("use")[0] == pytest.approx(5.94)
    assert published.node("skills")[0] == pytest.approx(6.93)
    assert published.score_of("XAA") == pytest.approx(6.562)


def test_idi_2017_from_a_csv_file_with_a_missing_indicator() -> None:
    """XCC lacks tertiary enrolment in 2016: skills averages the two others (5.0);
    access 10*(4*0.5 + 0.68425)/5 = 5.3685; IDI = 0.4*5.3685 + 0.4*5 + 0.2*5 = 5.1474."""
    fw = load_framework("idi-2017")
    result = compute(fw, load_matrix(FIXTURES / "idi2017_example.csv", 2016))
    assert result.economies == ["XAA", "XBB", "XCC"]
    assert result.score_of("XAA") == pytest.approx(6.6)
    assert result.score_of("XBB") == pytest.approx(10.0)
    assert result.score_of("XCC") == pytest.approx(5.1474, abs=1e-4)
    assert result.ranks.tolist() == [2, 1, 3]
    rows = result.rows()
    assert [r["economy"] for r in rows] == ["XBB", "XAA", "XCC"]
    assert set(rows[0]) >= {"economy", "score", "rank", "idi", "access", "use", "skills", "data_coverage", "excluded"}


def _variant(**changes: Any) -> Any:
    data = yaml.safe_load((FRAMEWORKS_DIR / "idi-2017.yaml").read_text(encoding="utf-8"))
    for path, value in changes.items():
        target = data
        *head, last = path.split("__")
        for key in head:
            target = target[int(key)] if key.isdigit() else target[key]
        target[int(last) if last.isdigit() else last] = value
    return framework_from_dict(data, "variant.yaml")


def test_different_aggregators_at_the_same_level() -> None:
    """Access geometric, use harmonic, skills arithmetic, in one framework."""
    fw = _variant(nodes__1__aggregation="geometric", nodes__2__aggregation="harmonic")
    r = compute(fw, _xaa_matrix())
    access = 10 * (0.5 * 1 * 1 * 0.5 * 0.5) ** 0.2
    use = 10 / ((1 / 0.6 + 1 / 0.5 + 1 / 0.7) / 3)
    assert r.node("access")[0] == pytest.approx(access)
    assert r.node("use")[0] == pytest.approx(use)
    assert r.node("skills")[0] == pytest.approx(7.0)
    assert r.score_of("XAA") == pytest.approx(0.4 * access + 0.4 * use + 0.2 * 7.0)


def test_latest_year_imputation_through_the_framework() -> None:
    """With 'latest' on tertiary enrolment, XCC takes its 2015 value (50): skills 5.0 all three."""
    data = yaml.safe_load((FRAMEWORKS_DIR / "idi-2017.yaml").read_text(encoding="utf-8"))
    data["indicators"][10]["impute"] = {"method": "latest", "max_age": 2}
    fw = framework_from_dict(data, "variant.yaml")
    result = compute(fw, load_matrix(FIXTURES / "idi2017_example.csv", 2016))
    i = result.economies.index("XCC")
    assert result.imputed[i, result.codes.index("tertiary_gross_enrolment")]
    assert result.datasets["imputed"][i, result.codes.index("tertiary_gross_enrolment")] == 50.0


def test_economies_below_minimum_coverage_are_excluded() -> None:
    """gci needs 80 % of its 20 items: an economy answering 15 is excluded, with its coverage."""
    fw = load_framework("gci")
    codes = fw.indicator_codes
    full = np.ones(len(codes))
    partial = np.ones(len(codes))
    partial[:5] = np.nan
    m = IndicatorMatrix(["XAA", "XBB"], codes, np.vstack([full, partial]))
    r = compute(fw, m)
    assert r.score_of("XAA") == pytest.approx(100.0)
    assert np.isnan(r.score_of("XBB")) and np.isnan(r.ranks[1])
    assert r.excluded == {"XBB": 0.75}


def test_gci_pillars_score_twenty_points_each() -> None:
    """One pillar with answers 1, 0.5, 0, 1 scores 20 * 2.5/4 = 12.5; the others full: 92.5."""
    fw = load_framework("gci")
    codes = fw.indicator_codes
    values = np.ones(len(codes))
    values[:4] = [1, 0.5, 0, 1]
    r = compute(fw, IndicatorMatrix(["XAA"], codes, values[None]))
    assert r.node("legal")[0] == pytest.approx(12.5)
    assert r.score_of("XAA") == pytest.approx(92.5)


# -- ranks ---------------------------------------------------------------------------


def test_equal_rounded_scores_share_a_rank_and_the_next_skips() -> None:
    """8.981 and 8.979 both print 8.98: ranks 1, 1, 3; on unrounded scores 1, 2, 3."""
    s = np.array([8.981, 8.979, 8.5, NAN])
    r = publication_ranks(s, 2)
    assert r[:3].tolist() == [1, 1, 3] and np.isnan(r[3])
    assert publication_ranks(s, 2, ties="unrounded")[:3].tolist() == [1, 2, 3]
    assert round_half_up(np.array([8.745, 2.5]), [2, 0][0])[0] == 8.75
    assert publication_ranks(np.array([[1.0, 2.0], [2.0, 1.0]]), 2).tolist() == [[2, 1], [1, 2]]


def test_published_idi_2017_scores_rank_in_published_order_with_shared_ties() -> None:
    """The printed IDI 2017 values (176 economies, in published order) get non-decreasing ranks,
    and every run of equal printed values shares one rank."""
    with (FIXTURES / "idi2017_scores.csv").open(encoding="latin-1") as fh:
        rows = list(csv.DictReader(fh))
    scores = np.array([float(r["IDI"]) for r in rows])
    ranks = publication_ranks(scores, 2)
    assert len(rows) == 176 and ranks[0] == 1
    assert np.all(np.diff(ranks) >= 0)
    for a, b, ra, rb in zip(scores, scores[1:], ranks, ranks[1:], strict=False):
        assert (ra == rb) == (a == b)
    # ranks skip after a tie: the number of economies ranked above equals rank - 1
    for i, r in enumerate(ranks):
        assert r - 1 == np.sum(scores > scores[i])


# -- array-level API --------------------------------------------------------------------


def test_batch_evaluation_matches_one_by_one() -> None:
    """cf.evaluate with B weight vectors and methods equals B single evaluations."""
    fw = load_framework("idi-2017")
    cf = compile_framework(fw)
    matrix = load_matrix(FIXTURES / "idi2017_example.csv", 2016).select(list(cf.codes))
    norm = cf.normalise(matrix.values)
    rng = np.random.default_rng(7)
    b = 25
    weights = cf.normalise_weights(cf.weights[None, :] * rng.uniform(0.5, 1.5, size=(b, len(cf.edges))))
    for idx in cf.node_edges:
        np.testing.assert_allclose(weights[:, idx].sum(axis=1), 1.0)
    methods = rng.integers(0, 3, size=(b, len(cf.nodes)))
    batch = cf.evaluate(norm, weights, methods, chunk=7)
    assert batch.shape == (b, 3, len(cf.nodes))
    for k in range(b):
        single = cf.evaluate(norm, weights[k], methods[k])
        np.testing.assert_allclose(batch[k], single)
    assert cf.scores(norm).shape == (3,)
    assert cf.scores(norm, weights).shape == (b, 3)
    assert cf.nodes[-1] == cf.root == "idi"
    np.testing.assert_allclose(cf.scores(norm), compute(fw, matrix).scores)


def test_published_weight_vector_and_method_override() -> None:
    cf = compile_framework(load_framework("idi-2017"))
    assert cf.weight_vector("published")[cf.edges.index(("use", "internet_users_pct"))] == 0.33
    assert set(cf.method_vector("geometric").tolist()) == {GEOMETRIC}


def test_batched_kernel_agrees_with_the_element_wise_means() -> None:
    """aggregate_batch (matrix products) equals aggregate on broadcast arrays, with gaps, zeros and negatives."""
    from actionplan.stats.aggregate import aggregate_batch

    rng = np.random.default_rng(3)
    values = rng.uniform(0, 2, size=(1, 6, 4))
    values[0, 0, 1] = NAN
    values[0, 1, :] = NAN
    values[0, 2, 2] = 0.0
    values[0, 3, 0] = -0.5
    weights = rng.uniform(0.1, 1, size=(5, 4))
    for code in (ARITHMETIC, GEOMETRIC, HARMONIC):
        fast = aggregate_batch(values, weights, code, 0.3)
        slow = aggregate(np.broadcast_to(values, (5, 6, 4)), weights[:, None, :], code, 0.3)
        np.testing.assert_allclose(fast, slow, equal_nan=True)
    mixed = np.array([0, 1, 2, 1, 0])
    np.testing.assert_allclose(
        aggregate_batch(values, weights, mixed),
        aggregate(np.broadcast_to(values, (5, 6, 4)), weights[:, None, :], mixed[:, None]),
        equal_nan=True,
    )


def test_a_batch_of_normalised_matrices_is_evaluated_per_replication() -> None:
    """normalised (B, E, I): replication b uses matrix b (e.g. alternative imputations)."""
    cf = compile_framework(load_framework("idi-2017"))
    matrix = load_matrix(FIXTURES / "idi2017_example.csv", 2016).select(list(cf.codes))
    norm = cf.normalise(matrix.values)
    halved = norm / 2
    scores = cf.scores(np.stack([norm, halved]))
    np.testing.assert_allclose(scores[1], scores[0] / 2)
    assert cf.normalise_weights(cf.weights * 3) == pytest.approx(cf.weights)


def test_group_mean_by_itu_d_region_by_default_or_by_a_given_grouping(tmp_path: Path) -> None:
    """Egypt's missing value takes the mean of the other Arab-region economies (Algeria, Morocco: 50 and 70),
    not France's; with a groups file, the grouping named in the framework comes from the file."""
    data = yaml.safe_load((FRAMEWORKS_DIR / "idi-2017.yaml").read_text(encoding="utf-8"))
    data["indicators"][5]["impute"] = {"method": "group_mean", "group": "region"}
    fw = framework_from_dict(data, "variant.yaml")
    codes = fw.indicator_codes
    values = np.full((4, len(codes)), 50.0)
    j = codes.index("internet_users_pct")
    values[:, j] = [50.0, NAN, 70.0, 90.0]
    m = IndicatorMatrix(["DZA", "EGY", "MAR", "FRA"], codes, values)
    r = compute(fw, m)
    assert r.datasets["imputed"][1, j] == 60.0 and r.imputed[1, j]
    groups = tmp_path / "groups.csv"
    groups.write_text("economy,region\nDZA,a\nEGY,b\nMAR,a\nFRA,b\n", encoding="utf-8")
    from actionplan.stats.engine import read_groups

    m.groups = read_groups(groups, m.economies)
    assert compute(fw, m).datasets["imputed"][1, j] == 90.0


def test_an_economy_with_only_older_data_is_listed_and_excluded_for_coverage(tmp_path: Path) -> None:
    """XDD reported only in 2014: it is a row with coverage 0, excluded when min_coverage > 0;
    with 'latest' imputation on every indicator (max_age 2) it gets XAA-like values back."""
    rows = ["economy,year,indicator,value"]
    fw = load_framework("idi-2017")
    xaa = _xaa_matrix()
    for code, value in zip(xaa.codes, xaa.values[0], strict=True):
        rows.append(f"XAA,2016,{code},{value}")
        rows.append(f"XDD,2014,{code},{value}")
    path = tmp_path / "d.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    data = yaml.safe_load((FRAMEWORKS_DIR / "idi-2017.yaml").read_text(encoding="utf-8"))
    data["min_coverage"] = 0.5
    strict = compute(framework_from_dict(data, "v.yaml"), load_matrix(path, 2016))
    assert strict.economies == ["XAA", "XDD"] and strict.excluded == {"XDD": 0.0}
    for spec in data["indicators"]:
        spec["impute"] = {"method": "latest", "max_age": 2}
    data["min_coverage"] = 0.0
    lenient = compute(framework_from_dict(data, "v.yaml"), load_matrix(path, 2016))
    assert lenient.score_of("XDD") == pytest.approx(6.6)
    assert compute(fw, load_matrix(path, 2016)).ranks.tolist()[0] == 1


def test_regen_with_one_edited_argument_gives_a_variant() -> None:
    """COINr's regen: change the access aggregator and a reference value, recompute from the same input."""
    base = compute(load_framework("idi-2017"), _xaa_matrix())
    geo = base.regen({"nodes.access.aggregation": "geometric"})
    assert geo.node("access")[0] == pytest.approx(10 * (0.5 * 1 * 1 * 0.5 * 0.5) ** 0.2)
    ref = base.regen({"indicators.fixed_telephone_per100.normalise.reference": 30})
    assert ref.node("access")[0] == pytest.approx(10 * (1 + 1 + 1 + 0.5 + 0.5) / 5)
    assert base.regen(weights="published").score_of("XAA") == pytest.approx(6.562)
    from actionplan.errors import ValidationError

    with pytest.raises(ValidationError, match=r"nodes\.nowhere"):
        base.regen({"nodes.nowhere.aggregation": "geometric"})
    with pytest.raises(ValidationError, match="weights sum to"):
        base.regen({"nodes.idi.weights": {"access": 0.5, "use": 0.5, "skills": 0.5}})
