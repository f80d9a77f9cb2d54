"""Plans and their immutable versions: the official record of every imported plan.

A :class:`Plan` is the abstract plan (``baap``), identified by its code. A
:class:`PlanVersion` is one dated expression of it: the full
``actionplan.model.Plan.model_dump(mode="json")``, numbered 1, 2, 3, ... per plan in
import order. A version is never changed or deleted once stored: what was imported is
what the record says. A changed document gives a new version.

:class:`Element` and :class:`ReferenceLink` rows index a version's content (every
addressable element, every reference of every output) for search and the web pages.
They are derived from ``PlanVersion.content`` when the version is stored, and are as
immutable as the version they belong to.

Free text from the plan (ids, numbers, texts, file names) goes into ``TextField`` s, so
SQLite and PostgreSQL accept exactly the same plans (SQLite ignores ``max_length``).

:class:`Contribution` and :class:`Amendment` rows hold the proposals made against a
version; :class:`AdoptedChange` rows record which adopted amendment made which element of
the version an adoption created.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models

from actionplan.amend.model import AmendmentStatus, AmendmentType, ContributionStatus
from actionplan.errors import StoreError


def _refuse(what: str, model: type[models.Model]) -> NoReturn:
    raise StoreError(
        f"{model._meta.verbose_name} rows are immutable: cannot {what}",
        where=model._meta.label,
        expected="a new version imported instead of a change to a stored one",
    )


class ImmutableQuerySet(models.QuerySet[Any]):
    """A queryset whose bulk ``update()``/``delete()`` refuse to run."""

    def update(self, **kwargs: Any) -> int:
        _refuse("update", self.model)

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse("delete", self.model)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        _refuse("bulk_update", self.model)


class ImmutableModel(models.Model):
    """A row that can be inserted once and never saved again nor deleted."""

    objects: ClassVar[models.Manager[Any]] = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse("save a stored row again", type(self))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse("delete", type(self))


class Plan(models.Model):
    """An action plan across its versions, named by its stable code (e.g. ``baap``).

    The titles follow the latest version; the plan row is the only mutable part of the store.
    """

    code = models.SlugField(max_length=64, unique=True)
    title_zh = models.TextField(blank=True, default="")
    title_en = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["code"]

    def __str__(self) -> str:
        return self.code


class PlanVersion(ImmutableModel):
    """One immutable version (dated expression) of a plan: the official record.

    ``content`` is the whole plan as JSON text; ``content_hash`` is the SHA-256 of its canonical
    form without ``source``, so the same text imported again (from any file) is recognised.
    """

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(help_text="1, 2, 3, ... per plan, in import order")
    content = models.TextField(
        help_text="the plan as JSON text (Plan.model_dump_json()), kept byte for byte: "
        "PostgreSQL's jsonb would re-order keys, and the order of a text's languages matters"
    )
    content_hash = models.CharField(max_length=64, help_text="sha256 of canonical content")
    source_name = models.TextField(blank=True, default="")
    source_format = models.TextField(blank=True, default="")
    source_sha256 = models.CharField(max_length=64, blank=True, default="")
    imported_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering: ClassVar = ["plan__code", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["plan", "number"], name="store_version_number"),
            models.UniqueConstraint(fields=["plan", "content_hash"], name="store_version_hash"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="store_version_number_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code}@{self.number}"


class Element(ImmutableModel):
    """One addressable element of a version (objective, outcome, indicator, output, ...).

    ``kind`` is the model class name lowercased (``objective``, ``outcome``, ``indicator``,
    ``output``, ``project``, ``workarea``, ``block``, ``section``, ...); ``parent_eid`` is
    the nearest enclosing element's eid ("" at the top); ``ordinal`` is the 1-based position
    in document order (``Plan.walk()``); ``number`` is the plan's own number, if it has one.
    """

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="elements")
    eid = models.TextField()
    kind = models.CharField(max_length=32)
    parent_eid = models.TextField(blank=True, default="")
    number = models.TextField(blank=True, default="")
    ordinal = models.PositiveIntegerField()
    text_zh = models.TextField(blank=True, default="")
    text_en = models.TextField(blank=True, default="")
    line = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["version", "ordinal"]
        indexes: ClassVar = [models.Index(fields=["version", "eid"], name="store_element_eid")]

    def __str__(self) -> str:
        return self.eid


class ReferenceLink(ImmutableModel):
    """One reference of one output: an SDG goal/target/indicator, a WSIS line, a resolution."""

    class Scheme(models.TextChoices):
        SDG_GOAL = "sdg_goal", "SDG goal"
        SDG_TARGET = "sdg_target", "SDG target"
        SDG_INDICATOR = "sdg_indicator", "SDG indicator"
        WSIS = "wsis", "WSIS action line"
        PP_RESOLUTION = "pp_resolution", "PP resolution"
        PP_DECISION = "pp_decision", "PP decision"
        WTDC_RESOLUTION = "wtdc_resolution", "WTDC resolution"
        ITU_D_RECOMMENDATION = "itu_d_recommendation", "ITU-D recommendation"

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="reference_links")
    output_eid = models.TextField()
    output_number = models.TextField()
    scheme = models.CharField(max_length=32, choices=Scheme.choices)
    code = models.TextField(help_text="as a string: '4', '4.4', '9.c.1', 'C2', '37'")

    class Meta:
        ordering: ClassVar = ["version", "id"]
        indexes: ClassVar = [models.Index(fields=["version", "scheme", "code"], name="store_reference_code")]

    def __str__(self) -> str:
        return f"{self.output_number} -> {self.scheme}:{self.code}"


# -- contributions and amendments ------------------------------------------------------
#
# Unlike versions, contributions and amendments are worked on: drafted, edited by several
# delegates, submitted, decided. Each row keeps the pydantic object it stands for as exact
# JSON text (``content``, like ``PlanVersion.content``) and copies into columns only what
# is searched or filtered on, so the columns are always derived from the content. Every
# change goes through a conditional UPDATE on ``revision`` (optimistic locking, see
# ``actionplan.server.store.contributions``): an editor whose copy is stale is refused.


def _choices(values: type[StrEnum]) -> list[tuple[str, str]]:
    return [(v.value, v.value.replace("_", " ")) for v in values]


class Contribution(models.Model):
    """A member state's (or sector member's) document proposing amendments to one version.

    ``content`` is ``actionplan.amend.model.Contribution`` without its amendments (those are
    :class:`Amendment` rows), as JSON text; ``base`` is the version it amends.
    """

    base = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="contributions")
    document = models.TextField(unique=True, help_text="document number, e.g. TDAG-19/12")
    meeting = models.TextField(blank=True, default="")
    date = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=16, default="zh")
    sponsors = models.TextField(blank=True, default="", help_text="ISO3 codes or sector members, comma-separated")
    title = models.TextField(blank=True, default="", help_text="the title in the contribution's language")
    status = models.CharField(max_length=32, choices=_choices(ContributionStatus), default="draft")
    content = models.TextField(help_text="the contribution without its amendments as JSON text")
    revision = models.PositiveIntegerField(default=1, help_text="raised by every change (optimistic locking)")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["base", "status"], name="store_contribution_base")]
        constraints: ClassVar = [
            models.CheckConstraint(condition=models.Q(revision__gte=1), name="store_contribution_revision_gte_1"),
        ]

    def __str__(self) -> str:
        return self.document


class Amendment(models.Model):
    """One amendment of a contribution: ``actionplan.amend.model.Amendment`` as JSON text.

    ``ident`` is the amendment's id within its contribution (``A1``); ``parent`` is the
    amendment it amends, if any. When the meeting accepts it with a modification,
    ``adopted_content`` holds the wording adopted; ``adopted_in`` is the version it went into.
    """

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="amendments")
    position = models.PositiveIntegerField(help_text="order within the contribution, from 1")
    ident = models.TextField(help_text="the amendment's id within its contribution, e.g. A1")
    type = models.CharField(max_length=32, choices=_choices(AmendmentType))
    target_eid = models.TextField(help_text="the element changed (for a new element: its container)")
    status = models.CharField(max_length=32, choices=_choices(AmendmentStatus), default="pending")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", help_text="amended amendment"
    )
    content = models.TextField(help_text="the amendment as JSON text (Amendment.model_dump_json())")
    adopted_content = models.TextField(blank=True, default="", help_text="the wording adopted, when modified")
    adopted_in = models.ForeignKey(
        PlanVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="adopted_amendments"
    )
    revision = models.PositiveIntegerField(default=1, help_text="raised by every change (optimistic locking)")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["contribution", "position"]
        indexes: ClassVar = [models.Index(fields=["target_eid"], name="store_amendment_target")]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["contribution", "ident"], name="store_amendment_ident"),
            models.CheckConstraint(condition=models.Q(revision__gte=1), name="store_amendment_revision_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.contribution_id}/{self.ident}"


class AdoptedChange(ImmutableModel):
    """Which adopted amendment changed which element (by its eid in the new version).

    Written with the version an adoption creates, in the same transaction; as immutable as it.
    """

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="adopted_changes")
    amendment = models.ForeignKey(Amendment, on_delete=models.PROTECT, related_name="adopted_changes")
    eid = models.TextField()

    class Meta:
        ordering: ClassVar = ["version", "id"]
        indexes: ClassVar = [models.Index(fields=["version", "eid"], name="store_adopted_eid")]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["version", "amendment", "eid"], name="store_adopted_once"),
        ]

    def __str__(self) -> str:
        return f"{self.amendment} -> {self.eid}"
