"""ITU-D regions: six non-empty, disjoint regions of known countries covering the membership.

Independent facts used here: the ITU has 193 Member States; ITU-D places Egypt in the Arab
States, China in Asia-Pacific, Russia in the CIS, Brazil in the Americas, Germany in Europe and
Nigeria in Africa; Palestine is an observer (Resolution 99), not a member.
"""

from __future__ import annotations

import pytest

from actionplan.errors import NotFoundError, ValidationError
from actionplan.registry import (
    countries,
    itu_d_region,
    itu_member_states,
    region,
    regions,
    resolve_region_name,
)
from actionplan.registry.regions import parse_regions


def test_there_are_six_non_empty_regions():
    """AFR, AMS, ARB, ASP, CIS, EUR, each with members and a name in both languages."""
    assert [r.code for r in regions()] == ["AFR", "AMS", "ARB", "ASP", "CIS", "EUR"]
    for r in regions():
        assert r.members, r.code
        assert r.name["en"] and r.name["zh"]


def test_regions_do_not_overlap():
    """No country is in two regions (members and observers together)."""
    seen: dict[str, str] = {}
    for r in regions():
        for iso3 in r.members | r.observers:
            assert iso3 not in seen, f"{iso3} in {seen.get(iso3)} and {r.code}"
            seen[iso3] = r.code


def test_every_region_member_is_a_known_country():
    """Every ISO3 in the regions exists in the country-codes CSV."""
    known = {c.iso3 for c in countries()}
    for r in regions():
        assert r.members | r.observers <= known, r.code


@pytest.mark.parametrize(
    ("iso3", "code"),
    [
        ("CHN", "ASP"),
        ("RUS", "CIS"),
        ("EGY", "ARB"),
        ("BRA", "AMS"),
        ("DEU", "EUR"),
        ("NGA", "AFR"),
        ("MAR", "ARB"),
        ("SOM", "ARB"),
        ("IRN", "ASP"),
        ("ISR", "EUR"),
        ("MNG", "ASP"),
        ("VAT", "EUR"),
    ],
)
def test_known_examples(iso3, code):
    """Well-known placements, including the Arab States of Africa and Iran/Israel."""
    assert itu_d_region(iso3) == code
    assert iso3 in region(code).members


def test_palestine_is_an_observer_of_the_arab_region_not_a_member():
    """Palestine is served by the Arab region but is not an ITU Member State."""
    arb = region("ARB")
    assert "PSE" in arb.observers and "PSE" not in arb.members
    assert itu_d_region("PSE") == "ARB"
    assert "PSE" not in itu_member_states()


def test_non_members_are_in_no_region():
    """Palau (UN, not ITU) and Hong Kong (an economy, not a member) have no region."""
    assert itu_d_region("PLW") is None
    assert itu_d_region("HKG") is None


def test_itu_membership_has_193_states():
    """The independently derived membership has 193 Member States, incl. VAT, excl. PLW."""
    states = itu_member_states()
    assert len(states) == 193
    assert "VAT" in states and "PLW" not in states


def test_report_itu_member_states_in_no_region():
    """Every ITU Member State is in a region; the ones that are not are listed here."""
    in_a_region = {iso3 for r in regions() for iso3 in r.members}
    unplaced = sorted(itu_member_states() - in_a_region)
    not_members = sorted(in_a_region - itu_member_states())
    print(f"ITU Member States in no ITU-D region: {unplaced or 'none'}")
    print(f"Region members that are not ITU Member States: {not_members or 'none'}")
    assert unplaced == [], f"ITU Member States in no region: {unplaced}"
    assert not_members == [], f"not ITU Member States: {not_members}"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("非洲区域", "AFR"),
        ("Africa", "AFR"),
        ("Americas region", "AMS"),
        ("the Americas", "AMS"),
        ("阿拉伯国家区域", "ARB"),
        ("Arab States", "ARB"),
        ("亚太区域", "ASP"),
        ("Asia and the Pacific", "ASP"),
        ("Asia-Pacific", "ASP"),
        ("Asia & Pacific", "ASP"),
        ("独联体区域", "CIS"),
        ("CIS", "CIS"),
        ("Commonwealth of Independent States", "CIS"),
        ("欧洲区域", "EUR"),
        ("Europe region", "EUR"),
        ("asp", "ASP"),
        ("Oceania", None),
        ("", None),
    ],
)
def test_resolve_region_name(text, code):
    """Region names in English or Chinese, with or without 'region'/'区域', map to codes."""
    assert resolve_region_name(text) == code


def test_region_lookup_by_name_and_unknown_region():
    """region() accepts names; an unknown region raises NotFoundError."""
    assert region("亚太区域").code == "ASP"
    with pytest.raises(NotFoundError):
        region("Oceania")


def test_malformed_region_file_names_every_problem():
    """Unknown ISO3, a country in two regions and a bad code are reported together."""
    data = {
        "regions": [
            {"code": "AFR", "name": {"en": "Africa", "zh": "非洲"}, "members": ["NGA", "QQQ"]},
            {"code": "EUR", "name": {"en": "Europe", "zh": "欧洲"}, "members": ["NGA"]},
            {"code": "XYZ", "name": {"en": "?", "zh": "?"}, "members": ["DEU"]},
        ]
    }
    with pytest.raises(ValidationError) as info:
        parse_regions(data, "itu_d_regions.yaml", known_iso3={"NGA", "DEU"})
    message = str(info.value)
    assert info.value.where == "itu_d_regions.yaml"
    assert "QQQ is not in" in message
    assert "NGA is also in AFR" in message
    assert "regions[2].code" in message
