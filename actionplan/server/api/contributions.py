"""Contributions and amendments: read, author, decide (``/contributions``, ``.../conflicts``, ``.../adopt``).

Submitted contributions are read by everyone, like the rest of the API; a draft only by
the delegates of its sponsors (for anyone else it is ``404``, as if it did not exist).
Writing needs an API token (``Authorization: Bearer <token>``, write scope) or the Django
session of a signed-in user (sign in at ``/accounts/login/``) with Django's CSRF
protection: send the ``csrftoken`` cookie's value in an ``X-CSRFToken`` header. The rules
of :mod:`actionplan.server.accounts.permissions` decide who may change what (``403``
otherwise); adopting needs a secretariat editor. Without a token or session a write is
``401``; with a bad token ``401``; with a read token or without the CSRF token ``403``.

Every change of an amendment or of a contribution names the ``revision`` the client
loaded; when someone else changed it since, the answer is ``409`` with the error body and
nothing is written (optimistic locking, see :mod:`actionplan.server.store.contributions`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema, Status

from actionplan.amend.consolidate import Decision
from actionplan.amend.model import Amendment, Contribution, ContributionStatus
from actionplan.model import Text
from actionplan.server.accounts.auth import WRITE_AUTH, reader
from actionplan.server.api.errors import ERROR_RESPONSES, ErrorOut, error_response
from actionplan.server.api.loading import MAX_NUMBER, CodePath, NumberPath, api_root, check_code
from actionplan.server.api.pagination import LimitParam, OffsetParam, Page, paginate
from actionplan.server.api.plans import version_out
from actionplan.server.api.schemas import Links, VersionOut
from actionplan.server.store import api as store_api
from actionplan.server.store import contributions as store

router = Router(tags=["contributions"])

WRITE_ERRORS: dict[int, type[ErrorOut]] = {**ERROR_RESPONSES, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut}
"""Error statuses of the operations that write: no session or token (401), no CSRF token, a read token or not
allowed (403), stale (409)."""

IdPath = Path(..., ge=1, le=MAX_NUMBER, description="the contribution's id", example=1)
BaseParam = Query(None, max_length=80, description="only those against this version, e.g. baap@1")
StatusParam = Query(None, description="only those with this status")
IdentPath = Path(
    ..., min_length=1, max_length=32, description="the amendment's id within its contribution", example="A1"
)


# -- schemas ------------------------------------------------------------------------------


class AmendmentOut(Schema):
    """A stored amendment: the amendment itself (as in a contribution file) and its life in the store."""

    key: str = Field(description="'<document>/<id>', the amendment's name across contributions")
    contribution: int = Field(description="the contribution's id")
    document: str
    revision: int = Field(description="send it back with a change (optimistic locking)")
    parent: str | None = Field(description="key of the amendment it amends")
    adopted: Amendment | None = Field(description="the wording adopted, when accepted with a modification")
    adopted_in: str | None = Field(description="the version it went into, 'code@n'")
    updated_at: datetime | None
    updated_by: str
    amendment: Amendment
    links: Links


class ContributionSummary(Schema):
    """A contribution without its amendments."""

    id: int
    document: str
    meeting: str
    date: str
    language: str
    sponsors: list[str]
    base: str = Field(description="the version it amends, 'code@n'")
    title: Text
    status: ContributionStatus
    revision: int = Field(description="send it back with a change (optimistic locking)")
    amendments_pending: int
    amendments_total: int
    created_at: datetime | None
    updated_at: datetime | None
    created_by: str
    updated_by: str
    links: Links


class ContributionOut(ContributionSummary):
    """A contribution with its introduction, proposals and amendments."""

    introduction: list[Text]
    proposals: list[Text]
    note: str
    amendments: list[AmendmentOut]


class ContributionPage(Page[ContributionSummary]):
    """A page of contributions."""


class ContributionIn(Schema):
    """A new contribution: a draft to add amendments to, or a complete one (amendments included) to import."""

    base: str = Field(description="the version it amends: 'code@n', 'code' (latest) or 'n'", examples=["baap@1"])
    document: str = Field(description="document number, unique in the store", examples=["TDAG-19/12"])
    meeting: str = ""
    date: str = Field(default="", description="YYYY-MM-DD or empty")
    language: str = "zh"
    sponsors: list[str] = Field(default_factory=list, description="ISO3 codes of member states or sector members")
    title: Text = Field(default_factory=dict)
    introduction: list[Text] = Field(default_factory=list)
    proposals: list[Text] = Field(default_factory=list)
    note: str = ""
    status: Literal["draft", "submitted"] = "draft"
    amendments: list[Amendment] = Field(default_factory=list)


class EditIn(Schema):
    """An edit of one text of the base: the text as the contribution proposes it to read."""

    eid: str = Field(description="the element", examples=["obj_2__output_2.1__background__para_4"])
    field: str = Field(default="text", description="text, title, label, heading or region_name")
    lang: str | None = Field(default=None, description="the text's language; default: the contribution's")
    text: str = Field(description="the whole text as proposed")
    justification: str = ""
    expected: dict[str, int] | None = Field(
        default=None,
        description="id -> revision of the contribution's amendments of this text as the client loaded them; "
        "409 when they changed since (omit to skip the check)",
    )


class AmendmentUpdateIn(Schema):
    """A new wording of an amendment, with the revision it was loaded at."""

    revision: int = Field(ge=1, le=MAX_NUMBER)
    amendment: Amendment


class RevisionIn(Schema):
    """The revision of the contribution as the client loaded it."""

    revision: int = Field(ge=1, le=MAX_NUMBER)


class OpOut(Schema):
    kind: Literal["equal", "insert", "delete"]
    text: str


class VariantOut(Schema):
    """One amendment of a conflict set: the text with only it applied."""

    key: str
    contribution: str
    sponsor: str
    text: str
    ops: list[OpOut] = Field(description="word diff from the base text")
    departure: float = Field(description="0 (same as the base) to 1 (nothing in common)")


class ConflictSetOut(Schema):
    """Amendments from different contributions that change overlapping text, in suggested order."""

    eid: str
    field: str
    lang: str
    base_text: str
    members: list[VariantOut]


class ConflictsOut(Schema):
    base: str
    count: int
    items: list[ConflictSetOut]


class DecisionIn(Schema):
    key: str = Field(description="the amendment's key, '<document>/<id>'", examples=["TDAG-19/12/A1"])
    choice: Literal["accept", "modify", "reject"]
    amendment: Amendment | None = Field(default=None, description="for 'modify': the wording agreed")


class AdoptIn(Schema):
    """The secretariat's decisions on the pending amendments of the contributions considered."""

    decisions: list[DecisionIn] = Field(min_length=1)
    revisions: dict[str, int] = Field(
        default_factory=dict, description="key -> revision of each amendment as the secretariat saw it"
    )
    note: str = ""


class AdoptionOut(Schema):
    base: str
    version: VersionOut | None = Field(description="the version created (null when every amendment was rejected)")
    created: bool
    statuses: dict[str, str] = Field(description="amendment key -> new status")
    contributions: dict[str, str] = Field(description="document -> new status")
    provenance: dict[str, list[str]] = Field(description="amendment key -> eids it changed in the new version")


# -- conversion -----------------------------------------------------------------------------


def _links(info: store.ContributionInfo, root: str) -> Links:
    code, number = info.base.split("@")
    return {
        "self": f"{root}contributions/{info.pk}",
        "amendments": f"{root}contributions/{info.pk}/amendments",
        "base": f"{root}plans/{code}/versions/{number}",
        "conflicts": f"{root}plans/{code}/versions/{number}/conflicts",
    }


def amendment_out(a: store.AmendmentInfo, root: str) -> AmendmentOut:
    return AmendmentOut(
        key=a.key,
        contribution=a.contribution_id,
        document=a.document,
        revision=a.revision,
        parent=a.parent,
        adopted=a.adopted,
        adopted_in=a.adopted_in,
        updated_at=a.updated_at,
        updated_by=a.updated_by,
        amendment=a.amendment,
        links={
            "self": f"{root}contributions/{a.contribution_id}/amendments/{a.ident}",
            "contribution": f"{root}contributions/{a.contribution_id}",
        },
    )


def _summary_fields(info: store.ContributionInfo, root: str) -> dict[str, Any]:
    c = info.contribution
    return {
        "id": info.pk,
        "document": c.document,
        "meeting": c.meeting,
        "date": c.date,
        "language": c.language,
        "sponsors": c.sponsors,
        "base": info.base,
        "title": c.title,
        "status": c.status,
        "revision": info.revision,
        "amendments_pending": sum(a.status == "pending" for a in info.amendments),
        "amendments_total": len(info.amendments),
        "created_at": info.created_at,
        "updated_at": info.updated_at,
        "created_by": info.created_by,
        "updated_by": info.updated_by,
        "links": _links(info, root),
    }


def contribution_out(info: store.ContributionInfo, root: str) -> ContributionOut:
    c = info.contribution
    return ContributionOut(
        **_summary_fields(info, root),
        introduction=c.introduction,
        proposals=c.proposals,
        note=c.note,
        amendments=[amendment_out(a, root) for a in info.amendments],
    )


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _no_cache(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-cache"


# -- reading ------------------------------------------------------------------------------


@router.get(
    "/contributions",
    response={200: ContributionPage, **ERROR_RESPONSES},
    summary="Contributions",
)
def list_contributions(
    request: HttpRequest,
    response: HttpResponse,
    base: str | None = BaseParam,
    status: ContributionStatus | None = StatusParam,
    limit: int = LimitParam,
    offset: int = OffsetParam,
) -> dict[str, object]:
    """Stored contributions, newest first. They change: responses must be revalidated."""
    _no_cache(response)
    root = api_root()
    rows = store.list_contributions(base, status.value if status else None, user=reader(request))
    return paginate(request, [ContributionSummary(**_summary_fields(c, root)) for c in rows], limit, offset)


@router.get(
    "/contributions/{id}",
    response={200: ContributionOut, **ERROR_RESPONSES},
    summary="One contribution with its amendments",
)
def get_contribution(request: HttpRequest, response: HttpResponse, id: int = IdPath) -> ContributionOut:
    _no_cache(response)
    return contribution_out(store.get_contribution(id, user=reader(request)), api_root())


@router.get(
    "/contributions/{id}/amendments",
    response={200: Page[AmendmentOut], **ERROR_RESPONSES},
    summary="The amendments of a contribution",
)
def list_amendments(
    request: HttpRequest, response: HttpResponse, id: int = IdPath, limit: int = LimitParam, offset: int = OffsetParam
) -> dict[str, object]:
    _no_cache(response)
    root = api_root()
    return paginate(
        request,
        [amendment_out(a, root) for a in store.get_contribution(id, user=reader(request)).amendments],
        limit,
        offset,
    )


@router.get(
    "/contributions/{id}/amendments/{ident}",
    response={200: AmendmentOut, **ERROR_RESPONSES},
    summary="One amendment",
)
def get_amendment(
    request: HttpRequest, response: HttpResponse, id: int = IdPath, ident: str = IdentPath
) -> AmendmentOut:
    _no_cache(response)
    return amendment_out(store.get_contribution(id, user=reader(request)).amendment(ident), api_root())


@router.get(
    "/plans/{code}/versions/{n}/conflicts",
    response={200: ConflictsOut, **ERROR_RESPONSES},
    summary="Conflicting amendments to a version",
)
def get_conflicts(
    request: HttpRequest, response: HttpResponse, code: str = CodePath, n: int = NumberPath
) -> ConflictsOut:
    """Amendments of the submitted contributions against version ``n`` that change overlapping text,
    grouped in conflict sets, in document order; each set's members in the suggested order of
    consideration (furthest from the text first)."""
    _no_cache(response)
    ref = store_api.version_info(f"{check_code(code)}@{n}").ref
    sets = store.conflicts(ref)
    items = [
        ConflictSetOut(
            eid=s.eid,
            field=s.field,
            lang=s.lang,
            base_text=s.base_text,
            members=[
                VariantOut(
                    key=v.proposed.key,
                    contribution=v.proposed.contribution,
                    sponsor=v.proposed.label,
                    text=v.text,
                    ops=[OpOut(kind=o.kind, text=o.text) for o in v.ops],
                    departure=round(v.departure, 4),
                )
                for v in s.members
            ],
        )
        for s in sets
    ]
    return ConflictsOut(base=ref, count=len(items), items=items)


# -- writing ------------------------------------------------------------------------------


@router.post(
    "/contributions",
    response={201: ContributionOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Create a contribution",
)
def create_contribution(request: HttpRequest, body: ContributionIn) -> Status[ContributionOut]:
    """A draft (amendments are added to it later) or, with ``status: submitted``, a complete contribution."""
    data = body.model_dump()
    header = Contribution.model_validate({**data, "status": body.status, "amendments": body.amendments})
    info = store.create_contribution(header, user=_user(request))
    return Status(201, contribution_out(info, api_root()))


@router.post(
    "/contributions/{id}/amendments",
    response={201: list[AmendmentOut], **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Amend a text (amendments computed from an edit)",
)
def add_amendments(request: HttpRequest, body: EditIn, id: int = IdPath) -> Status[list[AmendmentOut]]:
    """The draft's amendments of the text become those that turn the base text into ``text``.

    Answers the contribution's amendments of that text after the save.
    """
    info = store.get_contribution(id, user=_user(request))
    saved = store.add_amendments_from_edit(
        id,
        body.eid,
        body.field,
        body.lang or info.contribution.language,
        body.text,
        justification=body.justification,
        expected=body.expected,
        user=_user(request),
    )
    root = api_root()
    return Status(201, [amendment_out(a, root) for a in saved])


@router.put(
    "/contributions/{id}/amendments/{ident}",
    response={200: AmendmentOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Change an amendment (with the revision loaded)",
)
def update_amendment(
    request: HttpRequest, body: AmendmentUpdateIn, id: int = IdPath, ident: str = IdentPath
) -> AmendmentOut:
    """409 when the amendment changed since ``revision``: nothing is written."""
    saved = store.update_amendment(id, ident, body.amendment, body.revision, user=_user(request))
    return amendment_out(saved, api_root())


@router.post(
    "/contributions/{id}/submit",
    response={200: ContributionOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Submit a draft",
)
def submit(request: HttpRequest, body: RevisionIn, id: int = IdPath) -> ContributionOut:
    return contribution_out(store.submit_contribution(id, body.revision, user=_user(request)), api_root())


@router.post(
    "/contributions/{id}/withdraw",
    response={200: ContributionOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Withdraw a contribution",
)
def withdraw(request: HttpRequest, body: RevisionIn, id: int = IdPath) -> ContributionOut:
    return contribution_out(store.withdraw_contribution(id, body.revision, user=_user(request)), api_root())


@router.post(
    "/plans/{code}/versions/{n}/adopt",
    response={201: AdoptionOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Adopt the decided amendments as a new version (secretariat)",
)
def adopt(request: HttpRequest, body: AdoptIn, code: str = CodePath, n: int = NumberPath) -> Status[AdoptionOut]:
    """Decide every pending amendment of the contributions considered and store the consolidated
    plan as the next version, in one transaction. Secretariat editors only."""
    ref = store_api.version_info(f"{check_code(code)}@{n}").ref
    decisions = [Decision(key=d.key, choice=d.choice, amendment=d.amendment) for d in body.decisions]
    done = store.adopt(ref, decisions, revisions=body.revisions, user=_user(request), note=body.note)
    root = api_root()
    return Status(
        201,
        AdoptionOut(
            base=done.base,
            version=version_out(done.version, root) if done.version else None,
            created=done.created,
            statuses={k: v.value for k, v in done.statuses.items()},
            contributions={k: v.value for k, v in done.contributions.items()},
            provenance=done.provenance,
        ),
    )


def conflict_response(request: HttpRequest, exc: store.ConflictError) -> HttpResponse:
    """A stale revision: 409 with the error body; ``where`` names the amendment or contribution."""
    return error_response(409, exc.message, where=exc.where, expected=exc.expected)
