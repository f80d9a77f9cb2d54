"""Backups of the store: ``actionplan backup FILE`` and ``actionplan restore FILE``.

A backup is one file holding the whole ``default`` database (every table of every app:
plans, versions, elements, contributions, users, sessions, Django's own tables) as one
consistent snapshot, taken while the server keeps serving and writing:

SQLite
    The file is itself a SQLite database, copied with SQLite's online backup API
    (:meth:`sqlite3.Connection.backup` in one step: a single read transaction, so one
    snapshot even while another process writes) and switched out of WAL mode, so it is
    self-contained. It carries a one-row table :data:`MANIFEST_TABLE` (who wrote it, when,
    the row counts and the migrations), which restore removes again.
PostgreSQL
    ``pg_dump --format=custom``. The row counts and migrations reported are read in a
    ``REPEATABLE READ`` transaction whose snapshot ``pg_dump --snapshot`` then dumps, so
    they describe exactly what the file holds. The archive is its own manifest: restore
    reads the migrations from its ``django_migrations`` data.

Either way the file is written under a temporary name in the target folder, checked
(``PRAGMA integrity_check``; ``pg_restore --list``), flushed to disk and renamed: a
backup file is complete or absent, never half-written. It is created readable by its
owner only (it holds password hashes and sessions).

Restore checks the whole file before it touches the live database: that it is a backup
of the configured engine (by its first bytes), that it reads back whole (a SQLite copy
passes ``integrity_check``; ``pg_restore`` reads every block), that it holds an
actionplan store, and that its schema is not newer than this actionplan's migrations.
It refuses a database that already holds data unless ``force=True``. Then it replaces
the database in one transaction (SQLite: the backup API writing into the live file;
PostgreSQL: ``psql --single-transaction`` running a drop of every table and then
``pg_restore``'s script), runs pending migrations (a backup of an older schema is
migrated forward) and reports the row counts.

Django is set up on first use (without migrating: a backup must show the database as it
is, e.g. before an upgrade's migrations). Connection parameters for the PostgreSQL tools
come from ``settings.DATABASES["default"]`` and go to them through the environment
(``PGHOST``, ``PGPASSWORD``, ...), never on a command line.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from actionplan import __version__
from actionplan.errors import ActionPlanError, InputError, StoreError
from actionplan.server.audit import triggers as audit_triggers

MANIFEST_TABLE = "actionplan_backup_manifest"
"""The table inside a SQLite backup that describes it (one row: format, JSON)."""

FORMAT = 1
"""The manifest's format; a backup with a higher one was written by a newer actionplan."""

MIGRATE_FILLED = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "auth_group", audit_triggers.TABLE}
)
"""Tables ``migrate`` fills by itself (``auth_group``: the roles, made by the accounts migration, and the audit
entries recording them): rows there do not make a database "not empty"."""

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"

ENGINES = {"django.db.backends.sqlite3": "sqlite", "django.db.backends.postgresql": "postgresql"}

PG_KEYWORDS = {"NAME": "dbname", "HOST": "host", "PORT": "port", "USER": "user", "PASSWORD": "password"}
"""``DATABASES`` keys and the libpq connection keywords they are."""

PG_ENV = {
    "dbname": "PGDATABASE",
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
"""libpq keywords (also accepted in the URL's query string, i.e. ``OPTIONS``) and the environment
variables the PostgreSQL tools read them from: no parameter, above all no password, goes on a
command line, where other users of the machine could read it."""

PG_TOOLS = "the PostgreSQL client tools of the server's major version or newer (Debian: postgresql-client)"


@dataclass(frozen=True)
class BackupInfo:
    """What :func:`backup` wrote (or :func:`verify` found): enough to tell one backup from another.

    ``tables`` maps every table to its row count in the snapshot; ``migrations`` maps each
    app to the last migration applied (the schema the backup has).
    """

    engine: str
    path: Path
    size: int
    tables: dict[str, int]
    migrations: dict[str, str]
    created_at: str
    database: str = ""

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


@dataclass(frozen=True)
class RestoreInfo:
    """What :func:`restore` did.

    ``replaced`` are the rows that were in the database before (only with ``force``);
    ``migrated`` the migrations applied after the restore (``app.name``; empty when the
    backup had this actionplan's schema); ``tables`` the row counts now.
    """

    engine: str
    path: Path
    database: str
    tables: dict[str, int]
    migrations: dict[str, str]
    migrated: list[str] = field(default_factory=list)
    replaced: dict[str, int] = field(default_factory=dict)
    backup_created_at: str | None = None

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


@dataclass(frozen=True)
class _Contents:
    """A backup file checked and read: its engine, tables, migrations, when it was made."""

    engine: str
    tables: dict[str, int]
    applied: set[tuple[str, str]]
    created_at: str | None


# -- entry points ------------------------------------------------------------------------


def backup(path: Path) -> BackupInfo:
    """Write a consistent snapshot of the configured database to ``path`` (replacing it atomically).

    Works while the server runs. Refuses a missing folder, a folder as ``path``, the live
    SQLite file itself, and a database that was never migrated (nothing to restore later).
    """
    settings_dict = _settings()
    engine = _engine(settings_dict)
    path = Path(path).expanduser().absolute()
    _check_target(path)
    if engine == "sqlite":
        return _backup_sqlite(path, _sqlite_file(settings_dict))
    return _backup_postgres(path, settings_dict)


def verify(path: Path) -> BackupInfo:
    """Check a backup as :func:`restore` would, without touching the database; say what it holds.

    The file must be a backup of the configured engine (a PostgreSQL archive is read with
    ``pg_restore``, which needs no database).
    """
    settings_dict = _settings()
    engine = _engine(settings_dict)
    path = _existing_backup(path)
    _check_engine(path, engine)
    with tempfile.TemporaryDirectory(prefix="actionplan-verify-") as work:
        if engine == "sqlite":
            contents = _read_sqlite_backup(path, Path(work) / "copy.sqlite3")
        else:
            contents = _read_pg_archive(path, Path(work) / "restore.sql")
    return BackupInfo(
        engine=engine,
        path=path,
        size=path.stat().st_size,
        tables=contents.tables,
        migrations=_latest(contents.applied),
        created_at=contents.created_at or "",
    )


def restore(path: Path, *, force: bool = False) -> RestoreInfo:
    """Replace the configured database with the backup ``path``, then migrate it forward.

    The file is checked whole first; a file that is not a backup of this engine, is
    damaged, or has a newer schema than this actionplan is refused and the database is
    left untouched. A database holding data (anything beyond what ``migrate`` writes) is
    refused too unless ``force``, which replaces all of it. Stop the server while
    restoring: its caches would still show the old content.
    """
    settings_dict = _settings()
    engine = _engine(settings_dict)
    path = _existing_backup(path)
    _check_engine(path, engine)
    with tempfile.TemporaryDirectory(prefix="actionplan-restore-") as work:
        if engine == "sqlite":
            live = _sqlite_file(settings_dict)
            # The checked working copy is what gets restored: the backup file is only ever read.
            live.parent.mkdir(parents=True, exist_ok=True)
            copy = _temp_beside(live)
            try:
                contents = _read_sqlite_backup(path, copy)
                replaced = _refuse_unless_empty(path, force)
                _restore_sqlite(copy, live)
            finally:
                copy.unlink(missing_ok=True)
        else:
            script = Path(work) / "restore.sql"
            contents = _read_pg_archive(path, script)
            replaced = _refuse_unless_empty(path, force)
            _restore_postgres(script, settings_dict, path)
    migrated = _after_restore()
    return RestoreInfo(
        engine=engine,
        path=path,
        database=_describe(settings_dict),
        tables=_live_counts(),
        migrations=_latest(_live_applied()),
        migrated=migrated,
        replaced=replaced,
        backup_created_at=contents.created_at,
    )


# -- Django --------------------------------------------------------------------------------


def _settings() -> dict[str, Any]:
    """The ``default`` database's settings, with Django set up (but nothing migrated)."""
    import django
    import django.apps

    if not django.apps.apps.ready:
        from actionplan.server import bootstrap

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", bootstrap.SETTINGS_MODULE)
        django.setup()
    from django.db import connections

    return dict(connections["default"].settings_dict)


def _engine(settings_dict: Mapping[str, Any]) -> str:
    engine = ENGINES.get(settings_dict["ENGINE"])
    if engine is None:
        raise StoreError(
            f"cannot back up or restore a {settings_dict['ENGINE']} database",
            where=str(settings_dict.get("NAME") or ""),
            expected="SQLite or PostgreSQL",
        )
    return engine


def _describe(settings_dict: Mapping[str, Any]) -> str:
    """The database for messages: the SQLite file, or ``postgresql://user@host:port/name`` (no password)."""
    if _engine(settings_dict) == "sqlite":
        return str(settings_dict["NAME"])
    user = f"{settings_dict['USER']}@" if settings_dict.get("USER") else ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgresql://{user}{settings_dict.get('HOST') or ''}{port}/{settings_dict['NAME']}"


def _live_tables() -> list[str]:
    """The live database's tables (not views), as Django sees them."""
    from django.db import connection

    with connection.cursor() as cursor:
        return sorted(t.name for t in connection.introspection.get_table_list(cursor) if t.type == "t")


def _live_counts() -> dict[str, int]:
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for table in _live_tables():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _live_applied() -> set[tuple[str, str]]:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    return set(MigrationRecorder(connection).applied_migrations())


def _data_rows(counts: Mapping[str, int]) -> dict[str, int]:
    """The tables holding data, i.e. rows that ``migrate`` did not write by itself."""
    return {t: n for t, n in counts.items() if n and t not in MIGRATE_FILLED}


def _refuse_unless_empty(path: Path, force: bool) -> dict[str, int]:
    """The live database's data rows; refuse to replace them unless ``force``."""
    from django.db import connections

    data = _data_rows(_live_counts())
    connections.close_all()
    if data and not force:
        biggest = sorted(data.items(), key=lambda item: -item[1])
        listed = ", ".join(f"{t} {n}" for t, n in biggest[:5]) + (", ..." if len(biggest) > 5 else "")
        raise StoreError(
            f"refusing to restore {path}: the database already holds {sum(data.values())} rows ({listed})",
            where=_describe(connections["default"].settings_dict),
            expected="an empty database, or --force to replace all of its content with the backup's",
        )
    return data


def _after_restore() -> list[str]:
    """Forget what this process cached of the old content, then migrate; the migrations applied."""
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, connections
    from django.db.migrations.executor import MigrationExecutor

    connections.close_all()
    cache.clear()
    api = sys.modules.get("actionplan.server.store.api")
    if api is not None:
        api.forget_parsed_plans()
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
    if pending:
        try:
            call_command("migrate", verbosity=0, interactive=False)
        except Exception as exc:
            raise StoreError(
                f"the backup was restored but migrating it failed: {exc}",
                where=_describe(connection.settings_dict),
                expected=f"migrations {', '.join(pending)} to apply",
            ) from exc
    return pending


def _check_schema(applied: set[tuple[str, str]], path: Path) -> None:
    """Refuse a backup that is not an actionplan store, or whose schema this version does not know."""
    from django.db.migrations.loader import MigrationLoader

    if not any(app == "store" for app, _ in applied):
        raise InputError(
            "not a backup of an actionplan store: no store migrations recorded",
            where=str(path),
            expected="a file written by actionplan backup",
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(applied - known)
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown)
        raise StoreError(
            f"the backup has a newer schema than this actionplan {__version__} knows (migrations {names})",
            where=str(path),
            expected="a backup from this version of actionplan or an older one: upgrade actionplan, then restore",
        )


def _latest(applied: set[tuple[str, str]]) -> dict[str, str]:
    """App -> its last applied migration (names sort in order: ``0001_...``, ``0002_...``)."""
    latest: dict[str, str] = {}
    for app, name in sorted(applied):
        latest[app] = name
    return latest


# -- files ----------------------------------------------------------------------------------


def _check_target(path: Path) -> None:
    if not path.parent.is_dir():
        raise InputError("no such folder for the backup", where=str(path.parent), expected="an existing folder")
    if path.is_dir():
        raise InputError("is a folder", where=str(path), expected="a file name for the backup")


def _existing_backup(path: Path) -> Path:
    path = Path(path).expanduser().absolute()
    if not path.is_file():
        raise InputError("no such backup file", where=str(path), expected="a file written by actionplan backup")
    return path


def _kind_of(path: Path) -> str | None:
    """``sqlite`` or ``postgresql`` by the file's first bytes, else None."""
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    return None


def _check_engine(path: Path, engine: str) -> None:
    """Refuse a file that is not a backup, or a backup of the other engine."""
    expected = {
        "sqlite": "a SQLite backup written by actionplan backup",
        "postgresql": "a PostgreSQL backup written by actionplan backup (pg_dump --format=custom)",
    }[engine]
    kind = _kind_of(path)
    if kind is None:
        raise InputError(
            "not a backup: neither a SQLite database nor a pg_dump archive", where=str(path), expected=expected
        )
    if kind != engine:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise InputError(
            f"this is a {names[kind]} backup but the store is {names[engine]} "
            "(a backup is restored into the engine it was taken from)",
            where=str(path),
            expected=expected,
        )


def _temp_beside(path: Path) -> Path:
    """A new empty file in ``path``'s folder (so a rename onto ``path`` is atomic), for the owner only."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    return Path(name)


def _publish(tmp: Path, path: Path) -> None:
    """Flush ``tmp`` to disk and rename it to ``path``, then flush the folder: all or nothing."""
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    with contextlib.suppress(OSError):  # not every system can open a folder
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _written(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path``, renamed to ``path`` if the block succeeds, else removed."""
    tmp = _temp_beside(path)
    try:
        yield tmp
        _publish(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


# -- SQLite ---------------------------------------------------------------------------------


def _sqlite_file(settings_dict: Mapping[str, Any]) -> Path:
    name = str(settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        raise StoreError(
            "only a SQLite database in a plain file can be backed up or restored",
            where=name or "(no name)",
            expected="a file path such as $ACTIONPLAN_HOME/actionplan.sqlite3",
        )
    return Path(name).absolute()


def _sqlite_connect(path: Path, mode: str) -> sqlite3.Connection:
    """A connection in autocommit mode; ``mode`` ``ro``/``rw`` never creates a missing file."""
    return sqlite3.connect(
        f"file:{quote(str(path))}?mode={mode}", uri=True, timeout=20, isolation_level=None, check_same_thread=False
    )


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    return sorted(name for (name,) in rows if name != MANIFEST_TABLE)


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    return {t: db.execute(f"SELECT COUNT(*) FROM {_quoted(t)}").fetchone()[0] for t in _sqlite_tables(db)}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_applied(db: sqlite3.Connection) -> set[tuple[str, str]]:
    if "django_migrations" not in _sqlite_tables(db):
        return set()
    return {(app, name) for app, name in db.execute("SELECT app, name FROM django_migrations")}


def _sqlite_check(db: sqlite3.Connection) -> list[str]:
    """What ``integrity_check`` and ``foreign_key_check`` find wrong (empty: nothing)."""
    problems = [row[0] for row in db.execute("PRAGMA integrity_check") if row[0] != "ok"]
    problems += [
        f"{table} row {rowid}: no {parent} row" for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check")
    ]
    return problems


def _backup_sqlite(path: Path, live: Path) -> BackupInfo:
    if not live.is_file():
        raise StoreError(
            "there is no database to back up",
            where=str(live),
            expected="the SQLite store (any actionplan command makes it)",
        )
    if path.resolve() in {
        live.resolve(),
        *(live.resolve().with_name(live.name + s) for s in ("-wal", "-shm", "-journal")),
    }:
        raise InputError("that is the live database itself", where=str(path), expected="another file for the backup")
    created_at = datetime.now(UTC).isoformat(timespec="seconds")
    with _written(path) as tmp:
        try:
            with (
                contextlib.closing(_sqlite_connect(live, "rw")) as src,
                contextlib.closing(sqlite3.connect(tmp)) as dst,
            ):
                # One step (pages=-1): the whole copy under one read transaction, one snapshot.
                src.backup(dst)
            with contextlib.closing(_sqlite_connect(tmp, "rw")) as db:
                db.execute("PRAGMA journal_mode=DELETE")  # self-contained: no -wal file to forget
                tables = _sqlite_counts(db)
                applied = _sqlite_applied(db)
                if not applied:
                    raise StoreError(
                        "the database holds no actionplan store yet (never migrated): nothing to back up",
                        where=str(live),
                        expected="a store made by actionplan (run any actionplan command first)",
                    )
                manifest = {
                    "application": "actionplan",
                    "version": __version__,
                    "engine": "sqlite",
                    "created_at": created_at,
                    "database": str(live),
                    "tables": tables,
                    "migrations": sorted(applied),
                }
                db.execute(f"CREATE TABLE {MANIFEST_TABLE} (format INTEGER NOT NULL, manifest TEXT NOT NULL)")
                db.execute(f"INSERT INTO {MANIFEST_TABLE} VALUES (?, ?)", (FORMAT, json.dumps(manifest)))
                problems = _sqlite_check(db)
        except sqlite3.Error as exc:
            raise StoreError(
                f"SQLite backup failed: {exc}", where=str(live), expected="a readable SQLite store"
            ) from exc
        if problems:
            raise StoreError(
                f"the copy fails SQLite's integrity check: {'; '.join(problems[:3])}",
                where=str(live),
                expected="an intact database (check it with: actionplan manage dbshell, PRAGMA integrity_check)",
            )
    return BackupInfo(
        engine="sqlite",
        path=path,
        size=path.stat().st_size,
        tables=tables,
        migrations=_latest(applied),
        created_at=created_at,
        database=str(live),
    )


def _read_sqlite_backup(path: Path, copy: Path) -> _Contents:
    """Copy the backup ``path`` to ``copy``, check the copy whole, and remove the manifest from it."""
    expected = "a SQLite backup written by actionplan backup"
    _check_sqlite_size(path, expected)
    try:
        # Read-only: the backup file is never changed (a WAL-mode copy of a store is read with its -wal).
        with contextlib.closing(_sqlite_connect(path, "ro")) as src, contextlib.closing(sqlite3.connect(copy)) as dst:
            src.backup(dst)
        with contextlib.closing(_sqlite_connect(copy, "rw")) as db:
            db.execute("PRAGMA journal_mode=DELETE")
            problems = _sqlite_check(db)
            if problems:
                raise InputError(
                    f"the backup is damaged: {'; '.join(problems[:3])}", where=str(path), expected=expected
                )
            manifest: dict[str, Any] = {}
            if db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (MANIFEST_TABLE,)).fetchone():
                manifest = _sqlite_manifest(db, path)
                db.execute(f"DROP TABLE {MANIFEST_TABLE}")
            tables = _sqlite_counts(db)
            applied = _sqlite_applied(db)
    except sqlite3.DatabaseError as exc:
        raise InputError(f"the backup cannot be read: {exc}", where=str(path), expected=expected) from exc
    if manifest and manifest.get("tables") != tables:
        differ = sorted(t for t in {*tables, *manifest.get("tables", {})} if tables.get(t) != manifest["tables"].get(t))
        raise InputError(
            f"the backup is damaged: its row counts differ from its manifest's ({', '.join(differ[:5])})",
            where=str(path),
            expected=expected,
        )
    _check_schema(applied, path)
    return _Contents("sqlite", tables, applied, manifest.get("created_at"))


def _check_sqlite_size(path: Path, expected: str) -> None:
    """Refuse a truncated (or extended) file: SQLite itself reads missing pages as zeros.

    The header records the page size and, when it is up to date (bytes 92-95 equal the
    change counter, bytes 24-27), the number of pages. Only checked for files in rollback
    mode, as backups are: a WAL-mode file may legitimately lag behind its ``-wal`` file.
    """
    with path.open("rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or header[18] != 1:
        return
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if pages and header[92:96] == header[24:28] and path.stat().st_size != pages * page_size:
        raise InputError(
            f"the backup is truncated or damaged: {path.stat().st_size} bytes where its header says "
            f"{pages} pages of {page_size} bytes ({pages * page_size} bytes)",
            where=str(path),
            expected=expected,
        )


def _sqlite_manifest(db: sqlite3.Connection, path: Path) -> dict[str, Any]:
    row = db.execute(f"SELECT format, manifest FROM {MANIFEST_TABLE}").fetchone()
    try:
        fmt, manifest = int(row[0]), json.loads(row[1])
    except (TypeError, ValueError) as exc:
        raise InputError(
            "the backup is damaged: its manifest is unreadable",
            where=str(path),
            expected="a SQLite backup written by actionplan backup",
        ) from exc
    if fmt > FORMAT or manifest.get("application") != "actionplan":
        raise StoreError(
            f"the backup was written by {manifest.get('application')} {manifest.get('version')} in format {fmt}",
            where=str(path),
            expected=f"an actionplan backup in format {FORMAT} or older (upgrade actionplan)",
        )
    return dict(manifest)


def _restore_sqlite(copy: Path, live: Path) -> None:
    """Write the checked copy into the live file with the backup API: one write transaction."""
    try:
        with contextlib.closing(_sqlite_connect(copy, "rw")) as src:
            live.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.closing(sqlite3.connect(live, timeout=60, isolation_level=None)) as dst:
                # A WAL-mode destination cannot take another page size: make the copy's match.
                size = dst.execute("PRAGMA page_size").fetchone()[0]
                if src.execute("PRAGMA page_size").fetchone()[0] != size:
                    src.execute(f"PRAGMA page_size = {int(size)}")
                    src.execute("VACUUM")
                src.backup(dst)
                problems = [row[0] for row in dst.execute("PRAGMA quick_check") if row[0] != "ok"]
    except sqlite3.Error as exc:
        raise StoreError(
            f"restoring into the database failed: {exc}", where=str(live), expected="a writable SQLite file"
        ) from exc
    if problems:
        raise StoreError(f"the restored database fails SQLite's check: {'; '.join(problems[:3])}", where=str(live))


# -- PostgreSQL -----------------------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise StoreError(f"{name} is not installed (needed for PostgreSQL backups)", where=name, expected=PG_TOOLS)
    return path


def _pg_keywords(settings_dict: Mapping[str, Any]) -> dict[str, str]:
    """libpq connection keywords for the configured database."""
    params = {kw: str(settings_dict[key]) for key, kw in PG_KEYWORDS.items() if settings_dict.get(key)}
    options = settings_dict.get("OPTIONS") or {}
    params.update({kw: str(value) for kw, value in options.items() if kw in PG_ENV and value is not None})
    return params


def _pg_env(settings_dict: Mapping[str, Any]) -> dict[str, str]:
    """This process's environment plus the configured database's parameters, for a PostgreSQL tool."""
    return {**os.environ, **{PG_ENV[kw]: value for kw, value in _pg_keywords(settings_dict).items()}}


def _run(
    command: list[str],
    env: Mapping[str, str],
    *,
    where: str,
    expected: str,
    error: type[ActionPlanError] = StoreError,
) -> str:
    """Run a PostgreSQL tool; its stdout, or ``error`` quoting the last lines of its stderr."""
    done = subprocess.run(command, env=dict(env), capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        tail = " ".join(line.strip() for line in done.stderr.strip().splitlines()[-3:]) or f"exit {done.returncode}"
        raise error(f"{Path(command[0]).name} failed: {tail}", where=where, expected=expected)
    return done.stdout


def _pg_connect(settings_dict: Mapping[str, Any]) -> Any:
    """A new psycopg connection (autocommit) to the configured database, apart from Django's."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    return psycopg.connect(make_conninfo(**_pg_keywords(settings_dict)), autocommit=True)


def _backup_postgres(path: Path, settings_dict: Mapping[str, Any]) -> BackupInfo:
    import psycopg

    pg_dump, pg_restore = _tool("pg_dump"), _tool("pg_restore")
    try:
        return _dump_postgres(path, settings_dict, pg_dump, pg_restore)
    except psycopg.Error as exc:
        raise StoreError(f"PostgreSQL: {exc}", where=_describe(settings_dict), expected="a reachable database") from exc


def _dump_postgres(path: Path, settings_dict: Mapping[str, Any], pg_dump: str, pg_restore: str) -> BackupInfo:
    where = _describe(settings_dict)
    env = _pg_env(settings_dict)
    with _written(path) as tmp, _pg_connect(settings_dict) as conn:
        # The counts and migrations below and pg_dump all read this one snapshot.
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        created_at = datetime.now(UTC).isoformat(timespec="seconds")
        tables = _pg_counts(conn)
        if "django_migrations" not in tables:
            raise StoreError(
                "the database holds no actionplan store yet (never migrated): nothing to back up",
                where=where,
                expected="a store made by actionplan (run any actionplan command first)",
            )
        applied = {(app, name) for app, name in conn.execute("SELECT app, name FROM django_migrations")}
        _run(
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-password", f"--file={tmp}"],
            env,
            where=where,
            expected=f"a reachable database and {PG_TOOLS}",
        )
        conn.execute("COMMIT")
        _run([pg_restore, "--list", str(tmp)], env, where=str(path), expected="pg_dump to write a readable archive")
    return BackupInfo(
        engine="postgresql",
        path=path,
        size=path.stat().st_size,
        tables=tables,
        migrations=_latest(applied),
        created_at=created_at,
        database=where,
    )


def _pg_counts(conn: Any) -> dict[str, int]:
    """Row counts of the tables on the search path (those Django sees), in ``conn``'s transaction."""
    from psycopg import sql

    names = [
        name
        for (name,) in conn.execute(
            "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND pg_catalog.pg_table_is_visible(c.oid)"
        )
    ]
    return {
        name: int(conn.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(name))).fetchone()[0])
        for name in sorted(names)
    }


COPY_MIGRATIONS = re.compile(r"^COPY (?:\S+\.)?django_migrations \(([^)]*)\) FROM stdin;$")
COPY_ROWS = re.compile(r"^COPY (?:\S+\.)?(\"[^\"]+\"|\S+) \(")


def _read_pg_archive(path: Path, script: Path) -> _Contents:
    """Read the whole archive into the SQL script ``script`` (no database needed); its migrations."""
    pg_restore = _tool("pg_restore")
    expected = "a PostgreSQL backup written by actionplan backup (pg_dump --format=custom)"
    where = str(path)
    listing = _run([pg_restore, "--list", where], os.environ, where=where, expected=expected, error=InputError)
    # Every data block is read and decompressed here: a damaged archive fails now, not half-way.
    _run(
        [pg_restore, "--no-owner", f"--file={script}", where],
        os.environ,
        where=where,
        expected=expected,
        error=InputError,
    )
    applied, tables = _pg_script_contents(script)
    if applied is None:
        raise InputError(
            "not a backup of an actionplan store: no django_migrations data", where=str(path), expected=expected
        )
    _check_schema(applied, path)
    return _Contents("postgresql", tables, applied, _archive_created_at(listing))


def _archive_created_at(listing: str) -> str | None:
    """When ``pg_dump`` wrote the archive, from ``pg_restore --list`` (ISO 8601 when in UTC, else as printed)."""
    found = re.search(r"^; Archive created at (.+)$", listing, re.MULTILINE)
    if not found:
        return None
    text = found.group(1).strip()
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S UTC").replace(tzinfo=UTC).isoformat()
    except ValueError:
        return text


def _pg_script_contents(script: Path) -> tuple[set[tuple[str, str]] | None, dict[str, int]]:
    """From ``pg_restore``'s script: the django_migrations rows and each table's row count."""
    applied: set[tuple[str, str]] | None = None
    tables: dict[str, int] = {}
    columns: list[str] | None = None
    table: str | None = None
    with script.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if table is None:
                start = COPY_ROWS.match(line)
                if start:
                    table = start.group(1).strip('"')
                    tables[table] = 0
                    found = COPY_MIGRATIONS.match(line)
                    columns = [c.strip().strip('"') for c in found.group(1).split(",")] if found else None
                    if columns is not None:
                        applied = set()
                continue
            if line == "\\.":
                table, columns = None, None
                continue
            tables[table] += 1
            if columns is not None and applied is not None:
                values = dict(zip(columns, line.split("\t"), strict=False))
                applied.add((values.get("app", ""), values.get("name", "")))
    return applied, dict(sorted(tables.items()))


def _restore_postgres(script: Path, settings_dict: Mapping[str, Any], path: Path) -> None:
    """Drop every table and run the archive's script, all in one transaction (psql --single-transaction).

    Dropping first (rather than ``pg_restore --clean``, which drops only what the archive
    holds) also removes tables of migrations newer than the backup, which the forward
    migration after the restore creates again.
    """
    from django.db import connection, connections

    psql = _tool("psql")
    tables = _live_tables()
    connections.close_all()
    command = [psql, "--no-psqlrc", "--quiet", "--no-password", "--single-transaction", "--set", "ON_ERROR_STOP=1"]
    if tables:
        drop = ", ".join(connection.ops.quote_name(t) for t in tables)
        command += ["--command", f"DROP TABLE IF EXISTS {drop} CASCADE"]
    # Trigger functions outlive their tables, and the dump recreates them (the audit trail's).
    command += ["--command", f"DROP FUNCTION IF EXISTS {audit_triggers.FUNCTION}() CASCADE"]
    command += ["--file", str(script)]
    _run(
        command,
        _pg_env(settings_dict),
        where=_describe(settings_dict),
        expected=f"to restore {path} into a database this user may write (nothing was changed)",
    )
