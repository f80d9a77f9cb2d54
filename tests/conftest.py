"""Fixtures shared by all tests: the source document and its parsed plan.

The source document lives beside the repository in ``../shared/seeds`` (as in CI); the
package also bundles a copy, which a test holds identical to it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from actionplan.ingest import parse_file
from actionplan.model import Plan

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ACTIONPLAN_SHARED", REPO.parent / "shared"))
SEED = SHARED / "seeds" / "000_570177f1d6adc2ee.txt"
FIXTURES = Path(__file__).parent / "fixtures"


def require_tool(name: str) -> str:
    """The path of an external tool; skip without it, unless CI demands every tool."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("ACTIONPLAN_REQUIRE_ALL") == "1":
        pytest.fail(f"{name} is required (ACTIONPLAN_REQUIRE_ALL=1) but not on PATH")
    pytest.skip(f"{name} not installed")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.fail(f"source document missing: {SEED} (set ACTIONPLAN_SHARED to the shared/ folder)")
    return SEED


@pytest.fixture(scope="session")
def seed_text(seed_path: Path) -> str:
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def _seed_plan(seed_path: Path) -> Plan:
    return parse_file(seed_path)


@pytest.fixture
def seed_plan(_seed_plan: Plan) -> Plan:
    """A fresh copy per test, so tests may change it."""
    return _seed_plan.model_copy(deep=True)
