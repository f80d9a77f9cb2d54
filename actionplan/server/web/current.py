"""Which plan version a page shows, and the caching rules that follow from it.

Every page accepts ``?version=REF`` (``3``, ``baap``, ``baap@3``; see
:mod:`actionplan.server.store.api`). Without it a page shows the latest version. A ref
that names a version number is *pinned*: that version never changes, so its pages get a
long private ``Cache-Control`` and an ``ETag``; pages of "the latest" get an ``ETag`` that
changes when a new version is imported, and must be revalidated.

Rendered pages are also kept on the server (Django's cache, keyed by the same ETag): a
page of a given version, language and URL is rendered once per process. The one part of
a page that belongs to the visitor, the CSRF token of the language form, is put back
fresh into every response served from that cache.

Links keep the version: views put ``version_qs`` (``"?version=baap@3"`` or ``""``) in the
context, and the ``vurl`` and ``eid_url`` template tags append it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import condition

import actionplan
from actionplan.errors import NotFoundError, ValidationError
from actionplan.model import Plan
from actionplan.server.store import api

PARAM = "version"
PINNED_MAX_AGE = 24 * 3600
"""Seconds a browser may reuse a page of a pinned version without asking again."""


@dataclass(frozen=True)
class Current:
    """The version a request shows: its plan, its stored info, and how it was asked for."""

    plan: Plan
    info: api.VersionInfo
    pinned: bool
    """True when ``?version=`` names a version number (the page can never change)."""
    asked: str | None
    """``?version=`` as given (None: the latest version)."""

    @property
    def ref(self) -> str | None:
        """The ref to keep in links: ``code@n`` when pinned, the plan code or None otherwise."""
        if self.pinned:
            return self.info.ref
        return self.asked

    @property
    def query(self) -> str:
        return version_query(self.ref)


def asked_ref(request: HttpRequest) -> str | None:
    """``?version=`` of the request, stripped; None when absent or empty."""
    value = request.GET.get(PARAM, "").strip()
    return value or None


def version_query(ref: str | None) -> str:
    """``"?version=<ref>"`` for links, or ``""`` for the latest version."""
    return "?" + urlencode({PARAM: ref}) if ref else ""


def is_pinned(ref: str | None) -> bool:
    """Whether ``ref`` names a version number (``3`` or ``baap@3``); False if unreadable."""
    try:
        return api.parse_ref(ref)[1] is not None
    except ValidationError:
        return False


def version_of(request: HttpRequest) -> api.VersionInfo:
    """The stored version the request asks for, looked up once per request (the ETag and
    the view both need it); raises the store's error for an unknown or malformed ref."""
    if not hasattr(request, "_actionplan_version"):
        try:
            found: api.VersionInfo | Exception = api.version_info(asked_ref(request))
        except (NotFoundError, ValidationError) as exc:
            found = exc
        request._actionplan_version = found  # type: ignore[attr-defined]
    found = request._actionplan_version  # type: ignore[attr-defined]
    if isinstance(found, Exception):
        raise found
    return found


def current(request: HttpRequest) -> Current:
    """The version the request asks for, loaded; unknown or malformed refs are a 404."""
    asked = asked_ref(request)
    try:
        info = version_of(request)
        plan = api.load_version(info.ref)
    except (NotFoundError, ValidationError) as exc:
        raise Http404(str(exc)) from exc
    return Current(plan=plan, info=info, pinned=is_pinned(asked), asked=asked)


def _etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str | None:
    """Content hash of the version, UI language, full path and code version; None on errors.

    Computed once per request (the conditional-GET check and the page cache both use it).
    """
    if not hasattr(request, "_actionplan_etag"):
        request._actionplan_etag = _compute_etag(request)  # type: ignore[attr-defined]
    return request._actionplan_etag  # type: ignore[attr-defined]


def _compute_etag(request: HttpRequest) -> str | None:
    try:
        info = version_of(request)
    except (NotFoundError, ValidationError):
        return None  # the view raises the 404
    parts = [
        info.ref,
        info.content_hash,
        get_language() or "",
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        actionplan.__version__,
    ]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:40]


View = Callable[..., HttpResponse]

_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def _rendered_once(view: View) -> View:
    """Serve a page from the server-side cache when this version/language/URL was rendered."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        etag = _etag(request) if request.method in ("GET", "HEAD") else None
        key = f"page:{etag}"
        if etag:
            cached = cache.get(key)
            if cached is not None:
                status, content_type, body = cached
                token = get_token(request).encode()
                body = _CSRF_FIELD.sub(lambda m: m[1] + token + m[2], body)
                return HttpResponse(body, status=status, content_type=content_type)
        response = view(request, *args, **kwargs)
        if etag and response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (response.status_code, response["Content-Type"], response.content), timeout=3600)
        return response

    return wrapper


def versioned(view: View) -> View:
    """Cache headers for a page of one plan version: ETag always, long max-age when pinned.

    The page depends on the UI language (a cookie) and on htmx requests getting a fragment,
    so the response varies on both.
    """
    conditional = condition(etag_func=_etag)(_rendered_once(view))

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = conditional(request, *args, **kwargs)
        if response.status_code in (200, 304):
            if is_pinned(asked_ref(request)):
                patch_cache_control(response, private=True, max_age=PINNED_MAX_AGE)
            else:
                patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ("Cookie", "Accept-Language", "HX-Request"))
        return response

    return wrapper
