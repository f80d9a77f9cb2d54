"""API tokens: made, looked up by their hash, revoked. The secret itself is never stored."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.utils import timezone

from actionplan.server.accounts.models import ApiToken

PREFIX = "ap_"
"""Every token starts with this, so a leaked one is recognisable (e.g. by secret scanners)."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def make(user: Any, scope: str) -> tuple[ApiToken, str]:
    """A new token for ``user``: its row and the secret (shown once)."""
    secret = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, prefix=secret[:10], digest=digest(secret), scope=scope)
    return row, secret


def resolve(token: str) -> ApiToken | None:
    """The active token row for ``token`` whose user is active; ``None`` otherwise. Marks it used."""
    if not token or len(token) > 200:
        return None
    row = ApiToken.objects.select_related("user").filter(digest=digest(token), revoked_at__isnull=True).first()
    if row is None or not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row
