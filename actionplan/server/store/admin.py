"""Read-only admin: the store is written by imports and by the contribution workflow, never by hand.

Contributions and amendments are changed through :mod:`actionplan.server.store.contributions`
(which keeps their JSON content, derived columns and revisions consistent), so the admin
only shows them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from actionplan.server.store.models import (
    AdoptedChange,
    Amendment,
    Contribution,
    Element,
    Plan,
    PlanVersion,
    ReferenceLink,
)


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


class AmendmentInline(admin.TabularInline):
    model = Amendment
    fields = ("position", "ident", "type", "target_eid", "status", "revision", "updated_at", "updated_by")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ("document", "meeting", "date", "sponsors", "status", "base", "revision", "updated_at")
    list_filter = ("status", "base")
    search_fields = ("document", "meeting", "sponsors", "title")
    list_select_related = ("base__plan",)
    readonly_fields = (
        "document",
        "base",
        "meeting",
        "date",
        "language",
        "sponsors",
        "title",
        "status",
        "revision",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "content",
    )
    inlines = (AmendmentInline,)


@admin.register(Amendment)
class AmendmentAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "contribution", "type", "target_eid", "status", "revision", "adopted_in")
    list_filter = ("status", "type")
    search_fields = ("ident", "target_eid", "contribution__document", "content")
    list_select_related = ("contribution", "adopted_in__plan")
    readonly_fields = (
        "contribution",
        "position",
        "ident",
        "type",
        "target_eid",
        "status",
        "parent",
        "revision",
        "adopted_in",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "content",
        "adopted_content",
    )


@admin.register(AdoptedChange)
class AdoptedChangeAdmin(ReadOnlyAdmin):
    list_display = ("version", "amendment", "eid")
    list_filter = ("version",)
    search_fields = ("eid", "amendment__ident", "amendment__contribution__document")
    list_select_related = ("version__plan", "amendment__contribution")
