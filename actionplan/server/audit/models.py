"""One row per write: :class:`AuditEntry`, append-only and hash-chained.

Entry ``n`` carries the hash of entry ``n - 1`` (``prev_hash``; the first carries
:data:`GENESIS`) and its own ``hash``: the SHA-256 of the canonical serialisation of all
its fields (:func:`canonical`), ``prev_hash`` included. Changing, removing, inserting or
re-ordering past entries breaks the chain, which :func:`actionplan.server.audit.api.verify`
recomputes.

Rows refuse to be saved again or deleted (:class:`~actionplan.server.store.models.ImmutableModel`),
and database triggers (:mod:`actionplan.server.audit.triggers`) refuse ``UPDATE`` and
``DELETE`` from any client.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any, ClassVar

from django.db import models

from actionplan.server.store.models import ImmutableModel

GENESIS = "0" * 64
"""The ``prev_hash`` of the first entry."""

HASHED_FIELDS = (
    "sequence",
    "timestamp",
    "actor",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "prev_hash",
)
"""The fields an entry's hash covers (all of them but the hash itself)."""


def timestamp_text(when: datetime) -> str:
    """``when`` in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (microseconds: what both databases keep)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(values: dict[str, Any]) -> bytes:
    """The bytes an entry's hash is computed over: its :data:`HASHED_FIELDS` as canonical JSON.

    ``json.dumps(..., sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` in UTF-8,
    with ``sequence`` an integer, ``timestamp`` as :func:`timestamp_text` and the rest as
    text (``before`` and ``after`` are JSON *text*, hashed exactly as stored).
    """
    body = {name: values[name] for name in HASHED_FIELDS}
    if isinstance(body["timestamp"], datetime):
        body["timestamp"] = timestamp_text(body["timestamp"])
    body["sequence"] = int(body["sequence"])
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_hash(values: dict[str, Any]) -> str:
    """SHA-256 (hex) of :func:`canonical` ``(values)``."""
    return hashlib.sha256(canonical(values)).hexdigest()


class AuditEntry(ImmutableModel):
    """One write: who (``actor``), when, what (``action`` on ``object_type``/``object_id``),
    the object before and after (canonical JSON text, ``null`` when it did not / no longer
    exists), and the chain (``prev_hash``, ``hash``).

    Written only by :func:`actionplan.server.audit.api.record`, which numbers entries
    1, 2, 3, ... without gaps under a lock held until the recording transaction ends.
    """

    sequence = models.PositiveBigIntegerField(unique=True, help_text="1, 2, 3, ... without gaps")
    timestamp = models.DateTimeField(help_text="when the entry was recorded (UTC)")
    actor = models.TextField(help_text='a username, "cli", "system" or "anonymous"')
    action = models.CharField(max_length=32, help_text="create, update, delete, submit, withdraw, adopt, login, ...")
    object_type = models.CharField(max_length=64, help_text="contribution, amendment, plan_version, plan, user, ...")
    object_id = models.TextField(help_text="e.g. TDAG-25/7, TDAG-25/7/A2, baap@3")
    before = models.TextField(help_text="the object before the write as canonical JSON text (null: it did not exist)")
    after = models.TextField(help_text="the object after the write as canonical JSON text (null: it was deleted)")
    prev_hash = models.CharField(max_length=64, help_text="the hash of the previous entry (zeros for the first)")
    hash = models.CharField(max_length=64, unique=True, help_text="sha256 of the canonical entry")

    class Meta:
        ordering: ClassVar = ["sequence"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        indexes: ClassVar = [
            models.Index(fields=["object_type", "object_id"], name="audit_entry_object"),
            models.Index(fields=["actor"], name="audit_entry_actor"),
            models.Index(fields=["timestamp"], name="audit_entry_timestamp"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="audit_entry_sequence_gte_1"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.actor} {self.action} {self.object_type} {self.object_id}"

    def values(self) -> dict[str, Any]:
        """The entry's :data:`HASHED_FIELDS` and ``hash`` as a dict (the timestamp as a datetime)."""
        return {name: getattr(self, name) for name in (*HASHED_FIELDS, "hash")}

    def computed_hash(self) -> str:
        """The hash its fields give now (differs from ``hash`` if the row was changed)."""
        return entry_hash(self.values())
