"""The database itself refuses to change or delete an entry, whoever asks (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from actionplan.server.audit import api, triggers
from actionplan.server.audit.models import AuditEntry
from tests.server.audit.conftest import raw

pytestmark = pytest.mark.django_db


def test_the_triggers_are_installed_by_the_migrations() -> None:
    assert connection.vendor in ("sqlite", "postgresql")
    assert triggers.installed(connection)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET actor = 'mallory' WHERE sequence = 1",
        "UPDATE audit_auditentry SET actor = actor",
        "DELETE FROM audit_auditentry WHERE sequence = 1",
        "DELETE FROM audit_auditentry",
    ],
)
def test_raw_updates_and_deletes_are_refused(sql: str) -> None:
    api.record("alice", "create", "plan", "baap", None, {"code": "baap"})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql)
    assert list(AuditEntry.objects.values_list("actor", flat=True)) == ["alice"]
    assert api.verify().ok


def test_truncate_is_refused_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (DELETE FROM is refused, above)")
    api.record("alice", "create", "plan", "baap", None, {})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.count() == 1


def test_inserting_is_allowed() -> None:
    api.record("alice", "create", "plan", "a", None, {})
    api.record("alice", "create", "plan", "b", None, {})
    assert AuditEntry.objects.count() == 2


def test_dropping_the_triggers_is_what_it_takes() -> None:
    api.record("alice", "create", "plan", "baap", None, {})
    triggers.drop(connection)
    assert not triggers.installed(connection)
    raw("UPDATE audit_auditentry SET actor = 'mallory'")
    assert api.verify().first_bad == 1
    triggers.create(connection)
    assert triggers.installed(connection)


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_keeps_the_triggers() -> None:
    """``manage flush`` (as transactional tests do after each test) is the sanctioned way to empty it."""
    api.record("alice", "create", "plan", "baap", None, {})
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.count() == 0
    assert triggers.installed(connection)
    api.record("alice", "create", "plan", "again", None, {})
    assert AuditEntry.objects.get().sequence == 1
