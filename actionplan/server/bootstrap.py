"""Start Django from plain Python (the CLI) with no manual step, even on a fresh machine.

>>> from actionplan.server import bootstrap
>>> bootstrap.setup()                     # settings, django.setup(), pending migrations
>>> from actionplan.server.store import api  # only now: it imports Django models

``manage(argv)`` is Django's ``manage.py`` for this project (``actionplan manage ...``,
or ``python -m actionplan.server ...``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from actionplan.errors import StoreError

SETTINGS_MODULE = "actionplan.server.settings"
DATABASE_URL_ENV = "ACTIONPLAN_DATABASE_URL"

_ready_url: str | None = None
_ready = False


def _configure(database_url: str | None) -> None:
    """Point Django at our settings and, if given, at ``database_url``."""
    import django.apps

    if database_url is not None:
        current = os.environ.get(DATABASE_URL_ENV)
        if django.apps.apps.ready and current != database_url:
            raise StoreError(
                "Django is already set up with another database",
                where=database_url,
                expected=f"the same database URL in one process ({current or 'the default'})",
            )
        os.environ[DATABASE_URL_ENV] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)


def setup(database_url: str | None = None) -> None:
    """Make the store usable: settings, ``django.setup()``, then apply pending migrations.

    ``database_url`` (a dj-database-url URL) overrides ``$ACTIONPLAN_DATABASE_URL`` for this
    process. Calling again is cheap and does nothing; calling again with a different URL
    raises :class:`~actionplan.errors.StoreError` (Django holds one configuration per process).
    """
    global _ready, _ready_url
    if _ready and (database_url is None or database_url == _ready_url):
        return
    _configure(database_url)

    import django
    import django.apps

    if not django.apps.apps.ready:
        django.setup()
    migrate_if_needed()
    _ready, _ready_url = True, os.environ.get(DATABASE_URL_ENV)


def migrate_if_needed() -> bool:
    """Apply unapplied migrations quietly; return whether there were any."""
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    if not executor.migration_plan(targets):
        return False
    call_command("migrate", verbosity=0, interactive=False)
    return True


def manage(argv: Sequence[str]) -> None:
    """Run a Django management command, ``argv`` being what follows ``manage.py``."""
    _configure(None)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["actionplan manage", *argv])
