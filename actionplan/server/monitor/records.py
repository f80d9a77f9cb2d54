"""Writing activity records into the store: every row of a batch, or none.

Rows arrive already parsed and checked by :mod:`actionplan.monitor.importing` (one
pydantic row per line of a file, a form or an API call). What only the store can check is
checked here, before anything is written: that a participation's event and a use's
publication exist (in the store or earlier in the same batch). Every such problem is
reported with its row and column, all at once, and then nothing is stored.

A row whose key is already stored updates that record (a correction); the batch is one
transaction and one audit entry naming the file, its sha256 and the counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from actionplan.errors import InputError
from actionplan.monitor import records as kinds
from actionplan.server.audit import api as audit
from actionplan.server.monitor import models

BATCH = 5_000


@dataclass
class Stored:
    """What a batch did: records created and updated, per table."""

    kind: str
    created: int = 0
    updated: int = 0
    details: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.created + self.updated


def store_rows(
    kind: str,
    rows: Sequence[tuple[int, kinds.Row]],
    *,
    source: str,
    data: bytes | None = None,
    user: Any = None,
) -> Stored:
    """Store ``rows`` (``(row number, row)``) of import kind ``kind`` in one transaction.

    Raises :class:`~actionplan.errors.InputError` listing every row whose reference is
    unknown, without writing anything.
    """
    writer = WRITERS.get(kind)
    if writer is None:
        raise InputError(f"unknown record kind {kind!r}", where=source, expected=", ".join(WRITERS))
    with transaction.atomic():
        stored = writer(rows, source)
        audit.record(
            user,
            "import",
            f"monitor.{kind}",
            source,
            None,
            {
                "file": source,
                "sha256": hashlib.sha256(data).hexdigest() if data is not None else None,
                "rows": len(rows),
                "created": stored.created,
                "updated": stored.updated,
            },
        )
    return stored


def _upsert(model: type[Any], key: tuple[str, ...], values: list[dict[str, Any]]) -> tuple[list[Any], int, int]:
    """Create or update ``model`` rows identified by the ``key`` fields (non-null); the saved
    objects in input order, and how many were created and updated."""

    def key_of(item: Any) -> tuple[Any, ...]:
        return tuple(item[f] if isinstance(item, dict) else getattr(item, f) for f in key)

    def stored() -> dict[tuple[Any, ...], Any]:
        narrowed = {f"{f}__in": {v[f] for v in values} for f in key}
        return {key_of(o): o for o in model.objects.filter(**narrowed)}

    existing = stored()
    new: list[Any] = []
    changed: list[Any] = []
    out: list[Any] = []
    fields = [f for f in values[0] if f not in key] if values else []
    for v in values:
        obj = existing.get(key_of(v))
        if obj is None:
            obj = model(**v)
            new.append(obj)
            existing[key_of(v)] = obj
        else:
            for name, value in v.items():
                setattr(obj, name, value)
            if obj not in changed and obj.pk is not None:
                changed.append(obj)
        out.append(obj)
    model.objects.bulk_create(new, batch_size=BATCH)
    if changed and fields:
        model.objects.bulk_update(changed, fields, batch_size=BATCH)
    if new and new[0].pk is None:  # backends that do not return ids from bulk_create
        saved = stored()
        out = [saved[key_of(v)] for v in values]
    return out, len(new), len(changed)


def _fields(row: kinds.Row, *, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    data = row.model_dump()
    for name in drop:
        data.pop(name, None)
    return data


def _events(rows: Sequence[tuple[int, kinds.Row]], source: str) -> Stored:
    values = [_fields(r, drop=("outputs",)) for _, r in rows]
    events, created, updated = _upsert(models.Event, ("key",), values)
    models.EventOutput.objects.filter(event__in=[e for e in events if e.pk]).delete()
    links = [
        models.EventOutput(event=event, output=output)
        for event, (_, row) in zip(events, rows, strict=True)
        for output in dict.fromkeys(getattr(row, "outputs", []))
    ]
    models.EventOutput.objects.bulk_create(links, batch_size=BATCH)
    return Stored("events", created, updated, {"event outputs": len(links)})


PERSON = ("sex", "age_band", "disability", "country", "organisation_type")


def _participations(rows: Sequence[tuple[int, Any]], source: str) -> Stored:
    event_keys = {r.event_key for _, r in rows}
    events = dict(models.Event.objects.filter(key__in=event_keys).values_list("key", "id"))
    _refuse_unknown(rows, source, "event_key", events, "an event stored before (import the events first)")
    people = {r.person_key: {f: getattr(r, f) for f in PERSON} for _, r in rows}
    participants, made, _ = _upsert(
        models.Participant, ("person_key",), [{"person_key": k, **v} for k, v in people.items()]
    )
    ids = {p.person_key: p.id for p in participants}
    values = [
        {
            "event_id": events[r.event_key],
            "participant_id": ids[r.person_key],
            "completed": r.completed,
            "assessed": r.assessed,
            "satisfaction": r.satisfaction,
            "recorded_on": r.recorded_on,
        }
        for _, r in rows
    ]
    _, created, updated = _upsert(models.Participation, ("event_id", "participant_id"), values)
    return Stored("participations", created, updated, {"new participants": made})


def _publication_use(rows: Sequence[tuple[int, Any]], source: str) -> Stored:
    keys = {r.publication_key for _, r in rows}
    publications = dict(models.Publication.objects.filter(key__in=keys).values_list("key", "id"))
    _refuse_unknown(rows, source, "publication_key", publications, "a publication stored before")
    values = [
        {"publication_id": publications[r.publication_key], **_fields(r, drop=("publication_key",))} for _, r in rows
    ]
    _, created, updated = _upsert(models.PublicationUse, ("publication_id", "year", "month"), values)
    return Stored("publication_use", created, updated)


def _milestones(rows: Sequence[tuple[int, kinds.Row]], source: str) -> Stored:
    created = updated = 0
    for _, r in rows:
        data = _fields(r)
        _, made = models.Milestone.objects.update_or_create(
            indicator=data.pop("indicator"), year=data.pop("year"), due_on=data.pop("due_on"), defaults=data
        )
        created, updated = created + made, updated + (not made)
    return Stored("milestones", created, updated)


def _keyed(model: type[Any], kind: str) -> Any:
    def write(rows: Sequence[tuple[int, kinds.Row]], source: str) -> Stored:
        _, created, updated = _upsert(model, ("key",), [_fields(r) for _, r in rows])
        return Stored(kind, created, updated)

    return write


def _refuse_unknown(
    rows: Sequence[tuple[int, kinds.Row]], source: str, column: str, known: dict[str, Any], expected: str
) -> None:
    problems = [
        f"{source} row {n}, column {column}: expected {expected}; got {getattr(r, column)!r}"
        for n, r in rows
        if getattr(r, column) not in known
    ]
    if problems:
        raise InputError(
            f"{len(problems)} row(s) refer to records that are not stored; nothing was imported:\n"
            + "\n".join(problems),
            where=source,
        )


WRITERS = {
    "events": _events,
    "participations": _participations,
    "assistance": _keyed(models.Assistance, "assistance"),
    "publications": _keyed(models.Publication, "publications"),
    "publication_use": _publication_use,
    "partnerships": _keyed(models.Partnership, "partnerships"),
    "milestones": _milestones,
}
"""Import kind -> the function writing its rows (inside the batch's transaction)."""


def counts() -> dict[str, int]:
    """How many records of each kind are stored."""
    return {
        "events": models.Event.objects.count(),
        "participants": models.Participant.objects.count(),
        "participations": models.Participation.objects.count(),
        "assistance": models.Assistance.objects.count(),
        "publications": models.Publication.objects.count(),
        "publication_use": models.PublicationUse.objects.count(),
        "partnerships": models.Partnership.objects.count(),
        "milestones": models.Milestone.objects.count(),
    }
