"""Admin: indicator definitions are editable by the secretariat; observations, batches and
frameworks are shown read-only (they are immutable: a correction is a new vintage or edition)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from actionplan.server.accounts.permissions import can_keep_records
from actionplan.server.stats.models import Framework, ImportBatch, IndicatorDefinition, Observation
from actionplan.server.store.admin import ReadOnlyAdmin


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(admin.ModelAdmin):
    """Names, units, plausible ranges: validation of later imports reads the edited rows."""

    list_display = ("code", "name_zh", "name_en", "unit", "itu_code", "min_value", "max_value", "higher_is_better")
    search_fields = ("code", "name_zh", "name_en", "itu_code")
    readonly_fields = ("code", "updated_at")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_keep_records(request.user) or super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_keep_records(request.user) or bool(getattr(request.user, "is_superuser", False))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # codes come from the catalogue, which frameworks and files refer to

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("id", "filename", "format", "rows", "unchanged", "recorded_on", "imported_at", "imported_by",
                    "sample")
    search_fields = ("filename", "sha256", "imported_by")


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = ("economy", "indicator", "year", "value", "flags", "recorded_on", "batch")
    list_filter = ("indicator",)
    search_fields = ("economy", "indicator")


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ("name", "edition", "created_by", "created_at", "note")
    search_fields = ("name", "note")
