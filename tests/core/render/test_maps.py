"""World maps: self-contained specs that vl-convert draws, joined to the country registry."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from lxml import etree

from actionplan.registry import countries, itu_d_region
from actionplan.render.charts import to_svg
from actionplan.render.maps import (
    NO_DATA_COLOUR,
    atlas_ids,
    country_map_spec,
    region_map_spec,
    world_topology,
)


@pytest.fixture(scope="module")
def country_svg() -> str:
    spec = country_map_spec({"CHN": 3.5, "bra": 1.0}, "zh", "测试地图", "数值", href_template="/c/{iso3}/")
    return to_svg(spec)


@pytest.fixture(scope="module")
def region_svg() -> str:
    return to_svg(region_map_spec({"AFR": 0.25, "ASP": 0.75}, "en", "Share by region", "share"))


def _path_fill(svg: str, label_part: str) -> str:
    """The fill of the shape whose aria-label contains ``label_part``."""
    root = etree.fromstring(svg.encode())
    for el in root.iter("{http://www.w3.org/2000/svg}path"):
        if label_part in (el.get("aria-label") or ""):
            return el.get("fill") or ""
    raise AssertionError(f"no shape labelled {label_part!r}")


def test_atlas_is_vendored_with_licence_and_provenance() -> None:
    data = resources.files("actionplan.data") / "maps"
    assert "ISC" in (data / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "Bostock" in (data / "world-atlas" / "LICENSE").read_text(encoding="utf-8")
    assert world_topology()["type"] == "Topology"
    assert len(atlas_ids()) > 170


def test_every_atlas_country_joins_the_registry() -> None:
    """Every shape with an id is a registry country (by M49), so no map value is lost."""
    registry = {c.m49 for c in countries()}
    assert atlas_ids() <= registry
    joinable = [c for c in countries() if c.m49 in atlas_ids()]
    assert len(joinable) == len(atlas_ids())
    spec = country_map_spec({}, "en", "t", "v")
    rows = spec["transform"][1]["from"]["data"]["values"]
    assert {r["m49"] for r in rows} == atlas_ids()


def test_spec_is_self_contained() -> None:
    spec = region_map_spec({"AFR": 1.0}, "zh", "t", "v")
    text = json.dumps(spec)
    assert '"url"' not in text
    assert spec["data"]["format"] == {"type": "topojson", "feature": "countries"}


def test_country_map_colours_valued_countries_and_names_them(country_svg: str) -> None:
    assert etree.fromstring(country_svg.encode()).tag.endswith("svg")
    assert "测试地图" in country_svg
    china = _path_fill(country_svg, "国家: 中国")
    assert china and china != NO_DATA_COLOUR
    assert _path_fill(country_svg, "国家: 法国") == NO_DATA_COLOUR
    assert "国家: 中国; 数值: 3.5" in country_svg
    assert "国家: 法国; 数值: 无数据" in country_svg
    assert "/c/CHN/" in country_svg and "/c/FRA/" not in country_svg


def test_region_map_colours_every_member_by_its_region(region_svg: str) -> None:
    kenya, japan, france = (_path_fill(region_svg, f"Country: {n}") for n in ("Kenya", "Japan", "France"))
    assert itu_d_region("KEN") == "AFR" and itu_d_region("JPN") == "ASP"
    assert kenya != japan and NO_DATA_COLOUR not in (kenya, japan)
    assert france == NO_DATA_COLOUR
    assert "ITU-D region: Africa" in region_svg
