"""Traceability: heatmaps of outputs against SDGs, WSIS lines and resolutions, and coverage.

Each chart is one Vega-Lite spec (:func:`actionplan.render.charts.heatmap_spec`): the page
embeds it for vega-embed, and the downloads render the same spec on the server (SVG, PNG
with vl-convert) or give the matrix behind it (CSV).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actionplan import registry
from actionplan.errors import ValidationError
from actionplan.render import charts
from actionplan.server.web.current import Current, current, versioned
from actionplan.server.web.texts import ui_lang
from actionplan.server.web.views.base import crumb, home_crumb, page
from actionplan.server.web.views.references import reference
from actionplan.trace.matrix import Matrix, coverage, matrix

TITLES: dict[str, Any] = {
    "sdg_goals": gettext_lazy("Outputs × SDG goals"),
    "wsis": gettext_lazy("Outputs × WSIS action lines"),
    "pp_resolutions": gettext_lazy("Outputs × PP resolutions"),
    "wtdc_resolutions": gettext_lazy("Outputs × WTDC resolutions"),
}
"""The matrices on the traceability page, in order."""

FORMATS = {
    "spec.json": "application/json",
    "chart.svg": "image/svg+xml",
    "chart.png": "image/png",
    "data.csv": "text/csv; charset=utf-8",
}


@dataclass
class Chart:
    """One matrix as a chart on a page: spec, accessible description and downloads."""

    key: str
    title: str
    matrix: Matrix
    spec: dict[str, Any]
    downloads: dict[str, str] = field(default_factory=dict)

    @property
    def element_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def spec_id(self) -> str:
        return f"chart-{self.key}-spec"

    @property
    def png_url(self) -> str:
        return self.downloads["chart.png"]

    @property
    def svg_url(self) -> str:
        return self.downloads["chart.svg"]

    @property
    def csv_url(self) -> str:
        return self.downloads["data.csv"]

    @property
    def spec_url(self) -> str:
        return self.downloads["spec.json"]

    @property
    def description(self) -> str:
        return _(
            "Heatmap: %(rows)s outputs by %(cols)s codes; %(links)s links. "
            "The same data is in the table below and in the CSV file."
        ) % {"rows": len(self.matrix.rows), "cols": len(self.matrix.cols), "links": len(self.matrix.cells)}


def _cell_href(cur: Current, name: str, goal: int | None) -> str:
    """The URL template (``{col}``) a click on a cell of matrix ``name`` follows.

    A goal cell drills down to the goal's targets; any other cell opens its code's page.
    """
    base = {
        "sdg_goals": reverse("web:trace") + "sdg/",
        "sdg_targets": reverse("web:sdg_goal", args=[goal or 0]),
        "wsis": reverse("web:wsis_index"),
        "pp_resolutions": reverse("web:resolutions") + "pp/",
        "wtdc_resolutions": reverse("web:resolutions") + "wtdc/",
    }[name]
    return base + "{col}/" + cur.query


def build_chart(cur: Current, name: str, goal: int | None = None) -> Chart:
    """The chart of matrix ``name`` (``sdg_targets`` of ``goal``) in the UI language."""
    try:
        m = matrix(cur.plan, name, goal)
    except ValidationError as exc:
        raise Http404(str(exc)) from exc
    if name == "sdg_targets":
        title = _("Outputs × targets of SDG %(goal)s") % {"goal": goal}
        key = f"sdg_targets-{goal}"
        files = {fmt: reverse("web:trace_goal_file", args=[goal, fmt]) + cur.query for fmt in FORMATS}
    else:
        title = str(TITLES[name])
        key = name
        files = {fmt: reverse("web:trace_file", args=[name, fmt]) + cur.query for fmt in FORMATS}
    spec = charts.heatmap_spec(m, ui_lang(), title, cell_href=_cell_href(cur, name, goal))
    return Chart(key=key, title=title, matrix=m, spec=spec, downloads=files)


@versioned
def trace(request: HttpRequest) -> HttpResponse:
    cur = current(request)
    chart_list = [build_chart(cur, name) for name in TITLES]
    title = _("Traceability")
    return page(
        request,
        "web/trace/index.html",
        cur,
        title=title,
        crumbs=[home_crumb(cur), crumb(cur, title)],
        charts=chart_list,
        coverage=coverage(cur.plan),
        goals=registry.sdg_goals(),
    )


@versioned
def trace_goal(request: HttpRequest, goal: int) -> HttpResponse:
    cur = current(request)
    chart = build_chart(cur, "sdg_targets", goal)
    title = chart.title
    return page(
        request,
        "web/trace/goal.html",
        cur,
        title=title,
        crumbs=[home_crumb(cur), crumb(cur, _("Traceability"), "web:trace"), crumb(cur, title)],
        chart=chart,
        goal=goal,
        targets=[reference(cur.plan, "sdg_target", t.code, cur.query) for t in registry.sdg_targets(goal)],
        goal_url=reverse("web:sdg_goal", args=[goal]) + cur.query,
    )


def _file(cur: Current, chart: Chart, fmt: str) -> HttpResponse:
    base = f"{cur.info.plan_code}-{cur.info.number}-{chart.key}"
    if fmt == "spec.json":
        body: str | bytes = json.dumps(chart.spec, ensure_ascii=False, indent=1)
        filename = f"{base}.vl.json"
    elif fmt == "chart.svg":
        body, filename = charts.to_svg(chart.spec), f"{base}.svg"
    elif fmt == "chart.png":
        body, filename = charts.to_png(chart.spec, scale=2), f"{base}.png"
    elif fmt == "data.csv":
        body, filename = chart.matrix.to_csv(), f"{base}.csv"
    else:
        raise Http404(_("Unknown format %(format)s.") % {"format": fmt})
    response = HttpResponse(body, content_type=FORMATS[fmt])
    disposition = "inline" if fmt == "spec.json" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@versioned
def trace_file(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if name not in TITLES:
        raise Http404(_("Unknown matrix %(name)s.") % {"name": name})
    cur = current(request)
    return _file(cur, build_chart(cur, name), fmt)


@versioned
def trace_goal_file(request: HttpRequest, goal: int, fmt: str) -> HttpResponse:
    cur = current(request)
    return _file(cur, build_chart(cur, "sdg_targets", goal), fmt)
