"""The statistics tables.

:class:`IndicatorDefinition` rows mirror the shipped catalogue
(``actionplan/data/stats/indicators/*.yaml``); the secretariat may edit them in the admin
(names, units, plausible ranges), and validation then reads the edited rows.

:class:`ImportBatch` and :class:`Observation` rows are the indicator database. Both are
immutable: a revised value is a *new* observation of the same economy, indicator and year
with a later ``recorded_on`` (its vintage), so the data as they stood on any date can be
read back. One economy/indicator/year has at most one value per vintage date.

:class:`Framework` rows are index frameworks (YAML) written in the store, each save a new
numbered edition of its name; the shipped frameworks (``idi-2017``, ``idi-2023``,
``gci``) are read from the package and need no row.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from actionplan.server.store.models import ImmutableModel


class IndicatorDefinition(models.Model):
    """What one indicator measures; seeded from the shipped catalogue, editable by the secretariat."""

    code = models.CharField(max_length=64, unique=True)
    name_zh = models.TextField()
    name_en = models.TextField()
    unit = models.TextField()
    itu_code = models.TextField(blank=True, default="", help_text="code of the ITU WTI series, if any")
    definition_en = models.TextField(blank=True, default="")
    definition_zh = models.TextField(blank=True, default="")
    source = models.TextField(blank=True, default="")
    min_value = models.FloatField(null=True, blank=True, help_text="lowest plausible value (empty: unbounded)")
    max_value = models.FloatField(null=True, blank=True, help_text="highest plausible value (empty: unbounded)")
    higher_is_better = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["code"]

    def __str__(self) -> str:
        return self.code


class ImportBatch(ImmutableModel):
    """One imported file: what it was, when its values were recorded, who imported it, its warnings."""

    filename = models.TextField()
    sha256 = models.CharField(max_length=64)
    format = models.CharField(max_length=16, help_text="csv, xlsx or sdmx-csv")
    rows = models.PositiveIntegerField(help_text="observations stored from the file")
    unchanged = models.PositiveIntegerField(default=0, help_text="observations already stored with the same value")
    recorded_on = models.DateField(help_text="the vintage date of rows without their own recorded_on")
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.TextField(blank=True, default="")
    warnings = models.JSONField(default=list, blank=True, help_text="validation warnings (jumps), as dicts")
    sample = models.BooleanField(default=False, help_text="the SYNTHETIC sample shipped with actionplan")
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering: ClassVar = ["id"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"batch {self.pk}: {self.filename}"


class Observation(ImmutableModel):
    """One value of one indicator for one economy and year, as recorded on ``recorded_on``."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="observations")
    economy = models.CharField(max_length=8, help_text="ISO3 code or an ITU aggregate (WLD, AFR, LDC, ...)")
    year = models.IntegerField()
    indicator = models.CharField(max_length=64)
    value = models.FloatField()
    source = models.TextField(blank=True, default="")
    notes = models.TextField(blank=True, default="")
    flags = models.CharField(max_length=32, blank=True, default="", help_text="flag letters separated by ';'")
    unit = models.TextField(blank=True, default="")
    recorded_on = models.DateField(help_text="the vintage: when this value was recorded")

    class Meta:
        ordering: ClassVar = ["indicator", "year", "economy", "recorded_on"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["indicator", "year", "economy", "recorded_on"], name="stats_observation_vintage"
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["economy", "indicator"], name="stats_observation_economy")]

    def __str__(self) -> str:
        return f"{self.economy} {self.indicator} {self.year} @{self.recorded_on}"


class Framework(ImmutableModel):
    """One edition of an index framework written in the store (YAML as submitted)."""

    name = models.SlugField(max_length=64)
    edition = models.PositiveIntegerField(help_text="1, 2, 3, ... per name, in save order")
    content = models.TextField(help_text="the framework as YAML, as submitted")
    created_by = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering: ClassVar = ["name", "edition"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["name", "edition"], name="stats_framework_edition"),
        ]

    def __str__(self) -> str:
        return f"{self.name}#{self.edition}"
