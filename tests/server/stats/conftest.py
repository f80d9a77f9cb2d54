"""A store with part of the SYNTHETIC sample (a few dozen economies: fast on SQLite and PostgreSQL),
and the people who may or may not import: a secretariat editor and a delegate.

``tests/server/conftest.py`` points these tests at PostgreSQL when
``ACTIONPLAN_TEST_POSTGRES_URL`` is set, so they run on both databases.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from tests.server.contributions.conftest import make_user

ECONOMIES = (
    "ARG", "AUS", "BRA", "CAN", "CHN", "DEU", "EGY", "ESP", "ETH", "FRA", "GBR", "GHA", "IDN", "IND", "ITA",
    "JPN", "KEN", "KOR", "MEX", "NGA", "NPL", "PAK", "PER", "PHL", "RUS", "SAU", "SEN", "SWE", "THA", "TUR",
    "UGA", "USA", "VNM", "ZAF", "ZMB",
)
"""The economies of the sample the tests load (35 of 193)."""


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Each test starts without cached results (ids are reused after a rolled-back test on SQLite)."""
    from actionplan.server.stats import store

    store.clear_caches()
    yield
    store.clear_caches()


@pytest.fixture
def sample(db: None) -> Any:
    """The SYNTHETIC sample of :data:`ECONOMIES`, loaded as ``actionplan stats load-sample`` does."""
    from actionplan.server.stats import store

    info, created = store.load_sample(economies=ECONOMIES)
    assert created
    return info


@pytest.fixture
def secretariat(django_user_model: Any) -> Any:
    return make_user(django_user_model, "sec", "secretariat")


@pytest.fixture
def delegate(django_user_model: Any) -> Any:
    return make_user(django_user_model, "del", "delegate", ("CHN",))


def signed_in(user: Any, language: str = "en") -> Client:
    """A browser-like client with ``user`` signed in and the UI language set."""
    client = Client()
    client.force_login(user)
    client.cookies["actionplan_language"] = language
    return client


def csv_bytes(*rows: str, header: str = "economy,year,indicator,value,flags,notes") -> bytes:
    """A tidy CSV file from row texts."""
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")
