"""The audit trail's tests use the contributions tests' store (the bundled base as ``baap@1``) and people.

``tests/server/conftest.py`` points them at PostgreSQL when ``ACTIONPLAN_TEST_POSTGRES_URL``
is set, so they run on both databases.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests.server.contributions.conftest import PASSWORD, _base_plan, alice, base  # noqa: F401


@pytest.fixture
def staff(django_user_model: Any) -> Any:
    """A secretariat editor: may read the audit trail."""
    from django.contrib.auth.models import Group

    from actionplan.server.accounts.roles import SECRETARIAT

    user = django_user_model.objects.create_user(username="auditor", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=SECRETARIAT)[0])
    return user


@pytest.fixture
def member(django_user_model: Any) -> Any:
    """A signed-in user who is not of the secretariat (even with Django's staff flag)."""
    return django_user_model.objects.create_user(username="member", password=PASSWORD, is_staff=True)


def signed_in(user: Any, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["actionplan_language"] = language
    return client


def raw(sql: str, params: list[Any] | None = None) -> None:
    """Run SQL on the database directly, as someone with database access would."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
