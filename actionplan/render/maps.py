"""World maps as Vega-Lite choropleths: a value per country, or per ITU-D region.

The shapes are Natural Earth's 1:110m countries from the npm package ``world-atlas``
(vendored by ``scripts/vendor-maps`` into ``actionplan/data/maps/``). The TopoJSON is
inlined into every spec instead of referenced by URL, because the same spec is drawn by
vl-convert on the server (no network) and by vega-embed in a page under a strict CSP: a
spec must be one self-contained object, like the other charts of
:mod:`actionplan.render.charts`.

world-atlas identifies a country by its ISO 3166-1 numeric code, which is the UN M49 code
the country registry holds, so values keyed by ISO3 are joined through the registry. A
country without a value is drawn grey, never left out, so a reader sees where data is
missing rather than a hole in the map.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from actionplan.registry import countries, itu_d_region, regions
from actionplan.render._labels import two_lang
from actionplan.render.charts import SCHEMA

__all__ = [
    "ATLAS_FILE",
    "NO_DATA_COLOUR",
    "atlas_ids",
    "country_map_spec",
    "region_map_spec",
    "value_text",
    "world_topology",
]

ATLAS_FILE = "maps/world-atlas/countries-110m.json"
NO_DATA_COLOUR = "#d9d9d9"
ANTARCTICA = "010"  # left out: a fifth of the map's area and never in ITU-D data
FONT = "Noto Sans CJK SC, sans-serif"


@cache
def _topology_text() -> str:
    """The vendored TopoJSON as text (read once; specs get their own parsed copy)."""
    parts = ATLAS_FILE.split("/")
    return resources.files("actionplan.data").joinpath(*parts).read_text(encoding="utf-8")


def world_topology() -> dict[str, Any]:
    """A fresh copy of the world-atlas topology, safe for the caller to change."""
    topology: dict[str, Any] = json.loads(_topology_text())
    return topology


@cache
def atlas_ids() -> frozenset[str]:
    """The country ids (ISO 3166 numeric, three digits) that have a shape in the atlas."""
    geometries = json.loads(_topology_text())["objects"]["countries"]["geometries"]
    return frozenset(g["id"] for g in geometries if g.get("id"))



def value_text(value: float | None, lang: str) -> str:
    """A value as the tooltip shows it; "no data" rather than Vega's ``null``."""
    if value is None:
        return "no data" if two_lang(lang) == "en" else "无数据"
    return f"{value:,.4g}" if isinstance(value, float) and not value.is_integer() else f"{value:,.0f}"


def _country_rows(lang: str) -> list[dict[str, Any]]:
    """One row per registry country that has a shape: the join table of every map."""
    code = two_lang(lang)
    ids = atlas_ids()
    rows = []
    for c in countries():
        if c.m49 in ids:
            rows.append({"m49": c.m49, "iso3": c.iso3, "name": c.name.get(code) or c.name["en"]})
    return rows


def _describe(rows: list[dict[str, Any]], parts: list[tuple[str, str]]) -> None:
    """Give each row the text screen readers (and the SVG's aria-label) read for its shape."""
    for row in rows:
        row["label"] = "; ".join(f"{title}: {row[field] or '-'}" for title, field in parts)


def _base_spec(
    rows: list[dict[str, Any]], fields: list[str], title: str, description: str, legend_title: str
) -> dict[str, Any]:
    """The map all choropleths share: shapes, the lookup of ``rows`` by M49, grey for no value."""
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": description,
        "width": 640,
        "height": 330,
        "data": {"values": world_topology(), "format": {"type": "topojson", "feature": "countries"}},
        "transform": [
            {"filter": f"datum.id !== '{ANTARCTICA}'"},
            {"lookup": "id", "from": {"data": {"values": rows}, "key": "m49", "fields": fields}},
        ],
        "projection": {"type": "equalEarth"},
        "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.4, "invalid": "show"},
        "encoding": {
            "description": {"field": "label", "type": "nominal"},
            "color": {
                "condition": {"test": "!isValid(datum.value)", "value": NO_DATA_COLOUR},
                "field": "value",
                "type": "quantitative",
                "title": legend_title,
                "scale": {"scheme": "blues"},
            },
        },
        "config": {"font": FONT, "view": {"stroke": None}},
    }


def _add_href(spec: dict[str, Any], rows: list[dict[str, Any]], href_template: str | None, **extra: str) -> None:
    """Make each country with a value clickable (Vega-Lite's ``href`` channel)."""
    if not href_template:
        return
    for row in rows:
        if row.get("value") is not None:
            row["href"] = href_template.format(
                iso3=row["iso3"], m49=row["m49"], **{k: row[v] for k, v in extra.items()}
            )
    spec["transform"][1]["from"]["fields"].append("href")
    spec["encoding"]["href"] = {"field": "href", "type": "nominal"}
    spec["mark"]["cursor"] = "pointer"


def country_map_spec(
    values: dict[str, float],
    lang: str,
    title: str,
    value_label: str,
    href_template: str | None = None,
) -> dict[str, Any]:
    """A choropleth of ``values`` keyed by ISO3; countries without a value are grey.

    The tooltip names the country in ``lang`` (zh or en) with its value. ``href_template``
    may use ``{iso3}`` and ``{m49}``, e.g. ``"/monitor/country/{iso3}/"``.
    """
    wanted = {k.upper(): v for k, v in values.items()}
    rows = _country_rows(lang)
    for row in rows:
        row["value"] = wanted.get(row["iso3"])
        row["value_text"] = value_text(row["value"], lang)
    country_title = "Country" if two_lang(lang) == "en" else "国家"
    _describe(rows, [(country_title, "name"), (value_label, "value_text")])
    shown = sum(1 for r in rows if r["value"] is not None)
    spec = _base_spec(
        rows,
        ["iso3", "name", "value", "value_text", "label"],
        title,
        f"{title}: {value_label} for {shown} countries; grey: no data",
        value_label,
    )
    spec["encoding"]["tooltip"] = [
        {"field": "name", "type": "nominal", "title": country_title},
        {"field": "value_text", "type": "nominal", "title": value_label},
    ]
    _add_href(spec, rows, href_template)
    return spec


def region_map_spec(
    values: dict[str, float],
    lang: str,
    title: str,
    value_label: str,
    href_template: str | None = None,
) -> dict[str, Any]:
    """Each country coloured by its ITU-D region's value (``{"AFR": 0.4, ...}``).

    Countries outside the six regions (territories) and regions without a value are grey.
    The tooltip gives the country and its region in ``lang``; ``href_template`` may use
    ``{region}`` (the region code), ``{iso3}`` and ``{m49}``.
    """
    code = two_lang(lang)
    wanted = {k.upper(): v for k, v in values.items()}
    names = {r.code: r.name.get(code) or r.name["en"] for r in regions()}
    rows = _country_rows(lang)
    for row in rows:
        region = itu_d_region(row["iso3"])
        row["region"] = region or ""
        row["region_name"] = names.get(region or "", "")
        row["value"] = wanted.get(region) if region else None
        row["value_text"] = value_text(row["value"], lang)
    en = code == "en"
    region_title = "ITU-D region" if en else "ITU-D区域"
    _describe(rows, [("Country" if en else "国家", "name"), (region_title, "region_name"), (value_label, "value_text")])
    shown = sorted({r["region"] for r in rows if r["value"] is not None})
    spec = _base_spec(
        rows,
        ["iso3", "name", "region", "region_name", "value", "value_text", "label"],
        title,
        f"{title}: {value_label} by ITU-D region ({', '.join(shown) or 'none'}); grey: no data",
        value_label,
    )
    spec["encoding"]["tooltip"] = [
        {"field": "name", "type": "nominal", "title": "Country" if en else "国家"},
        {"field": "region_name", "type": "nominal", "title": region_title},
        {"field": "value_text", "type": "nominal", "title": value_label},
    ]
    _add_href(spec, rows, href_template, region="region")
    return spec
