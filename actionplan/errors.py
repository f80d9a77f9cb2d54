"""One exception family for the core: every error says where it happened and what was expected.

The CLI prints ``str(error)`` as one line and exits non-zero; the API (later) turns the
same fields into its single error body. Nothing here knows about either.
"""

from __future__ import annotations


class ActionPlanError(Exception):
    """Base class. ``where`` is a file, ``file:line``, a field path or an element id."""

    exit_code = 1

    def __init__(self, message: str, *, where: str | None = None, expected: str | None = None):
        self.message = message
        self.where = where
        self.expected = expected
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [f"{self.where}: " if self.where else "", self.message]
        if self.expected:
            parts.append(f" (expected {self.expected})")
        return "".join(parts)


class InputError(ActionPlanError):
    """The input file cannot be read as what it claims to be (empty, corrupt, hostile, too big)."""

    exit_code = 2


class NotAPlanError(InputError):
    """The input was read but holds no action-plan structure (no objectives found)."""


class ValidationError(ActionPlanError):
    """A model or reference value breaks a rule (bad code, duplicate id, unknown target)."""

    exit_code = 3


class NotFoundError(ActionPlanError):
    """A plan, version or element that was asked for does not exist."""

    exit_code = 4


class StoreError(ActionPlanError):
    """The store refused an operation (immutability, integrity)."""

    exit_code = 5
