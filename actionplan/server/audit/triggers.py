"""Database triggers that refuse ``UPDATE`` and ``DELETE`` of audit entries, from any client.

Created by migration ``0002_append_only``; :func:`create` and :func:`drop` are also used by
this app's ``flush`` command (emptying the whole database, as tests do, lifts them for the
duration of its transaction) and by tests that play an attacker with database access.

PostgreSQL: a PL/pgSQL function raising an error, attached ``BEFORE UPDATE OR DELETE``
(each row) and ``BEFORE TRUNCATE``. SQLite: ``BEFORE UPDATE`` and ``BEFORE DELETE``
triggers calling ``RAISE(ABORT, ...)`` (SQLite has no ``TRUNCATE``).
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditentry"
FUNCTION = "audit_auditentry_refuse"
"""The PostgreSQL trigger function: it outlives the table, so a restore drops it too."""
MESSAGE = "audit entries are append-only"

POSTGRESQL_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % refused on {TABLE}', TG_OP USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    f"""
    CREATE TRIGGER audit_auditentry_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()
    """,
    f"""
    CREATE TRIGGER audit_auditentry_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()
    """,
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS audit_auditentry_append_only ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {FUNCTION}()",
]

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused on {TABLE}'); END
    """,
    f"""
    CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused on {TABLE}'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
]


def _statements(connection: BaseDatabaseWrapper, *, creating: bool) -> list[str]:
    if connection.vendor == "postgresql":
        return POSTGRESQL_CREATE if creating else POSTGRESQL_DROP
    if connection.vendor == "sqlite":
        return SQLITE_CREATE if creating else SQLITE_DROP
    return []  # another database: the model's refusals and the hash chain only


def create(connection: BaseDatabaseWrapper) -> None:
    """Install the triggers (call inside a transaction to make it atomic with other DDL)."""
    with connection.cursor() as cursor:
        for sql in _statements(connection, creating=True):
            cursor.execute(sql)


def drop(connection: BaseDatabaseWrapper) -> None:
    """Remove the triggers (what an attacker with database access can do; tests do it)."""
    with connection.cursor() as cursor:
        for sql in _statements(connection, creating=False):
            cursor.execute(sql)


def installed(connection: BaseDatabaseWrapper) -> bool:
    """Whether the append-only triggers are in place."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'audit_auditentry_%%'")
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_auditentry_%'"
            )
        else:
            return False
        row = cursor.fetchone()
    return bool(row and row[0])
