"""The CLI gets a working store with no manual step: settings, Django, migrations.

Each test runs a fresh Python process, as the CLI would, with its own ``ACTIONPLAN_HOME``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from actionplan.model import Plan
from actionplan.server.settings import SQLITE_OPTIONS, database_config

MakePlan = Callable[..., Plan]

PRELUDE = """
import json, sys
from actionplan.server import bootstrap
"""


def fresh_env(home: Path) -> dict[str, str]:
    """This environment without any store or Django setting, and ``home`` as ACTIONPLAN_HOME."""
    env = {k: v for k, v in os.environ.items() if k not in {"ACTIONPLAN_DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["ACTIONPLAN_HOME"] = str(home)
    return env


def run(code: str, home: Path, *args: str) -> str:
    """Run ``code`` in a new interpreter with only ``home`` as state; return its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", PRELUDE + code, *args],
        env=fresh_env(home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def start(code: str, home: Path, *args: str) -> subprocess.Popen[str]:
    """Start ``code`` like :func:`run`, without waiting for it."""
    return subprocess.Popen(
        [sys.executable, "-c", PRELUDE + code, *args],
        env=fresh_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


IMPORT = """
bootstrap.setup()
from actionplan.model import Plan
from actionplan.server.store import api
plan = Plan.model_validate_json(open(sys.argv[1], encoding="utf-8").read())
info, created = api.import_plan(plan)
print(json.dumps([info.ref, created]))
"""


def test_setup_on_a_fresh_machine_makes_the_default_sqlite_store(tmp_path: Path, make_plan: MakePlan) -> None:
    """No database, no directory: setup() creates both, migrates, and the store works."""
    home = tmp_path / "home"
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(make_plan().model_dump_json(), encoding="utf-8")

    assert json.loads(run(IMPORT, home, str(plan_file))) == ["baap@1", True]
    assert (home / "actionplan.sqlite3").is_file()

    out = run(
        """
bootstrap.setup()
from django.db import connection
from actionplan.server.store import api
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
print(json.dumps([bootstrap.migrate_if_needed(), mode, api.load_version().model_dump_json()]))
""",
        home,
    )
    migrated, mode, loaded = json.loads(out)
    assert migrated is False  # the first process applied every migration
    assert mode == "wal"
    assert Plan.model_validate_json(loaded) == make_plan()


def test_setup_uses_the_database_url_given(tmp_path: Path) -> None:
    """``setup(url)`` wins over the default file in ACTIONPLAN_HOME."""
    db = tmp_path / "elsewhere" / "store.sqlite3"
    run(f"bootstrap.setup('sqlite:///{db}')", tmp_path / "home")
    assert db.is_file()
    assert not (tmp_path / "home" / "actionplan.sqlite3").exists()


def test_setup_is_idempotent_and_refuses_a_second_database(tmp_path: Path) -> None:
    """Calling setup() again is a no-op; another URL in the same process is a StoreError."""
    out = run(
        """
from actionplan.errors import StoreError
first = "sqlite:///" + sys.argv[1] + "/a.sqlite3"
bootstrap.setup(first)
bootstrap.setup(first)
bootstrap.setup()
try:
    bootstrap.setup("sqlite:///" + sys.argv[1] + "/b.sqlite3")
except StoreError as exc:
    print(exc.exit_code, exc.message)
""",
        tmp_path / "home",
        str(tmp_path),
    )
    assert out == "5 Django is already set up with another database\n"


def test_concurrent_imports_into_sqlite_queue_up(tmp_path: Path, make_plan: MakePlan) -> None:
    """Processes importing at once into one SQLite file each get a number; none fails."""
    home = tmp_path / "home"
    run("bootstrap.setup()", home)
    files = []
    for n in range(4):
        f = tmp_path / f"plan{n}.json"
        f.write_text(make_plan(outcome_text=f"版本{n}").model_dump_json(), encoding="utf-8")
        files.append(f)

    procs = [start(IMPORT, home, str(f)) for f in files]
    results = [p.communicate(timeout=120) for p in procs]

    assert [p.returncode for p in procs] == [0, 0, 0, 0], [err for _, err in results]
    refs = sorted(json.loads(out)[0] for out, _ in results)
    assert refs == ["baap@1", "baap@2", "baap@3", "baap@4"]


def test_migrations_match_the_models(tmp_path: Path) -> None:
    """``manage makemigrations --check`` finds nothing to write."""
    run("bootstrap.manage(['makemigrations', '--check', '--dry-run'])", tmp_path / "home")


# -- settings -------------------------------------------------------------------------


def test_default_database_is_sqlite_in_home(tmp_path: Path) -> None:
    config = database_config(None, tmp_path / "h")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "h" / "actionplan.sqlite3")
    assert config["OPTIONS"] == SQLITE_OPTIONS
    assert (tmp_path / "h").is_dir()


def test_sqlite_url_gets_the_pragmas(tmp_path: Path) -> None:
    config = database_config(f"sqlite:///{tmp_path}/x/db.sqlite3", tmp_path)
    assert config["NAME"] == f"{tmp_path}/x/db.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgres_url_is_parsed(tmp_path: Path) -> None:
    config = database_config("postgresql://postgres@127.0.0.1:54329/actionplan_test", tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["HOST"], config["PORT"], config["NAME"]) == (
        "postgres",
        "127.0.0.1",
        54329,
        "actionplan_test",
    )
    assert "init_command" not in config.get("OPTIONS", {})


def test_languages_and_time_zone() -> None:
    """Chinese first, then English; times in UTC."""
    from django.conf import settings

    assert settings.LANGUAGES == [("zh-hans", "简体中文"), ("en", "English")]
    assert (settings.USE_I18N, settings.TIME_ZONE, settings.USE_TZ) == (True, "UTC", True)
