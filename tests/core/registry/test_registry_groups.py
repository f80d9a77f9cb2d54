"""LDC / LLDC / SIDS membership with dates of validity.

The dates are independent facts: Vanuatu left the LDC category on 4 December 2020, Bhutan on
13 December 2023, Sao Tome and Principe on 13 December 2024, Equatorial Guinea on 4 June 2017
(UN-OHRLLS / General Assembly resolutions cited in PROVENANCE.md). The snapshot checks re-read
the country-codes CSVs directly.
"""

from __future__ import annotations

import datetime as dt

import pytest

from actionplan.errors import ValidationError
from actionplan.registry import country_groups, group, members
from actionplan.registry.groups import SNAPSHOTS, parse_country_groups, snapshot_flags


def test_vanuatu_was_an_ldc_in_2019_but_not_in_2021():
    """Vanuatu graduated on 2020-12-04; it stays a SIDS throughout."""
    assert country_groups("VUT", dt.date(2019, 6, 1)) == {"LDC", "SIDS"}
    assert country_groups("VUT", dt.date(2021, 6, 1)) == {"SIDS"}


def test_graduation_day_is_the_first_day_outside_the_group():
    """Intervals are half-open: on its graduation date a country is no longer an LDC."""
    assert "LDC" in country_groups("VUT", dt.date(2020, 12, 3))
    assert "LDC" not in country_groups("VUT", dt.date(2020, 12, 4))


def test_bhutan_was_an_ldc_in_2020_but_not_in_2024():
    """Bhutan graduated on 2023-12-13 and remains landlocked (LLDC)."""
    assert country_groups("BTN", dt.date(2020, 6, 1)) == {"LDC", "LLDC"}
    assert country_groups("BTN", dt.date(2024, 6, 1)) == {"LLDC"}


def test_sao_tome_graduated_after_the_latest_snapshot():
    """The 2024-09-25 snapshot still flags STP; it left the LDC list on 2024-12-13."""
    assert "LDC" in country_groups("STP", dt.date(2024, 9, 25))
    assert "LDC" not in country_groups("stp", dt.date(2025, 1, 1))


def test_equatorial_guinea_left_before_the_plan_period():
    """Equatorial Guinea graduated on 2017-06-04, before the 2018-2021 plan."""
    assert "LDC" in country_groups("GNQ", dt.date(2017, 1, 1))
    assert "LDC" not in country_groups("GNQ", dt.date(2018, 1, 1))


def test_ldc_counts_over_the_plan_period():
    """47 LDCs from mid-2017 until Vanuatu left, then 46, 45 after Bhutan, 44 after STP."""
    assert len(members("LDC", dt.date(2018, 1, 1))) == 47
    assert len(members("LDC", dt.date(2021, 6, 1))) == 46
    assert len(members("LDC", dt.date(2024, 6, 1))) == 45
    assert len(members("LDC", dt.date(2025, 1, 1))) == 44
    assert len(members("LLDC", dt.date(2020, 1, 1))) == 32
    assert len(members("SIDS", dt.date(2020, 1, 1))) == 53
    assert members("nope", dt.date(2020, 1, 1)) == set()


@pytest.mark.parametrize("on", sorted(SNAPSHOTS))
def test_memberships_agree_with_the_csv_snapshot_on_its_date(on):
    """On each evidence date the compiled memberships equal the CSV's flags exactly."""
    flags = snapshot_flags(on)
    for code in ("LDC", "LLDC", "SIDS"):
        assert members(code, on) == flags[code], code


def test_every_end_date_cites_a_source():
    """A membership that ends carries the document that ended it."""
    ended = [m for m in group("LDC").memberships if m.valid_to is not None]
    assert {m.iso3 for m in ended} == {"GNQ", "VUT", "BTN", "STP"}
    assert all(m.source for m in ended)


def test_malformed_group_file_names_every_bad_field():
    """Bad dates, unknown countries and overlaps are reported together, naming the fields."""
    data = {
        "groups": {"LDC": {"name": {"en": "Least developed countries"}}},
        "memberships": {
            "LDC": [
                {"iso3": "AAA", "valid_from": None, "valid_to": "soon", "seen": []},
                {"iso3": "ZZZ", "valid_from": None, "valid_to": None},
                {"iso3": "AAA", "valid_from": dt.date(2020, 1, 1), "valid_to": dt.date(2019, 1, 1)},
            ]
        },
    }
    with pytest.raises(ValidationError) as info:
        parse_country_groups(data, "country_groups.yaml", known_iso3={"AAA"})
    message = str(info.value)
    assert info.value.where == "country_groups.yaml"
    assert "memberships.LDC.AAA.valid_to: value is 'soon'" in message
    assert "memberships.LDC.ZZZ.iso3" in message
    assert "is not after" in message
