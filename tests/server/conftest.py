"""Run the server tests on PostgreSQL when ``ACTIONPLAN_TEST_POSTGRES_URL`` is set.

Without it they run on whatever ``ACTIONPLAN_DATABASE_URL`` names (by default SQLite, in
memory for tests). With it, Django's ``default`` database is swapped for that server when
this conftest is loaded, before pytest-django creates the test database (named
``test_<name>`` on that server; the database in the URL itself is never written):

    ACTIONPLAN_TEST_POSTGRES_URL=$(scripts/start-postgres) .venv/bin/pytest tests/server

(``scripts/test-postgres`` does exactly that.) The swap holds for the whole session.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable

import pytest

from actionplan.model import (
    Heading,
    Indicator,
    Objective,
    Outcome,
    Output,
    Plan,
    References,
    SourceInfo,
    Translation,
    child,
    objective_eid,
    outcome_eid,
    output_eid,
)

POSTGRES_URL_ENV = "ACTIONPLAN_TEST_POSTGRES_URL"


def _use_database(url: str) -> None:
    """Point Django's ``default`` alias at ``url`` before any test opens a connection."""
    from django.conf import settings
    from django.db import connections

    from actionplan.server.settings import database_config

    config = database_config(url, settings.HOME)
    if not config["ENGINE"].endswith("postgresql"):
        raise pytest.UsageError(f"{POSTGRES_URL_ENV} is not a PostgreSQL URL: {url}")
    connections.close_all()
    settings.DATABASES["default"] = config
    # Forget connection settings and wrappers built from the old entry, if any.
    connections.__dict__.pop("settings", None)
    with contextlib.suppress(AttributeError):  # no wrapper yet
        del connections["default"]


def pytest_configure(config: pytest.Config) -> None:
    url = os.environ.get(POSTGRES_URL_ENV)
    if url:
        _use_database(url)


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    where = f"{db.get('HOST') or 'local'}:{db.get('PORT') or ''}/{db.get('NAME')}"
    return f"actionplan store database: {db['ENGINE'].rsplit('.', 1)[-1]} ({where})"


# -- plans built directly with pydantic ---------------------------------------------


def build_plan(
    code: str = "baap",
    *,
    outcome_text: str = "提高宽带连接的可用性",
    source_name: str = "baap.txt",
    indicator_line: int | None = 12,
) -> Plan:
    """A tiny plan: one objective with one outcome (one indicator) and one output.

    Its output cites SDG goals 4 and 9, target 9.c, WSIS line C2, PP Resolution 139 and
    WTDC Resolution 37 (twice, as documents do).
    """
    obj = objective_eid(1)
    outcome = outcome_eid(1, "1.1")
    output = output_eid(1, "1.1")
    return Plan(
        code=code,
        title={"zh": "布宜诺斯艾利斯行动计划", "en": "Buenos Aires Action Plan"},
        period="2018-2021",
        translations={"en": Translation(official=False, note="machine")},
        objectives=[
            Objective(
                eid=obj,
                line=10,
                number=1,
                title={"zh": "目标1：协调", "en": "Objective 1: Coordination"},
                outcomes=[
                    Outcome(
                        eid=outcome,
                        line=11,
                        number="1.1",
                        text={"zh": outcome_text},
                        indicators=[
                            Indicator(
                                eid=child(outcome, "ind", "1.1.1"),
                                line=indicator_line,
                                number="1.1.1",
                                text={"zh": "宽带用户数", "en": "Broadband subscribers"},
                            )
                        ],
                        outputs=["1.1"],
                    )
                ],
                outputs=[
                    Output(
                        eid=output,
                        line=20,
                        number="1.1",
                        title={"zh": "世界电信发展大会", "en": "WTDC"},
                        headings={"output": Heading(num="1.1", text={"zh": "产出"}, line=20)},
                        references=References(
                            eid=child(output, "refs"),
                            sdg_goals=[4, 9],
                            sdg_targets=["9.c"],
                            wsis_action_lines=["C2"],
                            pp_resolutions=[139],
                            wtdc_resolutions=[37, 37],
                        ),
                    )
                ],
            )
        ],
        source=SourceInfo(name=source_name, format="txt", sha256="ab" * 32),
    )


@pytest.fixture
def make_plan() -> Callable[..., Plan]:
    """``make_plan(code="baap", *, outcome_text=..., source_name=..., indicator_line=...)``."""
    return build_plan
