"""ICT statistics (``/api/statistics/...``): indicators, observations, frameworks, rankings, comparisons.

Reading is public, like the pages. Importing observations (``POST
/statistics/observations``, a multipart upload) and saving a framework (``POST
/statistics/frameworks``) need a secretariat editor, with a write token or a signed-in
session and its CSRF token (``401`` without, ``403`` for other roles). An import is all or
nothing: a file with errors is answered ``400`` with every problem in ``errors``, each
naming its row and column, and nothing is stored.

Every date parameter ``as_of`` gives the data as they stood on that date (the latest
vintage recorded on or before it); without it the latest data. Numbers that cannot be
computed (an economy with too little data) are ``null``, never NaN.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile

from actionplan.errors import InputError, NotFoundError, ValidationError
from actionplan.server.accounts.auth import WRITE_AUTH
from actionplan.server.accounts.permissions import require_records
from actionplan.server.api.errors import ERROR_RESPONSES, ErrorOut, error_response
from actionplan.server.api.pagination import LimitParam, OffsetParam, Page, paginate
from actionplan.server.stats import results, store
from actionplan.stats.io import DataFileError

router = Router(tags=["statistics"])

WRITE_ERRORS: dict[int, type[ErrorOut]] = {**ERROR_RESPONSES, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut}
"""A write without a session or token (401), by a role other than the secretariat or with a read token (403)."""

NAME = r"^[a-z0-9][a-z0-9_.-]{1,63}$"
FrameworkPath = Path(..., pattern=NAME, description="a framework: idi-2017, idi-2023, gci or one saved in the store",
                     example="idi-2017")
EconomyPath = Path(..., pattern=r"^[A-Za-z]{3}$", description="ISO 3166 alpha-3 code", example="CHN")
YearParam = Query(None, ge=1900, le=2100, description="reference year; default the latest with data")
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
AsOfParam = Query(None, pattern=DATE, example="2025-01-01",
                  description="the data as they stood on this date (YYYY-MM-DD); default the latest")
MAX_UPLOAD = 50 * 1024 * 1024


# -- schemas ---------------------------------------------------------------------------------


class Names(Schema):
    """A name in Chinese and English."""

    zh: str
    en: str


class StatisticsIndicatorOut(Schema):
    """One indicator of the catalogue and how much of it the store holds (latest vintages)."""

    code: str
    name: Names
    unit: str
    itu_code: str | None
    definition: dict[str, str]
    source: str
    min: float | None
    max: float | None
    higher_is_better: bool
    values: int = Field(description="economy-year values stored (latest vintage of each)")
    vintages: int = Field(description="rows stored, every vintage counted")
    economies: int
    first_year: int | None
    last_year: int | None


class ObservationOut(Schema):
    """One value as recorded on ``recorded_on`` (its vintage)."""

    economy: str
    year: int
    indicator: str
    value: float
    flags: list[str] = Field(description="E estimate, B break in series, P provisional, F forecast, U low "
                                         "reliability, I imputed")
    source: str
    notes: str
    unit: str | None
    recorded_on: date


class ObservationPage(Page[ObservationOut]):
    """A page of observations."""


class WarningOut(Schema):
    """A warning of an import (an implausible jump from the previous year): stored with the batch."""

    rule: str
    message: str
    where: str = ""
    economy: str | None = None
    year: int | None = None
    indicator: str | None = None


class BatchOut(Schema):
    """One import."""

    id: int
    filename: str
    sha256: str
    format: str
    rows: int = Field(description="observations stored")
    unchanged: int = Field(description="observations already stored with the same value, not stored again")
    recorded_on: date
    imported_at: datetime
    imported_by: str
    sample: bool = Field(description="the SYNTHETIC sample shipped with actionplan")
    warnings: list[WarningOut]


class FrameworkOut(Schema):
    """A framework: shipped (edition 0) or saved in the store."""

    name: str
    edition: int
    bundled: bool
    title: str
    description: str
    source: str
    indicators: list[str]
    nodes: list[str]
    years: list[int] = Field(description="years with data for at least half of its indicators")
    created_by: str
    created_at: datetime | None
    note: str


class FrameworkDetailOut(FrameworkOut):
    """A framework with its YAML."""

    content: str


class FrameworkIn(Schema):
    """A framework to save: a new name, or a stored (not shipped) one to add an edition to."""

    name: str = Field(pattern=NAME, examples=["idi-2017-proposed"])
    content: str = Field(description="the framework as YAML (its id becomes the name)", max_length=1_000_000)
    note: str = Field(default="", max_length=2000)


class NodeOut(Schema):
    id: str
    name: str


class RankingRowOut(Schema):
    """One economy in a ranking."""

    economy: str
    name: Names
    score: float | None
    rank: int | None
    coverage: float = Field(description="share of the framework's indicators with a value")
    excluded: bool = Field(description="left out for low data coverage")
    nodes: dict[str, float | None] = Field(description="every node's value, the root included")
    median_rank: float | None
    p5_rank: float | None
    p95_rank: float | None
    mean_abs_shift: float | None


class RankingOut(Schema):
    """A framework computed for a year, with the rank intervals of the uncertainty analysis."""

    framework: str
    edition: int
    year: int
    as_of: date | None
    decimals: int
    root: str
    nodes: list[NodeOut]
    uncertainty_runs: int
    rows: list[RankingRowOut]


class UncertaintyRowOut(Schema):
    economy: str
    score: float | None
    rank: float | None
    median_rank: float | None
    p5_rank: float | None
    p95_rank: float | None
    mean_abs_shift: float | None


class UncertaintyOut(Schema):
    """Monte Carlo rank statistics: weights, normalisation, aggregation, imputation and indicators varied."""

    framework: str
    year: int
    as_of: date | None
    n: int
    seed: int
    vary: list[str]
    rows: list[UncertaintyRowOut]


class IndicatorValueOut(Schema):
    code: str
    name: Names
    unit: str
    value: float | None = Field(description="the value used (null: missing)")
    year: int | None = Field(description="the year it is from (an earlier one when the latest available is used)")
    flags: list[str]
    recorded_on: date | None
    imputed: bool
    used: float | None = Field(description="the value after imputation")
    normalised: float | None


class NodeScoreOut(Schema):
    id: str
    name: str
    score: float | None


class WhatIfOut(Schema):
    """One indicator improved alone (10 % of the gap to the best economy closed)."""

    indicator: str
    old_value: float | None
    new_value: float | None
    old_score: float | None
    new_score: float | None
    score_gain: float | None
    old_rank: float | None
    new_rank: float | None
    rank_gain: float | None


class ProfileOut(Schema):
    """One economy under one framework."""

    economy: str
    name: Names
    framework: str
    year: int
    as_of: date | None
    score: float | None
    rank: int | None
    economies_ranked: int
    median_rank: float | None
    p5_rank: float | None
    p95_rank: float | None
    nodes: list[NodeScoreOut]
    indicators: list[IndicatorValueOut]
    what_if: list[WhatIfOut]


class ShiftOut(Schema):
    economy: str
    rank_a: float | None
    rank_b: float | None
    shift: float | None = Field(description="rank under A minus rank under B: positive ranks higher under B")
    score_a: float | None
    score_b: float | None


class CoherenceOut(Schema):
    """One aggregate: how its children hang together."""

    node: str
    children: list[str]
    alpha: float | None = Field(description="Cronbach's alpha of the children")
    pc1_share: float | None = Field(description="share of variance of the first principal component")
    loadings: dict[str, float | None]
    corr_with_node: dict[str, float | None]
    corr_with_index: dict[str, float | None]


class ComparisonOut(Schema):
    """Two frameworks on the same data."""

    a: str
    b: str
    year: int
    as_of: date | None
    spearman: float | None
    kendall: float | None
    mean_abs_shift: float | None
    max_abs_shift: float | None
    rows: list[ShiftOut]
    coherence_a: list[CoherenceOut]
    coherence_b: list[CoherenceOut]


# -- helpers ---------------------------------------------------------------------------------


def _clean(value: Any) -> Any:
    """NaN (and infinities) to None, recursively: JSON has no NaN."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _day(text: str | None) -> date | None:
    """A date parameter (``as_of``, ``recorded_on``) as a date (the pattern checked its form; 400 for 2024-02-30)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"not a date: {text!r}", where="date", expected="YYYY-MM-DD") from None


def _year(name: str, year: int | None, as_of: date | None) -> int:
    found = year if year is not None else results.default_year(name, as_of)
    if found is None:
        raise NotFoundError(f"no data for {name}", where="year", expected="observations imported first")
    return found


def _framework_out(info: store.FrameworkInfo, detail: bool = False) -> dict[str, Any]:
    fw = info.framework
    out = {"name": info.name, "edition": info.edition, "bundled": info.bundled, "title": fw.name,
           "description": fw.description, "source": fw.source, "indicators": fw.indicator_codes,
           "nodes": [n.id for n in fw.nodes], "years": results.years(info.name), "created_by": info.created_by,
           "created_at": info.created_at, "note": info.note}
    if detail:
        out["content"] = info.content
    return out


def _batch_out(info: store.BatchInfo) -> dict[str, Any]:
    return {**info.__dict__, "warnings": [{k: w.get(k) for k in ("rule", "message", "where", "economy", "year",
                                                                 "indicator") if k in w} for w in info.warnings]}


def _problem(text: str) -> dict[str, str | None]:
    where, _, message = text.partition(": ")
    return {"where": where, "error": message} if message else {"where": None, "error": text}


def _no_cache(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-cache"


# -- reading ---------------------------------------------------------------------------------


@router.get("/statistics/indicators", response={200: list[StatisticsIndicatorOut], **ERROR_RESPONSES},
            summary="Indicator definitions and counts")
def list_indicators(request: HttpRequest, response: HttpResponse, as_of: str | None = AsOfParam) -> list[Any]:
    """Every indicator of the catalogue (as the secretariat edited it), with how many values are stored."""
    _no_cache(response)
    day = _day(as_of)
    out = []
    for row in store.indicator_counts(day):
        d = row["definition"]
        out.append({"code": d.code, "name": {"zh": d.name.get("zh", ""), "en": d.name.get("en", "")},
                    "unit": d.unit, "itu_code": d.itu_code, "definition": dict(d.definition), "source": d.source,
                    "min": d.min, "max": d.max, "higher_is_better": d.higher_is_better, "values": row["values"],
                    "vintages": row["vintages"], "economies": row["economies"], "first_year": row["first_year"],
                    "last_year": row["last_year"]})
    return out


@router.get("/statistics/observations", response={200: ObservationPage, **ERROR_RESPONSES},
            summary="Observations (filtered, paginated)")
def list_observations(
    request: HttpRequest,
    response: HttpResponse,
    economy: str | None = Query(None, pattern=r"^[A-Za-z]{3,4}$", description="ISO3 code or aggregate"),
    indicator: str | None = Query(None, max_length=64, description="indicator code"),
    year: int | None = Query(None, ge=1900, le=2100),
    as_of: str | None = AsOfParam,
    vintages: bool = Query(False, description="every vintage rather than the data as of the date"),
    limit: int = LimitParam,
    offset: int = OffsetParam,
) -> dict[str, Any]:
    _no_cache(response)
    day = _day(as_of)
    found = store.observations(economy, indicator, year, day, vintages)
    return paginate(request, [
        {"economy": o.economy, "year": o.year, "indicator": o.indicator, "value": o.value, "flags": list(o.flags),
         "source": o.source, "notes": o.notes, "unit": o.unit, "recorded_on": o.recorded_on} for o in found
    ], limit, offset)


@router.get("/statistics/batches", response={200: list[BatchOut], **ERROR_RESPONSES}, summary="Imports")
def list_batches(request: HttpRequest, response: HttpResponse) -> list[Any]:
    """Every import, newest first, with its warnings."""
    _no_cache(response)
    return [_batch_out(b) for b in store.batches()]


@router.get("/statistics/frameworks", response={200: list[FrameworkOut], **ERROR_RESPONSES},
            summary="Index frameworks")
def list_frameworks(request: HttpRequest, response: HttpResponse) -> list[Any]:
    """The shipped frameworks, then the latest edition of each one saved in the store."""
    _no_cache(response)
    return [_framework_out(info) for info in store.frameworks()]


@router.get("/statistics/frameworks/{name}", response={200: FrameworkDetailOut, **ERROR_RESPONSES},
            summary="One framework with its YAML")
def get_framework(request: HttpRequest, response: HttpResponse, name: str = FrameworkPath,
                  edition: int | None = Query(None, ge=1, le=1_000_000)) -> dict[str, Any]:
    _no_cache(response)
    return _framework_out(store.framework(name, edition), detail=True)


@router.get("/statistics/rankings/{name}", response={200: RankingOut, **ERROR_RESPONSES},
            summary="A ranking with every node and rank intervals")
def get_ranking(request: HttpRequest, response: HttpResponse, name: str = FrameworkPath,
                year: int | None = YearParam, as_of: str | None = AsOfParam) -> dict[str, Any]:
    """Per economy: score, rank (the publication's ties), every node's value, and the median rank
    and 5-95 % rank interval of the uncertainty analysis (1000 runs, seed 0)."""
    _no_cache(response)
    day = _day(as_of)
    chosen = _year(name, year, day)
    ranked = results.ranking(name, chosen, day)
    intervals = results.intervals(name, chosen, day)
    fw = ranked.framework.framework
    rows = []
    for row in ranked.rows():
        found = intervals.get(row["economy"], {})
        rows.append({**row, **{k: found.get(k) for k in ("median_rank", "p5_rank", "p95_rank", "mean_abs_shift")}})
    return _clean({"framework": name, "edition": ranked.framework.edition, "year": chosen, "as_of": day,
                   "decimals": fw.ranking.decimals, "root": fw.root,
                   "nodes": [{"id": n, "name": fw.node(n).name} for n in ranked.result.nodes],
                   "uncertainty_runs": results.UNCERTAINTY_N, "rows": rows})


@router.get("/statistics/rankings/{name}/uncertainty", response={200: UncertaintyOut, **ERROR_RESPONSES},
            summary="Uncertainty analysis of a ranking")
def get_uncertainty(request: HttpRequest, response: HttpResponse, name: str = FrameworkPath,
                    year: int | None = YearParam, as_of: str | None = AsOfParam) -> dict[str, Any]:
    _no_cache(response)
    day = _day(as_of)
    chosen = _year(name, year, day)
    result = results.uncertainty(name, chosen, day)
    return _clean({"framework": name, "year": chosen, "as_of": day, "n": result.n, "seed": result.seed,
                   "vary": list(result.vary), "rows": result.rows()})


@router.get("/statistics/economies/{iso3}", response={200: ProfileOut, **ERROR_RESPONSES},
            summary="An economy's profile under a framework")
def get_profile(request: HttpRequest, response: HttpResponse, iso3: str = EconomyPath,
                framework: str = Query("idi-2023", pattern=NAME), year: int | None = YearParam,
                as_of: str | None = AsOfParam) -> dict[str, Any]:
    """Indicator values (year, flags), normalised scores, node scores, rank and rank interval, and what-ifs."""
    _no_cache(response)
    day = _day(as_of)
    chosen = _year(framework, year, day)
    found = results.profile(iso3, framework, chosen, day)
    interval = found.interval or {}
    return _clean({
        "economy": found.economy, "name": found.name, "framework": framework, "year": chosen, "as_of": day,
        "score": found.score, "rank": found.rank, "economies_ranked": found.economies_ranked,
        "median_rank": interval.get("median_rank"), "p5_rank": interval.get("p5_rank"),
        "p95_rank": interval.get("p95_rank"), "nodes": found.nodes, "indicators": found.indicators,
        "what_if": found.what_if,
    })


@router.get("/statistics/comparison", response={200: ComparisonOut, **ERROR_RESPONSES},
            summary="Two frameworks compared")
def get_comparison(request: HttpRequest, response: HttpResponse,
                   a: str = Query("idi-2017", pattern=NAME, description="framework A"),
                   b: str = Query("idi-2023", pattern=NAME, description="framework B"),
                   year: int | None = YearParam, as_of: str | None = AsOfParam) -> dict[str, Any]:
    """Rank shifts per economy, Spearman's rho and Kendall's tau-b between the scores, and each
    framework's coherence (Cronbach's alpha, first principal component, correlations)."""
    _no_cache(response)
    day = _day(as_of)
    chosen = _year(b, year, day)
    found = results.comparison(a, b, chosen, day)
    c = found.comparison

    def coherence(nodes: list[Any]) -> list[dict[str, Any]]:
        return [dict(n.__dict__) for n in nodes]

    return _clean({"a": a, "b": b, "year": chosen, "as_of": day, "spearman": c.spearman, "kendall": c.kendall,
                   "mean_abs_shift": c.mean_abs_shift, "max_abs_shift": c.max_abs_shift, "rows": c.rows(),
                   "coherence_a": coherence(found.coherence_a), "coherence_b": coherence(found.coherence_b)})


# -- writing ---------------------------------------------------------------------------------


@router.post("/statistics/observations", response={201: BatchOut, **WRITE_ERRORS}, auth=WRITE_AUTH,
             summary="Import observations (secretariat)")
def import_observations(request: HttpRequest, file: File[UploadedFile],
                        recorded_on: str | None = Form(None, pattern=DATE, description="YYYY-MM-DD")) -> Any:
    """A tidy CSV, XLSX or SDMX-CSV file as one batch, all or nothing. ``recorded_on`` is the
    vintage of rows without their own date (default today). ``400`` lists every problem in
    ``errors`` (``where``: file, row and column) and stores nothing."""
    user = request.auth  # type: ignore[attr-defined]
    require_records(user, "import ICT statistics")
    if file.size is not None and file.size > MAX_UPLOAD:
        return error_response(413, "the file is larger than 50 MB", where="file", expected="at most 50 MB")
    try:
        batch = store.import_observations(file.read(), file.name or "upload", user, _day(recorded_on))
    except DataFileError as exc:
        problems = [_problem(p) for p in exc.problems]
        return error_response(400, f"{len(problems)} problem(s) in {exc.filename}: nothing was stored",
                              where=exc.filename, expected="a file without errors", errors=problems)
    return Status(201, _batch_out(batch))


@router.post("/statistics/frameworks", response={201: FrameworkDetailOut, **WRITE_ERRORS}, auth=WRITE_AUTH,
             summary="Save a framework (secretariat)")
def save_framework(request: HttpRequest, body: FrameworkIn) -> Any:
    """The YAML is checked by the framework loader first; ``400`` names every field in error."""
    user = request.auth  # type: ignore[attr-defined]
    try:
        info = store.save_framework(body.name, body.content, user, body.note)
    except (ValidationError, InputError) as exc:
        problems = [_problem(p.strip()) for p in exc.message.split("; ") if p.strip()]
        return error_response(400, exc.message, where=exc.where or "content", expected=exc.expected,
                              errors=problems)
    return Status(201, _framework_out(info, detail=True))

