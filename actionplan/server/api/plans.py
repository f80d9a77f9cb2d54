"""Plans and their versions: ``/plans``, ``/plans/{code}``, ``/plans/{code}/versions[/{n}]``."""

from __future__ import annotations

from collections import defaultdict
from itertools import chain

from django.http import HttpRequest, HttpResponse
from ninja import Router

from actionplan.server.api import caching
from actionplan.server.api.errors import ERROR_RESPONSES
from actionplan.server.api.loading import CodePath, NumberPath, api_root, check_code
from actionplan.server.api.pagination import LimitParam, OffsetParam, paginate
from actionplan.server.api.schemas import Counts, PlanOut, PlanPage, VersionOut, VersionPage
from actionplan.server.store import api as store

router = Router(tags=["plans"])


def version_out(info: store.VersionInfo, root: str) -> VersionOut:
    base = f"{root}plans/{info.plan_code}"
    pin = f"?version={info.number}"
    return VersionOut(
        plan=info.plan_code,
        number=info.number,
        ref=info.ref,
        imported_at=info.imported_at,
        content_hash=info.content_hash,
        source_name=info.source_name,
        source_format=info.source_format,
        note=info.note,
        counts=Counts(**info.counts),
        links={
            "self": f"{base}/versions/{info.number}",
            "plan": base,
            "objectives": f"{base}/objectives{pin}",
            "outcomes": f"{base}/outcomes{pin}",
            "indicators": f"{base}/indicators{pin}",
            "outputs": f"{base}/outputs{pin}",
            "references": f"{base}/references{pin}",
            "matrices": f"{base}/matrices{pin}",
            "coverage": f"{base}/coverage{pin}",
            "search": f"{root}search?plan={info.plan_code}&version={info.number}",
        },
    )


def plan_out(versions: list[store.VersionInfo], root: str) -> PlanOut:
    """A plan from its versions (in number order); titles come from the latest one."""
    latest = versions[-1]
    plan = store.load_version(latest.ref)
    base = f"{root}plans/{latest.plan_code}"
    return PlanOut(
        code=latest.plan_code,
        title=plan.title,
        period=plan.period,
        language=plan.language,
        latest_version=latest.number,
        versions=[version_out(v, root) for v in versions],
        links={
            "self": base,
            "versions": f"{base}/versions",
            "latest": f"{base}/versions/{latest.number}",
            "objectives": f"{base}/objectives",
            "outputs": f"{base}/outputs",
            "coverage": f"{base}/coverage",
            "search": f"{root}search?plan={latest.plan_code}",
        },
    )


def _by_plan(versions: list[store.VersionInfo]) -> dict[str, list[store.VersionInfo]]:
    grouped: dict[str, list[store.VersionInfo]] = defaultdict(list)
    for v in versions:
        grouped[v.plan_code].append(v)
    return dict(grouped)


def _hashes(versions: list[store.VersionInfo]) -> list[str]:
    return list(chain.from_iterable((v.ref, v.content_hash) for v in versions))


@router.get(
    "/plans",
    response={200: PlanPage, 304: None, **ERROR_RESPONSES},
    summary="Plans with their versions",
)
def list_plans(
    request: HttpRequest, response: HttpResponse, limit: int = LimitParam, offset: int = OffsetParam
) -> dict[str, object]:
    """Every stored plan, by code, with all its versions. Revalidate: plans and versions are added."""
    versions = store.list_versions()
    caching.condition(request, response, _hashes(versions), immutable=False)
    root = api_root()
    plans = [plan_out(vs, root) for vs in _by_plan(versions).values()]
    return paginate(request, plans, limit, offset)


@router.get(
    "/plans/{code}",
    response={200: PlanOut, 304: None, **ERROR_RESPONSES},
    summary="One plan with its versions",
)
def get_plan(request: HttpRequest, response: HttpResponse, code: str = CodePath) -> PlanOut:
    versions = store.list_versions(check_code(code))
    caching.condition(request, response, _hashes(versions), immutable=False)
    return plan_out(versions, api_root())


@router.get(
    "/plans/{code}/versions",
    response={200: VersionPage, 304: None, **ERROR_RESPONSES},
    summary="The versions of a plan",
)
def list_plan_versions(
    request: HttpRequest,
    response: HttpResponse,
    code: str = CodePath,
    limit: int = LimitParam,
    offset: int = OffsetParam,
) -> dict[str, object]:
    """The stored versions of plan ``code`` by number, oldest first."""
    versions = store.list_versions(check_code(code))
    caching.condition(request, response, _hashes(versions), immutable=False)
    root = api_root()
    return paginate(request, [version_out(v, root) for v in versions], limit, offset)


@router.get(
    "/plans/{code}/versions/{n}",
    response={200: VersionOut, 304: None, **ERROR_RESPONSES},
    summary="One version's metadata",
)
def get_version(request: HttpRequest, response: HttpResponse, code: str = CodePath, n: int = NumberPath) -> VersionOut:
    """A stored version never changes: the response is cacheable for a year."""
    info = store.version_info(f"{check_code(code)}@{n}")
    caching.condition(request, response, [info.ref, info.content_hash], immutable=True)
    return version_out(info, api_root())
