"""Vega-Lite specs of the statistics pages: rank intervals, framework comparison, an economy's scores.

Like :mod:`actionplan.render.charts`, every spec carries its data inline, so the page
draws it with vega-embed and the PNG/SVG downloads render the very same spec on the
server (:func:`actionplan.render.charts.to_png` / ``to_svg``). Maps come from
:func:`actionplan.render.maps.country_map_spec`.
"""

from __future__ import annotations

from typing import Any

from actionplan.render.charts import SCHEMA

FONT = "Noto Sans CJK SC, sans-serif"


def _en(lang: str) -> bool:
    return not lang.startswith("zh")


def _config() -> dict[str, Any]:
    return {"font": FONT, "view": {"stroke": None}}


def rank_interval_spec(rows: list[dict[str, Any]], lang: str, title: str, href: str | None = None) -> dict[str, Any]:
    """Each economy's rank (dot), median rank (tick) and 5-95 % rank interval (bar), best first.

    ``rows`` have ``economy``, ``name``, ``rank``, ``median_rank``, ``p5_rank``, ``p95_rank``;
    ``href`` is a URL template with ``{economy}`` (the economy's profile).
    """
    en = _en(lang)
    values = [dict(r, href=href.format(economy=r["economy"])) if href else dict(r) for r in rows
              if r.get("rank") is not None]
    order = [r["name"] for r in sorted(values, key=lambda r: (r["rank"], r["economy"]))]
    y = {"field": "name", "type": "nominal", "sort": order, "title": "Economy" if en else "经济体",
         "axis": {"labelLimit": 160}}
    x_title = "Rank (5-95 % interval)" if en else "排名（5-95 %区间）"
    tooltip = [
        {"field": "name", "title": "Economy" if en else "经济体"},
        {"field": "rank", "title": "Rank" if en else "排名"},
        {"field": "median_rank", "title": "Median rank" if en else "排名中位数"},
        {"field": "p5_rank", "title": "5 %"},
        {"field": "p95_rank", "title": "95 %"},
    ]
    point: dict[str, Any] = {"mark": {"type": "point", "filled": True, "color": "#00507a", "size": 36},
                             "encoding": {"x": {"field": "rank", "type": "quantitative"}, "tooltip": tooltip}}
    if href:
        point["encoding"]["href"] = {"field": "href", "type": "nominal"}
        point["mark"]["cursor"] = "pointer"
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": f"{title}: rank and 5-95 % rank interval of {len(values)} economies",
        "data": {"values": values},
        "encoding": {"y": y},
        "layer": [
            {"mark": {"type": "rule", "color": "#8fb3c9", "strokeWidth": 4},
             "encoding": {"x": {"field": "p5_rank", "type": "quantitative", "title": x_title,
                                "scale": {"reverse": False, "domainMin": 1}},
                          "x2": {"field": "p95_rank"}, "tooltip": tooltip}},
            {"mark": {"type": "tick", "color": "#7a4f00", "thickness": 2},
             "encoding": {"x": {"field": "median_rank", "type": "quantitative"}, "tooltip": tooltip}},
            point,
        ],
        "width": 560,
        "height": {"step": 12},
        "config": _config(),
    }


def compare_spec(rows: list[dict[str, Any]], lang: str, title: str, label_a: str, label_b: str,
                 href: str | None = None) -> dict[str, Any]:
    """Rank under framework A (x) against rank under B (y), one dot per economy, and the diagonal.

    Dots above the diagonal rank worse under B. ``rows`` have ``economy``, ``name``,
    ``rank_a``, ``rank_b``, ``shift``; ``href`` is a URL template with ``{economy}``.
    """
    en = _en(lang)
    values = [dict(r, href=href.format(economy=r["economy"])) if href else dict(r) for r in rows
              if r.get("rank_a") is not None and r.get("rank_b") is not None]
    top = max([1.0] + [max(r["rank_a"], r["rank_b"]) for r in values])
    tooltip = [
        {"field": "name", "title": "Economy" if en else "经济体"},
        {"field": "rank_a", "title": label_a},
        {"field": "rank_b", "title": label_b},
        {"field": "shift", "title": "Shift (A - B)" if en else "名次变化（A - B）"},
    ]
    dots: dict[str, Any] = {
        "data": {"values": values},
        "mark": {"type": "point", "filled": True, "size": 40, "opacity": 0.8},
        "encoding": {
            "x": {"field": "rank_a", "type": "quantitative", "title": f"{'Rank' if en else '排名'}: {label_a}",
                  "scale": {"domain": [1, top]}},
            "y": {"field": "rank_b", "type": "quantitative", "title": f"{'Rank' if en else '排名'}: {label_b}",
                  "scale": {"domain": [1, top]}},
            "color": {"field": "shift", "type": "quantitative", "scale": {"scheme": "redblue", "domainMid": 0},
                      "title": "Shift" if en else "名次变化"},
            "tooltip": tooltip,
        },
    }
    if href:
        dots["encoding"]["href"] = {"field": "href", "type": "nominal"}
        dots["mark"]["cursor"] = "pointer"
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": f"{title}: ranks of {len(values)} economies under {label_a} and {label_b}",
        "layer": [
            {"data": {"values": [{"a": 1, "b": 1}, {"a": top, "b": top}]},
             "mark": {"type": "line", "color": "#9aa3a8", "strokeDash": [4, 4]},
             "encoding": {"x": {"field": "a", "type": "quantitative"}, "y": {"field": "b", "type": "quantitative"}}},
            dots,
        ],
        "width": 420,
        "height": 420,
        "config": _config(),
    }


def scores_spec(rows: list[dict[str, Any]], lang: str, title: str) -> dict[str, Any]:
    """One economy's normalised indicator scores as bars (0 = worst reference, top = best).

    ``rows`` have ``label`` (the indicator's name) and ``normalised``.
    """
    en = _en(lang)
    values = [r for r in rows if r.get("normalised") is not None]
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": f"{title}: normalised scores of {len(values)} indicators",
        "data": {"values": values},
        "mark": {"type": "bar", "color": "#00507a"},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "sort": None, "title": "Indicator" if en else "指标",
                  "axis": {"labelLimit": 260}},
            "x": {"field": "normalised", "type": "quantitative",
                  "title": "Normalised score" if en else "归一化得分"},
            "tooltip": [{"field": "label", "title": "Indicator" if en else "指标"},
                        {"field": "normalised", "title": "Normalised score" if en else "归一化得分",
                         "format": ".3f"}],
        },
        "width": 420,
        "height": {"step": 18},
        "config": _config(),
    }
