"""``backup`` and ``restore``: a backup restored into a fresh database gives back every row of every table.

Every store here is a fresh database used by its own Python process, as the CLI would use it:
on SQLite a file in the process's own ``ACTIONPLAN_HOME``; on PostgreSQL (``scripts/test``'s
second pass, with ``ACTIONPLAN_TEST_POSTGRES_URL`` set) a database created for the test on
that server. So each module runs on one engine: SQLite in the first pass, PostgreSQL in the
second. Nothing is mocked: the PostgreSQL tests need ``pg_dump``, ``pg_restore`` and ``psql``.

The source store holds the bundled base plan, the bundled contribution adopted into a
second version (so contributions, amendments and adopted changes), the source plan, a user
in a group with permissions, an admin log entry and a session: every table has rows.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from actionplan.model import Plan
from actionplan.server.store.backup import MIGRATE_FILLED
from tests.conftest import REPO, require_tool

POSTGRES_URL = os.environ.get("ACTIONPLAN_TEST_POSTGRES_URL", "")
ENGINE = "postgresql" if POSTGRES_URL else "sqlite"

PRELUDE = '''
import dataclasses, json, sys
from pathlib import Path
from actionplan.errors import ActionPlanError
from actionplan.server import bootstrap
from actionplan.server.store import backup


def emit(value):
    print("RESULT " + json.dumps(value, default=str, ensure_ascii=False))


def attempt(function, *args, **kwargs):
    """The function's dataclass as a dict, or the ActionPlanError it raised."""
    try:
        return {"ok": dataclasses.asdict(function(*args, **kwargs))}
    except ActionPlanError as exc:
        return {"error": type(exc).__name__, "exit_code": exc.exit_code, "message": exc.message,
                "where": exc.where, "expected": exc.expected}


def dump():
    """Every row of every table, ordered by primary key; the sequences; the models' tables."""
    from django.apps import apps
    from django.db import connection

    quote = connection.ops.quote_name
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(t.name for t in connection.introspection.get_table_list(cursor) if t.type == "t"):
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            pk = connection.introspection.get_primary_key_column(cursor, table)
            order = quote(pk) if pk else ", ".join(str(i) for i in range(1, len(columns) + 1))
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")
            tables[table] = {"columns": columns, "rows": [list(row) for row in cursor.fetchall()]}
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name")
        else:
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences ORDER BY sequencename")
        sequences = [list(row) for row in cursor.fetchall()]
    models = sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)})
    return {"tables": tables, "sequences": sequences, "models": models}
'''

POPULATE = """
bootstrap.setup()
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore

from actionplan.amend import bundled_base_path, bundled_contribution_path, load_contribution
from actionplan.amend.consolidate import Decision
from actionplan.data.plans import bundled_plan
from actionplan.ingest import parse_file
from actionplan.server.store import api, contributions, models

api.import_plan(parse_file(bundled_base_path()), note="bundled base")
user = User.objects.create_user(username="alice", password="a long test password 1", is_staff=True)
group = Group.objects.get(name="secretariat")  # the roles are made by the accounts migration
group.permissions.add(*Permission.objects.filter(codename__endswith="_contribution"))
user.groups.add(group, Group.objects.get(name="delegate"))
from datetime import timedelta
from django.utils import timezone
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from actionplan.server.accounts.models import Membership
from actionplan.server.accounts.tokens import make as make_token
Membership.objects.create(user=user, organisation="CHN")
make_token(user, "write")
where = {"user_agent": "test", "ip_address": "192.0.2.1", "http_accept": "*/*", "path_info": "/accounts/login/"}
attempt = AccessAttempt.objects.create(username="mallory", get_data="", post_data="", failures_since_start=1, **where)
AccessAttemptExpiration.objects.create(access_attempt=attempt, expires_at=timezone.now() + timedelta(minutes=15))
AccessFailureLog.objects.create(username="mallory", locked_out=False, **where)
AccessLog.objects.create(username="alice", **where)
user.user_permissions.add(Permission.objects.get(codename="view_plan"))
bundled = load_contribution(bundled_contribution_path())
info = contributions.create_contribution(
    bundled.model_copy(update={"document": "BAAP-ZH", "sponsors": ["CHN"]}), base="baap@1", user=user
)
contributions.adopt("baap@1", [Decision(a.key, "accept") for a in info.amendments], user=user)
api.import_plan(parse_file(bundled_plan()), note="the source document")
plan = models.Plan.objects.get(code="baap")
LogEntry.objects.create(
    user=user, content_type=ContentType.objects.get_for_model(models.Plan), object_id=str(plan.pk),
    object_repr="baap", action_flag=ADDITION, change_message="[]",
)
session = SessionStore()
session["language"] = "en"
session.create()
from actionplan.server.monitor import figures
from actionplan.server.monitor.demo import load_demo
load_demo(5, {"events": 30, "participants": 200, "assistance": 30, "publications": 20, "partnerships": 10})
figures.approve(2019, user=user)
from actionplan.server.stats import store as statistics
statistics.import_observations(
    b"economy,year,indicator,value" + bytes([10]) + b"KEN,2020,internet_users_pct,29.5" + bytes([10]),
    "observations.csv", user,
)
from importlib.resources import files
framework = files("actionplan.data").joinpath("frameworks/idi-2017.yaml").read_text(encoding="utf-8")
statistics.save_framework("idi-2017-proposed", framework.replace("id: idi-2017", "id: idi-2017-proposed", 1), user, "")
"""

BACKUP = "emit(attempt(backup.backup, Path(sys.argv[1])))"
RESTORE = "emit(attempt(backup.restore, Path(sys.argv[1]), force=sys.argv[2] == 'force'))"


def close_in_time(one: str, other: str) -> bool:
    """Two ISO 8601 times within a minute (pg_dump's clock reads a moment after ours)."""
    return abs((datetime.fromisoformat(one) - datetime.fromisoformat(other)).total_seconds()) < 60


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- stores: a fresh database each, used from its own process ------------------------------


@dataclass
class Store:
    """A fresh database and the environment of a process that uses it (and nothing else)."""

    name: str
    env: dict[str, str]
    database: str

    def start(self, code: str, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-c", PRELUDE + code, *args],
            env=self.env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, code: str, *args: str) -> Any:
        """Run ``code`` in a new interpreter on this store; what it ``emit()``-ed last."""
        done = subprocess.run(
            [sys.executable, "-c", PRELUDE + code, *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        results = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        return json.loads(results[-1].removeprefix("RESULT ")) if results else None

    def dump(self) -> dict[str, Any]:
        return self.run("bootstrap.setup()\nemit(dump())")

    def backup(self, path: Path) -> dict[str, Any]:
        return self.run(BACKUP, str(path))

    def restore(self, path: Path, *, force: bool = False) -> dict[str, Any]:
        return self.run(RESTORE, str(path), "force" if force else "")


def _pg_admin(statement: str) -> None:
    import psycopg

    url = urlsplit(POSTGRES_URL)._replace(path="/postgres").geturl()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)


def _make_store(name: str, home: Path) -> Store:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"ACTIONPLAN_DATABASE_URL", "DJANGO_SETTINGS_MODULE", "ACTIONPLAN_TEST_POSTGRES_URL"}
    }
    env["ACTIONPLAN_HOME"] = str(home)
    if ENGINE == "sqlite":
        return Store(name, env, str(home / "actionplan.sqlite3"))
    database = f"actionplan_{name}"
    _pg_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    _pg_admin(f'CREATE DATABASE "{database}"')
    env["ACTIONPLAN_DATABASE_URL"] = urlsplit(POSTGRES_URL)._replace(path=f"/{database}").geturl()
    return Store(name, env, env["ACTIONPLAN_DATABASE_URL"])


def _drop_store(store: Store) -> None:
    if ENGINE == "postgresql":
        _pg_admin(f'DROP DATABASE IF EXISTS "actionplan_{store.name}" WITH (FORCE)')


def _require_tools() -> None:
    if ENGINE == "postgresql":
        for tool in ("pg_dump", "pg_restore", "psql"):
            require_tool(tool)


@pytest.fixture
def new_store(tmp_path: Path) -> Iterator[Callable[[str], Store]]:
    """``new_store(name)``: a fresh, empty database (nothing created in it yet)."""
    _require_tools()
    made: list[Store] = []

    def make(name: str) -> Store:
        store = _make_store(name, tmp_path / name)
        made.append(store)
        return store

    yield make
    for store in made:
        _drop_store(store)


@dataclass
class Source:
    store: Store
    file: Path
    info: dict[str, Any]
    dump: dict[str, Any]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Source]:
    """The populated store, its backup (taken once, only ever read by the tests) and its dump."""
    _require_tools()
    folder = tmp_path_factory.mktemp("backup")
    store = _make_store("backup_test", folder / "home")
    store.run(POPULATE)
    file = folder / ("store.sqlite3" if ENGINE == "sqlite" else "store.dump")
    made = store.backup(file)
    assert "ok" in made, made
    yield Source(store, file, made["ok"], store.dump())
    _drop_store(store)


def counts(dump: dict[str, Any]) -> dict[str, int]:
    return {table: len(content["rows"]) for table, content in dump["tables"].items()}


# -- the round trip ----------------------------------------------------------------------------


def test_the_source_store_has_rows_in_every_table(source: Source) -> None:
    """Otherwise comparing tables below would prove little."""
    assert set(source.dump["models"]) <= set(source.dump["tables"])
    assert [t for t, n in counts(source.dump).items() if n == 0] == []
    assert counts(source.dump)["store_planversion"] >= 2  # the base and the adopted version, at least
    assert source.dump["sequences"]


def test_backup_reports_what_it_wrote(source: Source) -> None:
    info = source.info
    assert info["engine"] == ENGINE
    assert info["path"] == str(source.file)
    assert info["size"] == source.file.stat().st_size > 0
    assert info["tables"] == counts(source.dump)
    assert info["migrations"]["store"] == "0002_contributions"
    assert {"admin", "auth", "contenttypes", "sessions"} <= info["migrations"].keys()
    assert info["database"] == source.store.database
    assert stat.S_IMODE(source.file.stat().st_mode) == 0o600  # it holds password hashes
    assert sorted(p.name for p in source.file.parent.iterdir()) == ["home", source.file.name]  # no temporary left


def test_restore_into_a_fresh_database_gives_every_row_of_every_table(
    source: Source, new_store: Callable[[str], Store]
) -> None:
    """Restore into a database nothing has touched yet, then compare every table row by row."""
    before = sha256(source.file)
    target = new_store("restore_test")

    done = target.restore(source.file)

    assert "ok" in done, done
    info = done["ok"]
    assert (info["engine"], info["path"], info["database"]) == (ENGINE, str(source.file), target.database)
    assert (info["migrated"], info["replaced"]) == ([], {})
    assert info["tables"] == source.info["tables"]
    assert info["migrations"] == source.info["migrations"]
    assert close_in_time(info["backup_created_at"], source.info["created_at"])
    restored = target.dump()
    assert restored["tables"].keys() == source.dump["tables"].keys()
    for table, content in source.dump["tables"].items():
        assert restored["tables"][table] == content, table
    assert restored["sequences"] == source.dump["sequences"]
    assert sha256(source.file) == before  # the backup is only read


def test_the_restored_store_works_and_new_rows_get_new_ids(source: Source, new_store: Callable[[str], Store]) -> None:
    """After a restore the store serves the plans and the next row continues the sequences."""
    target = new_store("restore_use")
    assert "ok" in target.restore(source.file)
    code = """
bootstrap.setup()
from django.contrib.auth.models import User
from actionplan.server.store import api
bob = User.objects.create_user(username="bob")
emit([[v.ref for v in api.list_versions()], bob.pk, api.load_version("baap@2").code])
"""
    refs, new_id, code_of_version = target.run(code)
    assert len(refs) == counts(source.dump)["store_planversion"] and "baap@2" in refs
    user_ids = [row[0] for row in source.dump["tables"]["auth_user"]["rows"]]
    assert new_id == max(user_ids) + 1
    assert code_of_version == "baap"


def test_verify_reads_a_backup_without_touching_the_database(source: Source, new_store: Callable[[str], Store]) -> None:
    target = new_store("verify")
    found = target.run("emit(attempt(backup.verify, Path(sys.argv[1])))", str(source.file))
    assert "ok" in found, found
    assert found["ok"]["tables"] == source.info["tables"]
    assert found["ok"]["migrations"] == source.info["migrations"]
    assert close_in_time(found["ok"]["created_at"], source.info["created_at"])
    assert counts(target.dump())["store_planversion"] == 0


# -- refusals -----------------------------------------------------------------------------------


def test_restore_refuses_a_database_holding_data_unless_forced(
    source: Source, new_store: Callable[[str], Store]
) -> None:
    """A database with any row beyond what migrate writes is kept, unless --force replaces it."""
    target = new_store("not_empty")
    target.run(
        "bootstrap.setup()\nfrom django.contrib.auth.models import User\nUser.objects.create_user(username='bob')"
    )
    before = target.dump()

    refused = target.restore(source.file)

    assert refused["error"] == "StoreError" and refused["exit_code"] == 5
    assert refused["where"] == target.database
    assert refused["message"] == f"refusing to restore {source.file}: the database already holds 1 rows (auth_user 1)"
    assert "--force" in refused["expected"]
    assert target.dump() == before

    forced = target.restore(source.file, force=True)

    assert "ok" in forced, forced
    assert forced["ok"]["replaced"] == {"auth_user": 1}
    assert target.dump()["tables"] == source.dump["tables"]


def test_restoring_twice_needs_force(source: Source, new_store: Callable[[str], Store]) -> None:
    target = new_store("twice")
    assert "ok" in target.restore(source.file)
    again = target.restore(source.file)
    assert again["error"] == "StoreError"
    assert "store_element" in again["message"]
    forced = target.restore(source.file, force=True)
    assert "ok" in forced
    assert forced["ok"]["replaced"] == {t: n for t, n in source.info["tables"].items() if t not in MIGRATE_FILLED}
    assert target.dump()["tables"] == source.dump["tables"]


def _bad_files(folder: Path, good: Path) -> dict[str, Path]:
    """Files that are not restorable backups of this engine, by what is wrong with them."""
    data = good.read_bytes()
    files = {
        "garbage": b"this is not a backup\n" * 200,
        "empty": b"",
        "truncated to half": data[: len(data) // 2],
        "missing its end": data[:-100],
        "missing its first page": data[4096:],
        "with a page overwritten": data[: len(data) // 2] + b"\xff" * 4096 + data[len(data) // 2 + 4096 :],
    }
    if ENGINE == "sqlite":
        files["of PostgreSQL"] = b"PGDMP" + data[5:]
    paths = {}
    for name, content in files.items():
        paths[name] = folder / name.replace(" ", "-")
        paths[name].write_bytes(content)
    other = folder / "other-database"
    if ENGINE == "sqlite":
        with sqlite3.connect(other) as db:
            db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
            db.execute("INSERT INTO notes (text) VALUES ('not a store')")
        db.close()
        paths["not a store"] = other
    else:
        # A real archive, of a database that is not an actionplan store.
        _pg_admin('DROP DATABASE IF EXISTS "actionplan_backup_other" WITH (FORCE)')
        _pg_admin('CREATE DATABASE "actionplan_backup_other"')
        url = urlsplit(POSTGRES_URL)._replace(path="/actionplan_backup_other").geturl()
        subprocess.run(["psql", "-X", "-q", url, "-c", "CREATE TABLE notes (id int, text text)"], check=True)
        subprocess.run(["pg_dump", "--format=custom", f"--file={other}", url], check=True)
        _pg_admin('DROP DATABASE "actionplan_backup_other"')
        paths["not a store"] = other
        sqlite_file = folder / "of-sqlite"
        with sqlite3.connect(sqlite_file) as db:
            db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
        db.close()
        paths["of SQLite"] = sqlite_file
    return paths


def test_damaged_and_foreign_files_are_refused_and_the_database_is_untouched(
    source: Source, new_store: Callable[[str], Store], tmp_path: Path
) -> None:
    """Even with --force: the file is checked whole before the database is touched."""
    bad = _bad_files(tmp_path, source.file)
    target = new_store("untouched")
    assert "ok" in target.restore(source.file)
    before = target.dump()
    code = """
files = json.loads(sys.argv[1])
emit({name: attempt(backup.restore, Path(path), force=True) for name, path in files.items()})
"""
    results = target.run(code, json.dumps({name: str(path) for name, path in bad.items()}))

    for name, result in results.items():
        assert result.get("error") == "InputError", (name, result)
        assert result["exit_code"] == 2
        assert result["where"] == str(bad[name])
        assert "actionplan backup" in result["expected"]
    assert results["garbage"]["message"] == "not a backup: neither a SQLite database nor a pg_dump archive"
    assert results["empty"]["message"] == results["garbage"]["message"]
    assert results["missing its first page"]["message"] == results["garbage"]["message"]
    damaged = ("the backup is", "the backup cannot be read") if ENGINE == "sqlite" else ("pg_restore failed",)
    for name in ("truncated to half", "missing its end", "with a page overwritten"):
        assert results[name]["message"].startswith(damaged), results[name]
    assert results["not a store"]["message"].startswith("not a backup of an actionplan store")
    other = "of PostgreSQL" if ENGINE == "sqlite" else "of SQLite"
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    assert results[other]["message"].startswith(
        f"this is a {names['postgresql' if ENGINE == 'sqlite' else 'sqlite']} backup but the store is {names[ENGINE]}"
    )
    assert target.dump() == before


def test_a_backup_of_a_newer_schema_is_refused(new_store: Callable[[str], Store], tmp_path: Path) -> None:
    """A migration this actionplan does not know means a newer actionplan wrote the backup."""
    newer = new_store("newer")
    newer.run(
        "bootstrap.setup()\n"
        "from django.db import connection\n"
        "from django.db.migrations.recorder import MigrationRecorder\n"
        "MigrationRecorder(connection).record_applied('store', '9999_from_the_future')"
    )
    file = tmp_path / "newer.backup"
    assert "ok" in newer.backup(file)
    target = new_store("older_code")
    target.run("bootstrap.setup()")
    before = target.dump()

    refused = target.restore(file, force=True)

    assert refused["error"] == "StoreError"
    assert refused["where"] == str(file)
    assert "store.9999_from_the_future" in refused["message"]
    assert "upgrade actionplan" in refused["expected"]
    assert target.dump() == before


def test_a_backup_of_an_older_schema_is_migrated_forward(new_store: Callable[[str], Store], tmp_path: Path) -> None:
    """Restored over a freshly migrated database (which has the newer tables), then migrated."""
    old = new_store("old_schema")
    old.run(
        """
bootstrap.setup()
from django.core.management import call_command
call_command("migrate", "store", "0001_initial", verbosity=0)
from actionplan.amend import bundled_base_path
from actionplan.ingest import parse_file
from actionplan.server.store import api
api.import_plan(parse_file(bundled_base_path()))
"""
    )
    file = tmp_path / "old.backup"
    made = old.backup(file)
    assert made["ok"]["migrations"]["store"] == "0001_initial"
    assert "store_contribution" not in made["ok"]["tables"]
    target = new_store("new_schema")
    target.run("bootstrap.setup()")  # migrated to this actionplan's schema: store_contribution exists

    done = target.restore(file)

    assert "ok" in done, done
    # store's next migration, and those of the apps that came later and need it (monitoring, ...)
    assert done["ok"]["migrated"][0] == "store.0002_contributions"
    assert all(name.split(".")[0] not in made["ok"]["migrations"] for name in done["ok"]["migrated"][1:])
    assert done["ok"]["migrations"]["store"] == "0002_contributions"
    assert done["ok"]["tables"]["store_contribution"] == 0
    assert done["ok"]["tables"]["store_planversion"] == 1
    restored = target.dump()
    for table, content in old.dump()["tables"].items():
        if table != "django_migrations":
            assert restored["tables"][table] == content, table


# -- consistency while writing --------------------------------------------------------------------

WRITER = """
bootstrap.setup()
import os
from actionplan.model import Plan
from actionplan.server.store.backup import MIGRATE_FILLED
from actionplan.server.store import api
plan = Plan.model_validate_json(Path(sys.argv[1]).read_text(encoding="utf-8"))
progress, stop = Path(sys.argv[2]), Path(sys.argv[3])
n = 0
while not stop.exists():
    n += 1
    api.import_plan(plan.model_copy(update={"title": {"zh": f"计划{n}", "en": f"plan {n}"}}))
    progress.write_text(str(n))
"""


def test_a_backup_taken_while_another_process_writes_is_consistent(
    new_store: Callable[[str], Store], tmp_path: Path, make_plan: Callable[..., Plan]
) -> None:
    """Each version is imported in one transaction: the backup holds whole versions only."""
    store = new_store("busy")
    store.run("bootstrap.setup()")
    plan_file, progress, stop = tmp_path / "plan.json", tmp_path / "progress", tmp_path / "stop"
    plan_file.write_text(make_plan().model_dump_json(), encoding="utf-8")
    writer = store.start(WRITER, str(plan_file), str(progress), str(stop))
    try:
        deadline = time.monotonic() + 120
        while not (progress.exists() and progress.read_text() and int(progress.read_text()) >= 3):
            assert writer.poll() is None, writer.communicate()
            assert time.monotonic() < deadline, "the writer made no progress"
            time.sleep(0.05)
        made = store.backup(tmp_path / "busy.backup")
        still_writing = writer.poll() is None
    finally:
        stop.touch()
        _, stderr = writer.communicate(timeout=120)
    assert writer.returncode == 0, stderr
    assert still_writing, "the writer stopped before the backup ended: nothing was tested"
    assert "ok" in made, made
    tables = made["ok"]["tables"]
    versions = tables["store_planversion"]
    assert versions >= 3
    assert int(progress.read_text()) > versions  # the writer went on after the snapshot

    target = new_store("busy_restored")
    restored = target.restore(tmp_path / "busy.backup")
    assert "ok" in restored, restored
    assert restored["ok"]["tables"] == tables
    per_version = target.run(
        """
bootstrap.setup()
from django.db.models import Count
from actionplan.server.store import models
emit([
    sorted(set(models.Element.objects.values("version").annotate(n=Count("id")).values_list("n", flat=True))),
    sorted(set(models.ReferenceLink.objects.values("version").annotate(n=Count("id")).values_list("n", flat=True))),
    models.PlanVersion.objects.count(),
])
"""
    )
    elements, links, stored = per_version
    assert stored == versions
    assert len(elements) == 1 and len(links) == 1  # every version whole: the same rows for each
    assert tables["store_element"] == elements[0] * versions
    assert tables["store_referencelink"] == links[0] * versions


# -- what backup refuses ------------------------------------------------------------------------


def test_backup_refuses_a_missing_folder(source: Source, tmp_path: Path) -> None:
    refused = source.store.backup(tmp_path / "no" / "such" / "folder" / "x.backup")
    assert refused["error"] == "InputError"
    assert refused["where"] == str(tmp_path / "no" / "such" / "folder")
    assert refused["expected"] == "an existing folder"


def test_backup_replaces_an_older_backup_whole(source: Source, tmp_path: Path) -> None:
    file = tmp_path / "again.backup"
    file.write_bytes(b"an older backup")
    made = source.store.backup(file)
    assert "ok" in made
    assert made["ok"]["tables"] == source.info["tables"]
    assert file.stat().st_size == made["ok"]["size"]
    assert [p.name for p in tmp_path.iterdir()] == ["again.backup"]


@pytest.mark.skipif(ENGINE != "sqlite", reason="the live file is SQLite's")
def test_backup_refuses_to_overwrite_the_live_sqlite_file(source: Source) -> None:
    live = Path(source.store.database)
    before = sha256(live)
    refused = source.store.backup(live)
    assert refused["error"] == "InputError"
    assert refused["message"] == "that is the live database itself"
    assert sha256(live) == before
    refused = source.store.backup(live.with_name(live.name + "-wal"))
    assert refused["error"] == "InputError"


@pytest.mark.skipif(ENGINE != "sqlite", reason="about the SQLite backup file")
def test_a_sqlite_backup_is_one_self_contained_file_with_a_manifest(source: Source) -> None:
    """Not in WAL mode (no -wal file to lose); its manifest says what it holds; integrity ok."""
    with sqlite3.connect(f"file:{source.file}?mode=ro", uri=True) as db:
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
        fmt, manifest = db.execute("SELECT format, manifest FROM actionplan_backup_manifest").fetchone()
        check = db.execute("PRAGMA integrity_check").fetchall()
    db.close()
    assert mode == "delete"
    assert check == [("ok",)]
    assert fmt == 1
    content = json.loads(manifest)
    assert (content["application"], content["engine"]) == ("actionplan", "sqlite")
    assert content["tables"] == source.info["tables"]
    assert ["store", "0002_contributions"] in content["migrations"]
    assert not Path(f"{source.file}-wal").exists()


@pytest.mark.skipif(ENGINE != "sqlite", reason="about SQLite page sizes")
def test_a_sqlite_backup_with_another_page_size_restores_into_the_wal_store(
    source: Source, new_store: Callable[[str], Store], tmp_path: Path
) -> None:
    """A WAL-mode database cannot change its page size: the copy is rebuilt with the store's."""
    file = tmp_path / "pages.sqlite3"
    file.write_bytes(source.file.read_bytes())
    with sqlite3.connect(file, isolation_level=None) as db:
        db.execute("PRAGMA page_size = 8192")
        db.execute("VACUUM")
        assert db.execute("PRAGMA page_size").fetchone()[0] == 8192
    db.close()
    target = new_store("pages")
    target.run("bootstrap.setup()")

    done = target.restore(file)

    assert "ok" in done, done
    restored = target.dump()
    assert restored["tables"] == source.dump["tables"]
    with sqlite3.connect(target.database) as db:
        assert db.execute("PRAGMA page_size").fetchone()[0] == 4096
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
