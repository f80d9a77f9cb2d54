"""``flush`` that also empties the audit trail: the append-only triggers are lifted for its transaction.

Emptying the whole database (``manage flush``; every ``transactional_db`` test does it
after each test) is the one sanctioned way to remove audit entries. The triggers are
dropped, Django's ``flush`` runs, and they are created again, in one transaction: if the
flush fails or is declined, the triggers were never gone.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from actionplan.server.audit import triggers


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        alias = options.get("database") or DEFAULT_DB_ALIAS
        connection = connections[alias]
        if triggers.TABLE not in connection.introspection.table_names():
            super().handle(**options)
            return
        with transaction.atomic(using=alias):
            triggers.drop(connection)
            super().handle(**options)
            triggers.create(connection)
