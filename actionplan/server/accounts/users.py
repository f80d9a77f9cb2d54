"""Accounts from plain Python: what ``actionplan users ...`` calls.

Call :func:`actionplan.server.bootstrap.setup` first. Every function raises
:class:`actionplan.errors.ValidationError` for bad input and
:class:`actionplan.errors.NotFoundError` for an unknown user, like the store.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from actionplan.errors import NotFoundError, ValidationError
from actionplan.registry.countries import country
from actionplan.server.accounts import tokens
from actionplan.server.accounts.models import ApiToken, Membership
from actionplan.server.accounts.roles import DELEGATE, ROLES

_NAME = re.compile(r"^[\w.@+-]{1,150}$")


@dataclass(frozen=True)
class UserInfo:
    name: str
    email: str
    roles: list[str]
    organisations: list[str]
    active: bool
    last_login: dt.datetime | None
    tokens: list[TokenInfo] = field(default_factory=list)


@dataclass(frozen=True)
class TokenInfo:
    id: int
    prefix: str
    scope: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


def organisation(raw: str) -> str:
    """An organisation name tidied and checked: an ISO3 code of a member state (upper-cased), or a sector member."""
    name = " ".join(raw.split())
    if not name or len(name) > 200:
        raise ValidationError(f"organisation {raw!r} is not a name", where="org", expected="CHN, BRA, or a name")
    if len(name) == 3 and name.isalpha():
        found = country(name)
        if found is None:
            raise ValidationError(
                f"organisation {name!r} is not an ISO 3166 country code",
                where="org",
                expected="ISO3 codes of member states (CHN, BRA, ...) or the names of sector members",
            )
        return found.iso3
    return name


def add_user(name: str, role: str, orgs: Sequence[str] = (), password: str | None = None, email: str = "") -> UserInfo:
    """Create user ``name`` with ``role`` (administrator, secretariat, delegate, reviewer).

    A delegate needs at least one organisation (``orgs``: ISO3 codes or sector-member
    names). ``password`` is checked by Django's validators; ``None`` leaves the account
    without a usable password (set one later, or use the password-reset page). An
    administrator is also a Django superuser and staff (the ``/admin/`` site).
    """
    if not _NAME.fullmatch(name):
        raise ValidationError(f"user name {name!r} is not valid", where="name", expected="letters, digits and @.+-_")
    if role not in ROLES:
        raise ValidationError(f"unknown role {role!r}", where="role", expected=", ".join(ROLES))
    organisations = list(dict.fromkeys(organisation(o) for o in orgs))
    if role == DELEGATE and not organisations:
        raise ValidationError("a delegate speaks for an organisation", where="org", expected="--org ISO3 (or a name)")
    User = get_user_model()
    if User.objects.filter(username=name).exists():
        raise ValidationError(f"user {name!r} exists already", where="name", expected="a new name")
    user = User(username=name, email=email, is_staff=role == "administrator", is_superuser=role == "administrator")
    if password is not None:
        try:
            validate_password(password, user)
        except DjangoValidationError as exc:
            raise ValidationError(" ".join(exc.messages), where="password", expected="a longer password") from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    with transaction.atomic():
        user.save()
        user.groups.add(_role_group(role))
        Membership.objects.bulk_create(Membership(user=user, organisation=o) for o in organisations)
    return _info(user)


def _role_group(role: str) -> Group:
    """The role's group: made by the accounts migration, made again if a flush emptied the table."""
    return Group.objects.get_or_create(name=role)[0]


def set_role(name: str, role: str, orgs: Sequence[str] | None = None) -> UserInfo:
    """Replace ``name``'s role (and, if given, organisations)."""
    user = _user(name)
    if role not in ROLES:
        raise ValidationError(f"unknown role {role!r}", where="role", expected=", ".join(ROLES))
    with transaction.atomic():
        user.groups.set([_role_group(role)])
        if orgs is not None:
            user.memberships.all().delete()
            Membership.objects.bulk_create(Membership(user=user, organisation=organisation(o)) for o in orgs)
    return _info(user)


def list_users() -> list[UserInfo]:
    """Every user with roles, organisations and tokens (never the secrets), by name."""
    User = get_user_model()
    return [_info(u) for u in User.objects.order_by("username").prefetch_related("groups", "memberships")]


def get_user(name: str) -> UserInfo:
    return _info(_user(name))


def disable_user(name: str) -> UserInfo:
    """Disable ``name``: no sign-in, no token works, sessions end. Nothing they did is removed."""
    from django.contrib.sessions.models import Session

    user = _user(name)
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        for session in Session.objects.filter(expire_date__gte=timezone.now()).iterator():
            if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
                session.delete()
    return _info(user)


def create_token(name: str, scope: str = "read") -> str:
    """A new API token for ``name`` with ``scope`` ``read`` or ``write``; the secret, shown only now."""
    if scope not in ApiToken.Scope.values:
        raise ValidationError(f"unknown scope {scope!r}", where="scope", expected="read or write")
    user = _user(name)
    if not user.is_active:
        raise ValidationError(f"user {name!r} is disabled", where="name", expected="an active user")
    _row, secret = tokens.make(user, scope)
    return secret


def revoke_token(name: str, prefix: str | None = None) -> int:
    """Revoke ``name``'s active tokens (those starting with ``prefix``, or all); how many were revoked."""
    user = _user(name)
    rows = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if prefix:
        rows = rows.filter(prefix__startswith=prefix[:10])
    return rows.update(revoked_at=timezone.now())


def _user(name: str) -> Any:
    User = get_user_model()
    found = User.objects.filter(username=name).first()
    if found is None:
        raise NotFoundError(f"no user {name!r}", where=name, expected="a name from `actionplan users list`")
    return found


def _info(user: Any) -> UserInfo:
    roles = sorted(g.name for g in user.groups.all())
    return UserInfo(
        name=user.get_username(),
        email=user.email,
        roles=roles,
        organisations=sorted(m.organisation for m in user.memberships.all()),
        active=user.is_active,
        last_login=user.last_login,
        tokens=[
            TokenInfo(t.pk, t.prefix, t.scope, t.created_at, t.last_used_at, t.revoked_at)
            for t in user.api_tokens.order_by("-created_at")
        ],
    )
