"""Full-text search of one version: ``/search?q=跨多国陆缆&plan=baap&version=1``.

Without ``plan``, the most recently imported plan is searched; without ``version``, its
latest version. Each hit has its path in the plan (objective > output > project > item),
an HTML snippet with the matches in ``<mark>``, and a link to the nearest element the API
serves (the objective, outcome, indicator or output it is in).
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from actionplan.errors import ValidationError
from actionplan.model import Plan
from actionplan.server.api import caching
from actionplan.server.api.errors import ERROR_RESPONSES
from actionplan.server.api.loading import Loaded, VersionParam, api_root, check_code
from actionplan.server.api.pagination import LimitParam, OffsetParam, page_links
from actionplan.server.api.schemas import PathStep, SearchHitOut, SearchPage
from actionplan.server.store import api as store
from actionplan.server.store.search import MAX_QUERY

router = Router(tags=["search"])


def _resources(loaded: Loaded) -> dict[str, str]:
    """eid -> API URL of every element the API serves on its own."""
    plan: Plan = loaded.plan
    urls = {o.eid: loaded.url(f"/objectives/{o.number}") for o in plan.objectives}
    urls.update({o.eid: loaded.url(f"/outcomes/{o.number}") for o in plan.all_outcomes()})
    urls.update({i.eid: loaded.url(f"/indicators/{i.number}") for i in plan.all_indicators()})
    urls.update({o.eid: loaded.url(f"/outputs/{o.number}") for o in plan.all_outputs()})
    return urls


@router.get(
    "/search",
    response={200: SearchPage, 304: None, **ERROR_RESPONSES},
    summary="Full-text search in Chinese and English",
)
def search(
    request: HttpRequest,
    response: HttpResponse,
    q: str = Query(..., max_length=MAX_QUERY, description="words to find, all of them (a Chinese phrase is one word)"),
    plan: str | None = Query(None, max_length=64, description="plan code; the most recently imported plan if omitted"),
    version: int | None = VersionParam,
    lang: Literal["zh", "en"] = Query("zh", description="preferred language of snippets and path labels"),
    limit: int = LimitParam,
    offset: int = OffsetParam,
) -> dict[str, object]:
    if "\x00" in q:
        raise ValidationError("the query contains a NUL character", where="query.q", expected="text without NUL")
    if plan is not None:
        ref: str | None = check_code(plan) if version is None else f"{check_code(plan)}@{version}"
    else:
        ref = None if version is None else str(version)  # version N of the most recent plan
    info = store.version_info(ref)
    pinned = plan is not None and version is not None
    caching.condition(request, response, [info.ref, info.content_hash], immutable=pinned)
    loaded = Loaded(info=info, plan=store.load_version(info.ref), pinned=version is not None, root=api_root())
    results = store.search(q, info.ref, lang=lang, limit=limit, offset=offset)
    resources = _resources(loaded)
    hits = []
    for hit in results.hits:
        nearest = next((resources[eid] for eid, _ in reversed(hit.path) if eid in resources), None)
        links = {"version": loaded.version_url()}
        if nearest:
            links["element"] = nearest
        hits.append(
            SearchHitOut(
                eid=hit.eid,
                kind=hit.kind,
                number=hit.number,
                path=[PathStep(eid=eid, label=label) for eid, label in hit.path],
                snippet_html=hit.snippet_html,
                lang=hit.lang,
                links=links,
            )
        )
    following, preceding = page_links(request, results.total, limit, offset)
    return {
        "query": q,
        "plan": info.plan_code,
        "version": info.number,
        "count": results.total,
        "next": following,
        "previous": preceding,
        "items": hits,
    }
