"""Traceability pages: heatmaps (Vega-Lite), drill-down, downloads (PNG, SVG, CSV), coverage."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.http.response import HttpResponseBase
from django.test import Client
from lxml import etree

from actionplan import registry
from actionplan.model import Plan

Parse = Callable[[HttpResponseBase], Any]

pytestmark = pytest.mark.django_db

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def expected_links(plan: Plan, name: str) -> set[tuple[str, str]]:
    """(output, code) pairs of a matrix, computed from the references directly."""
    pairs: set[tuple[str, str]] = set()
    for out in plan.all_outputs():
        refs = out.references
        if name == "pp_resolutions":
            pairs |= {(out.number, str(n)) for n in refs.pp_resolutions}
        elif name == "wtdc_resolutions":
            pairs |= {(out.number, str(n)) for n in refs.wtdc_resolutions}
        elif name == "wsis":
            codes = [w.code for w in registry.wsis_lines()] if refs.all_wsis_action_lines else refs.wsis_action_lines
            pairs |= {(out.number, c) for c in codes}
        elif name == "sdg_goals":
            goals = {str(g) for g in refs.sdg_goals} | {t.split(".")[0] for t in refs.sdg_targets}
            if refs.all_sdgs:
                goals |= {str(g.number) for g in registry.sdg_goals()}
            pairs |= {(out.number, g) for g in goals}
    return pairs


def csv_rows(response: HttpResponseBase) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["sdg_goals", "wsis", "pp_resolutions", "wtdc_resolutions"])
def test_matrix_csv_has_one_row_per_output_code_link(client: Client, stored: Plan, name: str) -> None:
    response = client.get(f"/trace/{name}/data.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    pairs = [(r["output"], r["code"]) for r in rows]
    assert len(pairs) == len(set(pairs)), "one row per link"
    assert set(pairs) == expected_links(stored, name)


def test_sdg_target_csv_of_goal_9(client: Client, stored: Plan) -> None:
    rows = csv_rows(client.get("/trace/sdg/9/data.csv"))
    pairs = {(r["output"], r["code"]) for r in rows}
    explicit = {(o.number, t) for o in stored.all_outputs() for t in o.references.sdg_targets if t.startswith("9.")}
    assert explicit <= pairs
    assert ("2.1", "9.c") in pairs
    assert {code for _o, code in pairs} <= {t.code for t in registry.sdg_targets(9)}


def test_png_download_is_a_png(client: Client, stored: Plan) -> None:
    response = client.get("/trace/sdg_goals/chart.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(PNG_SIGNATURE)
    assert 'filename="baap-1-sdg_goals.png"' in response["Content-Disposition"]


def test_svg_download_parses_as_svg(client: Client, stored: Plan) -> None:
    response = client.get("/trace/wsis/chart.svg")
    assert response.status_code == 200
    root = etree.fromstring(response.content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_page_embeds_the_same_spec_the_downloads_render(client: Client, stored: Plan, parse: Parse) -> None:
    """The JSON block for vega-embed equals spec.json; the chart names itself for screen readers."""
    html = client.get("/trace/").content.decode()
    page = parse(client.get("/trace/"))
    blocks = [a for a in page.all("script") if a.get("type") == "application/json"]
    assert [b["id"] for b in blocks] == [
        f"chart-{n}-spec" for n in ("sdg_goals", "wsis", "pp_resolutions", "wtdc_resolutions")
    ]
    embedded = html.split('id="chart-wsis-spec" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(embedded) == json.loads(client.get("/trace/wsis/spec.json").content)
    charts = [a for a in page.all("div") if a.get("data-vega-spec")]
    assert len(charts) == 4
    assert all(c.get("role") == "img" and c.get("aria-label") for c in charts)
    for name in ("sdg_goals", "wsis"):
        for fmt in ("chart.png", "chart.svg", "data.csv"):
            assert f"/trace/{name}/{fmt}" in page.links


def test_goal_cells_drill_down_to_the_targets_of_the_goal(client: Client, stored: Plan, parse: Parse) -> None:
    spec = json.loads(client.get("/trace/sdg_goals/spec.json?version=baap@1").content)
    assert spec["encoding"]["href"]["field"] == "href"
    hrefs = {row["code"]: row["href"] for row in spec["data"]["values"]}
    assert hrefs["9"] == "/trace/sdg/9/?version=baap%401"
    page = parse(client.get("/trace/sdg/9/"))
    assert "/trace/sdg/9/chart.png" in page.links
    target_spec = json.loads(client.get("/trace/sdg/9/spec.json").content)
    assert {row["href"] for row in target_spec["data"]["values"]} >= {"/sdg/9/9.c/"}


def test_coverage_lists_what_no_output_cites(client: Client, stored: Plan, parse: Parse) -> None:
    cited_wsis = {c for o in stored.all_outputs() for c in o.references.wsis_action_lines}
    uncited_wsis = [w.code for w in registry.wsis_lines() if w.code not in cited_wsis]
    cited_targets = {t for o in stored.all_outputs() for t in o.references.sdg_targets}
    uncited_targets = [t.code for t in registry.sdg_targets() if t.code not in cited_targets]
    page = parse(client.get("/trace/"))
    for code in uncited_wsis:
        assert f"/wsis/{code}/" in page.links
    for code in uncited_targets:
        assert f"/sdg/{code.split('.')[0]}/{code}/" in page.links
    assert f"{len(cited_targets & {t.code for t in registry.sdg_targets()})}" in page.text


@pytest.mark.parametrize("url", ["/trace/sdg/18/", "/trace/sdg/0/data.csv", "/trace/nonsense/data.csv"])
def test_unknown_matrices_are_404(client: Client, stored: Plan, url: str) -> None:
    assert client.get(url).status_code == 404
