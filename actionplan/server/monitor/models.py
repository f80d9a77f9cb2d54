"""The monitoring tables.

Activity records (events, participants and their participations, assistance to countries,
publications and their use, partnerships, milestones) are plain rows that users create,
import and correct. Their table and column names are fixed by
:mod:`actionplan.monitor.compute`, which runs the indicators as SQL over them: change one
here only together with the compiler.

:class:`IndicatorSet` rows keep every edition of the indicator definitions (YAML) for a
plan version; :class:`Snapshot` rows are a year's approved figures, immutable once stored:
reports are built from them, so later record edits never change an approved year.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from actionplan.server.store.models import ImmutableModel, PlanVersion


class Event(models.Model):
    """A workshop, forum, training, meeting or conference."""

    key = models.TextField(unique=True, help_text="the organiser's id, e.g. EV-2019-0042")
    kind = models.CharField(max_length=32)
    title = models.TextField(null=True, blank=True)
    start_date = models.DateField(db_index=True)
    end_date = models.DateField()
    city = models.TextField(null=True, blank=True)
    country = models.CharField(max_length=3, null=True, blank=True, help_text="ISO3 of the host country")
    region = models.CharField(max_length=8, null=True, blank=True, help_text="ITU-D region; empty for global events")
    online = models.BooleanField(default=False)
    recorded_on = models.DateField()

    class Meta:
        db_table = "monitor_event"
        ordering: ClassVar = ["start_date", "key"]

    def __str__(self) -> str:
        return self.key


class EventOutput(models.Model):
    """An output of the plan an event served (``3.3``)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="outputs")
    output = models.CharField(max_length=8)

    class Meta:
        db_table = "monitor_event_output"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["event", "output"], name="monitor_event_output_unique"),
        ]


class Participant(models.Model):
    """A person, known only by a pseudonymous key, with the attributes the indicators break down by."""

    person_key = models.TextField(unique=True)
    sex = models.CharField(max_length=3, default="_U")
    age_band = models.CharField(max_length=8, default="_U")
    disability = models.CharField(max_length=3, default="_U")
    country = models.CharField(max_length=3)
    organisation_type = models.CharField(max_length=32, default="other")

    class Meta:
        db_table = "monitor_participant"

    def __str__(self) -> str:
        return self.person_key


class Participation(models.Model):
    """One person at one event, with completion, assessment and satisfaction (1-5) where asked."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="participations")
    completed = models.BooleanField(null=True, blank=True)
    assessed = models.BooleanField(null=True, blank=True)
    satisfaction = models.SmallIntegerField(null=True, blank=True)
    recorded_on = models.DateField()

    class Meta:
        db_table = "monitor_participation"
        indexes: ClassVar = [
            # covering (see actionplan.monitor.schema.INDEXES): the indicator queries read the index only
            models.Index(
                fields=["event", "participant", "completed", "assessed", "satisfaction"],
                name="monitor_participation_cover",
            ),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["event", "participant"], name="monitor_participation_unique"),
        ]


class Assistance(models.Model):
    """Assistance delivered to a country under an output (a strategy, a CIRT, equipment ...)."""

    key = models.TextField(unique=True)
    country = models.CharField(max_length=3)
    output = models.CharField(max_length=8)
    kind = models.CharField(max_length=32)
    delivered_on = models.DateField(db_index=True)
    description = models.TextField(null=True, blank=True)
    recorded_on = models.DateField()

    class Meta:
        db_table = "monitor_assistance"
        ordering: ClassVar = ["delivered_on", "key"]

    def __str__(self) -> str:
        return self.key


class Publication(models.Model):
    """A publication, guideline, toolkit, database ... released under an output."""

    key = models.TextField(unique=True)
    kind = models.CharField(max_length=32)
    title = models.TextField(null=True, blank=True)
    output = models.CharField(max_length=8)
    due_on = models.DateField(null=True, blank=True)
    released_on = models.DateField()
    recorded_on = models.DateField()

    class Meta:
        db_table = "monitor_publication"
        ordering: ClassVar = ["released_on", "key"]

    def __str__(self) -> str:
        return self.key


class PublicationUse(models.Model):
    """Downloads, page views and users of a publication in one month."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="uses")
    year = models.IntegerField()
    month = models.IntegerField()
    downloads = models.IntegerField(default=0)
    page_views = models.IntegerField(default=0)
    users = models.IntegerField(default=0)

    class Meta:
        db_table = "monitor_publication_use"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["publication", "year", "month"], name="monitor_publication_use_unique"),
        ]


class Partnership(models.Model):
    """A partnership signed, with the resources it mobilised (CHF, cash and in kind)."""

    key = models.TextField(unique=True)
    partner = models.TextField()
    partner_type = models.CharField(max_length=32)
    output = models.CharField(max_length=8)
    signed_on = models.DateField()
    cash_chf = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    in_kind_chf = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    recorded_on = models.DateField()

    class Meta:
        db_table = "monitor_partnership"
        ordering: ClassVar = ["signed_on", "key"]

    def __str__(self) -> str:
        return self.key


class Milestone(models.Model):
    """A yes/no or ordinal result of a qualitative indicator in one year (e.g. the WTI released on time).

    An indicator may have several per year (each release of a survey, due on its own date);
    a row is identified by indicator, year and due date.
    """

    indicator = models.CharField(max_length=16)
    year = models.IntegerField()
    achieved = models.BooleanField(default=False)
    level = models.SmallIntegerField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    achieved_on = models.DateField(null=True, blank=True)
    evidence = models.TextField(null=True, blank=True)
    recorded_on = models.DateField()

    class Meta:
        db_table = "monitor_milestone"
        indexes: ClassVar = [models.Index(fields=["indicator", "year"], name="monitor_milestone_ind_year")]


class CountryGroup(models.Model):
    """A country's membership of a group (LDC, LLDC, SIDS: dated; ITU-D regions: undated).

    Filled from :mod:`actionplan.registry` so the SQL can apply each group as of a record's date.
    """

    iso3 = models.CharField(max_length=3)
    group_code = models.CharField(max_length=8)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "monitor_country_group"
        indexes: ClassVar = [models.Index(fields=["iso3", "group_code"], name="monitor_cg_iso3_group")]


class IndicatorSet(ImmutableModel):
    """One edition of the indicator definitions (YAML) for a plan version; editing adds a new edition."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="indicator_sets")
    number = models.PositiveIntegerField(help_text="1, 2, 3, ... per plan version")
    content = models.TextField(help_text="the definitions as YAML, as written")
    note = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        db_table = "monitor_indicator_set"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["version", "number"], name="monitor_indicator_set_unique"),
        ]

    def __str__(self) -> str:
        return f"indicators #{self.number} of version {self.version_id}"


class Snapshot(ImmutableModel):
    """A year's figures as the secretariat approved them: locked, and the only source of reports."""

    year = models.IntegerField(unique=True)
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.PROTECT, related_name="snapshots")
    values = models.TextField(help_text="JSON list of Value")
    progress = models.TextField(help_text="JSON list of Progress")
    quality = models.TextField(help_text="JSON data-quality notes")
    records = models.TextField(help_text="JSON: how many records of each kind the figures were computed from")
    content_hash = models.CharField(max_length=64, help_text="sha256 of values, progress and quality")
    approved_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True, default="")

    class Meta:
        db_table = "monitor_snapshot"
        ordering: ClassVar = ["year"]

    def __str__(self) -> str:
        return f"approved figures {self.year}"
