"""schemathesis against /api/openapi.json: for every operation, no 5xx and every response
as the schema says (status codes, content types, headers, bodies).

How it runs: the schema is loaded from the Django WSGI application itself, when the
module is collected (``schemathesis.openapi.from_wsgi``; ``schemathesis.pytest.from_fixture``
fails under pytest 9, which has no ``Item._nodeid``). Each generated request goes through
the whole WSGI stack in this process: no server, no network. A real WSGI request fires Django's
``request_started``/``request_finished`` signals, which close database connections that
are inside a transaction; so the store is filled in a ``transactional_db`` (data committed,
tables flushed after the test) rather than in the rolled-back transaction of ``db``.

The store holds the source document as ``baap@1``: ``?version=1`` pins it, no ``version``
reads it as the latest, other numbers are 404s. The schema's examples (plan ``baap``,
output ``2.1``, ...) make schemathesis reach real elements besides the 404s of random ids.
``max_examples`` stays small (25 per operation) to keep the suite fast.

One check is left out: ``positive_data_acceptance`` expects every schema-valid request to
succeed, but OpenAPI cannot state rules across parameters, which the API answers with a
400 in the error body: ``code`` without ``scheme``, a ``code`` not of its ``scheme``
(``scheme=sdg_target&code=9``), the ``sdg_targets`` matrix without ``goal``.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from actionplan.model import Plan
from actionplan.server.wsgi import application
from tests.server.api.helpers import store

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
"""Loaded when the module is collected: producing the schema reads no database."""


@pytest.fixture
def stored(transactional_db: None, seed_plan: Plan) -> None:
    """The source document as ``baap@1``, committed (see the module docstring)."""
    store(seed_plan)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_schema(stored: None, case: schemathesis.Case) -> None:
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
