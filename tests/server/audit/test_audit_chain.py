"""The chain: entries numbered without gaps, each hashing its fields and its predecessor's hash;
``verify`` finds every kind of tampering by someone with database access (the triggers dropped
first, as such a person would) and names the entry."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction

from actionplan.errors import StoreError
from actionplan.server.audit import api, triggers
from actionplan.server.audit.models import GENESIS, AuditEntry, canonical, entry_hash
from tests.server.audit.conftest import raw

pytestmark = pytest.mark.django_db


def three() -> list[AuditEntry]:
    api.record("alice", "create", "contribution", "TDAG-25/7", None, {"title": "提案", "n": 1})
    api.record("bob", "update", "contribution", "TDAG-25/7", {"title": "提案", "n": 1}, {"title": "提案二", "n": 2})
    api.record("cli", "create", "plan_version", "baap@2", None, {"number": 2})
    return list(AuditEntry.objects.order_by("sequence"))


def tamper(sql: str, params: list[Any] | None = None) -> None:
    """Change the table as an attacker with database access: drop the triggers, then write."""
    triggers.drop(connection)
    raw(sql, params)


def test_entries_are_numbered_and_chained() -> None:
    entries = three()
    assert [e.sequence for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert all(e.hash == e.computed_hash() for e in entries)
    assert len({e.hash for e in entries}) == 3
    assert [(e.actor, e.action, e.object_type, e.object_id) for e in entries] == [
        ("alice", "create", "contribution", "TDAG-25/7"),
        ("bob", "update", "contribution", "TDAG-25/7"),
        ("cli", "create", "plan_version", "baap@2"),
    ]


def test_before_and_after_are_canonical_json_text() -> None:
    entry = api.record("alice", "update", "contribution", "X", {"b": 1, "a": "中文"}, None)
    assert entry.before == '{"a":"中文","b":1}'
    assert entry.after == "null"
    assert json.loads(entry.before) == {"a": "中文", "b": 1}


def test_the_hash_covers_every_field_and_the_previous_hash() -> None:
    entry = three()[1]
    values = entry.values()
    assert entry.hash == entry_hash(values)
    body = json.loads(canonical(values))
    assert sorted(body) == sorted(
        ["sequence", "timestamp", "actor", "action", "object_type", "object_id", "before", "after", "prev_hash"]
    )
    assert body["timestamp"].endswith("Z") and body["before"] == entry.before
    for name in ("sequence", "actor", "action", "object_type", "object_id", "before", "after", "prev_hash"):
        changed = {**values, name: 9 if name == "sequence" else "x"}
        assert entry_hash(changed) != entry.hash, name


def test_an_intact_chain_verifies() -> None:
    three()
    result = api.verify()
    assert result.ok and result.checked == 3 and result.first_bad is None and result.reason == ""
    assert result.head == api.head() == (3, AuditEntry.objects.get(sequence=3).hash)
    assert result.summary().startswith("audit trail intact: 3 entries checked")


def test_an_empty_log_verifies() -> None:
    result = api.verify()
    assert result.ok and result.checked == 0 and result.head is None


def test_an_edited_entry_is_found() -> None:
    three()
    tamper("UPDATE audit_auditentry SET actor = %s WHERE sequence = 2", ["mallory"])
    result = api.verify()
    assert not result.ok
    assert (result.first_bad, result.problems[0].kind) == (2, "hash mismatch")
    assert "entry #2 was changed" in result.reason
    assert "BROKEN at entry #2" in result.summary()


def test_an_edited_and_rehashed_entry_breaks_the_link_to_it() -> None:
    three()
    second = AuditEntry.objects.get(sequence=2)
    forged = {**second.values(), "after": '{"n":3,"title":"伪造"}'}
    tamper(
        "UPDATE audit_auditentry SET after = %s, hash = %s WHERE sequence = 2", [forged["after"], entry_hash(forged)]
    )
    result = api.verify()
    assert [(p.sequence, p.kind) for p in result.problems] == [(3, "broken link")]
    assert "#3 or #2 was replaced" in result.reason


def test_a_deleted_entry_is_found() -> None:
    three()
    tamper("DELETE FROM audit_auditentry WHERE sequence = 2")
    result = api.verify()
    assert (result.first_bad, result.problems[0].kind) == (2, "gap")
    assert result.reason.startswith("entry #2 is missing")
    assert result.checked == 2


def test_a_deleted_first_entry_is_found() -> None:
    three()
    tamper("DELETE FROM audit_auditentry WHERE sequence = 1")
    assert (api.verify().first_bad, api.verify().problems[0].kind) == (1, "gap")


def test_renumbering_after_a_deletion_is_found() -> None:
    three()
    tamper("DELETE FROM audit_auditentry WHERE sequence = 2")
    raw("UPDATE audit_auditentry SET sequence = 2 WHERE sequence = 3")
    result = api.verify()
    assert result.first_bad == 2
    assert [p.kind for p in result.problems] == ["broken link", "hash mismatch"]


def test_an_entry_inserted_in_the_middle_is_found() -> None:
    """A forged entry #2 linked to #1 and hashed correctly, the later ones moved up one."""
    entries = three()
    tamper("UPDATE audit_auditentry SET sequence = sequence + 10 WHERE sequence >= 2")
    raw("UPDATE audit_auditentry SET sequence = sequence - 9 WHERE sequence >= 12")
    forged: dict[str, Any] = {
        "sequence": 2,
        "timestamp": entries[0].timestamp,
        "actor": "mallory",
        "action": "update",
        "object_type": "contribution",
        "object_id": "TDAG-25/7",
        "before": "null",
        "after": "null",
        "prev_hash": entries[0].hash,
    }
    forged["hash"] = entry_hash(forged)
    AuditEntry.objects.create(**forged)
    result = api.verify()
    assert result.checked == 4
    # the forgery itself is consistent; the entry after it no longer links, and its number changed
    assert [(p.sequence, p.kind) for p in result.problems] == [
        (3, "broken link"),
        (3, "hash mismatch"),
        (4, "hash mismatch"),
    ]


def test_reordered_entries_are_found() -> None:
    three()
    tamper("UPDATE audit_auditentry SET sequence = 99 WHERE sequence = 2")
    raw("UPDATE audit_auditentry SET sequence = 2 WHERE sequence = 3")
    raw("UPDATE audit_auditentry SET sequence = 3 WHERE sequence = 99")
    result = api.verify()
    assert result.first_bad == 2
    assert {(p.sequence, p.kind) for p in result.problems} >= {(2, "broken link"), (2, "hash mismatch")}


def test_a_cut_off_tail_is_found_against_an_anchor() -> None:
    three()
    anchor = api.head()
    assert anchor is not None
    assert api.verify(anchor).ok
    tamper("DELETE FROM audit_auditentry WHERE sequence = 3")
    assert api.verify().ok  # the chain alone cannot tell
    result = api.verify(anchor)
    assert (result.first_bad, result.problems[0].kind) == (3, "anchor")
    assert "gone" in result.reason


def test_the_model_refuses_changes_and_deletes() -> None:
    entry = three()[0]
    entry.actor = "mallory"
    with pytest.raises(StoreError, match="immutable"):
        entry.save()
    with pytest.raises(StoreError, match="immutable"):
        entry.delete()
    with pytest.raises(StoreError, match="immutable"):
        AuditEntry.objects.filter(sequence=1).update(actor="mallory")
    with pytest.raises(StoreError, match="immutable"):
        AuditEntry.objects.all().delete()
    assert api.verify().ok


def test_an_entry_rolls_back_with_its_transaction() -> None:
    api.record("alice", "create", "plan", "kept", None, {})
    with pytest.raises(RuntimeError), transaction.atomic():
        api.record("alice", "create", "plan", "lost", None, {})
        raise RuntimeError("the write failed")
    entry = api.record("alice", "create", "plan", "next", None, {})
    assert list(AuditEntry.objects.values_list("object_id", flat=True)) == ["kept", "next"]
    assert entry.sequence == 2 and api.verify().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_chain_without_gaps() -> None:
    """Writers on several connections at once each get the next number; the chain holds."""
    if connection.vendor == "sqlite":
        pytest.skip("the test database is in-memory SQLite, one connection; this runs on PostgreSQL")
    workers, each = 6, 10
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def write(k: int) -> None:
        try:
            barrier.wait()
            for i in range(each):
                with transaction.atomic():
                    api.record(f"user{k}", "update", "contribution", f"D-{k}", {"i": i}, {"i": i + 1})
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(k,)) for k in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    result = api.verify()
    assert result.ok, result.summary()
    assert result.checked == workers * each
