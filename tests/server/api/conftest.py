"""A store holding the source document as ``baap@1`` (and, for some tests, an edited ``baap@2``).

``tests/server/conftest.py`` points these tests at PostgreSQL when
``ACTIONPLAN_TEST_POSTGRES_URL`` is set, so they run on both databases.
"""

from __future__ import annotations

import pytest

from actionplan.model import Plan
from tests.server.api.helpers import EDITED_TITLE, Stored, store


@pytest.fixture
def v1(db: None, seed_plan: Plan) -> Stored:
    """The source document stored as ``baap@1``."""
    return store(seed_plan)


@pytest.fixture
def v2(v1: Stored) -> Stored:
    """``baap@2``: the source document with output 2.1's English title changed."""
    plan = v1.plan.model_copy(deep=True)
    out = plan.output("2.1")
    assert out is not None
    out.title["en"] = EDITED_TITLE
    return store(plan, note="edited title of 2.1")
