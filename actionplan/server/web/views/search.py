"""Full-text search of a version: highlighted snippets and the path of each hit.

The page works as a plain GET form; with htmx, typing updates the results in place (the
view answers an htmx request with the results fragment only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from actionplan.errors import ValidationError
from actionplan.render._labels import html_lang
from actionplan.server.store import api
from actionplan.server.web.current import current, versioned
from actionplan.server.web.links import urls_for_eid
from actionplan.server.web.texts import ui_lang
from actionplan.server.web.views.base import crumb, home_crumb, page

PAGE_SIZE = 50


@dataclass(frozen=True)
class Hit:
    url: str
    path: list[tuple[str, str]]
    """(label, url) from the objective down to the element"""
    snippet: SafeString
    lang: str
    kind: str


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@versioned
def search(request: HttpRequest) -> HttpResponse:
    cur = current(request)
    query = request.GET.get("q", "").strip()
    number = _page_number(request)
    hits: list[Hit] = []
    total, error = 0, ""
    if query:
        try:
            results = api.search(query, cur.info.ref, lang=ui_lang(), limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        except ValidationError as exc:
            error = str(exc)
        else:
            total = results.total
            hits = [
                Hit(
                    url=urls_for_eid(cur.plan, h.eid, cur.query),
                    path=[(name, urls_for_eid(cur.plan, eid, cur.query)) for eid, name in h.path],
                    # the store escapes the text and adds only <mark> tags
                    snippet=mark_safe(h.snippet_html),
                    lang=html_lang(h.lang),
                    kind=h.kind,
                )
                for h in results.hits
            ]
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    context: dict[str, Any] = {
        "query": query,
        "hits": hits,
        "total": total,
        "error": error,
        "page_number": number,
        "first": (number - 1) * PAGE_SIZE + 1,
        "last": (number - 1) * PAGE_SIZE + len(hits),
        "previous_page": number - 1 if number > 1 else None,
        "next_page": number + 1 if number < pages else None,
    }
    fragment = request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")
    if fragment:
        return render(request, "web/_search_results.html", {**context, "version_qs": cur.query, "version_ref": cur.ref})
    title = _("Search")
    return page(
        request,
        "web/search.html",
        cur,
        title=f"{title}: {query}" if query else title,
        crumbs=[home_crumb(cur), crumb(cur, title)],
        **context,
    )
