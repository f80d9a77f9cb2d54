"""What a statistics page is asked for (``?framework=&year=&as_of=``), and the charts it shows.

Every page, every download and every chart file reads its parameters here, so a link
copied from any of them reproduces the same numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from actionplan.errors import NotFoundError
from actionplan.render import maps
from actionplan.server.stats import charts, results, store
from actionplan.server.web.texts import ui_lang

DEFAULT_FRAMEWORK = "idi-2023"
"""The ranking shown when none is asked for: the current ITU methodology."""
DEFAULT_COMPARE = ("idi-2017", "idi-2023")
CHART_FORMATS = {
    "spec.json": "application/json",
    "chart.svg": "image/svg+xml",
    "chart.png": "image/png",
    "data.csv": "text/csv; charset=utf-8",
}


def parse_date(text: str | None, name: str = "as_of") -> date | None:
    """An ISO date from a query parameter (empty: None); 400 otherwise."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadRequest(
            _("%(name)s must be a date YYYY-MM-DD, not “%(value)s”.") % {"name": name, "value": text}) from None


def parse_int(text: str | None, name: str) -> int | None:
    """An integer from a query parameter (empty: None); 400 otherwise."""
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise BadRequest(_("%(name)s must be a number, not “%(value)s”.") % {"name": name, "value": text}) from None


def framework_name(text: str | None, default: str) -> str:
    """A framework that exists (404 otherwise)."""
    name = (text or default).strip()
    try:
        store.framework(name)
    except NotFoundError as exc:
        raise Http404(str(exc)) from exc
    return name


@dataclass(frozen=True)
class Query:
    """A framework, a year (default: the latest with data) and the ``as_of`` date (None: latest data)."""

    framework: str
    year: int | None
    as_of: date | None

    @classmethod
    def of(cls, request: HttpRequest, default: str = DEFAULT_FRAMEWORK) -> Query:
        name = framework_name(request.GET.get("framework"), default)
        as_of = parse_date(request.GET.get("as_of"))
        year = parse_int(request.GET.get("year"), "year") or results.default_year(name, as_of)
        return cls(name, year, as_of)

    def params(self) -> dict[str, str]:
        out = {"framework": self.framework}
        if self.year is not None:
            out["year"] = str(self.year)
        if self.as_of is not None:
            out["as_of"] = self.as_of.isoformat()
        return out

    @property
    def qs(self) -> str:
        return "?" + urlencode(self.params())


@dataclass(frozen=True)
class Pair:
    """Two frameworks compared for a year on the data as of a date."""

    a: str
    b: str
    year: int | None
    as_of: date | None

    @classmethod
    def of(cls, request: HttpRequest) -> Pair:
        a = framework_name(request.GET.get("a"), DEFAULT_COMPARE[0])
        b = framework_name(request.GET.get("b"), DEFAULT_COMPARE[1])
        as_of = parse_date(request.GET.get("as_of"))
        year = parse_int(request.GET.get("year"), "year")
        if year is None:
            common = sorted(set(results.years(a, as_of)) & set(results.years(b, as_of)))
            year = common[-1] if common else results.default_year(b, as_of)
        return cls(a, b, year, as_of)

    def params(self) -> dict[str, str]:
        out = {"a": self.a, "b": self.b}
        if self.year is not None:
            out["year"] = str(self.year)
        if self.as_of is not None:
            out["as_of"] = self.as_of.isoformat()
        return out

    @property
    def qs(self) -> str:
        return "?" + urlencode(self.params())


def number(value: float | None) -> str:
    """A value as a table prints it: thousands grouped, at most four significant digits below 1000."""
    if value is None:
        return "–"
    if abs(value) >= 1000 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:.4g}"


def shown_name(names: dict[str, str]) -> tuple[str, str]:
    """``(name in the UI language, name in the other language or "")``: both are shown, side by side."""
    lang = ui_lang()
    other = "en" if lang == "zh" else "zh"
    first = names.get(lang) or names.get("en", "")
    second = names.get(other, "")
    return first, "" if second == first else second


# -- charts ----------------------------------------------------------------------------------


@dataclass
class Chart:
    """One chart on a page: its spec, an accessible description, its downloads and the data behind it."""

    key: str
    title: str
    description: str
    spec: dict[str, Any]
    query: str
    table: list[dict[str, Any]] = field(default_factory=list)

    @property
    def element_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def spec_id(self) -> str:
        return f"chart-{self.key}-spec"

    def url(self, fmt: str) -> str:
        return reverse("stats:chart_file", args=[self.key, fmt]) + self.query

    @property
    def png_url(self) -> str:
        return self.url("chart.png")

    @property
    def svg_url(self) -> str:
        return self.url("chart.svg")

    @property
    def csv_url(self) -> str:
        return self.url("data.csv")

    @property
    def spec_url(self) -> str:
        return self.url("spec.json")

    def csv(self) -> str:
        """The data behind the chart as CSV text."""
        buffer = io.StringIO()
        if self.table:
            writer = csv.DictWriter(buffer, fieldnames=list(self.table[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: "" if v is None else v for k, v in r.items()} for r in self.table)
        return buffer.getvalue()


def profile_href(query: Query, placeholder: str = "{economy}") -> str:
    """The URL template of an economy's profile under the same framework, year and date."""
    return reverse("stats:profile", args=["ZZZ"]).replace("ZZZ", placeholder) + query.qs


def interval_rows(query: Query) -> list[dict[str, Any]]:
    """Per economy: names, rank, median rank, 5 % and 95 % ranks (the rank-interval chart's data)."""
    assert query.year is not None
    ranked = results.ranking(query.framework, query.year, query.as_of)
    found = results.intervals(query.framework, query.year, query.as_of)
    lang = ui_lang()
    out = []
    for row in ranked.rows():
        interval = found.get(row["economy"], {})
        out.append({"economy": row["economy"], "name": row["name"].get(lang) or row["economy"], "rank": row["rank"],
                    "score": row["score"], "median_rank": interval.get("median_rank"),
                    "p5_rank": interval.get("p5_rank"), "p95_rank": interval.get("p95_rank"),
                    "mean_abs_shift": interval.get("mean_abs_shift")})
    return out


def interval_chart(query: Query) -> Chart:
    """The rank-interval chart of a ranking."""
    info = store.framework(query.framework)
    title = _("%(framework)s %(year)s: ranks and 5-95 %% rank intervals") % {
        "framework": info.title, "year": query.year}
    rows = interval_rows(query)
    spec = charts.rank_interval_spec(rows, ui_lang(), title, profile_href(query))
    description = _("Dot: rank; tick: median rank; bar: the ranks of 90 %% of %(n)s Monte Carlo runs varying "
                    "weights, normalisation, aggregation, imputation and indicators. The same data is in the "
                    "table and the CSV file.") % {"n": results.UNCERTAINTY_N}
    return Chart("rank-interval", title, description, spec, query.qs, rows)


def map_chart(query: Query) -> Chart:
    """The world map of the scores; a country links to its profile."""
    assert query.year is not None
    info = store.framework(query.framework)
    ranked = results.ranking(query.framework, query.year, query.as_of)
    values = {r["economy"]: r["score"] for r in ranked.rows() if r["score"] is not None}
    title = _("%(framework)s %(year)s by country") % {"framework": info.title, "year": query.year}
    spec = maps.country_map_spec(values, ui_lang(), title, _("Score"), profile_href(query, "{iso3}"))
    table = [{"economy": r["economy"], "name_en": r["name"]["en"], "name_zh": r["name"]["zh"], "score": r["score"],
              "rank": r["rank"]} for r in ranked.rows()]
    description = _("Countries coloured by score; grey: no data. Click a country for its profile. The same data "
                    "is in the ranking table and the CSV file.")
    return Chart("map", title, description, spec, query.qs, table)


def compare_chart(pair: Pair) -> Chart:
    """Ranks under framework A against ranks under B."""
    assert pair.year is not None
    found = results.comparison(pair.a, pair.b, pair.year, pair.as_of)
    lang = ui_lang()
    rows = []
    for row in found.comparison.rows():
        names = results.economy_names(row["economy"])
        rows.append({"economy": row["economy"], "name": names.get(lang) or row["economy"], **row})
    title = _("Ranks: %(a)s against %(b)s, %(year)s") % {"a": found.comparison.a, "b": found.comparison.b,
                                                        "year": pair.year}
    query = Query(pair.b, pair.year, pair.as_of)
    spec = charts.compare_spec(rows, lang, title, found.comparison.a, found.comparison.b, profile_href(query))
    description = _("One dot per economy: its rank under A across, under B up; on the dashed diagonal the rank "
                    "is the same. The same data is in the table and the CSV file.")
    return Chart("compare", title, description, spec, pair.qs, rows)


def profile_chart(economy: str, query: Query) -> Chart:
    """One economy's normalised indicator scores."""
    assert query.year is not None
    found = results.profile(economy, query.framework, query.year, query.as_of)
    lang = ui_lang()
    rows = [{"indicator": i["code"], "label": i["name"].get(lang) or i["code"], "value": i["value"],
             "year": i["year"], "normalised": i["normalised"]} for i in found.indicators]
    title = _("%(economy)s: normalised indicator scores, %(framework)s %(year)s") % {
        "economy": found.name.get(lang) or economy, "framework": found.ranking.framework.title, "year": query.year}
    spec = charts.scores_spec(rows, lang, title)
    description = _("Bars: each indicator's score after normalisation (its contribution before weighting). The "
                    "same data is in the indicator table and the CSV file.")
    key = f"profile-{economy}"
    return Chart(key, title, description, spec, query.qs, rows)
