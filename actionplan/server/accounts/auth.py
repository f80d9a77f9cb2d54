"""Who is calling the API: a bearer token (scripts) or the browser's session (with CSRF).

``Authorization: Bearer <token>`` names an :class:`~.models.ApiToken`, looked up by its
SHA-256. A token that is unknown, revoked, or whose user is disabled is refused with 401;
a ``read`` token is refused (403) by every operation that writes. Without that header the
Django session is used, and a write needs its CSRF token (``X-CSRFToken``), as ninja's
:class:`~ninja.security.SessionAuth` checks.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from actionplan.server.accounts import tokens
from actionplan.server.accounts.models import ApiToken


class BearerToken(HttpBearer):
    """An API token; ``write=True`` for operations that change something (a write-scope token)."""

    def __init__(self, *, write: bool) -> None:
        super().__init__()
        self.write = write

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = tokens.resolve(token)
        if row is None:
            raise HttpError(401, "the API token is not valid (unknown, revoked, or its user is disabled)")
        if self.write and row.scope != ApiToken.Scope.WRITE:
            raise HttpError(403, "this API token has the read scope: it cannot write")
        request.user = row.user
        return row.user


WRITE_AUTH = [BearerToken(write=True), SessionAuth()]
"""For every operation that writes: a write token, or a signed-in session with its CSRF token."""


def reader(request: HttpRequest) -> Any:
    """The user reading: the token's (if an ``Authorization: Bearer`` header is sent) or the session's.

    An invalid token is a 401 even on a public read, so a script learns its token is bad.
    """
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer":
        row = tokens.resolve(token.strip())
        if row is None:
            raise HttpError(401, "the API token is not valid (unknown, revoked, or its user is disabled)")
        return row.user
    return getattr(request, "user", None) or AnonymousUser()
