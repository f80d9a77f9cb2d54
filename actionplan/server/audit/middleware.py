"""``AuditActorMiddleware``: writes made while serving a request are recorded as made by its user.

Place it after ``django.contrib.auth.middleware.AuthenticationMiddleware``. The user is
resolved only when an entry is recorded (``request.user`` stays lazy).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from actionplan.server.audit.api import acting_as


class AuditActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_as(request.user if hasattr(request, "user") else "anonymous"):
            return self.get_response(request)
