"""Frameworks are data: the shipped ones load, and broken ones are rejected with the file and field path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from actionplan.errors import NotFoundError, ValidationError
from actionplan.stats.framework import (
    FRAMEWORKS_DIR,
    framework_from_dict,
    load_framework,
    parse_weight,
    shipped_frameworks,
)


def test_every_shipped_framework_loads() -> None:
    """idi-2017, idi-2023 and gci ship and validate."""
    assert {"idi-2017", "idi-2023", "gci"} <= set(shipped_frameworks())
    for name in shipped_frameworks():
        fw = load_framework(name)
        assert fw.id == name
        assert fw.leaves_under(fw.root)


def test_idi_2017_has_eleven_indicators_in_three_weighted_sub_indices() -> None:
    """Access 40 %, use 40 %, skills 20 %; 5 + 3 + 3 indicators with reference values."""
    fw = load_framework("idi-2017")
    assert len(fw.indicators) == 11
    root = fw.node("idi")
    assert root.weights == {"access": 0.4, "use": 0.4, "skills": 0.2}
    assert [len(fw.node(n).children) for n in ("access", "use", "skills")] == [5, 3, 3]
    assert fw.indicator("fixed_telephone_per100").normalise.reference == 60
    assert fw.indicator("mobile_cellular_per100").normalise.reference == 120
    assert fw.indicator("mean_years_schooling").normalise.reference == 15
    assert fw.indicator("intl_bandwidth_per_user").transform.log10
    # exact 1/3 against the printed 0.33
    use = fw.node("use")
    assert use.weight_of("internet_users_pct") == pytest.approx(1 / 3)
    assert use.weight_of("internet_users_pct", published=True) == 0.33


def test_idi_2023_has_two_pillars_and_ten_indicators() -> None:
    """Universal (3) and meaningful (7, with 3G/4G grouped) connectivity; no fixed-broadband subscriptions."""
    fw = load_framework("idi-2023")
    assert fw.node("idi").children == ["universal", "meaningful"]
    assert len(fw.indicators) == 10
    assert "fixed_broadband_per100" not in fw.indicator_codes
    assert fw.leaves_under("coverage") == ["pop_coverage_3g_pct", "pop_coverage_4g_pct"]
    assert fw.indicator("price_fixed_broadband_pct_gni").normalise.invert


def test_gci_has_five_pillars_with_catalogued_items() -> None:
    """Legal, technical, organizational, capacity development, cooperation; every item is in the catalogue."""
    from actionplan.stats.data import load_catalogue

    fw = load_framework("gci")
    assert fw.node("gci").children == ["legal", "technical", "organizational", "capacity", "cooperation"]
    catalogue = load_catalogue()
    for code in fw.indicator_codes:
        assert code.startswith("gci_")
        assert code in catalogue, code
        assert catalogue[code].min == 0 and catalogue[code].max == 1


def test_weights_may_be_written_as_fractions() -> None:
    assert parse_weight("1/3") == pytest.approx(1 / 3)
    assert parse_weight(0.25) == 0.25
    with pytest.raises(ValueError):
        parse_weight("a third")


def _base() -> dict[str, Any]:
    return yaml.safe_load((FRAMEWORKS_DIR / "idi-2017.yaml").read_text(encoding="utf-8"))


def _problems(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as info:
        framework_from_dict(data, "bad.yaml")
    return str(info.value)


def test_unknown_indicator_code_names_file_and_field() -> None:
    data = _base()
    data["indicators"][0]["code"] = "fixed_telephones"
    data["nodes"][1]["children"][0] = "fixed_telephones"
    data["nodes"][1]["weights"]["fixed_telephones"] = data["nodes"][1]["weights"].pop("fixed_telephone_per100")
    data["nodes"][1]["published_weights"]["fixed_telephones"] = data["nodes"][1]["published_weights"].pop(
        "fixed_telephone_per100"
    )
    msg = _problems(data)
    assert "bad.yaml: indicators[0].code: unknown indicator code 'fixed_telephones'" in msg


def test_weights_not_summing_to_one_are_rejected_but_rounded_published_weights_pass() -> None:
    data = _base()
    data["nodes"][0]["weights"] = {"access": 0.4, "use": 0.4, "skills": 0.3}
    msg = _problems(data)
    assert "bad.yaml: nodes[0].weights: weights sum to 1.1, not 1" in msg
    # 0.33 * 3 = 0.99 is within the published tolerance (the shipped file relies on it)
    load_framework("idi-2017")


def test_unknown_aggregator_cycle_and_missing_goalposts_are_all_reported_together() -> None:
    data = _base()
    data["nodes"][1]["aggregation"] = "median"
    msg = _problems(data)
    assert "nodes[1].aggregation" in msg

    data = _base()
    data["nodes"][3]["children"].append("access")  # skills -> access, access is also under idi
    data["nodes"][1]["children"].append("skills")  # access -> skills: a cycle
    data["nodes"][3]["weights"] = None
    data["nodes"][3]["published_weights"] = None
    data["nodes"][1]["weights"] = None
    data["nodes"][1]["published_weights"] = None
    data["indicators"][0]["normalise"] = {"method": "goalposts", "lower": 0}
    msg = _problems(data)
    assert "cycle" in msg
    assert "indicators[0].normalise: method 'goalposts' needs both lower and upper goalposts" in msg


def test_missing_reference_and_dangling_child_are_rejected() -> None:
    data = _base()
    data["indicators"][2]["normalise"] = {"method": "ratio"}
    data["nodes"][2]["children"].append("nowhere")
    msg = _problems(data)
    assert "indicators[2].normalise.reference: method 'ratio' needs a reference value" in msg
    assert "nodes[2].children[3]: 'nowhere' is neither a node nor an indicator" in msg


def test_unknown_framework_name_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        load_framework("idi-1999")
    bad = tmp_path / "x.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"x\.yaml"):
        load_framework(bad)
