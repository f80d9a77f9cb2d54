"""Admin: activity records are browsable and correctable (each change is audited); indicator
editions and approved snapshots only browsable, as they are immutable."""

from __future__ import annotations

from django.contrib import admin

from actionplan.server.monitor import models
from actionplan.server.store.admin import ReadOnlyAdmin


@admin.register(models.Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("key", "kind", "start_date", "country", "region", "online")
    list_filter = ("kind", "region", "online")
    search_fields = ("key", "title", "city", "country")
    date_hierarchy = "start_date"


@admin.register(models.Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("person_key", "sex", "age_band", "disability", "country", "organisation_type")
    list_filter = ("sex", "age_band", "disability", "organisation_type")
    search_fields = ("person_key", "country")


@admin.register(models.Assistance)
class AssistanceAdmin(admin.ModelAdmin):
    list_display = ("key", "country", "output", "kind", "delivered_on")
    list_filter = ("output", "kind")
    search_fields = ("key", "country", "description")


@admin.register(models.Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ("key", "kind", "output", "released_on", "due_on")
    list_filter = ("output", "kind")
    search_fields = ("key", "title")


@admin.register(models.Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("key", "partner", "partner_type", "output", "signed_on", "cash_chf", "in_kind_chf")
    list_filter = ("partner_type", "output")
    search_fields = ("key", "partner")


@admin.register(models.Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ("indicator", "year", "achieved", "level", "due_on", "achieved_on")
    list_filter = ("indicator", "year", "achieved")


@admin.register(models.IndicatorSet)
class IndicatorSetAdmin(ReadOnlyAdmin):
    list_display = ("version", "number", "note", "created_at", "created_by")


@admin.register(models.Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ("year", "approved_at", "approved_by", "content_hash")
