"""The statistics pages under ``/statistics/``: rankings, maps, profiles, comparisons, data, imports.

Reading is public; importing data and writing frameworks need the secretariat role
(:func:`actionplan.server.accounts.permissions.can_keep_records`), checked here for the
form and again by :mod:`.store`. Every page takes ``?framework=&year=&as_of=`` (see
:mod:`.params`); results are computed by :mod:`.store`, which caches them.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from actionplan.errors import ActionPlanError, InputError, NotFoundError, ValidationError
from actionplan.render.charts import to_png, to_svg
from actionplan.server.accounts.permissions import can_keep_records, require_records
from actionplan.server.stats import results, store
from actionplan.server.stats.params import (
    CHART_FORMATS,
    Chart,
    Pair,
    Query,
    compare_chart,
    interval_chart,
    map_chart,
    number,
    parse_date,
    parse_int,
    profile_chart,
    shown_name,
)
from actionplan.server.web.texts import ui_lang
from actionplan.server.web.views.base import Crumb, page

MAX_UPLOAD = 50 * 1024 * 1024
DATA_PAGE = 100
FILE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "sdmx-csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FILE_SUFFIX = {"csv": "csv", "sdmx-csv": "sdmx.csv", "xlsx": "xlsx"}

View = Callable[..., HttpResponse]


def not_found_as_404(view: View) -> View:
    """A framework, year or economy without data is a 404 page with the store's message."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFoundError as exc:
            raise Http404(str(exc)) from exc
        except (InputError, ValidationError) as exc:
            raise BadRequest(str(exc)) from exc

    return wrapped


def _crumbs(*steps: tuple[str, str | None]) -> list[Crumb]:
    return [Crumb(_("Statistics"), reverse("stats:index")), *(Crumb(label, url) for label, url in steps)]


def _common(query: Query | None = None) -> dict[str, Any]:
    """What every statistics page shows: the sample notice, the frameworks and years to pick from."""
    frameworks = store.frameworks()
    context: dict[str, Any] = {"summary": store.summary(), "frameworks": frameworks,
                               "other_ui": "en" if ui_lang() == "zh" else "zh"}
    if query is not None:
        context.update(query=query, years=results.years(query.framework, query.as_of),
                       framework=store.framework(query.framework))
    return context


def _require_year(query: Query) -> int:
    if query.year is None:
        raise Http404(_("No data for %(framework)s yet: import observations or load the sample.")
                      % {"framework": query.framework})
    return query.year


# -- index -----------------------------------------------------------------------------------


@require_GET
@not_found_as_404
def index(request: HttpRequest) -> HttpResponse:
    """Frameworks with their years, what the data hold, and where to go next."""
    rows = []
    for info in store.frameworks():
        rows.append({"info": info, "years": results.years(info.name), "qs": Query(info.name, None, None).qs})
    return page(request, "stats/index.html", None, title=_("ICT statistics"), crumbs=_crumbs(),
                rows=rows, batches=store.batches()[:5], can_import=can_keep_records(request.user),
                **_common())


# -- ranking, map ----------------------------------------------------------------------------


def ranking_table(query: Query) -> tuple[list[str], list[dict[str, Any]]]:
    """The ranking's node columns (root left out: it is the score) and its rows with rank intervals."""
    year = _require_year(query)
    ranked = results.ranking(query.framework, year, query.as_of)
    intervals = results.intervals(query.framework, year, query.as_of)
    fw = ranked.framework.framework
    nodes = [n for n in ranked.result.nodes if n != fw.root]
    rows = []
    for row in ranked.rows():
        first, second = shown_name(row["name"])
        interval = intervals.get(row["economy"], {})
        rows.append({**row, "shown": first, "other": second, "node_values": [row["nodes"][n] for n in nodes],
                     "median_rank": interval.get("median_rank"), "p5_rank": interval.get("p5_rank"),
                     "p95_rank": interval.get("p95_rank"), "mean_abs_shift": interval.get("mean_abs_shift")})
    return nodes, rows


@require_GET
@not_found_as_404
def ranking(request: HttpRequest) -> HttpResponse:
    """The ranking of one framework for one year: score, rank, every node, rank interval; the chart."""
    query = Query.of(request)
    nodes, rows = ranking_table(query)
    info = store.framework(query.framework)
    node_names = [info.framework.node(n).name or n for n in nodes]
    title = _("%(framework)s, %(year)s") % {"framework": info.title, "year": query.year}
    return page(request, "stats/ranking.html", None, title=title, crumbs=_crumbs((_("Ranking"), None)),
                nodes=node_names, rows=rows, chart=interval_chart(query), decimals=info.framework.ranking.decimals,
                downloads={fmt: reverse("stats:ranking_file", args=[fmt]) + query.qs for fmt in ("csv", "xlsx")},
                **_common(query))


@require_GET
@not_found_as_404
def ranking_file(request: HttpRequest, fmt: str) -> HttpResponse:
    """The ranking table as CSV or XLSX: the same rows and columns as the page."""
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Unknown format %(format)s.") % {"format": fmt})
    query = Query.of(request)
    nodes, rows = ranking_table(query)
    header = ["rank", "economy", "name_en", "name_zh", "score", *nodes, "median_rank", "p5_rank", "p95_rank",
              "mean_abs_shift", "coverage", "excluded"]
    table = [[r["rank"], r["economy"], r["name"]["en"], r["name"]["zh"], r["score"], *r["node_values"],
              r["median_rank"], r["p5_rank"], r["p95_rank"], r["mean_abs_shift"], r["coverage"], r["excluded"]]
             for r in rows]
    name = f"{query.framework}-{query.year}" + (f"-as-of-{query.as_of}" if query.as_of else "")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([["" if v is None else v for v in row] for row in table])
        body: bytes = buffer.getvalue().encode("utf-8")
    else:
        body = _xlsx(query.framework, header, table)
    return _attachment(body, FILE_TYPES[fmt], f"{name}.{fmt}")


def _xlsx(sheet_name: str, header: list[str], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _attachment(body: bytes | str, content_type: str, filename: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


@require_GET
@not_found_as_404
def world_map(request: HttpRequest) -> HttpResponse:
    """The scores of a ranking on a world map; each country links to its profile."""
    query = Query.of(request)
    _require_year(query)
    chart = map_chart(query)
    return page(request, "stats/map.html", None, title=chart.title, crumbs=_crumbs((_("World map"), None)),
                chart=chart, **_common(query))


# -- profile ---------------------------------------------------------------------------------


@require_GET
@not_found_as_404
def profile(request: HttpRequest, iso3: str) -> HttpResponse:
    """One economy: values, normalised scores, node scores, rank and rank interval, what-ifs."""
    query = Query.of(request)
    year = _require_year(query)
    found = results.profile(iso3, query.framework, year, query.as_of)
    if found.economy != iso3:
        return redirect(reverse("stats:profile", args=[found.economy]) + query.qs)
    first, second = shown_name(found.name)
    indicators = [{**i, "shown": shown_name(i["name"]), "value_text": number(i["value"]),
                   "used_text": number(i["used"])} for i in found.indicators]
    names = {i["code"]: i["shown"] for i in indicators}
    what_if = [{**w, "shown": names.get(w["indicator"], (w["indicator"], "")), "old_text": number(w["old_value"]),
                "new_text": number(w["new_value"])} for w in found.what_if]
    other = {"zh": "en", "en": "zh"}
    return page(request, "stats/profile.html", None, title=first, crumbs=_crumbs(
        (_("Ranking"), reverse("stats:ranking") + query.qs), (first, None)),
        profile=found, shown=first, other=second, indicators=indicators, what_if=what_if[:10],
        chart=profile_chart(found.economy, query), other_lang=other, **_common(query))


# -- comparison ------------------------------------------------------------------------------


@require_GET
@not_found_as_404
def compare(request: HttpRequest) -> HttpResponse:
    """Two frameworks on the same data: rank shifts, Spearman and Kendall, coherence, a chart."""
    pair = Pair.of(request)
    if pair.year is None:
        raise Http404(_("No data for these frameworks yet: import observations or load the sample."))
    found = results.comparison(pair.a, pair.b, pair.year, pair.as_of)
    rows = []
    for row in found.comparison.rows():
        first, second = shown_name(results.economy_names(row["economy"]))
        rows.append({**row, "shown": first, "other": second})
    title = _("%(a)s compared with %(b)s, %(year)s") % {"a": found.a.framework.title, "b": found.b.framework.title,
                                                        "year": pair.year}
    return page(request, "stats/compare.html", None, title=title, crumbs=_crumbs((_("Compare frameworks"), None)),
                pair=pair, found=found, rows=rows, chart=compare_chart(pair),
                coherence=[(found.a, found.coherence_a, found.correlations_a),
                           (found.b, found.coherence_b, found.correlations_b)],
                years=sorted(set(results.years(pair.a, pair.as_of)) | set(results.years(pair.b, pair.as_of))),
                profile_qs=Query(pair.b, pair.year, pair.as_of).qs,
                **_common())


# -- chart files -----------------------------------------------------------------------------


def _chart(request: HttpRequest, kind: str) -> Chart:
    if kind == "rank-interval":
        query = Query.of(request)
        _require_year(query)
        return interval_chart(query)
    if kind == "map":
        query = Query.of(request)
        _require_year(query)
        return map_chart(query)
    if kind == "compare":
        pair = Pair.of(request)
        if pair.year is None:
            raise Http404(_("No data for these frameworks yet."))
        return compare_chart(pair)
    if kind.startswith("profile-"):
        query = Query.of(request)
        _require_year(query)
        return profile_chart(kind.removeprefix("profile-").upper(), query)
    raise Http404(_("Unknown chart %(name)s.") % {"name": kind})


@require_GET
@not_found_as_404
def chart_file(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """A chart as PNG or SVG (rendered on the server from the page's spec), its data as CSV, or its spec."""
    if fmt not in CHART_FORMATS:
        raise Http404(_("Unknown format %(format)s.") % {"format": fmt})
    chart = _chart(request, kind)
    base = f"{chart.key}-{chart.query.lstrip('?').replace('&', '-').replace('=', '-')}"
    if fmt == "spec.json":
        return _attachment(json.dumps(chart.spec, ensure_ascii=False, indent=1), CHART_FORMATS[fmt],
                           f"{base}.vl.json", inline=True)
    if fmt == "chart.svg":
        return _attachment(to_svg(chart.spec), CHART_FORMATS[fmt], f"{base}.svg")
    if fmt == "chart.png":
        return _attachment(to_png(chart.spec, scale=2), CHART_FORMATS[fmt], f"{base}.png")
    return _attachment(chart.csv(), CHART_FORMATS[fmt], f"{base}.csv")


# -- data ------------------------------------------------------------------------------------


@require_GET
@not_found_as_404
def data(request: HttpRequest) -> HttpResponse:
    """The observations, as they stood on a date (or every vintage), filtered; the indicators; the imports."""
    as_of = parse_date(request.GET.get("as_of"))
    economy = (request.GET.get("economy") or "").strip().upper() or None
    indicator = (request.GET.get("indicator") or "").strip() or None
    year = parse_int(request.GET.get("year"), "year")
    all_vintages = request.GET.get("vintages") == "all"
    found = store.observations(economy, indicator, year, as_of, all_vintages)
    paginator = Paginator(found, DATA_PAGE)
    current = paginator.get_page(request.GET.get("page"))
    lang_rows = [{"obs": o, "shown": shown_name(results.economy_names(o.economy)), "value_text": number(o.value)}
                 for o in current.object_list]
    filters = {k: v for k, v in request.GET.items() if k != "page" and v}
    base_qs = urlencode(filters)
    export_qs = f"?as_of={as_of.isoformat()}" if as_of else ""
    return page(request, "stats/data.html", None, title=_("Observations"), crumbs=_crumbs((_("Data"), None)),
                observations=lang_rows, page_obj=current, total=len(found), base_qs=base_qs, as_of=as_of,
                economy=economy or "", indicator=indicator or "", year=year, all_vintages=all_vintages,
                indicators=store.indicator_counts(as_of), batches=store.batches(),
                exports={fmt.split("-")[0]: reverse("stats:data_file", args=[fmt]) + export_qs for fmt in FILE_TYPES},
                **_common())


@require_GET
@not_found_as_404
def data_file(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every vintage (or the data as of ``?as_of=``) as tidy CSV, XLSX or SDMX-CSV."""
    if fmt not in FILE_TYPES:
        raise Http404(_("Unknown format %(format)s.") % {"format": fmt})
    as_of = parse_date(request.GET.get("as_of"))
    body = store.export(fmt, as_of)  # type: ignore[arg-type]
    name = "observations" + (f"-as-of-{as_of}" if as_of else "")
    return _attachment(body, FILE_TYPES[fmt], f"{name}.{FILE_SUFFIX[fmt]}")


# -- import ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a CSV, XLSX or SDMX-CSV file: stored whole, or refused with every error listed."""
    require_records(request.user, "import ICT statistics")
    context: dict[str, Any] = {"errors": [], "batch": None, "recorded_on": request.POST.get("recorded_on", "")}
    status = 200
    if request.method == "POST":
        status = _do_import(request, context)
    return page(request, "stats/import.html", None, title=_("Import observations"), status=status,
                crumbs=_crumbs((_("Import"), None)), **context,
                **_common())


def _do_import(request: HttpRequest, context: dict[str, Any]) -> int:
    """Run an import from the form; fill ``context`` with the batch or the errors; the HTTP status."""
    upload = request.FILES.get("file")
    try:
        recorded_on = parse_date(request.POST.get("recorded_on"), "recorded_on")
    except BadRequest as exc:
        context["errors"] = [str(exc)]
        return 400
    if upload is None:
        context["errors"] = [_("Choose a file to import.")]
        return 400
    if upload.size is not None and upload.size > MAX_UPLOAD:
        context["errors"] = [_("The file is larger than 50 MB.")]
        return 400
    try:
        context["batch"] = store.import_observations(upload.read(), upload.name or "upload", request.user,
                                                     recorded_on)
    except ActionPlanError as exc:
        context["errors"] = list(getattr(exc, "problems", None) or [str(exc)])
        return 400
    return 200


# -- frameworks ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@not_found_as_404
def framework_page(request: HttpRequest, name: str) -> HttpResponse:
    """A framework's YAML and tree; the secretariat may save an edited copy under a new name."""
    edition = parse_int(request.GET.get("edition"), "edition")
    info = store.framework(name, edition)
    may_edit = can_keep_records(request.user)
    form = {"name": info.name if not info.bundled else f"{info.name}-proposed", "content": info.content, "note": ""}
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        require_records(request.user, "add or edit index frameworks")
        form = {k: request.POST.get(k, "") for k in ("name", "content", "note")}
        try:
            saved = store.save_framework(form["name"].strip(), form["content"], request.user, form["note"])
        except (ValidationError, InputError) as exc:
            errors = [part.strip() for part in str(exc).split("; ") if part.strip()]
            status = 400
        else:
            messages.success(request, _("Saved %(name)s, edition %(edition)s.")
                             % {"name": saved.name, "edition": saved.edition})
            return redirect(reverse("stats:framework", args=[saved.name]))
    fw = info.framework
    nodes = [{"node": n, "weights": [(c, n.weight_of(c)) for c in n.children]} for n in fw.nodes]
    return page(request, "stats/framework.html", None, title=fw.name, status=status,
                crumbs=_crumbs((_("Frameworks"), reverse("stats:index") + "#frameworks"), (info.name, None)),
                info=info, fw=fw, nodes=nodes, editions=store.editions(info.name), may_edit=may_edit, form=form,
                errors=errors, years_of=results.years(info.name), compare_qs=f"?a={_current(info)}&b={info.name}",
                **_common())


def _current(info: store.FrameworkInfo) -> str:
    """The framework a proposal is compared against by default: the shipped one it is likely a copy of."""
    for shipped in ("idi-2023", "idi-2017", "gci"):
        if info.name.startswith(shipped) and info.name != shipped:
            return shipped
    return "idi-2023" if info.name != "idi-2023" else "idi-2017"
