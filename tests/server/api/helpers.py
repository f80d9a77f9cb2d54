"""Helpers shared by the API tests: storing plans, reading JSON times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from actionplan.model import Plan
from actionplan.server.store import api

EDITED_TITLE = "Infrastructure products and services (edited in version 2)"


@dataclass(frozen=True)
class Stored:
    plan: Plan
    info: api.VersionInfo


def store(plan: Plan, note: str = "") -> Stored:
    """Import ``plan`` as a new version (it must differ from every stored one)."""
    info, created = api.import_plan(plan, note=note)
    assert created
    return Stored(plan, info)


def json_time(value: Any) -> datetime:
    """A JSON date-time read back (the API gives milliseconds, ``Z`` for UTC)."""
    assert isinstance(value, str)
    return datetime.fromisoformat(value)


def to_ms(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
