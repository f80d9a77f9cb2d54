"""HTTP caching: ETags from stored content hashes, conditional GET, cache lifetimes.

A response about one stored version is a function of the version's content (its
``content_hash``), of the request's path and query, and of this API's code. Its ETag is a
SHA-256 over exactly these, computed *before* the plan is loaded, so a matching
``If-None-Match`` is answered ``304 Not Modified`` with no parsing at all.

Two lifetimes:

``Cache-Control: public, max-age=31536000, immutable``
    The request pins a version (``?version=N``, or ``/versions/{n}``): stored versions
    never change, so caches may keep the response for a year without asking again.
``Cache-Control: no-cache``
    The request means "the latest version" (no ``?version=``) or lists something that grows
    (plans, versions): caches must revalidate, which costs one conditional GET and, while
    nothing was imported, a 304.

Links in bodies are root-relative (``/api/...``), never absolute, so a body depends on
nothing outside its ETag (not even on the ``Host`` header).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib import metadata

from django.http import HttpRequest, HttpResponse
from django.utils.http import parse_etags

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def _code_revision() -> str:
    try:
        return metadata.version("actionplan")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


API_REVISION = f"api-1:{_code_revision()}"
"""Part of every ETag: a new release of the API code never reuses an old ETag."""


class NotModified(Exception):
    """Raised by :func:`condition` when the client's copy is current; becomes a 304."""

    def __init__(self, etag: str, cache_control: str):
        super().__init__(etag)
        self.etag = etag
        self.cache_control = cache_control


def etag_for(request: HttpRequest, parts: Iterable[str]) -> str:
    """A strong ETag over ``parts`` (content hashes), the path and query, and the API code."""
    digest = hashlib.sha256()
    for part in (API_REVISION, *parts, request.get_full_path()):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return f'"{digest.hexdigest()[:40]}"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Weak comparison (RFC 9110, 13.1.2): ``W/"x"`` matches ``"x"``; ``*`` matches anything."""
    if not if_none_match:
        return False
    tags = parse_etags(if_none_match)
    if "*" in tags:
        return True
    return any(tag.removeprefix("W/") == etag for tag in tags)


def condition(request: HttpRequest, response: HttpResponse, parts: Iterable[str], *, immutable: bool) -> None:
    """Set ``ETag`` and ``Cache-Control`` on ``response``, or raise :class:`NotModified`."""
    etag = etag_for(request, parts)
    cache_control = IMMUTABLE if immutable else REVALIDATE
    if matches(request.headers.get("If-None-Match"), etag):
        raise NotModified(etag, cache_control)
    response["ETag"] = etag
    response["Cache-Control"] = cache_control


def not_modified(request: HttpRequest, exc: NotModified) -> HttpResponse:
    """The 304 response (no body) for :class:`NotModified`."""
    response = HttpResponse(status=304)
    response["ETag"] = exc.etag
    response["Cache-Control"] = exc.cache_control
    return response
