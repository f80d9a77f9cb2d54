"""Vega-Lite charts of traceability matrices, and their server-side PNG/SVG rendering.

The same spec is embedded in a page (vega-embed draws it in the browser) and rendered on
the server by vl-convert for the PNG and SVG downloads, so the file a user downloads is
the chart they saw. Specs carry their data inline: a chart is one self-contained object.
"""

from __future__ import annotations

from typing import Any

from actionplan.model import text_of
from actionplan.trace.matrix import Matrix

VEGA_LITE_VERSION = "6.4"  # the vendored vega-lite is 6.4.x; vl-convert renders the same version
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"

AXIS_TITLES = {
    "sdg_goals": ("SDG goal", "可持续发展目标"),
    "sdg_targets": ("SDG target", "可持续发展具体目标"),
    "wsis": ("WSIS action line", "WSIS行动方针"),
    "pp_resolutions": ("PP resolution", "全权代表大会决议"),
    "wtdc_resolutions": ("WTDC resolution", "WTDC决议"),
}


def heatmap_spec(m: Matrix, lang: str, title: str, cell_href: str | None = None) -> dict[str, Any]:
    """A heatmap of ``m``: outputs down, codes across, colour = number of references.

    ``cell_href`` is a URL template with ``{col}`` (and optionally ``{row}``); clicking a
    cell follows it (Vega-Lite's ``href`` channel), e.g. to drill from a goal to its targets.
    """
    en = not lang.startswith("zh")
    x_title = AXIS_TITLES.get(m.name, (m.name, m.name))[0 if en else 1]
    values = []
    for c in m.cells:
        row: dict[str, Any] = {
            "output": c.row,
            "code": c.col,
            "value": c.value,
            "basis": c.basis,
            "output_title": text_of(m.row_labels.get(c.row, {}), "en" if en else "zh"),
            "code_title": text_of(m.col_labels.get(c.col, {}), "en" if en else "zh"),
        }
        if cell_href:
            row["href"] = cell_href.format(col=c.col, row=c.row)
        values.append(row)
    encoding: dict[str, Any] = {
        "x": {"field": "code", "type": "ordinal", "sort": m.cols, "title": x_title, "axis": {"labelAngle": 0}},
        "y": {"field": "output", "type": "ordinal", "sort": m.rows, "title": "Output" if en else "输出成果"},
        "color": {
            "field": "value",
            "type": "quantitative",
            "title": "references" if en else "引用数",
            "scale": {"scheme": "blues", "domainMin": 0},
        },
        "tooltip": [
            {"field": "output", "title": "Output" if en else "输出成果"},
            {"field": "output_title", "title": "title" if en else "名称"},
            {"field": "code", "title": x_title},
            {"field": "code_title", "title": "title" if en else "名称"},
            {"field": "value", "title": "references" if en else "引用数"},
            {"field": "basis", "title": "basis" if en else "依据"},
        ],
    }
    if cell_href:
        encoding["href"] = {"field": "href", "type": "nominal"}
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": f"{title}: {len(m.rows)} outputs by {len(m.cols)} codes",
        "data": {"values": values},
        "mark": {"type": "rect", "stroke": "#ffffff", "cursor": "pointer" if cell_href else "default"},
        "encoding": encoding,
        "width": {"step": 22 if len(m.cols) > 20 else 34},
        "height": {"step": 20},
        "config": {"font": "Noto Sans CJK SC, sans-serif", "view": {"stroke": None}},
    }


def to_svg(spec: dict[str, Any]) -> str:
    import vl_convert as vlc

    return str(vlc.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION))


def to_png(spec: dict[str, Any], scale: float = 2) -> bytes:
    import vl_convert as vlc

    return bytes(vlc.vegalite_to_png(spec, vl_version=VEGA_LITE_VERSION, scale=scale))
