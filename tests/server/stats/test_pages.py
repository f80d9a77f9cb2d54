"""The statistics pages with the synthetic sample: every page renders, in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def en(client: Client) -> Client:
    client.cookies["actionplan_language"] = "en"
    return client


def _html(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.content[:2000])
    return response.content.decode("utf-8")


def test_index_lists_frameworks_and_labels_the_sample(sample: Any, en: Client) -> None:
    """A new user sees the shipped frameworks, the years with data, and that the data are synthetic."""
    html = _html(en, "/statistics/")
    for name in ("idi-2017", "idi-2023", "gci"):
        assert f"/statistics/frameworks/{name}/" in html
    assert "sample-notice" in html and "Synthetic sample data" in html


def test_ranking_page_has_every_economy_a_rank_interval_and_the_chart(sample: Any, en: Client) -> None:
    """The ranking lists each economy with score, rank, node values and its 5-95 % rank interval."""
    from actionplan.server.stats import results

    html = _html(en, "/statistics/ranking/?framework=idi-2017&year=2017")
    ranked = results.ranking("idi-2017", 2017)
    assert len(ranked.result.economies) == 35
    for economy in ranked.result.economies:
        assert f"/statistics/economy/{economy}/" in html
    assert 'data-vega-spec="chart-rank-interval-spec"' in html
    assert "/statistics/ranking/download.csv?framework=idi-2017" in html
    assert "ICT access sub-index" in html


def test_ranking_in_chinese_shows_both_names(sample: Any, client: Client) -> None:
    """In Chinese, economies are named in Chinese with the English name alongside."""
    client.cookies["actionplan_language"] = "zh-hans"
    html = _html(client, "/statistics/ranking/?framework=idi-2017&year=2017")
    assert "中国" in html and "China" in html


def test_map_page_links_countries_to_profiles(sample: Any, en: Client) -> None:
    """The map's spec colours countries by score and links each to its profile."""
    html = _html(en, "/statistics/map/?framework=idi-2023&year=2023")
    assert 'data-vega-spec="chart-map-spec"' in html
    assert "/statistics/economy/CHN/?framework=idi-2023" in html


def test_profile_page_shows_values_interval_and_what_if(sample: Any, en: Client) -> None:
    """A profile has indicator values, the rank interval, and the what-if table."""
    html = _html(en, "/statistics/economy/CHN/?framework=idi-2017&year=2017")
    assert "Percentage of individuals using the Internet" in html or "internet_users_pct" in html
    assert "What would move the score most?" in html
    assert 'data-vega-spec="chart-profile-CHN-spec"' in html
    assert "Rank interval" in html


def test_compare_page_shows_correlations_and_coherence(sample: Any, en: Client) -> None:
    """Comparing two frameworks gives Spearman, Kendall, rank shifts and coherence tables."""
    html = _html(en, "/statistics/compare/?a=idi-2017&b=idi-2023&year=2023")
    assert "Spearman" in html and "Kendall" in html and "Cronbach" in html
    assert 'data-vega-spec="chart-compare-spec"' in html


def test_data_page_filters_and_pages(sample: Any, en: Client) -> None:
    """The observations browser filters by economy and indicator, and offers the exports."""
    html = _html(en, "/statistics/data/?economy=CHN&indicator=internet_users_pct")
    assert "/statistics/data/export.xlsx" in html
    assert html.count("internet_users_pct") >= 10


def test_framework_page_shows_yaml(sample: Any, en: Client) -> None:
    """A framework page shows its YAML and structure; no edit form for the public."""
    html = _html(en, "/statistics/frameworks/idi-2017/")
    assert "ICT access sub-index" in html and "min_coverage" in html
    assert 'name="content"' not in html


def test_unknown_framework_year_or_economy_is_404(sample: Any, en: Client) -> None:
    _html(en, "/statistics/ranking/?framework=nope", 404)
    _html(en, "/statistics/ranking/?framework=idi-2017&year=1990", 404)
    _html(en, "/statistics/economy/ZZZ/?framework=idi-2017&year=2017", 404)
    _html(en, "/statistics/ranking/?framework=idi-2017&as_of=yesterday", 400)


def test_pages_work_without_data(db: None, en: Client) -> None:
    """Before any import the index says how to load data, and rankings are 404 with that advice."""
    html = _html(en, "/statistics/")
    assert "load-sample" in html
    _html(en, "/statistics/ranking/", 404)


def test_ranking_as_of_a_date_uses_the_data_of_that_date(sample: Any, en: Client) -> None:
    """Before the first release of a year's data the year has no ranking; after it, it has one,
    computed on the vintages of that date (the revisions of the sample come later)."""
    from datetime import date

    from actionplan.server.stats import results, store

    _html(en, "/statistics/ranking/?framework=idi-2017&year=2023&as_of=2024-01-01", 404)
    html = _html(en, "/statistics/ranking/?framework=idi-2017&year=2023&as_of=2024-07-01")
    assert "Data as they stood on 2024-07-01" in html
    old = results.ranking("idi-2017", 2023, date(2024, 7, 1)).result
    assert old.economies == results.ranking("idi-2017", 2023, date(2025, 1, 1)).result.economies
    assert store.effective(date(2024, 7, 1)) == date(2024, 6, 30)
    assert store.effective(date(2100, 1, 1)) is None
