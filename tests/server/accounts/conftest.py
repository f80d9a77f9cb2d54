"""Accounts for the rule tests: one user per role, two delegations (CHN and BRA), a store with ``baap@1``.

``tests/server/conftest.py`` points these tests at PostgreSQL when
``ACTIONPLAN_TEST_POSTGRES_URL`` is set, so they run on both databases.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from actionplan.amend.model import Contribution
from tests.server.contributions.conftest import PARA, PARA_TEXT, PASSWORD, _base_plan, base, make_user  # noqa: F401

AUDIO = PARA_TEXT.replace("音频和视频", "音频、视频和数据")

ROLES = ("anonymous", "reviewer", "other_delegate", "administrator", "secretariat", "own_delegate")
"""Who tries: the public, a reviewer, a delegate of BRA, an administrator, a secretariat editor, a delegate of CHN.

The contributions acted on are CHN's: ``own_delegate`` is their delegation, ``other_delegate``
another one. Successful writers come last, so that each row of the matrix acts on the state
the others left unchanged.
"""


@dataclass
class People:
    users: dict[str, Any]

    def client(self, role: str) -> Client:
        """A browser-like client (CSRF enforced, token sent) signed in as ``role``."""
        client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
        client.cookies["actionplan_language"] = "en"
        user = self.users.get(role)
        if user is not None:
            client.force_login(user)
        client.get("/accounts/login/")  # the csrftoken cookie, as a browser has it
        return client


@pytest.fixture
def people(django_user_model: Any) -> People:
    return People(
        {
            "anonymous": None,
            "reviewer": make_user(django_user_model, "rita", "reviewer"),
            "other_delegate": make_user(django_user_model, "carol", orgs=("BRA",)),
            "administrator": make_user(django_user_model, "adam", "administrator"),
            "secretariat": make_user(django_user_model, "sam", "secretariat"),
            "own_delegate": make_user(django_user_model, "alice", orgs=("CHN",)),
        }
    )


def chn_draft(document: str = "CHN-1") -> Any:
    """A draft of CHN with one amendment (A1), made at the command line."""
    from actionplan.server.store import contributions as store

    info = store.create_contribution(Contribution(document=document, base="baap@1", sponsors=["CHN"]))
    store.add_amendments_from_edit(info.pk, PARA, "text", "zh", AUDIO)
    return store.get_contribution(info.pk)


def chn_submitted(document: str = "CHN-2") -> Any:
    from actionplan.server.store import contributions as store

    info = chn_draft(document)
    return store.submit_contribution(info.pk, info.revision)


def csrf(client: Client) -> dict[str, str]:
    return {"X-CSRFToken": client.cookies["csrftoken"].value} if "csrftoken" in client.cookies else {}


def send_json(client: Client, method: str, url: str, body: Any, **headers: str) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", headers=headers)


def snapshot() -> tuple[Any, ...]:
    """What a refused request must leave unchanged: contributions, amendments, versions."""
    from actionplan.server.store import models

    return (
        sorted(models.Contribution.objects.values_list("pk", "revision", "status", "content")),
        sorted(models.Amendment.objects.values_list("pk", "revision", "status", "content")),
        models.PlanVersion.objects.count(),
    )
