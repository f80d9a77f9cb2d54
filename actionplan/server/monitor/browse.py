"""Listing the records behind a number: the rows of one table by id, with what a reader needs to see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from actionplan.server.monitor import models


@dataclass
class Listing:
    """Column headings and rows (already formatted) of the first ``limit`` records."""

    columns: list[str]
    rows: list[list[Any]]
    shown: int


def _events(ids: list[int]) -> QuerySet[Any]:
    return models.Event.objects.filter(pk__in=ids).values_list(
        "key", "kind", "title", "start_date", "end_date", "city", "country", "region", "online", "recorded_on"
    )


def _participations(ids: list[int]) -> QuerySet[Any]:
    return (
        models.Participation.objects.filter(pk__in=ids)
        .order_by("event__start_date", "event__key", "participant__person_key")
        .values_list(
            "event__key",
            "event__start_date",
            "participant__person_key",
            "participant__sex",
            "participant__age_band",
            "participant__disability",
            "participant__country",
            "participant__organisation_type",
            "completed",
            "assessed",
            "satisfaction",
            "recorded_on",
        )
    )


def _assistance(ids: list[int]) -> QuerySet[Any]:
    return models.Assistance.objects.filter(pk__in=ids).values_list(
        "key", "country", "output", "kind", "delivered_on", "description", "recorded_on"
    )


def _publications(ids: list[int]) -> QuerySet[Any]:
    return models.Publication.objects.filter(pk__in=ids).values_list(
        "key", "kind", "title", "output", "due_on", "released_on", "recorded_on"
    )


def _uses(ids: list[int]) -> QuerySet[Any]:
    return (
        models.PublicationUse.objects.filter(pk__in=ids)
        .order_by("publication__key", "year", "month")
        .values_list("publication__key", "year", "month", "downloads", "page_views", "users")
    )


def _partnerships(ids: list[int]) -> QuerySet[Any]:
    return models.Partnership.objects.filter(pk__in=ids).values_list(
        "key", "partner", "partner_type", "output", "signed_on", "cash_chf", "in_kind_chf", "recorded_on"
    )


def _milestones(ids: list[int]) -> QuerySet[Any]:
    return models.Milestone.objects.filter(pk__in=ids).values_list(
        "indicator", "year", "achieved", "level", "due_on", "achieved_on", "evidence", "recorded_on"
    )


TABLES = {
    "monitor_event": (
        _events,
        ["key", "kind", "title", "start_date", "end_date", "city", "country", "region", "online", "recorded_on"],
    ),
    "monitor_participation": (
        _participations,
        [
            "event_key",
            "event_date",
            "person_key",
            "sex",
            "age_band",
            "disability",
            "country",
            "organisation_type",
            "completed",
            "assessed",
            "satisfaction",
            "recorded_on",
        ],
    ),
    "monitor_assistance": (
        _assistance,
        ["key", "country", "output", "kind", "delivered_on", "description", "recorded_on"],
    ),
    "monitor_publication": (_publications, ["key", "kind", "title", "output", "due_on", "released_on", "recorded_on"]),
    "monitor_publication_use": (_uses, ["publication_key", "year", "month", "downloads", "page_views", "users"]),
    "monitor_partnership": (
        _partnerships,
        ["key", "partner", "partner_type", "output", "signed_on", "cash_chf", "in_kind_chf", "recorded_on"],
    ),
    "monitor_milestone": (
        _milestones,
        ["indicator", "year", "achieved", "level", "due_on", "achieved_on", "evidence", "recorded_on"],
    ),
}
"""Source table -> (query of its rows by id, the columns shown: the import file's column names)."""


def listing(table: str, ids: list[int], limit: int = 500) -> Listing:
    """The first ``limit`` of the records ``ids`` of ``table`` (all ids are counted by the caller)."""
    query, columns = TABLES[table]
    limit = max(0, min(limit, 5_000))
    rows = [list(r) for r in query(ids[:limit])] if limit else []
    return Listing(columns, rows, len(rows))
