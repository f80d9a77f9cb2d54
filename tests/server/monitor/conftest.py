"""A store with the source plan (``baap@1``) and a small deterministic set of demo records.

``tests/server/conftest.py`` points these tests at PostgreSQL when
``ACTIONPLAN_TEST_POSTGRES_URL`` is set, so they run on both databases.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from actionplan.model import Plan
from tests.server.accounts.conftest import People, people  # noqa: F401
from tests.server.contributions.conftest import make_user  # noqa: F401

SIZES = {"events": 120, "participants": 900, "assistance": 160, "publications": 40, "partnerships": 30}
"""Small enough for many tests, large enough that every kind of record and disaggregation occurs."""


@pytest.fixture
def plan_stored(db: None, seed_plan: Plan) -> Plan:
    from actionplan.server.store import api

    api.import_plan(seed_plan)
    cache.clear()
    return seed_plan


@pytest.fixture
def demo(plan_stored: Plan) -> dict[str, int]:
    """The demo records (seed 7) in the store."""
    from actionplan.server.monitor.demo import load_demo

    return load_demo(7, SIZES)


def figures_module() -> Any:
    from actionplan.server.monitor import figures

    return figures
