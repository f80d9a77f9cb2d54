"""A store holding the bundled base plan (the Buenos Aires plan as adopted) as ``baap@1``,
and the people who work on contributions: two delegates of CHN, one of BRA, and a
secretariat editor (roles from ``actionplan.server.accounts``).

``tests/server/conftest.py`` points these tests at PostgreSQL when
``ACTIONPLAN_TEST_POSTGRES_URL`` is set, so they run on both databases.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from actionplan.amend import bundled_base_path, bundled_contribution_path, load_contribution
from actionplan.amend.model import Contribution
from actionplan.ingest import parse_file
from actionplan.model import Plan

PARA = "obj_2__output_2.1__background__para_4"
"""A paragraph of output 2.1's background, which the tests amend."""

PARA_TEXT = "同样引人注目的还有世界各国模拟广播向数字广播的过渡，从而可以更加高效地利用频谱并传送更高质量的音频和视频。"
"""Its text in the bundled base (checked by the ``base`` fixture)."""

PASSWORD = "a long test password 1"


@pytest.fixture(scope="session")
def _base_plan() -> Plan:
    return parse_file(bundled_base_path())


@pytest.fixture
def base(db: None, _base_plan: Plan) -> Plan:
    """The bundled base plan stored as ``baap@1``."""
    from actionplan.server.store import api

    info, created = api.import_plan(_base_plan, note="bundled base")
    assert created and info.ref == "baap@1"
    node = _base_plan.element(PARA)
    assert node is not None and node.text["zh"] == PARA_TEXT  # type: ignore[attr-defined]
    return _base_plan


@pytest.fixture
def bundled() -> Contribution:
    """The source document's four proposals as a contribution (no document number, no sponsor)."""
    return load_contribution(bundled_contribution_path())


def make_user(django_user_model: Any, name: str, role: str = "delegate", orgs: tuple[str, ...] = ("CHN",)) -> Any:
    """A user with ``role`` (and, for a delegate, ``orgs``), made as ``actionplan users add`` makes them."""
    from actionplan.server.accounts.users import add_user

    add_user(name, role, list(orgs) if role == "delegate" else [], PASSWORD)
    return django_user_model.objects.get(username=name)


@pytest.fixture
def alice(django_user_model: Any) -> Any:
    """A delegate of CHN."""
    return make_user(django_user_model, "alice")


@pytest.fixture
def bob(django_user_model: Any) -> Any:
    """Another delegate of CHN (two editors of one delegation's drafts)."""
    return make_user(django_user_model, "bob")


@pytest.fixture
def carol(django_user_model: Any) -> Any:
    """A delegate of BRA: another delegation."""
    return make_user(django_user_model, "carol", orgs=("BRA",))


@pytest.fixture
def secretariat(django_user_model: Any) -> Any:
    """A secretariat editor: decides and adopts."""
    return make_user(django_user_model, "secretariat", "secretariat")


def signed_in(user: Any, language: str = "en") -> Client:
    """A client with ``user`` signed in (by the login form's backend) and a UI language."""
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    client.cookies["actionplan_language"] = language
    return client
