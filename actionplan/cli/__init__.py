"""The ``actionplan`` command: a thin Typer layer over the core and the store.

One Typer app (:data:`actionplan.cli.common.app`); each module adds its commands:
:mod:`.plans` (parse, import, versions, lint, export, refs, diff, summary),
:mod:`.contributions` (``actionplan contribution …``) and :mod:`.server`
(serve, run, manage).
"""

from __future__ import annotations

from actionplan.cli import contributions, plans, server
from actionplan.cli.common import app

__all__ = ["app", "contributions", "main", "plans", "server"]


def main() -> None:
    app()
