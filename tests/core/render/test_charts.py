"""The heatmap spec is valid Vega-Lite: vl-convert renders it to SVG and PNG."""

from __future__ import annotations

from lxml import etree

from actionplan.model import Plan
from actionplan.render.charts import heatmap_spec, to_png, to_svg
from actionplan.trace.matrix import matrix


def test_heatmap_renders_on_the_server_with_drill_down_links(seed_plan: Plan) -> None:
    m = matrix(seed_plan, "sdg_goals")
    spec = heatmap_spec(m, "en", "Outputs by SDG goal", cell_href="/trace/sdg/{col}/")
    assert len(spec["data"]["values"]) == len(m.cells)
    assert {v["href"] for v in spec["data"]["values"] if v["code"] == "9"} == {"/trace/sdg/9/"}
    svg = to_svg(spec)
    root = etree.fromstring(svg.encode())
    assert root.tag.endswith("svg")
    assert "Outputs by SDG goal" in svg
    png = to_png(spec)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_chinese_labels_in_zh(seed_plan: Plan) -> None:
    spec = heatmap_spec(matrix(seed_plan, "wsis"), "zh", "输出成果 × WSIS行动方针")
    assert spec["encoding"]["x"]["title"] == "WSIS行动方针"
    first = spec["data"]["values"][0]
    assert first["output_title"] == seed_plan.output(first["output"]).title["zh"]  # type: ignore[union-attr]
