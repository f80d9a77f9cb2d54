"""The audit trail's functions: record a write, verify the chain, export it.

Call :func:`actionplan.server.bootstrap.setup` before importing this module (it imports
Django models), as for :mod:`actionplan.server.store.api`.

Writing
    :func:`record` appends one entry inside the caller's transaction: the entry commits or
    rolls back with the write it records. Every ORM save and delete of the store's models,
    users and groups is recorded by :mod:`.signals` without the caller doing anything;
    writes that bypass the ORM's signals (``QuerySet.update()``) are wrapped in
    :func:`tracking`, which reads the rows before and after and records what changed.
Who
    The actor of an entry is given to :func:`record` (a username, a user, ``"cli"``), or
    else is the one set by :func:`acting_as` (the middleware sets the signed-in user for
    each request, the CLI sets ``"cli"``), or else ``"system"``.
Checking
    :func:`verify` recomputes the chain; :func:`export_csv` writes it as CSV.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import decimal
import hashlib
import io
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import connections, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from actionplan.errors import ValidationError
from actionplan.server.audit.actor import ACTOR
from actionplan.server.audit.actor import acting_as as acting_as  # re-exported: api.acting_as
from actionplan.server.audit.models import GENESIS, AuditEntry, entry_hash, timestamp_text

DEFAULT_ACTOR = "system"
"""The actor of writes made outside a request and outside :func:`acting_as` (migrations, scripts)."""

CSV_FIELDS = (
    "sequence",
    "timestamp",
    "actor",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "prev_hash",
    "hash",
)
"""The columns of :func:`export_csv`, in order."""

OMITTED_FIELDS = {"store.planversion": {"content"}}
"""Columns left out of snapshots: a version's content is immutable and named by its ``content_hash``."""

STATUS_ACTIONS = {
    "submitted": "submit",
    "under_review": "review",
    "withdrawn": "withdraw",
    "adopted": "adopt",
    "partly_adopted": "adopt",
    "rejected": "decide",
    "accepted": "decide",
    "accepted_with_modification": "decide",
    "obsolete": "set_status",
    "merged": "set_status",
}
"""The action recorded for an update that changes a row's ``status`` to the key."""



# -- who --------------------------------------------------------------------------------


def actor_name(actor: Any) -> str:
    """``actor`` as recorded: a string as is, a signed-in user's username, ``"anonymous"`` otherwise."""
    if actor is None:
        return ""
    if isinstance(actor, str):
        return actor
    if getattr(actor, "is_authenticated", False):
        return str(actor.get_username())
    return "anonymous"


def current_actor() -> str:
    """The actor set by the innermost :func:`acting_as`, else :data:`DEFAULT_ACTOR`."""
    return actor_name(ACTOR.get()) or DEFAULT_ACTOR


# -- what -------------------------------------------------------------------------------


def to_json(value: Any) -> str:
    """``value`` as canonical JSON text: sorted keys, ``ensure_ascii=False``, no spaces.

    Dates and times become ISO 8601 text (UTC for aware datetimes), decimals and UUIDs text.
    """
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_jsonable)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timestamp_text(value) if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def snapshot(instance: models.Model) -> dict[str, Any]:
    """A row's columns as JSON values (foreign keys by id, ``<name>_id``), for ``before``/``after``.

    A user's password hash is not copied: ``password`` holds a fingerprint of it (SHA-256 of
    the hash, 16 hex digits), so a change of password shows without the hash leaving the
    user table. A version's ``content`` is left out (:data:`OMITTED_FIELDS`).
    """
    omitted = OMITTED_FIELDS.get(instance._meta.label_lower, set())
    found: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if f.attname in omitted or f.name in omitted:
            continue
        value = f.value_from_object(instance)
        if f.name == "password" and instance._meta.label_lower == "auth.user":
            value = "sha256:" + hashlib.sha256(str(value).encode()).hexdigest()[:16] if value else ""
        found[f.attname] = json.loads(to_json(value))
    return found


def describe(instance: models.Model) -> tuple[str, str]:
    """``(object_type, object_id)`` of a row: ``("contribution", "TDAG-25/7")``, ``("plan_version", "baap@3")``, ..."""
    label = instance._meta.label_lower
    obj: Any = instance
    if label == "store.plan":
        return "plan", obj.code
    if label == "store.planversion":
        return "plan_version", f"{obj.plan.code}@{obj.number}"
    if label == "store.contribution":
        return "contribution", obj.document
    if label == "store.amendment":
        return "amendment", f"{obj.contribution.document}/{obj.ident}"
    if label == "store.adoptedchange":
        return "adopted_change", f"{obj.amendment.contribution.document}/{obj.amendment.ident}->{obj.eid}"
    if label == "auth.user":
        return "user", str(obj.get_username())
    if label == "auth.group":
        return "group", obj.name
    return instance._meta.model_name or label, str(instance.pk)


def action_for(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """The action a change of a row stands for: create, delete, a status change (:data:`STATUS_ACTIONS`), update."""
    if before is None:
        return "create"
    if after is None:
        return "delete"
    if "status" in after and before.get("status") != after["status"]:
        return STATUS_ACTIONS.get(str(after["status"]), "set_status")
    if after.get("adopted_in_id") is not None and before.get("adopted_in_id") != after["adopted_in_id"]:
        return "adopt"
    return "update"


# -- recording --------------------------------------------------------------------------


def record(
    actor: Any,
    action: str,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
    *,
    using: str = "default",
) -> AuditEntry:
    """Append one entry: ``actor`` did ``action`` to ``object_type`` ``object_id``, from ``before`` to ``after``.

    ``actor`` is a username, a user, ``"cli"``/``"system"``, or None for the current actor
    (:func:`current_actor`). ``before``/``after`` are JSON values (None: the object did not
    exist / no longer exists), stored as canonical JSON text (:func:`to_json`).

    Call it inside the transaction of the write it records: the entry is numbered under a
    lock held until that transaction ends (PostgreSQL: ``LOCK TABLE ... IN SHARE ROW
    EXCLUSIVE MODE``, which readers pass; SQLite: its transactions already serialise
    writers), and commits or rolls back with the write. Outside a transaction it makes its own.
    """
    values: dict[str, Any] = {
        "timestamp": timezone.now(),
        "actor": actor_name(actor) or current_actor(),
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "before": to_json(before),
        "after": to_json(after),
    }
    connection = connections[using]
    with transaction.atomic(using=using, savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {AuditEntry._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        last = AuditEntry.objects.using(using).order_by("-sequence").values_list("sequence", "hash").first()
        values["sequence"], values["prev_hash"] = (last[0] + 1, last[1]) if last else (1, GENESIS)
        values["hash"] = entry_hash(values)
        return AuditEntry.objects.using(using).create(**values)


def record_row(
    actor: Any,
    before: dict[str, Any] | None,
    instance: models.Model,
    after: dict[str, Any] | None,
    *,
    action: str | None = None,
    object_id: tuple[str, str] | None = None,
) -> AuditEntry | None:
    """Record a change of one row (snapshots as :func:`snapshot` gives them); nothing if it did not change."""
    if before == after:
        return None
    object_type, ident = object_id or describe(instance)
    return record(actor, action or action_for(before, after), object_type, ident, before, after)


@contextlib.contextmanager
def tracking(
    model: type[models.Model], pks: int | Iterable[int], *, actor: Any = None, action: str | None = None
) -> Iterator[None]:
    """Record the changes the block makes to rows ``pks`` of ``model`` (for writes that bypass signals).

    Reads the rows before the block and after it, and records one entry per row that
    changed (deleted rows too). If the block raises, nothing is recorded. Use it inside the
    write's transaction, around a ``QuerySet.update()``::

        with audit.tracking(models.Contribution, info.pk, actor=user):
            done = models.Contribution.objects.filter(pk=info.pk, revision=expected).update(...)

    ``action`` defaults to what the change is (:func:`action_for`: create, update, submit,
    withdraw, adopt, ...).
    """
    ids = [pks] if isinstance(pks, int) else list(pks)
    before = _rows(model, ids)
    yield
    after = _rows(model, ids)
    for pk in ids:
        old, new = before.get(pk), after.get(pk)
        row = (new or old or (None, None))[0]
        if row is not None:
            record_row(actor, old[1] if old else None, row, new[1] if new else None, action=action)


def _rows(model: type[models.Model], ids: list[int]) -> dict[Any, tuple[models.Model, dict[str, Any]]]:
    rows: QuerySet[Any] = model._base_manager.filter(pk__in=ids)
    related = [f.name for f in model._meta.concrete_fields if f.is_relation and f.name in ("contribution", "plan")]
    if related:
        rows = rows.select_related(*related)
    return {row.pk: (row, snapshot(row)) for row in rows}


# -- reading ----------------------------------------------------------------------------


def entries(
    *, actor: str = "", action: str = "", object_type: str = "", object_id: str = "", since: dt.datetime | None = None
) -> QuerySet[AuditEntry]:
    """Entries newest first, filtered: exact ``actor``, ``action`` and ``object_type``; ``object_id`` contained."""
    found = AuditEntry.objects.order_by("-sequence")
    if actor:
        found = found.filter(actor=actor)
    if action:
        found = found.filter(action=action)
    if object_type:
        found = found.filter(object_type=object_type)
    if object_id:
        found = found.filter(object_id__contains=object_id)
    if since is not None:
        found = found.filter(timestamp__gte=since)
    return found


def head() -> tuple[int, str] | None:
    """``(sequence, hash)`` of the last entry (None when the log is empty).

    Kept somewhere the database's users cannot write (printed in minutes, mailed), it lets
    :func:`verify` detect the removal of the newest entries, which the chain alone cannot.
    """
    last = AuditEntry.objects.order_by("-sequence").values_list("sequence", "hash").first()
    return (last[0], last[1]) if last else None


# -- verifying --------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One break of the chain: at entry ``sequence``, of ``kind`` (``gap``, ``broken link``,
    ``hash mismatch``, ``anchor``), explained by ``message``."""

    sequence: int
    kind: str
    message: str


@dataclass(frozen=True)
class VerifyResult:
    """What :func:`verify` found: ``ok`` when the whole chain holds."""

    checked: int
    """entries read"""
    problems: list[Problem] = field(default_factory=list)
    """every break found, in order (at most :data:`MAX_PROBLEMS`)"""
    head: tuple[int, str] | None = None
    """``(sequence, hash)`` of the last entry read"""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad(self) -> int | None:
        """The sequence number of the first entry found wrong (or missing)."""
        return self.problems[0].sequence if self.problems else None

    @property
    def reason(self) -> str:
        """Why the first bad entry is bad ("" when ``ok``)."""
        return self.problems[0].message if self.problems else ""

    def summary(self) -> str:
        if self.ok:
            at = f"; head #{self.head[0]} {self.head[1]}" if self.head else ""
            return f"audit trail intact: {self.checked} entries checked{at}"
        more = f" ({len(self.problems)} problems)" if len(self.problems) > 1 else ""
        return f"audit trail BROKEN at entry #{self.first_bad}: {self.reason}{more}; {self.checked} entries checked"


MAX_PROBLEMS = 100


def verify(anchor: tuple[int, str] | None = None, *, using: str = "default") -> VerifyResult:
    """Recompute the chain from the first entry to the last.

    Each entry must have the next sequence number (else a ``gap``: entries were deleted,
    or numbers changed), carry the previous entry's hash (else a ``broken link``: an entry
    was inserted, replaced or re-hashed) and hash to its ``hash`` (else a ``hash mismatch``:
    the entry was edited). ``anchor`` is a ``(sequence, hash)`` from :func:`head` taken
    earlier: that entry must still be there with that hash (detects a cut-off tail).
    """
    problems: list[Problem] = []

    def problem(sequence: int, kind: str, message: str) -> None:
        if len(problems) < MAX_PROBLEMS:
            problems.append(Problem(sequence, kind, message))

    expected, prev_hash, checked = 1, GENESIS, 0
    anchor_seen = False
    last: tuple[int, str] | None = None
    rows = AuditEntry.objects.using(using).order_by("sequence", "pk").iterator(chunk_size=2000)
    for entry in rows:
        checked += 1
        seq = entry.sequence
        if seq > expected:
            missing = f"entry #{expected} is" if seq == expected + 1 else f"entries #{expected}-#{seq - 1} are"
            problem(expected, "gap", f"{missing} missing (deleted or renumbered); the next is #{seq}")
        elif seq < expected:
            problem(seq, "gap", f"entry #{seq} appears again after #{expected - 1} (duplicated or renumbered)")
        elif entry.prev_hash != prev_hash:
            before = f"entry #{seq - 1}" if seq > 1 else "the start of the chain"
            problem(
                seq,
                "broken link",
                f"entry #{seq} does not link to {before} (its previous hash is {entry.prev_hash[:12]}…, "
                f"expected {prev_hash[:12]}…): #{seq} or #{seq - 1} was replaced, inserted or re-hashed",
            )
        computed = entry.computed_hash()
        if computed != entry.hash:
            problem(
                seq,
                "hash mismatch",
                f"entry #{seq} was changed after it was recorded (its fields hash to {computed[:12]}…, "
                f"it says {entry.hash[:12]}…)",
            )
        if anchor is not None and seq == anchor[0]:
            anchor_seen = True
            if entry.hash != anchor[1]:
                problem(seq, "anchor", f"entry #{seq} is not the one anchored (hash {anchor[1][:12]}…)")
        expected, prev_hash, last = seq + 1, entry.hash, (seq, entry.hash)
    if anchor is not None and not anchor_seen:
        problem(anchor[0], "anchor", f"anchored entry #{anchor[0]} is gone: the log was cut back to {checked} entries")
    return VerifyResult(checked=checked, problems=problems, head=last)


# -- exporting --------------------------------------------------------------------------


def since_from_text(text: str) -> dt.datetime:
    """A ``--since`` value: ``YYYY-MM-DD`` (midnight UTC) or an ISO 8601 date and time (UTC if naive)."""
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            f"{text!r} is not a date", where="since", expected="YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM]"
        ) from None
    return when if timezone.is_aware(when) else when.replace(tzinfo=dt.UTC)


def export_csv(
    target: str | Path | IO[str],
    since: dt.datetime | dt.date | None = None,
    *,
    rows: Iterable[AuditEntry] | None = None,
) -> int:
    """Write the entries (from ``since`` on, oldest first) as CSV to a path or a text stream; how many.

    UTF-8, a header row of :data:`CSV_FIELDS`, every field exactly as stored (``timestamp``
    as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``), so each row's hash can be recomputed from the file.
    ``rows`` replaces the query (the web page passes its filtered entries).
    """
    if isinstance(since, dt.date) and not isinstance(since, dt.datetime):
        since = dt.datetime(since.year, since.month, since.day, tzinfo=dt.UTC)
    if rows is None:
        query = AuditEntry.objects.order_by("sequence")
        rows = query.filter(timestamp__gte=since).iterator(chunk_size=2000) if since else query.iterator(2000)
    if isinstance(target, str | Path):
        with open(target, "w", encoding="utf-8", newline="") as stream:
            return _write_csv(stream, rows)
    return _write_csv(target, rows)


def _write_csv(stream: IO[str], rows: Iterable[AuditEntry]) -> int:
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    n = 0
    for entry in rows:
        values = entry.values()
        values["timestamp"] = timestamp_text(entry.timestamp)
        writer.writerow([values[name] for name in CSV_FIELDS])
        n += 1
    return n


def read_csv(source: str | Path | IO[str]) -> list[dict[str, str]]:
    """The rows of a CSV written by :func:`export_csv`, as dicts of text (for checking an export)."""
    if isinstance(source, str | Path):
        with open(source, encoding="utf-8", newline="") as stream:
            return list(csv.DictReader(stream))
    return list(csv.DictReader(source))


def csv_text(rows: Iterable[AuditEntry]) -> str:
    """The entries as CSV text (what the web page sends)."""
    out = io.StringIO()
    _write_csv(out, rows)
    return out.getvalue()
