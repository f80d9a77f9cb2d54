"""Record every ORM write of the store's models, users and groups, and every sign-in.

Connected by :meth:`AuditConfig.ready <actionplan.server.audit.apps.AuditConfig.ready>`:

* ``pre_save`` reads the row as stored (``before``); ``post_save`` records ``create`` or
  the update (:func:`~.api.action_for`) with the row as saved (``after``); a save that
  changes nothing is not recorded;
* ``pre_delete`` takes the row's snapshot while everything it refers to still exists;
  ``post_delete`` records the ``delete`` (cascaded deletes too: each row has an entry);
* ``m2m_changed`` records a user's groups and permissions and a group's permissions;
* Django's ``user_logged_in``, ``user_logged_out`` and ``user_login_failed``.

Not seen by signals, and recorded by :func:`~.api.tracking` at the call site instead:
``QuerySet.update()`` (the store's optimistic locking). ``bulk_create`` is not seen either:
the store uses it only for rows derived from a version (elements, reference links,
adopted changes), which the version's own entry covers, and for batches of activity
records, which :mod:`actionplan.server.monitor.records` records as one entry per batch
(a record changed one at a time, in the admin, gets its own entry).

The actor is the row's ``updated_by`` when it has one (the store sets it to the user
making the change), else the current actor (:func:`~.api.acting_as`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import HttpRequest

from actionplan.server.audit import api

_BEFORE = "_audit_before"
_DELETED = "_audit_deleted"
_M2M = "_audit_m2m"


def tracked_models() -> list[type[models.Model]]:
    """The models whose every save and delete is recorded."""
    from actionplan.server.monitor import models as monitor
    from actionplan.server.stats import models as stats
    from actionplan.server.store import models as store

    return [
        store.Plan,
        store.PlanVersion,
        store.Contribution,
        store.Amendment,
        store.AdoptedChange,
        monitor.IndicatorSet,
        monitor.Snapshot,
        monitor.Event,
        monitor.Participant,
        monitor.Participation,
        monitor.Assistance,
        monitor.Publication,
        monitor.PublicationUse,
        monitor.Partnership,
        monitor.Milestone,
        stats.IndicatorDefinition,
        stats.Framework,
        get_user_model(),
        Group,
    ]


def connect() -> None:
    for model in tracked_models():
        uid = f"audit:{model._meta.label_lower}"
        pre_save.connect(_pre_save, sender=model, dispatch_uid=uid)
        post_save.connect(_post_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(_pre_delete, sender=model, dispatch_uid=uid)
        post_delete.connect(_post_delete, sender=model, dispatch_uid=uid)
    user = get_user_model()
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"audit:{through._meta.label_lower}")
    user_logged_in.connect(_logged_in, dispatch_uid="audit:login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit:logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit:login_failed")


def _actor(instance: models.Model) -> Any:
    """The row's ``updated_by`` (the store's editor of the row), or None: the current actor."""
    return getattr(instance, "updated_by", None) if getattr(instance, "updated_by_id", None) else None


def _pre_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    before = None
    if not instance._state.adding and instance.pk is not None:
        stored = sender._base_manager.using(kwargs.get("using") or "default").filter(pk=instance.pk).first()
        before = api.snapshot(stored) if stored is not None else None
    setattr(instance, _BEFORE, before)


def _post_save(
    sender: type[models.Model], instance: models.Model, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    before = None if created else getattr(instance, _BEFORE, None)
    if hasattr(instance, _BEFORE):
        delattr(instance, _BEFORE)
    if update_fields is not None and set(update_fields) == {"last_login"} and sender is get_user_model():
        return  # the sign-in itself is recorded (user_logged_in)
    api.record_row(_actor(instance), before, instance, api.snapshot(instance))


def _pre_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    setattr(instance, _DELETED, (api.describe(instance), api.snapshot(instance)))


def _post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    described, before = getattr(instance, _DELETED, None) or (api.describe(instance), api.snapshot(instance))
    api.record_row(None, before, instance, None, action="delete", object_id=described)


def _relation(sender: type[models.Model], instance: models.Model) -> str:
    for f in instance._meta.get_fields():
        if f.many_to_many and getattr(f, "through", None) is sender:  # reverse side (group.user_set)
            return str(f.get_accessor_name())  # type: ignore[union-attr]
        remote = getattr(f, "remote_field", None)
        if f.many_to_many and remote is not None and getattr(remote, "through", None) is sender:
            return f.name
    return sender._meta.model_name or "members"


def _labels(instance: models.Model, name: str) -> list[str]:
    related = getattr(instance, name).all()
    found = []
    for obj in related:
        if obj._meta.label_lower == "auth.permission":
            found.append(f"{obj.content_type.app_label}.{obj.codename}")
        else:
            found.append(api.describe(obj)[1])
    return sorted(found)


def _m2m_changed(sender: type[models.Model], instance: models.Model, action: str, **kwargs: Any) -> None:
    name = _relation(sender, instance)
    if action.startswith("pre_"):
        if not hasattr(instance, _M2M):
            setattr(instance, _M2M, {})
        getattr(instance, _M2M)[name] = _labels(instance, name)
        return
    before = getattr(instance, _M2M, {}).pop(name, None)
    after = _labels(instance, name)
    if before is None or before == after:
        return
    api.record_row(None, {name: before}, instance, {name: after}, action="update")


def _client(request: HttpRequest | None) -> dict[str, Any]:
    return {"ip": request.META.get("REMOTE_ADDR", "")} if request is not None else {}


def _logged_in(sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any) -> None:
    name = api.actor_name(user)
    api.record(name, "login", "user", name, None, _client(request))


def _logged_out(sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any) -> None:
    if user is None:
        return  # nobody was signed in
    name = api.actor_name(user)
    api.record(name, "logout", "user", name, None, _client(request))


def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    """A refused sign-in: who it claimed to be (never the password), from where."""
    user_model = get_user_model()
    claimed = str(credentials.get(user_model.USERNAME_FIELD) or credentials.get("username") or "")
    api.record("anonymous", "login_failed", "user", claimed, None, {"username": claimed, **_client(request)})
