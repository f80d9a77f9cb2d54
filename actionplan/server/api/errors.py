"""One error body for every error the API returns, whatever raised it.

Every response with a 4xx or 5xx status has the same JSON body::

    {"ok": false, "status": 404, "error": "no version 9 of plan 'baap' in the store",
     "where": "baap@9", "expected": "one of baap@1..2", "errors": []}

``error`` is one line; ``where`` names the place (a plan version ``baap@9``, a parameter
``query.limit``, a path ``/api/nope``) and ``expected`` says what would have worked; both may
be null. ``errors`` lists every problem when there are several (request validation), each as
``{"where", "error"}``, the first of them repeated in ``error``.

Sources, and the status each gets:

============================================ ======
:class:`actionplan.errors.NotFoundError`      404
:class:`actionplan.errors.ValidationError`,   400
:class:`~actionplan.errors.InputError`
:class:`~actionplan.errors.StoreError`        500
ninja's request validation (bad parameters)   422
unknown URL under ``/api/``                    404
a method other than GET                        405
anything unexpected (logged)                   500
============================================ ======
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from actionplan.errors import ActionPlanError, InputError, NotFoundError, StoreError, ValidationError

logger = logging.getLogger("actionplan.server.api")

JSON_TYPE = "application/json"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
READ_METHODS = ("GET",)


class ErrorItem(Schema):
    """One problem of a request: where it is and what is wrong."""

    where: str | None
    error: str


class ErrorOut(Schema):
    """The single error body of the API (see :mod:`actionplan.server.api.errors`)."""

    ok: bool = False
    status: int
    error: str
    where: str | None = None
    expected: str | None = None
    errors: list[ErrorItem] = Field(default_factory=list)


ERROR_RESPONSES: dict[int, type[ErrorOut]] = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}
"""The error statuses every operation declares in the OpenAPI schema."""


def error_body(
    status: int,
    error: str,
    *,
    where: str | None = None,
    expected: str | None = None,
    errors: list[dict[str, str | None]] | None = None,
) -> dict[str, Any]:
    """The error body as a dict; ``error`` is folded onto one line."""
    return {
        "ok": False,
        "status": status,
        "error": " ".join(error.split()),
        "where": where,
        "expected": expected,
        "errors": errors or [],
    }


def error_response(status: int, error: str, **fields: Any) -> JsonResponse:
    """An :class:`~django.http.JsonResponse` carrying :func:`error_body`."""
    body = error_body(status, error, **fields)
    return JsonResponse(body, status=status, content_type=JSON_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False})


def status_of(exc: ActionPlanError) -> int:
    """The HTTP status for a core exception."""
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, ValidationError | InputError):
        return 400
    if isinstance(exc, StoreError):
        return 500
    return 400


def from_actionplan_error(request: HttpRequest, exc: ActionPlanError) -> HttpResponse:
    status = status_of(exc)
    if status >= 500:
        logger.error("%s %s: %s", request.method, request.get_full_path(), exc)
    return error_response(status, exc.message, where=exc.where, expected=exc.expected)


def from_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """ninja's parameter validation errors (a list of pydantic errors) as one body, 422."""
    items = [{"where": _loc(e.get("loc", ())), "error": str(e.get("msg", "invalid"))} for e in exc.errors]
    if not items:
        items = [{"where": None, "error": "invalid request"}]
    first = items[0]
    more = f" (and {len(items) - 1} more)" if len(items) > 1 else ""
    return error_response(422, f"{first['error']}{more}", where=first["where"], errors=items)


def _loc(loc: Any) -> str | None:
    parts = [str(p) for p in loc] if isinstance(loc, list | tuple) else [str(loc)]
    return ".".join(parts) or None


def from_http404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return not_found_response(request)


def from_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(exc.status_code, str(exc), where=request.path)


def from_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("%s %s failed", request.method, request.get_full_path())
    return error_response(500, f"internal error ({type(exc).__name__})", where=request.path)


HANDLERS: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
    (ActionPlanError, from_actionplan_error),
    (NinjaValidationError, from_validation_error),
    (Http404, from_http404),
    (HttpError, from_http_error),
    (Exception, from_unexpected),
]
"""Exception handlers installed on the NinjaAPI, in the order ninja looks them up (by MRO)."""


def not_found_response(request: HttpRequest) -> JsonResponse:
    return error_response(
        404,
        f"no API endpoint at {request.path}",
        where=request.path,
        expected="a path listed in /api/openapi.json (browse /api/docs)",
    )


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
    """The catch-all view for unknown URLs under ``/api/``: a JSON 404, never HTML."""
    if request.method not in READ_METHODS:
        return method_not_allowed(request)
    return not_found_response(request)


def method_not_allowed(request: HttpRequest, allowed: str = ", ".join(READ_METHODS)) -> JsonResponse:
    """405 for a method the URL does not take; ``allowed`` is what it takes (the ``Allow`` header)."""
    read_only = {m.strip() for m in allowed.split(",")} <= set(READ_METHODS)
    response = error_response(
        405,
        f"method {request.method} not allowed: the API is read-only"
        if read_only
        else f"method {request.method} not allowed here",
        where=request.path,
        expected=allowed,
    )
    response["Allow"] = allowed
    return response


def json_errors(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wrap an API URL's view: error responses always in the error body.

    Each operation declares its methods; a method the URL does not take is a 405 (ninja's
    own "Method not allowed", and the ``require_GET`` of the schema and docs pages). Writes
    are CSRF-checked by their session authentication, never by a CSRF page. An error
    response that is not JSON (ninja's 405, Django's 404 page) is replaced by the error
    body with the same status.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(JSON_TYPE):
            if response.status_code == 404:
                return not_found_response(request)
            if response.status_code == 405:
                return method_not_allowed(request, response.get("Allow") or ", ".join(READ_METHODS))
            return error_response(response.status_code, f"request failed ({response.status_code})", where=request.path)
        return response

    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapped
