"""Monitoring pages: dashboards, an indicator's figures, drill-down to records, import, approval, reports.

Dashboards show the *live* figures (computed now from the records); a year the secretariat
approved is marked, and its report is built from the approved snapshot only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from actionplan.errors import ActionPlanError, NotFoundError
from actionplan.monitor.definitions import IndicatorDefinition, dump_indicator_set
from actionplan.monitor.records import OUTPUTS, REGION
from actionplan.monitor.report import ChartData
from actionplan.monitor.values import Progress, Value
from actionplan.render import charts, monitor_charts
from actionplan.server.accounts.permissions import can_keep_records, can_see_people, require_records
from actionplan.server.monitor import browse, figures, labels
from actionplan.server.monitor.figures import YEARS
from actionplan.server.web.texts import ui_lang
from actionplan.server.web.views.base import Crumb, page

CHART_FORMATS = {"chart.svg": "image/svg+xml", "chart.png": "image/png", "spec.json": "application/json"}


def _year(request: HttpRequest, default: int = YEARS[-1]) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if year in YEARS else default


def _crumbs(*more: Crumb) -> list[Crumb]:
    return [Crumb(_("Monitoring"), reverse("monitor:dashboard")), *more]


def _text(d: IndicatorDefinition, lang: str) -> str:
    return d.name.get(lang) or d.name.get("zh") or d.name.get("en") or d.id


# -- dashboard ---------------------------------------------------------------------------------


@dataclass
class Row:
    """One indicator on the dashboard."""

    definition: IndicatorDefinition
    text: str
    progress: Progress | None
    value: Value | None
    status: str
    status_label: str
    records_url: str
    url: str


@dataclass
class Section:
    number: int
    rows: list[Row] = field(default_factory=list)


def _filters(request: HttpRequest) -> dict[str, str]:
    """The dashboard's filters, only those with a known value."""
    chosen = {
        "objective": request.GET.get("objective", ""),
        "output": request.GET.get("output", ""),
        "region": request.GET.get("region", ""),
    }
    ok = {
        "objective": {"1", "2", "3", "4"},
        "output": set(OUTPUTS),
        "region": set(REGION),
    }
    return {k: v for k, v in chosen.items() if v in ok[k]}


def _selected(d: IndicatorDefinition, filters: dict[str, str]) -> bool:
    if "objective" in filters and not d.id.startswith(filters["objective"] + "."):
        return False
    return "output" not in filters or filters["output"] in d.outputs or d.outcome == filters["output"]


def dashboard(request: HttpRequest) -> HttpResponse:
    """Every indicator's figure of a year with its status; filters by objective, output and region."""
    lang = ui_lang()
    year = _year(request)
    filters = _filters(request)
    defs = figures.definitions()
    region = filters.get("region")
    values = figures.live_values(defs, dims=("region",) if region else ("",))
    progress = {p.indicator: p for p in figures.live_progress(defs, values, year) if p.year == year}
    wanted = {"region": region} if region else {}
    headline = {v.indicator: v for v in values if v.year == year and not v.series and v.dims == wanted}
    sections: dict[int, Section] = {}
    for d in defs.indicators.indicators:
        if not _selected(d, filters):
            continue
        p = None if region else progress.get(d.id)
        status = p.status.value if p else ("regional" if region else "no_data")
        query = f"?year={year}" + (f"&region={region}" if region else "")
        row = Row(
            definition=d,
            text=_text(d, lang),
            progress=p,
            value=headline.get(d.id),
            status=status,
            status_label=labels.status_name(status, lang) if status != "regional" else _("regional figure"),
            records_url=reverse("monitor:records", args=[d.id]) + query,
            url=reverse("monitor:indicator", args=[d.id]) + f"?year={year}",
        )
        sections.setdefault(int(d.id.split(".")[0]), Section(int(d.id.split(".")[0]))).rows.append(row)
    counts = {s: 0 for s in labels.STATUS_NAMES}
    for section in sections.values():
        for row in section.rows:
            if row.status in counts:
                counts[row.status] += 1
    chart = _status_chart(sections, lang) if not region else None
    return page(
        request,
        "monitor/dashboard.html",
        None,
        title=_("Monitoring dashboard"),
        crumbs=_crumbs(Crumb(str(year))),
        year=year,
        years=YEARS,
        filters=filters,
        sections=sorted(sections.values(), key=lambda s: s.number),
        counts=[(s, labels.status_name(s, lang), n) for s, n in counts.items()],
        status_chart=chart,
        outputs=OUTPUTS,
        regions=[(code, labels.code_name("region", code, lang)) for code in REGION],
        region_name=labels.code_name("region", region, lang) if region else "",
        approved_years=figures.approved_years(),
        definitions_label=defs.label,
        can_keep=can_keep_records(request.user),
    )


def _status_chart(sections: dict[int, Section], lang: str) -> dict[str, Any]:
    """Stacked bars: how many indicators of each objective are on track, at risk, off track, without data."""
    rows = [
        {"objective": str(number), "status": labels.status_name(row.status, lang), "code": row.status}
        for number, section in sections.items()
        for row in section.rows
    ]
    order = [labels.status_name(s, lang) for s in labels.STATUS_NAMES]
    colours = ["#1a7f37", "#b08800", "#cf222e", "#8c959f"]
    objective = "Objective" if lang == "en" else "目标（Objective）"
    count = "Indicators" if lang == "en" else "指标（Indicators）"
    return {
        "$schema": charts.SCHEMA,
        "description": "Indicators by status and objective",
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "width": 360,
        "height": 160,
        "encoding": {
            "y": {"field": "objective", "type": "nominal", "title": objective},
            "x": {"aggregate": "count", "type": "quantitative", "title": count},
            "color": {
                "field": "status",
                "type": "nominal",
                "scale": {"domain": order, "range": colours},
                "legend": {"title": None},
            },
            "order": {"field": "code"},
            "tooltip": [
                {"field": "objective", "type": "nominal", "title": objective},
                {"field": "status", "type": "nominal"},
                {"aggregate": "count", "type": "quantitative", "title": count},
            ],
        },
    }


# -- one indicator -----------------------------------------------------------------------------


@dataclass
class Breakdown:
    """One disaggregation of an indicator in a year: its values (linked to their records) and chart."""

    dim: str
    name: str
    items: list[tuple[str, str, Value, str]]
    chart_key: str


def _only(defs: figures.Definitions, d: IndicatorDefinition) -> figures.Definitions:
    """``defs`` narrowed to the one indicator a page is about."""
    return figures.Definitions(defs.indicators.model_copy(update={"indicators": [d]}), defs.version_ref, defs.number)


def _indicator_values(defs: figures.Definitions, d: IndicatorDefinition) -> list[Value]:
    return figures.live_values(_only(defs, d), dims=("", *d.dimensions))


def _charts_for(
    d: IndicatorDefinition, values: list[Value], progress: list[Progress], year: int, lang: str
) -> dict[str, dict[str, Any]]:
    """The indicator page's charts by key: trend, target vs actual, one per disaggregation, the map."""
    trend = monitor_charts.progress_chart(d.id, progress, d.name, d.unit)
    specs: dict[str, dict[str, Any]] = {
        "trend": monitor_charts.chart_spec(trend, lang),
        "targets": monitor_charts.chart_spec(trend.model_copy(update={"kind": "target_actual"}), lang),
    }
    for dim in d.dimensions:
        data: ChartData = monitor_charts.values_chart(d.id, values, dim, year, d.name, d.unit)
        if data.points:
            specs[dim] = monitor_charts.chart_spec(data, lang)
    return specs


def _indicator_context(request: HttpRequest, number: str) -> tuple[IndicatorDefinition, dict[str, Any]]:
    lang = ui_lang()
    year = _year(request)
    defs = figures.definitions()
    try:
        d = figures.find(defs, number)
    except NotFoundError as exc:
        raise Http404(str(exc)) from exc
    values = _indicator_values(defs, d)
    progress = figures.live_progress(_only(defs, d), values, YEARS[-1])
    specs = _charts_for(d, values, progress, year, lang)
    return d, {"lang": lang, "year": year, "defs": defs, "values": values, "progress": progress, "specs": specs}


def indicator(request: HttpRequest, number: str) -> HttpResponse:
    """An indicator: definition, targets with reasons, figures per year, breakdowns, map, drill-down."""
    d, ctx = _indicator_context(request, number)
    lang, year, values = ctx["lang"], ctx["year"], ctx["values"]
    records = reverse("monitor:records", args=[d.id])
    breakdowns = []
    for dim in d.dimensions:
        items = [
            (
                v.dims[dim],
                labels.code_name(dim, v.dims[dim], lang),
                v,
                f"{records}?year={year}&{dim}={v.dims[dim]}",
            )
            for v in sorted(
                (v for v in values if v.year == year and not v.series and set(v.dims) == {dim}),
                key=lambda v: -(v.value or 0),
            )
        ]
        breakdowns.append(Breakdown(dim, labels.dimension_name(dim, lang), items, dim if dim in ctx["specs"] else ""))
    totals = {(v.year, v.series): v for v in values if not v.dims}
    years = [
        {
            "year": p.year,
            "progress": p,
            "status": labels.status_name(p.status.value, lang),
            "value": totals.get((p.year, "")),
            "components": [totals.get((p.year, c.key)) for c in d.components],
            "url": f"{records}?year={p.year}",
        }
        for p in ctx["progress"]
    ]
    chart_list = [
        {
            "key": key,
            "spec": spec,
            "id": f"chart-{key}",
            "spec_id": f"chart-{key}-spec",
            "title": _chart_title(key, lang),
            "downloads": {
                fmt.split(".")[-1]: reverse("monitor:indicator_chart", args=[d.id, key, fmt]) + f"?year={year}"
                for fmt in CHART_FORMATS
            },
        }
        for key, spec in ctx["specs"].items()
    ]
    return page(
        request,
        "monitor/indicator.html",
        None,
        title=f"{d.id} {_text(d, lang)}",
        crumbs=_crumbs(Crumb(d.id)),
        d=d,
        text=_text(d, lang),
        year=year,
        years_list=YEARS,
        years=years,
        breakdowns=breakdowns,
        charts=chart_list,
        yaml=dump_indicator_set(ctx["defs"].indicators.model_copy(update={"indicators": [d]})),
        definitions_label=ctx["defs"].label,
    )


def _chart_title(key: str, lang: str) -> str:
    names = {"trend": ("Trend", "趋势"), "targets": ("Target and actual", "目标与实际")}
    if key in names:
        return labels.pair(names[key], lang)
    return labels.dimension_name(key, lang)


def indicator_chart(request: HttpRequest, number: str, key: str, fmt: str) -> HttpResponse:
    """One chart of the indicator page as SVG, PNG or its Vega-Lite spec (the same spec the page draws)."""
    _, ctx = _indicator_context(request, number)
    spec = ctx["specs"].get(key)
    if spec is None or fmt not in CHART_FORMATS:
        raise Http404("no such chart")
    if fmt == "chart.svg":
        body: bytes = charts.to_svg(spec).encode("utf-8")
    elif fmt == "chart.png":
        body = charts.to_png(spec)
    else:
        body = json.dumps(spec, ensure_ascii=False, indent=1).encode("utf-8")
    response = HttpResponse(body, content_type=CHART_FORMATS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="indicator-{number}-{key}-{ctx["year"]}.{fmt.split(".")[-1]}"'
    )
    return response


# -- drill-down --------------------------------------------------------------------------------


def records(request: HttpRequest, number: str) -> HttpResponse:
    """The records behind one number: ``?year=&<dimension>=<code>[&series=]``."""
    lang = ui_lang()
    year = _year(request)
    defs = figures.definitions()
    try:
        d = figures.find(defs, number)
    except NotFoundError as exc:
        raise Http404(str(exc)) from exc
    dims = {dim: request.GET[dim] for dim in (*d.dimensions, "region") if request.GET.get(dim)}
    series = request.GET.get("series", "")
    if series and series not in {c.key for c in d.components}:
        raise Http404("no such series")
    table, ids = figures.records_behind(defs, d.id, year, dims, series)
    people = table == "monitor_participation"
    allowed = not people or can_see_people(request.user)
    listing = browse.listing(table, ids, limit=int(request.GET.get("limit", 500)) if allowed else 0)
    filters = [(labels.dimension_name(k, lang), labels.code_name(k, v, lang)) for k, v in dims.items()]
    return page(
        request,
        "monitor/records.html",
        None,
        title=_("Records behind %(number)s, %(year)s") % {"number": d.id, "year": year},
        crumbs=_crumbs(Crumb(d.id, reverse("monitor:indicator", args=[d.id]) + f"?year={year}"), Crumb(_("Records"))),
        d=d,
        text=_text(d, lang),
        year=year,
        filters=filters,
        total=len(ids),
        listing=listing,
        allowed=allowed,
        cumulative=d.time == "cumulative",
    )


# -- import, forms, definitions, approval, reports -------------------------------------------------


@require_http_methods(["GET", "POST"])
def import_records(request: HttpRequest) -> HttpResponse:
    """Upload a CSV or XLSX of records: all rows stored, or none with every error listed."""
    from actionplan.server.monitor.imports import KINDS, import_file

    require_records(request.user, "import activity records")
    result: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        upload = request.FILES.get("file")
        if upload is None:
            result["errors"] = [_("Choose a file to import.")]
            status = 400
        else:
            try:
                stored = import_file(kind, upload.read(), upload.name or "upload", user=request.user)
                result["stored"] = stored
            except ActionPlanError as exc:
                lines = str(exc.message).splitlines()
                result["summary"], result["errors"] = (lines[0], lines[1:]) if len(lines) > 1 else ("", lines)
                result["where"] = exc.where
                status = 400
        result["kind"] = kind
    return page(
        request,
        "monitor/import.html",
        None,
        title=_("Import activity records"),
        crumbs=_crumbs(Crumb(_("Import"))),
        kinds=KINDS,
        status=status,
        **result,
    )


def template_file(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """An empty import template (headers and one example row; XLSX also lists the codes)."""
    from actionplan.monitor.importing import template
    from actionplan.server.monitor.imports import KINDS

    if kind not in KINDS or fmt not in ("csv", "xlsx"):
        raise Http404("no such template")
    types = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    body = template(kind, fmt)  # type: ignore[arg-type]  # checked above
    response = HttpResponse(body, content_type=types[fmt])
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
def definitions_edit(request: HttpRequest) -> HttpResponse:
    """The indicator definitions as YAML; the secretariat stores an edited set as a new edition."""
    defs = figures.definitions()
    text = dump_indicator_set(defs.indicators)
    errors: list[str] = []
    status = 200
    saved = None
    if request.method == "POST":
        require_records(request.user, "edit the indicator definitions")
        text = request.POST.get("content", "")
        try:
            saved = figures.save_definitions(
                text, user=request.user, note=request.POST.get("note", ""), source="the edited definitions"
            )
            defs = saved
        except ActionPlanError as exc:
            errors = str(exc.message).splitlines()
            status = 400
    return page(
        request,
        "monitor/definitions.html",
        None,
        title=_("Indicator definitions"),
        crumbs=_crumbs(Crumb(_("Definitions"))),
        content=text,
        errors=errors,
        saved=saved,
        definitions_label=defs.label,
        can_keep=can_keep_records(request.user),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest) -> HttpResponse:
    """Approve a year's figures (secretariat): they are locked as a snapshot, audit-logged."""
    require_records(request.user, "approve a year's figures")
    error = ""
    done = None
    status = 200
    if request.method == "POST":
        try:
            year = int(request.POST.get("year", ""))
            done = figures.approve(year, user=request.user, note=request.POST.get("note", ""))
        except ValueError:
            error, status = _("Choose a year."), 400
        except ActionPlanError as exc:
            error, status = exc.message, 400
    approved = set(figures.approved_years())
    return page(
        request,
        "monitor/approve.html",
        None,
        title=_("Approve a year's figures"),
        crumbs=_crumbs(Crumb(_("Approve"))),
        years=[(y, y in approved) for y in YEARS],
        error=error,
        done=done,
        status=status,
    )


def reports(request: HttpRequest) -> HttpResponse:
    """The approved years with their reports in both languages and three formats."""
    rows = []
    for year in figures.approved_years():
        snap = figures.approved(year)
        rows.append({"year": year, "snapshot": snap})
    return page(
        request,
        "monitor/reports.html",
        None,
        title=_("Annual implementation reports"),
        crumbs=_crumbs(Crumb(_("Reports"))),
        rows=rows,
        langs=[("zh", "中文"), ("en", "English")],
        formats=["html", "docx", "pdf"],
        can_keep=can_keep_records(request.user),
    )


def report_file(request: HttpRequest, year: int, lang: str, fmt: str) -> HttpResponse:
    """The report of an approved year as HTML, DOCX or PDF."""
    from actionplan.server.monitor.reports import render_report

    try:
        body, content_type = render_report(year, lang, fmt)
    except NotFoundError as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(body, content_type=content_type)
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="implementation-report-{year}-{lang}.{fmt}"'
    if fmt == "html":
        # the standalone report carries its own <style>: allow it for this response only
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return response


# -- entering one record -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest, kind: str) -> HttpResponse:
    """A form for one record of ``kind``, checked by the same row model as an import."""
    from actionplan.server.monitor.forms import RecordForm
    from actionplan.server.monitor.imports import KINDS

    if kind not in KINDS:
        raise Http404("no such record kind")
    require_records(request.user, "enter activity records")
    form = RecordForm(kind, request.POST or None)
    stored = None
    status = 200
    if request.method == "POST":
        stored = form.save(user=request.user)
        status = 200 if stored is not None else 400
    return page(
        request,
        "monitor/record_form.html",
        None,
        title=_("New record: %(kind)s") % {"kind": kind},
        crumbs=_crumbs(Crumb(_("Import"), reverse("monitor:import")), Crumb(kind)),
        form=form,
        kind=kind,
        stored=stored,
        status=status,
    )
