"""The ``actionplan`` command: a thin Typer layer over the core and the store.

One Typer app (:data:`actionplan.cli.common.app`); each module adds its commands:
:mod:`.plans` (parse, import, versions, lint, export, refs, diff, summary),
:mod:`.contributions` (``actionplan contribution …``), :mod:`.users` (accounts),
:mod:`.audit` (``actionplan audit …``), :mod:`.monitor` (``actionplan monitor …``),
:mod:`.index` (``actionplan index …``), :mod:`.stats` (``actionplan stats …``) and :mod:`.server`
(serve, run, manage, backup, restore).
"""

from __future__ import annotations

from actionplan.cli import audit, contributions, monitor, plans, server, users
from actionplan.cli.common import app
from actionplan.cli.index import index_app
from actionplan.cli.stats import stats_app

app.add_typer(index_app, name="index")
app.add_typer(stats_app, name="stats")

__all__ = [
    "app",
    "audit",
    "contributions",
    "index_app",
    "main",
    "monitor",
    "plans",
    "server",
    "stats_app",
    "users",
]


def main() -> None:
    """Run the command; writes it makes are recorded in the audit trail as made by ``cli``."""
    from actionplan.server.audit.actor import acting_as

    with acting_as("cli"):
        app()
