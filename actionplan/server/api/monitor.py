"""Monitoring: indicator definitions, live values, approved snapshots, records (``/monitor/...``).

Reading is public, as on the pages. Writing records and approving a year need a
secretariat editor (an API token with the write scope, or a signed-in session with CSRF).
Records are sent as the rows of an import file (``{"rows": [{column: value, ...}]}``); they
are checked like a file and stored all or none, with every problem listed by row and column.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import ValidationError as PydanticValidationError

from actionplan.errors import InputError
from actionplan.monitor.records import ROW_MODELS
from actionplan.monitor.values import Progress, Value
from actionplan.server.accounts.auth import WRITE_AUTH
from actionplan.server.accounts.permissions import require_records
from actionplan.server.api.errors import ERROR_RESPONSES, ErrorOut
from actionplan.server.monitor import figures
from actionplan.server.monitor.records import store_rows

router = Router(tags=["monitoring"])

WRITE_ERRORS: dict[int, type[ErrorOut]] = {**ERROR_RESPONSES, 401: ErrorOut, 403: ErrorOut}
YearParam = Query(2021, ge=2018, le=2021, description="a plan year")
YearPath = Path(..., ge=2018, le=2021, description="a plan year", example=2021)
KindPath = Path(..., pattern="^(" + "|".join(ROW_MODELS) + ")$", description="the kind of records", example="events")


class DefinitionOut(Schema):
    """One indicator definition (the YAML's fields)."""

    id: str
    definition: dict[str, Any]


class DefinitionsOut(Schema):
    edition: str = Field(description="which stored edition of the definitions is in force, or 'bundled'")
    indicators: list[DefinitionOut]


class ValuesOut(Schema):
    year: int
    definitions: str
    values: list[Value]
    progress: list[Progress]


class SnapshotSummaryOut(Schema):
    year: int
    approved_at: datetime.datetime
    approved_by: str
    sha256: str
    definitions: str
    note: str


class SnapshotOut(SnapshotSummaryOut):
    values: list[Value]
    progress: list[Progress]
    quality: list[dict[str, Any]]
    records: dict[str, int]


class RecordsIn(Schema):
    rows: list[dict[str, Any]] = Field(
        description="rows with the columns of the kind's import template", max_length=50_000
    )


class StoredOut(Schema):
    kind: str
    created: int
    updated: int


@router.get("/monitor/indicators", response={200: DefinitionsOut, **ERROR_RESPONSES}, summary="Indicator definitions")
def indicator_definitions(request: HttpRequest) -> DefinitionsOut:
    """The definitions in force for the latest plan version (measure, sources, targets with reasons)."""
    defs = figures.definitions()
    return DefinitionsOut(
        edition=defs.label,
        indicators=[DefinitionOut(id=d.id, definition=d.model_dump(mode="json")) for d in defs.indicators.indicators],
    )


@router.get("/monitor/values", response={200: ValuesOut, **ERROR_RESPONSES}, summary="Live indicator values")
def values(
    request: HttpRequest,
    year: int = YearParam,
    by: str = Query("", pattern="^[a-z_+]{0,40}$", description="a disaggregation: region, sex, country, region+sex..."),
    indicator: str = Query("", pattern=r"^(\d\.\d\.\d{1,2})?$", description="only this indicator"),
) -> ValuesOut:
    """Values computed now from the records (plan years up to ``year``), with progress against the targets."""
    defs = figures.definitions()
    vals = [v for v in figures.live_values(defs, dims=("", by) if by else ("",)) if v.year <= year]
    progress = figures.live_progress(defs, vals, year)
    if indicator:
        vals = [v for v in vals if v.indicator == indicator]
        progress = [p for p in progress if p.indicator == indicator]
    return ValuesOut(year=year, definitions=defs.label, values=vals, progress=progress)


def _summary(snap: figures.Approved) -> dict[str, Any]:
    return {
        "year": snap.year,
        "approved_at": snap.approved_at,
        "approved_by": snap.approved_by,
        "sha256": snap.content_hash,
        "definitions": snap.definitions_label,
        "note": snap.note,
    }


@router.get("/monitor/snapshots", response={200: list[SnapshotSummaryOut], **ERROR_RESPONSES}, summary="Approved years")
def snapshots(request: HttpRequest) -> list[SnapshotSummaryOut]:
    return [SnapshotSummaryOut(**_summary(figures.approved(y))) for y in figures.approved_years()]


@router.get(
    "/monitor/snapshots/{year}", response={200: SnapshotOut, **ERROR_RESPONSES}, summary="An approved year's figures"
)
def snapshot(request: HttpRequest, year: int = YearPath) -> SnapshotOut:
    """The figures as approved (404 when the year is not approved)."""
    snap = figures.approved(year)
    return SnapshotOut(
        **_summary(snap), values=snap.values, progress=snap.progress, quality=snap.quality, records=snap.records
    )


@router.post(
    "/monitor/snapshots/{year}",
    response={201: SnapshotSummaryOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Approve a year (lock its figures)",
)
def approve(request: HttpRequest, year: int = YearPath) -> Status[SnapshotSummaryOut]:
    user = request.auth  # type: ignore[attr-defined]
    require_records(user, "approve a year's figures")
    snap = figures.approve(year, user=user)
    return Status(201, SnapshotSummaryOut(**_summary(snap)))


@router.post(
    "/monitor/records/{kind}",
    response={201: StoredOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Store activity records (all or none)",
)
def store_records(request: HttpRequest, body: RecordsIn, kind: str = KindPath) -> Status[StoredOut]:
    """Rows as in the import template; 400 with every problem (``rows[3].sex: ...``) and nothing stored."""
    user = request.auth  # type: ignore[attr-defined]
    require_records(user, "store activity records")
    model = ROW_MODELS[kind]
    rows, problems = [], []
    for n, raw in enumerate(body.rows):
        try:
            rows.append((n, model.model_validate(raw)))
        except PydanticValidationError as exc:
            for e in exc.errors():
                where = ".".join(str(p) for p in e["loc"])
                problems.append(f"rows[{n}].{where}: {e['msg'].removeprefix('Value error, ')}")
    if problems:
        raise InputError(f"{len(problems)} problem(s); nothing was stored:\n" + "\n".join(problems), where="rows")
    stored = store_rows(kind, rows, source=f"api ({kind})", user=user)
    return Status(201, StoredOut(kind=kind, created=stored.created, updated=stored.updated))
