"""Browsable API docs at ``/api/docs``: the vendored swagger-ui, no CDN, no inline script.

The page loads ``vendor/swagger-ui-dist`` (see ``web/static/vendor/README.md``) and
``api/docs.js``, which reads the schema URL from the page's ``data-openapi-url``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI


class VendoredSwagger(DocsBase):
    """swagger-ui from this project's static files (ninja's own template would use a CDN)."""

    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        context = {"title": api.title, "openapi_url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, context)
