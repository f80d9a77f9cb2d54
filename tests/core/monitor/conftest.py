"""Fixtures of the monitoring tests (helpers live in monitor_helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from monitor_helpers import empty_tables


@pytest.fixture
def tables() -> Iterator[dict[str, list[dict[str, Any]]]]:
    """Empty monitoring tables plus the registry's country groups."""
    yield empty_tables()
