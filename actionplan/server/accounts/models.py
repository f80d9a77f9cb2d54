"""Who belongs to which organisation, and the API tokens scripts use.

Roles are Django groups (see :mod:`.roles`), created by a data migration. A delegate is
bound to one or more organisations by :class:`Membership` rows: ISO 3166 alpha-3 codes of
member states (checked against :mod:`actionplan.registry.countries`) or names of sector
members. A contribution belongs to the organisations named in its sponsors.

An :class:`ApiToken` is stored as the SHA-256 of its secret: the secret is shown once, when
it is made (:func:`actionplan.server.accounts.users.create_token`), and cannot be read back.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models


class Membership(models.Model):
    """A user speaks for an organisation (a member state's ISO3 code or a sector member's name)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.TextField(help_text="ISO3 code of a member state (CHN) or a sector member's name")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["user", "organisation"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "organisation"], name="accounts_membership_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


class ApiToken(models.Model):
    """A bearer token for scripts: ``read`` (GET only) or ``write`` (within the user's role)."""

    class Scope(models.TextChoices):
        READ = "read", "read"
        WRITE = "write", "write"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=16, help_text="the token's first characters, to recognise it in lists")
    digest = models.CharField(max_length=64, unique=True, help_text="sha256 of the token (the token is not stored)")
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["user", "-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user}, {self.scope}{', revoked' if self.revoked_at else ''})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
