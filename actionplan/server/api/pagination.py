"""Limit/offset pagination with links, the same for every list the API returns.

A page is ``{"count": 17, "next": "/api/...?limit=5&offset=10", "previous": "...",
"items": [...]}``: ``count`` is the size of the whole list, ``next`` and ``previous`` are
root-relative links (the request's path and query with ``offset`` moved), or null at
either end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from django.http import HttpRequest
from ninja import Query, Schema

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 2_000_000_000
"""Offsets beyond this are refused (422): no list is that long, and databases store 32-bit ints."""

LimitParam = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"items per page (1-{MAX_LIMIT})")
OffsetParam = Query(0, ge=0, le=MAX_OFFSET, description="how many items to skip")


class Page(Schema, Generic[T]):
    """One page of a list."""

    count: int
    next: str | None
    previous: str | None
    items: list[T]


def page_links(request: HttpRequest, count: int, limit: int, offset: int) -> tuple[str | None, str | None]:
    """``(next, previous)`` links for the page ``[offset, offset + limit)`` of ``count`` items."""

    def link(new_offset: int) -> str:
        query = request.GET.copy()
        query["limit"] = str(limit)
        query["offset"] = str(new_offset)
        return f"{request.path}?{query.urlencode()}"

    following = link(offset + limit) if offset + limit < count else None
    preceding = link(max(0, min(offset, count) - limit)) if offset > 0 else None
    return following, preceding


def paginate(request: HttpRequest, items: Sequence[Any], limit: int, offset: int) -> dict[str, Any]:
    """The page of ``items`` (a whole list) selected by ``limit`` and ``offset``."""
    following, preceding = page_links(request, len(items), limit, offset)
    return {
        "count": len(items),
        "next": following,
        "previous": preceding,
        "items": list(items[offset : offset + limit]),
    }
