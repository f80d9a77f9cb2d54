"""The indicator figures: definitions per plan version, live values, approval into snapshots.

Live figures are computed by the database itself (:func:`actionplan.monitor.compute.compute`
compiles each definition into SQL over the monitoring tables). Approving a year stores the
values, the progress against targets and the data-quality notes as an immutable
:class:`~actionplan.server.monitor.models.Snapshot`; reports read only snapshots, so a record
corrected after approval changes the live dashboard but never an approved year.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction

from actionplan.errors import NotFoundError, StoreError, ValidationError
from actionplan.monitor import compute as sql
from actionplan.monitor import progress as progress_rule
from actionplan.monitor import quality as quality_notes
from actionplan.monitor.definitions import (
    IndicatorSet,
    bundled_indicator_set,
    check_against_plan,
    dump_indicator_set,
    load_indicator_set,
)
from actionplan.monitor.schema import Dialect, country_group_rows
from actionplan.monitor.values import Progress, Value
from actionplan.server.audit import api as audit
from actionplan.server.monitor import models
from actionplan.server.monitor import records as stored_records
from actionplan.server.store import api as store
from actionplan.server.store.models import PlanVersion

YEARS = (2018, 2019, 2020, 2021)
"""The plan period: the years with targets, figures and reports."""

DIMS = (
    "",
    "region",
    "country",
    "group",
    "sex",
    "age_band",
    "disability",
    "organisation_type",
    "kind",
    "region+sex",
)
"""The disaggregations computed for dashboards and snapshots (each only where a definition allows it)."""


def dialect() -> Dialect:
    """The SQL dialect of the store's database."""
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


# -- definitions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Definitions:
    """The indicator set in force for a plan version, and where it comes from."""

    indicators: IndicatorSet
    version_ref: str
    number: int | None
    """The stored edition (1, 2, ...), or None when the bundled set is used as is."""

    @property
    def label(self) -> str:
        return f"{self.version_ref} #{self.number}" if self.number else f"{self.version_ref} (bundled)"


def _version(ref: str | None) -> PlanVersion:
    info = store.version_info(ref)
    return PlanVersion.objects.select_related("plan").get(plan__code=info.plan_code, number=info.number)


def _latest_row(version: PlanVersion) -> models.IndicatorSet | None:
    """The newest edition for ``version``, else the newest of an earlier version of the same plan."""
    row = models.IndicatorSet.objects.filter(version=version).order_by("-number").first()
    if row is None:
        row = (
            models.IndicatorSet.objects.filter(version__plan=version.plan, version__number__lt=version.number)
            .order_by("-version__number", "-number")
            .first()
        )
    return row


def definitions(ref: str | None = None) -> Definitions:
    """The definitions in force for version ``ref`` (default: the latest version)."""
    version = _version(ref)
    vref = f"{version.plan.code}@{version.number}"
    row = _latest_row(version)
    if row is None:
        return Definitions(bundled_indicator_set(), vref, None)
    parsed = load_indicator_set(row.content, f"indicator set {row.number} of {vref}")
    return Definitions(parsed, vref, row.number if row.version_id == version.pk else None)


def save_definitions(
    text: str, *, ref: str | None = None, user: Any = None, note: str = "", source: str = "indicator definitions"
) -> Definitions:
    """Validate ``text`` (YAML) and store it as the next edition for version ``ref``.

    Raises :class:`~actionplan.errors.ValidationError` naming the field of every problem,
    including indicators missing from or unknown to the plan version.
    """
    version = _version(ref)
    vref = f"{version.plan.code}@{version.number}"
    parsed = load_indicator_set(text, source)
    problems = check_against_plan(parsed, store.load_version(vref))
    if problems:
        raise ValidationError(
            "the definitions do not match the plan:\n" + "\n".join(problems),
            where=f"indicator definitions for {vref}",
        )
    with transaction.atomic():
        last = models.IndicatorSet.objects.filter(version=version).order_by("-number").first()
        number = (last.number if last else 0) + 1
        models.IndicatorSet.objects.create(
            version=version, number=number, content=text, note=note, created_by=_user(user)
        )
    return Definitions(parsed, vref, number)


def _stored_row(defs: Definitions) -> models.IndicatorSet:
    """The stored edition ``defs`` came from, storing the bundled set first when needed."""
    version = _version(defs.version_ref)
    if defs.number is not None:
        return models.IndicatorSet.objects.get(version=version, number=defs.number)
    row = _latest_row(version)
    content = row.content if row is not None else dump_indicator_set(defs.indicators)
    note = "carried over from an earlier version" if row is not None else "the bundled definitions"
    last = models.IndicatorSet.objects.filter(version=version).order_by("-number").first()
    return models.IndicatorSet.objects.create(
        version=version, number=(last.number if last else 0) + 1, content=content, note=note
    )


def _user(user: Any) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


# -- country groups ----------------------------------------------------------------------------


def ensure_country_groups() -> int:
    """Fill the country-group table from the registry when it differs; the rows stored."""
    rows = country_group_rows()
    wanted = sorted((r["iso3"], r["group_code"], r["valid_from"], r["valid_to"]) for r in rows)
    have = sorted(models.CountryGroup.objects.values_list("iso3", "group_code", "valid_from", "valid_to"))
    if have != wanted:
        with transaction.atomic():
            models.CountryGroup.objects.all().delete()
            models.CountryGroup.objects.bulk_create(
                models.CountryGroup(iso3=i, group_code=g, valid_from=f, valid_to=t) for i, g, f, t in wanted
            )
    return len(wanted)


# -- live figures ------------------------------------------------------------------------------


def live_values(defs: Definitions, dims: Sequence[str] = DIMS, years: Sequence[int] = YEARS) -> list[Value]:
    """Every value of every indicator, computed now from the stored records.

    Cached until the next write: every write of records, definitions or snapshots appends to
    the audit trail, so the trail's head identifies the state the figures were computed from.
    """
    head = audit.head()
    ids = ",".join(d.id for d in defs.indicators.indicators)
    key = (
        "monitor:values:"
        + hashlib.sha256(f"{head}|{defs.label}|{ids}|{','.join(dims)}|{list(years)}".encode()).hexdigest()
    )
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    ensure_country_groups()
    with connection.cursor() as cursor:
        values = sql.compute(defs.indicators.indicators, cursor, dialect(), years=years, dims=dims)
    cache.set(key, values, timeout=3600)
    return values


def live_progress(defs: Definitions, values: Sequence[Value], year: int) -> list[Progress]:
    """Progress against the targets of every plan year up to ``year``."""
    years = [y for y in YEARS if y <= year]
    return progress_rule.progress_all(defs.indicators.indicators, values, years)


def live_quality(defs: Definitions, year: int) -> list[Any]:
    """The data-quality notes of the plan years up to ``year``."""
    years = [y for y in YEARS if y <= year]
    with connection.cursor() as cursor:
        return list(quality_notes.quality(defs.indicators.indicators, cursor, dialect(), years))


def records_behind(defs: Definitions, indicator: str, year: int, dims: dict[str, str], series: str = "") -> Any:
    """The stored rows behind one value: (table, list of row dicts)."""
    definition = find(defs, indicator)
    table, query, params = sql.records_behind(definition, year, dims, dialect(), series=series)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        ids = [r[0] for r in cursor.fetchall()]
    return table, ids


def find(defs: Definitions, indicator: str) -> Any:
    for d in defs.indicators.indicators:
        if d.id == indicator:
            return d
    raise NotFoundError(f"no indicator {indicator}", where="indicator", expected="a number such as 3.3.1")


# -- approval ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Approved:
    """An approved year: the figures as locked, with who approved them when."""

    year: int
    values: list[Value]
    progress: list[Progress]
    quality: list[dict[str, Any]]
    records: dict[str, int]
    definitions: IndicatorSet
    definitions_label: str
    approved_at: Any
    approved_by: str
    content_hash: str
    note: str


def _json(items: Sequence[Any]) -> str:
    return json.dumps(
        [i.model_dump(mode="json") if hasattr(i, "model_dump") else i for i in items],
        ensure_ascii=False,
        sort_keys=True,
    )


def approve(year: int, *, user: Any = None, note: str = "", ref: str | None = None) -> Approved:
    """Lock ``year``'s figures as computed now. A year is approved once; the snapshot never changes."""
    if year not in YEARS:
        raise ValidationError(f"no figures for {year}", where="year", expected=f"a plan year {YEARS[0]}-{YEARS[-1]}")
    if models.Snapshot.objects.filter(year=year).exists():
        raise StoreError(f"{year} is already approved", where="year", expected="a year not yet approved")
    defs = definitions(ref)
    values = [v for v in live_values(defs) if v.year <= year]
    progress = live_progress(defs, values, year)
    quality = [q.model_dump(mode="json") if hasattr(q, "model_dump") else q for q in live_quality(defs, year)]
    payload = {"values": _json(values), "progress": _json(progress), "quality": json.dumps(quality, sort_keys=True)}
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    try:
        with transaction.atomic():
            models.Snapshot.objects.create(
                year=year,
                indicator_set=_stored_row(defs),
                values=payload["values"],
                progress=payload["progress"],
                quality=payload["quality"],
                records=json.dumps(stored_records.counts(), sort_keys=True),
                content_hash=digest,
                approved_by=_user(user),
                note=note,
            )
    except IntegrityError as exc:  # approved by someone else meanwhile
        raise StoreError(f"{year} is already approved", where="year", expected="a year not yet approved") from exc
    return approved(year)


def approved_years() -> list[int]:
    return list(models.Snapshot.objects.order_by("year").values_list("year", flat=True))


def approved(year: int) -> Approved:
    """The locked figures of ``year``; :class:`NotFoundError` if the year is not approved."""
    row = (
        models.Snapshot.objects.select_related("indicator_set__version__plan", "approved_by").filter(year=year).first()
    )
    if row is None:
        raise NotFoundError(f"{year} is not approved", where="year", expected="an approved year")
    iset = row.indicator_set
    vref = f"{iset.version.plan.code}@{iset.version.number}"
    return Approved(
        year=row.year,
        values=[Value.model_validate(v) for v in json.loads(row.values)],
        progress=[Progress.model_validate(p) for p in json.loads(row.progress)],
        quality=json.loads(row.quality),
        records=json.loads(row.records),
        definitions=load_indicator_set(iset.content, f"indicator set {iset.number} of {vref}"),
        definitions_label=f"{vref} #{iset.number}",
        approved_at=row.approved_at,
        approved_by=row.approved_by.get_username() if row.approved_by else "cli",
        content_hash=row.content_hash,
        note=row.note,
    )
