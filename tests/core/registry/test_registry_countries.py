"""Countries: ISO codes, M49 and names in English and Chinese from the country-codes CSV."""

from __future__ import annotations

import pytest

from actionplan.errors import ValidationError
from actionplan.registry import countries, country
from actionplan.registry.countries import COLUMNS, ISO3, parse_countries


def test_country_by_iso3_and_iso2():
    """Lookups accept ISO3 or ISO2 in any case; names come from UNTERM."""
    china = country("CHN")
    assert china is not None
    assert (china.iso3, china.iso2, china.m49) == ("CHN", "CN", "156")
    assert dict(china.name) == {"en": "China", "zh": "中国"}
    assert country("cn") == china
    assert country("XXX") is None


def test_m49_codes_are_three_digits():
    """M49 codes are zero-padded to three digits (Afghanistan is 004)."""
    assert country("AFG").m49 == "004"
    assert all(len(c.m49) == 3 and c.m49.isdigit() for c in countries())


def test_namibia_iso2_is_not_read_as_missing():
    """Namibia's alpha-2 code 'NA' is a code, not a missing value."""
    assert country("NA").iso3 == "NAM"


def test_every_row_has_a_country_and_most_have_chinese_names():
    """The CSV has 249 rows with unique ISO3; UN members have Chinese names."""
    rows = countries()
    assert len(rows) == 249
    assert len({c.iso3 for c in rows}) == 249
    for iso3 in ("CHN", "RUS", "EGY", "BRA", "DEU", "NGA", "CIV", "TUR"):
        assert country(iso3).name.get("zh"), iso3


def _csv(rows: list[dict[str, str]]) -> str:
    lines = [",".join(COLUMNS)]
    lines += [",".join(row.get(column, "") for column in COLUMNS) for row in rows]
    return "\n".join(lines) + "\n"


def test_malformed_csv_reports_every_bad_row():
    """A bad M49 and a duplicate ISO3 are both reported, naming file, row and column."""

    def row(iso3: str, iso2: str, m49: str, name: str) -> dict[str, str]:
        return {ISO3: iso3, "ISO3166-1-Alpha-2": iso2, "M49": m49, "official_name_en": name}

    text = _csv([row("AAA", "AA", "1", "A"), row("BBB", "BB", "x", "B"), row("AAA", "AC", "2", "C")])
    with pytest.raises(ValidationError) as info:
        parse_countries(text, "demo.csv")
    assert info.value.where == "demo.csv"
    assert "row 3 M49" in str(info.value)
    assert "row 4 ISO3166-1-Alpha-3: AAA appears twice" in str(info.value)


def test_missing_column_is_reported():
    """A CSV without a required column fails naming the column."""
    with pytest.raises(ValidationError, match="M49"):
        parse_countries("ISO3166-1-Alpha-3\nAAA\n", "demo.csv")
