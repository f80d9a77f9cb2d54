"""The indicator database: catalogue, vintages, matrix and validation (actionplan.stats.data)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from actionplan.registry import countries
from actionplan.registry._data import ReferenceDataError
from actionplan.stats.data import (
    AGGREGATES,
    Dataset,
    IndicatorDef,
    Observation,
    aggregates,
    load_catalogue,
    parse_catalogue,
    validate,
)

ITU_CODES = [
    "fixed_telephone_per100", "mobile_cellular_per100", "intl_bandwidth_per_user", "households_computer_pct",
    "households_internet_pct", "internet_users_pct", "fixed_broadband_per100", "mobile_broadband_per100",
    "mean_years_schooling", "secondary_gross_enrolment", "tertiary_gross_enrolment", "pop_coverage_3g_pct",
    "pop_coverage_4g_pct", "mobile_traffic_per_sub", "fixed_traffic_per_sub",
    "price_mobile_data_voice_high_pct_gni", "price_fixed_broadband_pct_gni", "mobile_phone_owners_pct",
    "gni_per_capita_usd", "price_fixed_telephone_usd", "price_mobile_cellular_usd", "price_fixed_broadband_usd",
    "price_mobile_data_usd", "price_mobile_data_voice_high_usd",
]


def obs(economy: str, year: int, value: float, indicator: str = "internet_users_pct",
        recorded_on: date = date(2024, 6, 30), **kw: object) -> Observation:
    return Observation(economy=economy, year=year, indicator=indicator, value=value, recorded_on=recorded_on,
                       **kw)  # type: ignore[arg-type]


def test_catalogue_defines_every_itu_indicator_in_both_languages() -> None:
    """Every indicator the brief names is in itu.yaml with zh and en names, a unit and a definition."""
    catalogue = load_catalogue()
    for code in ITU_CODES:
        definition = catalogue[code]
        assert definition.name["zh"] and definition.name["en"]
        assert definition.unit and definition.definition["en"]
    assert catalogue["internet_users_pct"].itu_code == "i99H"
    assert catalogue["internet_users_pct"].max == 100
    assert catalogue["price_fixed_broadband_usd"].higher_is_better is False


def test_catalogue_reports_every_bad_entry_and_duplicate_codes() -> None:
    """A malformed catalogue file names each bad entry; a code defined twice is an error."""
    good = "indicators:\n  - {code: a, name: {en: A, zh: 甲}, unit: '%'}\n"
    bad = "indicators:\n  - {code: a, name: {en: A, zh: 甲}, unit: '%'}\n  - {code: b, name: {en: B}}\n"
    with pytest.raises(ReferenceDataError) as info:
        parse_catalogue({"one.yaml": good, "two.yaml": bad})
    message = str(info.value)
    assert "two.yaml" in message and "a is also defined in one.yaml" in message
    assert "indicators[1].name" in message and "indicators[1].unit" in message


def test_catalogue_accepts_a_plain_string_definition() -> None:
    text = "indicators:\n  - {code: a, name: {en: A, zh: 甲}, unit: '%', definition: Just text}\n"
    assert parse_catalogue({"x.yaml": text})["a"].definition == {"en": "Just text"}


def test_aggregate_codes_do_not_collide_with_iso3() -> None:
    iso3 = {c.iso3 for c in countries()}
    assert not set(aggregates()) & iso3
    assert set(AGGREGATES) <= set(aggregates()) and "ASP" in aggregates()


def test_as_of_keeps_the_latest_vintage_recorded_on_or_before_the_date() -> None:
    """Revisions are kept; as_of gives the data as it stood on a date."""
    data = Dataset([
        obs("CHN", 2022, 70.0, recorded_on=date(2023, 6, 30)),
        obs("CHN", 2022, 73.0, recorded_on=date(2024, 6, 30)),
        obs("CHN", 2023, 76.0, recorded_on=date(2024, 6, 30)),
        obs("FRA", 2022, 85.0, recorded_on=date(2023, 6, 30)),
    ])
    before = data.as_of(date(2024, 1, 1))
    assert {(o.economy, o.year): o.value for o in before.observations} == {("CHN", 2022): 70.0, ("FRA", 2022): 85.0}
    assert data.as_of(date(2024, 6, 30)).get("CHN", "internet_users_pct", 2022).value == 73.0  # type: ignore[union-attr]
    assert len(data.latest()) == 3
    assert data.as_of(date(2020, 1, 1)).observations == ()
    assert data.vintages() == [date(2023, 6, 30), date(2024, 6, 30)]
    assert data.years() == [2022, 2023] and data.economies() == ["CHN", "FRA"]


def test_matrix_gives_nan_for_gaps_and_can_take_the_latest_available_year() -> None:
    data = Dataset([
        obs("CHN", 2023, 77.0),
        obs("CHN", 2023, 5.0, indicator="fixed_broadband_per100"),
        obs("FRA", 2021, 85.0),
        obs("FRA", 2020, 84.0),
        obs("USA", 2023, 90.0, recorded_on=date(2024, 1, 1)),
        obs("USA", 2023, 91.0, recorded_on=date(2025, 1, 1)),
    ])
    codes = ["internet_users_pct", "fixed_broadband_per100"]
    economies, values, years = data.matrix(codes, 2023)
    assert economies == ["CHN", "USA"]
    np.testing.assert_array_equal(values, [[77.0, 5.0], [91.0, np.nan]])
    np.testing.assert_array_equal(years, [[2023, 2023], [2023, np.nan]])
    economies, values, years = data.matrix(codes, 2023, latest_available=True)
    assert economies == ["CHN", "FRA", "USA"]
    assert values[1, 0] == 85.0 and years[1, 0] == 2021
    _, values, _ = data.matrix(codes, 2023, latest_available=True, max_age=1)
    assert values.shape == (2, 2)  # FRA's 2021 value is too old
    economies, values, _ = data.matrix(codes, 2023, economies=["DEU", "CHN"])
    assert economies == ["DEU", "CHN"] and np.isnan(values[0]).all()


def test_validate_reports_every_error_with_its_place() -> None:
    """Unknown economy and indicator, out of range, unit mismatch and bad flags are all errors at once."""
    batch = [
        obs("XYZ", 2023, 50.0, origin="data.csv row 2"),
        obs("CHN", 2023, 50.0, indicator="nope", origin="data.csv row 3"),
        obs("CHN", 2023, 120.0, origin="data.csv row 4"),
        obs("FRA", 2023, 80.0, unit="per 100 inhabitants", origin="data.csv row 5"),
        obs("DEU", 2023, 80.0, flags=("Q",), origin="data.csv row 6"),
        obs("WLD", 2023, 67.0, unit="%"),
        obs("ITA", 2023, 80.0, origin="data.csv row 8"),
        obs("ITA", 2023, 81.0, origin="data.csv row 9"),
    ]
    problems = validate(batch, load_catalogue())
    found = {(p.rule, p.where) for p in problems}
    assert found == {
        ("unknown-economy", "data.csv row 2, column economy"),
        ("unknown-indicator", "data.csv row 3, column indicator"),
        ("out-of-range", "data.csv row 4, column value"),
        ("unit-mismatch", "data.csv row 5, column unit"),
        ("unknown-flag", "data.csv row 6, column flags"),
        ("conflicting-duplicate", "data.csv row 9, column value"),
    }
    assert all(p.severity == "error" for p in problems)
    assert "120 is outside 0 to 100" in str(next(p for p in problems if p.rule == "out-of-range"))


def test_validate_warns_of_implausible_jumps_in_the_batch_and_against_previous_data() -> None:
    """Percentages warn beyond 20 points; other units beyond 50 % relative change."""
    previous = Dataset([obs("CHN", 2021, 40.0), obs("CHN", 2021, 100.0, indicator="gni_per_capita_usd")])
    batch = [
        obs("CHN", 2022, 65.0),  # +25 points against previous -> warning
        obs("CHN", 2023, 70.0),  # +5 points -> fine
        obs("CHN", 2022, 140.0, indicator="gni_per_capita_usd"),  # +40 % -> fine
        obs("CHN", 2023, 250.0, indicator="gni_per_capita_usd"),  # +79 % -> warning
    ]
    problems = validate(batch, load_catalogue(), previous)
    assert [(p.severity, p.rule, p.indicator, p.year) for p in problems] == [
        ("warning", "jump", "internet_users_pct", 2022),
        ("warning", "jump", "gni_per_capita_usd", 2023),
    ]
    assert "+25.0 points" in problems[0].message


def test_indicator_def_requires_both_names() -> None:
    with pytest.raises(ValueError):
        IndicatorDef(code="x", name={"en": "X"}, unit="%")


def test_sdmx_unit_codes_match_catalogue_units() -> None:
    problems = validate([obs("CHN", 2023, 50.0, unit="PT"), obs("CHN", 2023, 5.0, indicator="fixed_broadband_per100",
                                                                 unit="PER_100")], load_catalogue())
    assert problems == []


def test_history_lists_every_vintage() -> None:
    data = Dataset([obs("CHN", 2022, 73.0, recorded_on=date(2024, 6, 30)),
                    obs("CHN", 2022, 70.0, recorded_on=date(2023, 6, 30))])
    assert [o.value for o in data.history("CHN", "internet_users_pct", 2022)] == [70.0, 73.0]
    assert data.get("CHN", "internet_users_pct", 2022).value == 73.0  # type: ignore[union-attr]
