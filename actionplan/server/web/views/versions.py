"""The list of stored versions, each a link to browse it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from actionplan.server.store import api
from actionplan.server.web.current import asked_ref, current
from actionplan.server.web.views.base import crumb, home_crumb, page


def versions(request: HttpRequest) -> HttpResponse:
    rows = api.list_versions()
    cur = current(request) if rows or asked_ref(request) else None
    latest = {}
    for info in rows:
        latest[info.plan_code] = info.number  # rows come by plan, then number
    title = _("Versions")
    return page(
        request,
        "web/versions.html",
        cur,
        title=title,
        crumbs=[home_crumb(cur), crumb(cur, title)] if cur else [],
        rows=[(info, info.number == latest[info.plan_code]) for info in rows],
    )
