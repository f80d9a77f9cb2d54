"""Vega-Lite charts of indicator figures: trend, target vs actual, disaggregations, maps.

Each chart of a report is stored as :class:`~actionplan.monitor.report.ChartData` (its
points, no language) and drawn here in Chinese or English, so the web page (vega-embed),
the Word file (PNG by vl-convert) and the PDF (SVG by vl-convert) show the same chart.
Specs carry their data inline, as the traceability heatmaps do
(:mod:`actionplan.render.charts`): one self-contained object, drawable without network.

The labels a chart needs (series, statuses, disaggregation categories, units) are here
too, in both languages, because the report renderers print the same words in tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from actionplan.model.plan import Text
from actionplan.monitor.records import CODE_LISTS, GROUP, NOT_APPLICABLE
from actionplan.monitor.report import DIMENSION_NAMES, ChartData, ChartPoint, ReportData
from actionplan.monitor.values import Progress, Status, Value
from actionplan.registry import country
from actionplan.render._labels import REGIONS, objective_label, shown, two_lang
from actionplan.render.charts import SCHEMA
from actionplan.render.maps import country_map_spec, region_map_spec

__all__ = [
    "CATEGORY_LABELS",
    "SERIES_LABELS",
    "STATUS_COLOURS",
    "STATUS_LABELS",
    "UNIT_LABELS",
    "category_label",
    "chart_spec",
    "chart_title",
    "disaggregation_spec",
    "format_number",
    "report_chart_specs",
    "status_label",
    "target_actual_spec",
    "trend_spec",
    "unit_label",
]

FONT = "Noto Sans CJK SC, sans-serif"

SERIES_LABELS: dict[str, Text] = {
    "actual": {"zh": "实际值", "en": "Actual"},
    "target": {"zh": "目标值", "en": "Target"},
    "baseline": {"zh": "基线", "en": "Baseline"},
    "expected": {"zh": "预期值", "en": "Expected"},
}

STATUS_LABELS: dict[str, Text] = {
    Status.on_track.value: {"zh": "进展顺利", "en": "On track"},
    Status.at_risk.value: {"zh": "存在风险", "en": "At risk"},
    Status.off_track.value: {"zh": "偏离目标", "en": "Off track"},
    Status.no_data.value: {"zh": "无数据", "en": "No data"},
}

STATUS_COLOURS: dict[str, str] = {
    Status.on_track.value: "#1a7f37",
    Status.at_risk.value: "#9a6700",
    Status.off_track.value: "#cf222e",
    Status.no_data.value: "#6e7781",
}
"""Status colours with at least 4.5:1 contrast on white (text and badges)."""

KIND_LABELS: dict[str, Text] = {
    "trend": {"zh": "趋势", "en": "Trend"},
    "target_actual": {"zh": "目标值与实际值", "en": "Target vs actual"},
    "achievement": {"zh": "各指标实际值占年度目标值的百分比", "en": "Actual as % of the year's target"},
    "disaggregation": {"zh": "按{dim}分列", "en": "By {dim}"},
    "country_map": {"zh": "按国家分布", "en": "By country"},
    "region_map": {"zh": "按ITU-D区域分布", "en": "By ITU-D region"},
}

CATEGORY_LABELS: dict[str, dict[str, Text]] = {
    "sex": {"F": {"zh": "女性", "en": "Women and girls"}, "M": {"zh": "男性", "en": "Men and boys"}},
    "region": {code: dict(names) for code, names in REGIONS.items()},
    "group": {
        code: {"zh": f"{names['zh']}（{code}）", "en": f"{names['en']} ({code})"} for code, names in GROUP.items()
    },
}
"""Labels that read better in a report than the import code lists' own
(:data:`actionplan.monitor.records.CODE_LISTS`, used for every other code)."""

NOT_APPLICABLE_LABELS: dict[str, Text] = {
    "region": {"zh": "无ITU-D区域", "en": "No ITU-D region"},
    "country": {"zh": "无国家（全球性活动）", "en": "No country (global)"},
    "group": {"zh": "不属于任何类别", "en": "In no group"},
    "": {"zh": "不适用", "en": "Not applicable"},
}
"""Names of the ``_Z`` code (no such attribute), which depend on the dimension."""

_KIND_LISTS = ("event_kind", "assistance_kind", "publication_kind", "partner_type")

UNIT_LABELS: dict[str, Text] = {
    "number": {"zh": "数量", "en": "Number"},
    "percent": {"zh": "百分比（%）", "en": "Percent (%)"},
    "ratio": {"zh": "比率", "en": "Ratio"},
    "CHF": {"zh": "瑞士法郎", "en": "CHF"},
    "level (0-4)": {"zh": "级别（0-4）", "en": "Level (0-4)"},
    "yes/no": {"zh": "是/否", "en": "Yes/no"},
    "persons": {"zh": "人数", "en": "Persons"},
    "countries": {"zh": "国家数", "en": "Countries"},
    "partnerships": {"zh": "伙伴关系数", "en": "Partnerships"},
    "publications": {"zh": "出版物数", "en": "Publications"},
    "users": {"zh": "用户数", "en": "Users"},
    "programmes": {"zh": "方案数", "en": "Programmes"},
    "initiatives": {"zh": "举措数", "en": "Initiatives"},
    "toolkits": {"zh": "工具包数", "en": "Toolkits"},
    "reports": {"zh": "报告数", "en": "Reports"},
    "events": {"zh": "活动数", "en": "Events"},
    "resources": {"zh": "资源数", "en": "Resources"},
}
"""Units of the bundled definitions; any other unit is shown as written."""


def _pick(text: Text, lang: str) -> str:
    """A fixed label in ``lang`` (English when missing)."""
    return text.get(two_lang(lang)) or text.get("en") or next(iter(text.values()), "")


def status_label(status: Status | str, lang: str) -> str:
    """The status as a reader sees it: "进展顺利" / "On track"."""
    key = status.value if isinstance(status, Status) else str(status)
    return _pick(STATUS_LABELS.get(key, {"en": key}), lang)


def unit_label(unit: str, lang: str) -> str:
    """The unit's name in ``lang``; an unknown unit is shown as written."""
    return _pick(UNIT_LABELS.get(unit, {"en": unit}), lang)


def category_label(dimension: str, code: str, lang: str) -> str:
    """A disaggregation category's name ("女性" for sex ``F``); the code itself when unknown."""
    entry = CATEGORY_LABELS.get(dimension, {}).get(code) or CODE_LISTS.get(dimension, {}).get(code)
    if entry is None and code == NOT_APPLICABLE:
        entry = NOT_APPLICABLE_LABELS.get(dimension, NOT_APPLICABLE_LABELS[""])
    if entry is None and dimension == "kind":
        entry = next((CODE_LISTS[k][code] for k in _KIND_LISTS if code in CODE_LISTS.get(k, {})), None)
    if entry is None and dimension == "country":
        found = country(code)
        entry = dict(found.name) if found else None
    return _pick(entry, lang) if entry else code


def format_number(value: float | None, lang: str = "en") -> str:
    """A value for a table cell: whole numbers without decimals, others to two; "–" for none."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def chart_title(chart: ChartData, lang: str) -> str:
    """ "3.3.1 – 按性别分列": the indicator number and what the chart shows."""
    kind = _pick(KIND_LABELS[chart.kind], lang)
    if chart.kind == "achievement":  # an objective's chart: ``indicator`` holds the objective's number
        return f"{objective_label(int(chart.indicator), two_lang(lang))} – {kind}"
    if chart.dimension:
        kind = kind.format(dim=_pick(DIMENSION_NAMES.get(chart.dimension, {"en": chart.dimension}), lang))
    return f"{chart.indicator} – {kind}"


def _subtitle(chart: ChartData, lang: str, limit: int = 70) -> str:
    """The indicator's text, shortened to fit above a chart."""
    text = shown(chart.title, two_lang(lang)).text
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _frame(chart: ChartData, lang: str) -> dict[str, Any]:
    """What every chart shares: schema, titles, a description for screen readers, the CJK font."""
    title = chart_title(chart, lang)
    subtitle = _subtitle(chart, lang)
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "subtitle": subtitle, "anchor": "start"} if subtitle else title,
        "description": f"{title}. {subtitle}",
        "config": {"font": FONT, "view": {"stroke": None}},
    }


def _rows(points: Sequence[ChartPoint], lang: str, dimension: str | None = None) -> list[dict[str, Any]]:
    """Inline data rows with the series and category names already in ``lang``."""
    return [
        {
            "x": p.x,
            "x_label": category_label(dimension, p.x, lang) if dimension else p.x,
            "series": p.series,
            "series_label": _pick(SERIES_LABELS.get(p.series, {"en": p.series}), lang),
            "value": p.value,
            "value_text": format_number(p.value, lang),
        }
        for p in points
    ]


def trend_spec(chart: ChartData, lang: str) -> dict[str, Any]:
    """Actual by year (solid line) and target (dashed), with the baseline as a grey rule."""
    y_title = unit_label(chart.unit, lang)
    rows = [r for r in _rows(chart.points, lang) if r["value"] is not None]
    order = [_pick(SERIES_LABELS[s], lang) for s in ("actual", "target")]
    line: dict[str, Any] = {
        "data": {"values": rows},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {
                "field": "x",
                "type": "ordinal",
                "title": "年份" if two_lang(lang) == "zh" else "Year",
                "axis": {"labelAngle": 0},
            },
            "y": {"field": "value", "type": "quantitative", "title": y_title},
            "color": {
                "field": "series_label",
                "type": "nominal",
                "title": None,
                "sort": order,
                "scale": {"range": ["#0b5cad", "#b35900"]},
            },
            "strokeDash": {
                "field": "series_label",
                "type": "nominal",
                "sort": order,
                "legend": None,
                "scale": {"range": [[1, 0], [5, 3]]},
            },
            "tooltip": [
                {"field": "x", "title": "年份" if two_lang(lang) == "zh" else "Year"},
                {"field": "series_label", "title": " "},
                {"field": "value_text", "title": y_title},
            ],
        },
    }
    layers = [line]
    if chart.baseline is not None:
        label = f"{_pick(SERIES_LABELS['baseline'], lang)} {format_number(chart.baseline, lang)}"
        layers.insert(
            0,
            {
                "data": {"values": [{"baseline": chart.baseline, "label": label}]},
                "layer": [
                    {
                        "mark": {"type": "rule", "color": "#6e7781", "strokeDash": [2, 2]},
                        "encoding": {"y": {"field": "baseline", "type": "quantitative"}},
                    },
                    {
                        "mark": {"type": "text", "align": "left", "dx": 4, "dy": -6, "color": "#57606a"},
                        "encoding": {
                            "y": {"field": "baseline", "type": "quantitative"},
                            "x": {"value": 0},
                            "text": {"field": "label"},
                        },
                    },
                ],
            },
        )
    return _frame(chart, lang) | {"width": 360, "height": 200, "layer": layers}


def target_actual_spec(chart: ChartData, lang: str) -> dict[str, Any]:
    """Target and actual side by side for each year, so a shortfall is visible at a glance."""
    y_title = unit_label(chart.unit, lang)
    order = [_pick(SERIES_LABELS[s], lang) for s in ("target", "actual")]
    return _frame(chart, lang) | {
        "width": 360,
        "height": 200,
        "data": {"values": _rows(chart.points, lang)},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {
                "field": "x",
                "type": "ordinal",
                "title": "年份" if two_lang(lang) == "zh" else "Year",
                "axis": {"labelAngle": 0},
            },
            "xOffset": {"field": "series_label", "type": "nominal", "sort": order},
            "y": {"field": "value", "type": "quantitative", "title": y_title},
            "color": {
                "field": "series_label",
                "type": "nominal",
                "title": None,
                "sort": order,
                "scale": {"range": ["#9ecae1", "#0b5cad"]},
            },
            "tooltip": [
                {"field": "x", "title": "年份" if two_lang(lang) == "zh" else "Year"},
                {"field": "series_label", "title": " "},
                {"field": "value_text", "title": y_title},
            ],
        },
    }


def disaggregation_spec(chart: ChartData, lang: str) -> dict[str, Any]:
    """Horizontal bars, one per category of the disaggregation, labelled in ``lang``."""
    dim = chart.dimension or ""
    rows = _rows(chart.points, lang, dim)
    dim_title = _pick(DIMENSION_NAMES.get(dim, {"en": dim}), lang)
    x_title = unit_label(chart.unit, lang)
    return _frame(chart, lang) | {
        "width": 360,
        "height": {"step": 22},
        "data": {"values": rows},
        "mark": {"type": "bar", "color": "#0b5cad"},
        "encoding": {
            "y": {"field": "x_label", "type": "nominal", "title": dim_title, "sort": [r["x_label"] for r in rows]},
            "x": {"field": "value", "type": "quantitative", "title": x_title},
            "tooltip": [{"field": "x_label", "title": dim_title}, {"field": "value_text", "title": x_title}],
        },
    }


def _map_spec(chart: ChartData, lang: str) -> dict[str, Any]:
    """A world map of the chart's values by country (ISO3) or by ITU-D region."""
    values = {p.x: p.value for p in chart.points if p.value is not None}
    make = country_map_spec if chart.kind == "country_map" else region_map_spec
    spec = make(values, lang, chart_title(chart, lang), unit_label(chart.unit, lang))
    subtitle = _subtitle(chart, lang)
    spec["title"] = {"text": spec["title"], "subtitle": subtitle, "anchor": "start"}
    spec["width"], spec["height"] = 520, 270
    return spec


def achievement_spec(chart: ChartData, lang: str) -> dict[str, Any]:
    """One bar per indicator: actual as % of the year's target, coloured by status, 100 % marked."""
    zh = two_lang(lang) == "zh"
    rows = [
        {
            "indicator": p.x,
            "value": min(p.value or 0.0, 300.0),
            "value_text": f"{format_number(p.value, lang)} %",
            "status": _pick(STATUS_LABELS.get(p.series, {"en": p.series}), lang),
        }
        for p in chart.points
    ]
    statuses = [_pick(STATUS_LABELS[s], lang) for s in STATUS_LABELS]
    axis = "占目标值的百分比（%）" if zh else "% of target (capped at 300)"
    return _frame(chart, lang) | {
        "width": 420,
        "height": {"step": 16},
        "layer": [
            {
                "data": {"values": rows},
                "mark": {"type": "bar"},
                "encoding": {
                    "y": {
                        "field": "indicator",
                        "type": "nominal",
                        "title": "指标" if zh else "Indicator",
                        "sort": None,
                    },
                    "x": {"field": "value", "type": "quantitative", "title": axis},
                    "color": {
                        "field": "status",
                        "type": "nominal",
                        "title": None,
                        "scale": {"domain": statuses, "range": [STATUS_COLOURS[s] for s in STATUS_LABELS]},
                    },
                    "tooltip": [
                        {"field": "indicator", "title": "指标" if zh else "Indicator"},
                        {"field": "value_text", "title": axis},
                        {"field": "status", "title": "状态" if zh else "Status"},
                    ],
                },
            },
            {
                "data": {"values": [{"x": 100}]},
                "mark": {"type": "rule", "strokeDash": [4, 3]},
                "encoding": {"x": {"field": "x", "type": "quantitative"}},
            },
        ],
    }


_BUILDERS = {
    "achievement": achievement_spec,
    "trend": trend_spec,
    "target_actual": target_actual_spec,
    "disaggregation": disaggregation_spec,
    "country_map": _map_spec,
    "region_map": _map_spec,
}


def chart_spec(chart: ChartData, lang: str) -> dict[str, Any]:
    """The Vega-Lite spec of any report chart in ``lang`` (zh or en)."""
    return _BUILDERS[chart.kind](chart, lang)


def report_chart_specs(data: ReportData, lang: str) -> dict[str, list[dict[str, Any]]]:
    """Every chart of a report as specs, by indicator number (for a page to embed)."""
    return {row.id: [chart_spec(c, lang) for c in row.charts] for row in data.rows()}


def progress_chart(indicator: str, progress: Sequence[Progress], text: Text, unit: str = "number") -> ChartData:
    """A trend chart straight from progress records, for pages that have no report."""
    ordered = sorted((p for p in progress if p.indicator == indicator), key=lambda p: p.year)
    points = [ChartPoint(x=str(p.year), series="actual", value=p.actual) for p in ordered]
    points += [ChartPoint(x=str(p.year), series="target", value=p.target) for p in ordered if p.target is not None]
    baseline = next((p.baseline for p in ordered if p.baseline is not None), None)
    return ChartData(kind="trend", indicator=indicator, title=text, unit=unit, baseline=baseline, points=points)


def values_chart(
    indicator: str, values: Sequence[Value], dimension: str, year: int, text: Text, unit: str = "number"
) -> ChartData:
    """A disaggregation (or map, for country/region) chart straight from computed values."""
    points = [
        ChartPoint(x=v.dims[dimension], value=v.value)
        for v in values
        if v.indicator == indicator and v.year == year and not v.series and set(v.dims) == {dimension}
    ]
    kind = {"country": "country_map", "region": "region_map"}.get(dimension, "disaggregation")
    return ChartData(kind=kind, indicator=indicator, dimension=dimension, title=text, unit=unit, points=points)
