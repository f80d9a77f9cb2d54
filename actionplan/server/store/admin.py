"""Read-only admin: the store is written by imports only, never by hand."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from actionplan.server.store.models import Element, Plan, PlanVersion, ReferenceLink


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse and search; no add, change or delete (versions are the official record)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("code", "title_zh", "title_en", "created_at")
    search_fields = ("code", "title_zh", "title_en")


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "imported_at", "source_name", "source_format", "note")
    list_filter = ("plan",)
    search_fields = ("plan__code", "content_hash", "source_name", "note")
    readonly_fields = (
        "plan",
        "number",
        "content_hash",
        "source_name",
        "source_format",
        "source_sha256",
        "imported_at",
        "note",
        "content",
    )


@admin.register(Element)
class ElementAdmin(ReadOnlyAdmin):
    list_display = ("eid", "kind", "number", "version", "text_zh", "text_en")
    list_filter = ("kind", "version")
    search_fields = ("eid", "text_zh", "text_en")
    list_select_related = ("version__plan",)


@admin.register(ReferenceLink)
class ReferenceLinkAdmin(ReadOnlyAdmin):
    list_display = ("output_number", "scheme", "code", "version")
    list_filter = ("scheme", "version")
    search_fields = ("code", "output_eid")
    list_select_related = ("version__plan",)
