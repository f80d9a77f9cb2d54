"""URLs under ``/api/``: the NinjaAPI's routes, then a JSON 404 for everything else.

Every view is wrapped by :func:`.errors.json_errors`, so no URL under ``/api/`` answers
with an HTML page or a method other than GET.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, re_path

from actionplan.server.api.app import api
from actionplan.server.api.errors import json_errors, not_found

app_name = "api"


def _wrapped(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = json_errors(pattern.callback)
    return patterns


ninja_patterns, _, _ = api.urls

urlpatterns: list[URLPattern | URLResolver] = [
    *_wrapped(list(ninja_patterns)),
    re_path(r"^.*$", not_found, name="not-found"),
]
