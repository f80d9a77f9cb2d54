"""The bundled base plan and contribution, parsed once for the amendment tests."""

from __future__ import annotations

import pytest

from actionplan.amend import Contribution, bundled_base_path, bundled_contribution_path, load_contribution
from actionplan.ingest import parse_file
from actionplan.model import Plan


@pytest.fixture(scope="session")
def bundled_base() -> Plan:
    return parse_file(bundled_base_path())


@pytest.fixture(scope="session")
def bundled_contribution() -> Contribution:
    return load_contribution(bundled_contribution_path())
