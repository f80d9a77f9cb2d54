"""The secretariat's view of the audit trail: ``/audit/`` (newest first, filtered, paginated) and its CSV."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import user_passes_test
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplan.server.accounts.permissions import has_role, is_signed_in
from actionplan.server.accounts.roles import ADMINISTRATOR, SECRETARIAT
from actionplan.server.audit import api
from actionplan.server.audit.models import AuditEntry

PER_PAGE = 50
FILTERS = ("actor", "action", "object_type", "object_id")


def _reads_the_audit_trail(user: object) -> bool:
    """The secretariat and administrators (superusers count as administrators)."""
    return is_signed_in(user) and (has_role(user, SECRETARIAT) or has_role(user, ADMINISTRATOR))


secretariat_only = user_passes_test(_reads_the_audit_trail)
"""Staff users only (others are sent to sign in); the accounts app will name the secretariat role here."""


def _filters(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET.get(name, "").strip()[:200] for name in FILTERS}


@secretariat_only
def entries(request: HttpRequest) -> HttpResponse:
    chosen = _filters(request)
    found = _entries(chosen)
    pages = Paginator(found, PER_PAGE)
    current = pages.get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in chosen.items() if v})
    return render(
        request,
        "audit/entries.html",
        {
            "page_title": _("Audit trail"),
            "page": current,
            "filters": chosen,
            "query": query,
            "actions": _distinct("action"),
            "object_types": _distinct("object_type"),
            "total": pages.count,
        },
    )


@secretariat_only
def export(request: HttpRequest) -> HttpResponse:
    """The entries matching the page's filters, oldest first, as CSV (every field)."""
    rows = _entries(_filters(request)).order_by("sequence").iterator(chunk_size=2000)
    response = HttpResponse(api.csv_text(rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response


def _entries(chosen: dict[str, str]) -> QuerySet[AuditEntry]:
    return api.entries(
        actor=chosen["actor"], action=chosen["action"], object_type=chosen["object_type"], object_id=chosen["object_id"]
    )


def _distinct(name: str) -> list[str]:
    return list(AuditEntry.objects.order_by(name).values_list(name, flat=True).distinct())
