"""Who the writes of the current block are recorded as, without importing Django.

The CLI sets the actor before Django is set up (most commands never set it up), so the
context variable lives here, apart from the models.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

ACTOR: ContextVar[Any] = ContextVar("actionplan_audit_actor", default=None)


@contextlib.contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    """Record writes made in the block as made by ``actor`` (a user, a username, ``"cli"``).

    A user object is resolved when an entry is recorded, so a lazy ``request.user`` costs
    nothing on requests that write nothing.
    """
    token = ACTOR.set(actor)
    try:
        yield
    finally:
        ACTOR.reset(token)
