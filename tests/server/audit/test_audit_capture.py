"""Every write through the store, the ORM, the admin's models and sign-in is recorded, with before and after."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import F
from django.test import Client

from actionplan.amend.model import Contribution
from actionplan.errors import ValidationError
from actionplan.model import Plan
from actionplan.server.audit import api
from actionplan.server.audit.models import AuditEntry
from actionplan.server.store import api as store_api
from actionplan.server.store import contributions as store
from actionplan.server.store import models
from tests.server.contributions.conftest import PARA, PARA_TEXT, PASSWORD

pytestmark = pytest.mark.django_db


def log(since: int = 0) -> list[tuple[str, str, str, str]]:
    return [
        (e.actor, e.action, e.object_type, e.object_id)
        for e in AuditEntry.objects.filter(sequence__gt=since).order_by("sequence")
    ]


def last_sequence() -> int:
    head = api.head()
    return head[0] if head else 0


def entry(object_type: str, object_id: str, action: str) -> AuditEntry:
    return AuditEntry.objects.filter(object_type=object_type, object_id=object_id, action=action).latest("sequence")


def test_importing_a_plan_records_the_plan_and_its_version(base: Plan) -> None:
    assert log() == [
        ("system", "create", "plan", "baap"),
        ("system", "create", "plan_version", "baap@1"),
        ("system", "update", "plan", "baap"),
    ]
    created = entry("plan_version", "baap@1", "create")
    after = json.loads(created.after)
    assert created.before == "null"
    assert after["number"] == 1 and after["note"] == "bundled base"
    assert after["content_hash"] == models.PlanVersion.objects.get().content_hash
    assert "content" not in after  # immutable, named by its hash
    titled = entry("plan", "baap", "update")
    assert json.loads(titled.before)["title_zh"] == ""
    assert json.loads(titled.after)["title_zh"] == base.title["zh"]
    assert api.verify().ok


def test_importing_the_same_plan_again_writes_and_records_nothing(base: Plan) -> None:
    n = last_sequence()
    with api.acting_as("cli"):
        store_api.import_plan(base)
    assert log(n) == []


def test_the_cli_is_the_actor_inside_acting_as(make_plan: Any, db: None) -> None:
    with api.acting_as("cli"):
        store_api.import_plan(make_plan("wtdc"))
    assert {actor for actor, *_ in log()} == {"cli"}


def test_creating_a_contribution_records_it_and_its_amendments(base: Plan) -> None:
    """Made by the operator at the command line (``user=None``, the CLI acting as ``cli``)."""
    n = last_sequence()
    header = Contribution(document="TDAG-25/7", base="baap@1", sponsors=["CHN"], title={"zh": "建议"})
    with api.acting_as("cli"):
        info = store.create_contribution(header)
        store.add_amendments_from_edit(info.pk, PARA, "text", "zh", PARA_TEXT + "新增的句子。")
    assert log(n)[:2] == [
        ("cli", "create", "contribution", "TDAG-25/7"),
        ("cli", "create", "amendment", "TDAG-25/7/A1"),
    ]
    created = json.loads(entry("contribution", "TDAG-25/7", "create").after)
    assert (created["document"], created["status"], created["created_by_id"]) == ("TDAG-25/7", "draft", None)
    assert json.loads(created["content"])["title"] == {"zh": "建议"}
    amendment = json.loads(entry("amendment", "TDAG-25/7/A1", "create").after)
    assert amendment["target_eid"] == PARA and amendment["status"] == "pending"
    assert api.verify().ok


def test_the_row_editor_is_the_actor(base: Plan, alice: Any) -> None:
    """A row saved with ``updated_by`` set is recorded as that user's write, whoever runs the code."""
    models.Plan.objects.create(code="other")
    version = models.PlanVersion.objects.get()
    row = models.Contribution.objects.create(base=version, document="TDAG-9", content="{}", updated_by=alice)
    models.Amendment.objects.create(contribution=row, position=1, ident="A1", content="{}", updated_by=alice)
    assert log()[-3:] == [
        ("system", "create", "plan", "other"),
        ("alice", "create", "contribution", "TDAG-9"),
        ("alice", "create", "amendment", "TDAG-9/A1"),
    ]


def test_deleting_an_amendment_records_its_last_state(base: Plan, alice: Any) -> None:
    with api.acting_as(alice):
        info = store.create_contribution(Contribution(document="TDAG-1", base="baap@1", sponsors=["CHN"]))
        store.add_amendments_from_edit(info.pk, PARA, "text", "zh", PARA_TEXT + "句子。")
        info = store.get_contribution(info.pk)
        a1 = info.amendment("A1")
        store.delete_amendment(info.pk, "A1", a1.revision)
    deleted = entry("amendment", "TDAG-1/A1", "delete")
    assert deleted.actor == "alice" and deleted.after == "null"
    assert json.loads(deleted.before)["content"] == a1.amendment.model_dump_json()


def test_a_conditional_update_is_recorded_by_tracking(base: Plan, alice: Any) -> None:
    """``QuerySet.update()`` bypasses signals: the store wraps it in ``tracking`` (as the hooks do)."""
    info = store.create_contribution(Contribution(document="TDAG-2", base="baap@1", sponsors=["CHN"]))
    n = last_sequence()
    with transaction.atomic(), api.tracking(models.Contribution, info.pk, actor=alice):
        models.Contribution.objects.filter(pk=info.pk, revision=info.revision).update(
            status="submitted", revision=F("revision") + 1
        )
    assert log(n) == [("alice", "submit", "contribution", "TDAG-2")]
    e = entry("contribution", "TDAG-2", "submit")
    before, after = json.loads(e.before), json.loads(e.after)
    assert (before["status"], before["revision"]) == ("draft", 1)
    assert (after["status"], after["revision"]) == ("submitted", 2)
    with transaction.atomic(), api.tracking(models.Contribution, info.pk, actor=alice):
        models.Contribution.objects.filter(pk=info.pk, revision=1).update(status="withdrawn")  # stale: no row
    assert last_sequence() == n + 1  # nothing changed, nothing recorded


def test_a_failed_write_leaves_no_entry(base: Plan) -> None:
    store.create_contribution(Contribution(document="TDAG-3", base="baap@1", sponsors=["CHN"]))
    n = last_sequence()
    with pytest.raises(ValidationError, match="already stored"):
        store.create_contribution(Contribution(document="TDAG-3", base="baap@1", sponsors=["BRA"]))
    with pytest.raises(RuntimeError), transaction.atomic():
        models.Plan.objects.create(code="doomed")
        assert log(n) == [("system", "create", "plan", "doomed")]  # recorded inside the transaction ...
        raise RuntimeError("the write fails after the save")
    assert log(n) == []  # ... and rolled back with it
    with pytest.raises(RuntimeError), transaction.atomic(), api.tracking(models.Contribution, [1, 2, 3]):
        models.Contribution.objects.update(meeting="changed")
        raise RuntimeError("failed")
    assert log(n) == [] and api.verify().ok


def test_users_groups_and_memberships_are_recorded(django_user_model: Any) -> None:
    with api.acting_as("admin"):
        user = django_user_model.objects.create_user(username="carol", password=PASSWORD)
        group = Group.objects.create(name="auditors")
        user.groups.add(group)
        group.permissions.add(Permission.objects.get(codename="change_contribution"))
        user.is_staff = True
        user.set_password("another long password 2")
        user.save()
        group.delete()
    assert log() == [
        ("admin", "create", "user", "carol"),
        ("admin", "create", "group", "auditors"),
        ("admin", "update", "user", "carol"),
        ("admin", "update", "group", "auditors"),
        ("admin", "update", "user", "carol"),
        ("admin", "delete", "group", "auditors"),  # (its memberships go with it, in its entry)
    ]
    created = json.loads(entry("user", "carol", "create").after)
    assert "pbkdf2" not in entry("user", "carol", "create").after
    assert created["password"].startswith("sha256:") and created["username"] == "carol"
    updates = AuditEntry.objects.filter(object_type="user", action="update").order_by("sequence")
    assert (json.loads(updates[0].before), json.loads(updates[0].after)) == ({"groups": []}, {"groups": ["auditors"]})
    changed = json.loads(updates[1].after)
    assert changed["is_staff"] is True and changed["password"] != created["password"]
    perms = json.loads(entry("group", "auditors", "update").after)
    assert perms == {"permissions": ["store.change_contribution"]}
    assert json.loads(entry("group", "auditors", "delete").before)["name"] == "auditors"
    assert api.verify().ok


def test_sign_in_sign_out_and_refused_sign_in_are_recorded(alice: Any) -> None:
    n = last_sequence()
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    client.post("/accounts/logout/")
    assert log(n) == [
        ("anonymous", "login_failed", "user", "alice"),
        ("alice", "login", "user", "alice"),
        ("alice", "logout", "user", "alice"),
    ]
    failed = entry("user", "alice", "login_failed")
    assert "wrong" not in failed.after and json.loads(failed.after)["ip"] == "127.0.0.1"
