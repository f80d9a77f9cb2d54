"""Browser tests: a real server in a subprocess, driven by Debian's Chromium through Playwright.

The ``server`` fixture imports the bundled Buenos Aires plan into a fresh store and starts
``actionplan serve`` on a free loopback port, once per session. The store is SQLite in a
temporary ``ACTIONPLAN_HOME``; with ``ACTIONPLAN_TEST_POSTGRES_URL`` set it is a new
database ``browser_<random>`` created on that PostgreSQL server and dropped at the end:

    .venv/bin/pytest tests/browser
    ACTIONPLAN_TEST_POSTGRES_URL=$(scripts/start-postgres) .venv/bin/pytest tests/browser

Chromium is Debian's (``apt-get install chromium``), never a browser Playwright downloads.
Without it every browser test skips with the reason, unless ``ACTIONPLAN_REQUIRE_ALL=1``
(CI), where that is a failure. Each page a test visits is saved as a full-page screenshot
``artifacts/screenshots/<test>-<NN>-<step>.png`` (and ``<test>-<NN>-failure.png`` when a
test fails; on PostgreSQL under ``artifacts/screenshots/postgresql/``);
the server's log goes to ``artifacts/browser-server-<database>.log``. ``ACTIONPLAN_ARTIFACTS`` moves
the ``artifacts/`` folder.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from actionplan.data.plans import bundled_plan
from tests.browser.harness import ARTIFACTS, CHROMIUM_FLAGS, Server, Visit, new_context, slug
from tests.conftest import REPO, require_tool

POSTGRES_URL_ENV = "ACTIONPLAN_TEST_POSTGRES_URL"
SERVER_START_SECONDS = 90
DEMO = ["monitor", "demo", "--seed", "11", "--events", "150", "--participants", "1500", "--assistance", "200"]
"""Demo activity records for the monitoring pages: small, so the store is ready in seconds."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url_with_name(url: str, name: str) -> str:
    return urlsplit(url)._replace(path="/" + name).geturl()


@pytest.fixture(scope="session")
def _database_env() -> Iterator[dict[str, str]]:
    """Environment for the server subprocesses: a fresh SQLite home, or a fresh PostgreSQL database."""
    import tempfile

    env = {k: v for k, v in os.environ.items() if not k.startswith("ACTIONPLAN_DATABASE")}
    with tempfile.TemporaryDirectory(prefix="actionplan-browser-") as home:
        env["ACTIONPLAN_HOME"] = home
        pg_url = os.environ.get(POSTGRES_URL_ENV)
        if not pg_url:
            yield env
            return
        import psycopg
        from psycopg import sql

        name = f"browser_{secrets.token_hex(6)}"
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        env["ACTIONPLAN_DATABASE_URL"] = _database_url_with_name(pg_url, name)
        try:
            yield env
        finally:
            with psycopg.connect(pg_url, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _wait_until_up(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"actionplan serve exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/", timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers: the page may be broken, the tests will say how
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"actionplan serve did not answer at {url}/ within {SERVER_START_SECONDS}s; log: {log}")


@pytest.fixture(scope="session")
def server(_database_env: dict[str, str]) -> Iterator[Server]:
    """``actionplan serve`` on a free port, with the bundled plan, demo monitoring records and the
    ICT statistics sample stored first."""
    env = _database_env
    cli = [sys.executable, "-m", "actionplan.cli"]
    done = subprocess.run(
        [*cli, "import", str(bundled_plan())], env=env, capture_output=True, text=True, timeout=300, cwd=REPO
    )
    if done.returncode != 0:
        pytest.fail(f"actionplan import failed ({done.returncode}):\n{done.stderr[-3000:]}")
    for step in (DEMO, ["stats", "load-sample"]):
        done = subprocess.run([*cli, *step], env=env, capture_output=True, text=True, timeout=600, cwd=REPO)
        if done.returncode != 0:
            pytest.fail(f"actionplan {' '.join(step)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    database = "postgresql" if env.get("ACTIONPLAN_DATABASE_URL", "").startswith("postgres") else "sqlite"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / f"browser-server-{database}.log"
    port = _free_port()
    with log.open("wb") as log_file:
        proc = subprocess.Popen(
            [*cli, "serve", "--port", str(port)], env=env, stdout=log_file, stderr=subprocess.STDOUT, cwd=REPO
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, url, log)
        yield Server(url=url, database=database, env=env)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium; skips (or fails under ``ACTIONPLAN_REQUIRE_ALL=1``) when missing."""
    if not shutil.which("chromium") and os.environ.get("ACTIONPLAN_REQUIRE_ALL") != "1":
        pytest.skip("browser tests need Debian's Chromium on PATH: apt-get install chromium")
    return require_tool("chromium")


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    """Chromium, driven by Playwright's sync API, for one test module.

    Per module, not per session: Playwright's sync API runs an event loop on the main thread
    while it is open, and Django refuses database work "from an async context". With the
    tests spread over workers (pytest-xdist), a worker may run database tests after a
    browser module; closing Playwright at the end of each module keeps them working.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield b
        finally:
            b.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def visit(browser: Any, server: Server, request: pytest.FixtureRequest) -> Iterator[Visit]:
    """A tab in a fresh context (Chinese browser, no cookies); screenshot on failure too."""
    context = new_context(browser, server)
    page = context.new_page()
    v = Visit(page, server, slug(request.node.name))
    try:
        yield v
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed and not page.is_closed():
            try:
                v.shot("failure")
            except Exception as exc:  # the page may be gone; the test's own error matters more
                print(f"could not save the failure screenshot: {exc}")
        context.close()
