"""What the browser tests share: where artifacts go, the server handle, a tab that saves screenshots.

The fixtures that start the server and the browser are in ``conftest.py``; this module
holds the plain objects, so tests can import them under one name.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.conftest import REPO

ARTIFACTS = Path(os.environ.get("ACTIONPLAN_ARTIFACTS", REPO / "artifacts"))

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Flags for Chromium on this machine (``--headless`` comes from ``headless=True``, and
Playwright gives each launch a new empty ``--user-data-dir``). Without the networking
flags Chromium keeps trying Google's hosts, which the closed network refuses."""

LANGUAGE_COOKIE = "actionplan_language"
"""``settings.LANGUAGE_COOKIE_NAME``: the UI language a visitor chose."""

TIMEOUT_MS = 15_000
"""How long an action or an assertion waits for the page (charts take a moment to draw)."""

expect.set_options(timeout=TIMEOUT_MS)


@dataclass
class Server:
    """A running ``actionplan serve`` subprocess with the seed plan imported."""

    url: str
    """Base URL without the trailing slash: ``http://127.0.0.1:<port>``."""
    database: str
    """``sqlite`` or ``postgresql``."""
    env: dict[str, str] = field(repr=False)


def artifact_folder(server: Server, kind: str) -> Path:
    """``artifacts/<kind>/`` for a server on SQLite, ``artifacts/<kind>/postgresql/`` on PostgreSQL.

    CI runs the browser tests once per database; each run keeps its own files.
    """
    folder = ARTIFACTS / kind
    return folder if server.database == "sqlite" else folder / server.database


def screenshot_folder(server: Server) -> Path:
    return artifact_folder(server, "screenshots")


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:150]


class Visit:
    """One browser tab for one test: visits pages by path and saves a screenshot of each.

    ``errors`` collects uncaught JavaScript exceptions, ``bad_responses`` same-origin
    requests answered with 4xx/5xx (the page itself or an asset it loads).
    """

    def __init__(self, page: Any, server: Server, name: str) -> None:
        self.page = page
        self.server = server
        self.name = name
        self.errors: list[str] = []
        self.bad_responses: list[str] = []
        self._steps = 0
        self.folder = screenshot_folder(server)
        for stale in self.folder.glob(f"{name}-[0-9][0-9]-*.png"):
            stale.unlink()
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
        page.on("response", self._on_response)

    def _on_response(self, response: Any) -> None:
        ours = response.url.startswith(self.server.url) and not response.url.endswith("/favicon.ico")
        if ours and response.status >= 400:
            self.bad_responses.append(f"{response.status} {response.url}")

    def url(self, path: str) -> str:
        return self.server.url + path

    def goto(self, path: str, step: str, *, wait_until: str = "networkidle") -> Any:
        """Open ``path``; check it answered 200; save a screenshot named ``step``."""
        response = self.page.goto(self.url(path), wait_until=wait_until)
        assert response is not None, f"no response for {path}"
        assert response.status == 200, f"GET {path} answered {response.status}"
        self.shot(step)
        return response

    def follow(self, link: Any, step: str) -> Any:
        """Click ``link`` (a locator), check the page it opens answered 200; save a screenshot."""
        with self.page.expect_navigation() as navigation:
            link.click()
        response = navigation.value
        assert response is not None, f"no response after clicking {link}"
        assert response.status == 200, f"{response.url} answered {response.status}"
        self.page.wait_for_load_state("networkidle")
        self.shot(step)
        return response

    def shot(self, step: str) -> Path:
        """Save a full-page screenshot as ``artifacts/screenshots/<test>-<NN>-<step>.png``."""
        self._steps += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.name}-{self._steps:02d}-{slug(step)}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_healthy(self) -> None:
        """No uncaught JavaScript exception and no failed same-origin request so far."""
        assert not self.errors, "JavaScript errors:\n" + "\n".join(self.errors)
        assert not self.bad_responses, "failed requests:\n" + "\n".join(self.bad_responses)


def new_context(browser: Any, server: Server, lang: str | None = None) -> Any:
    """A fresh browser context (no cookies) reading Chinese first, or the UI language ``lang``."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True, base_url=server.url
    )
    context.set_default_timeout(TIMEOUT_MS)
    if lang:
        context.add_cookies([{"name": LANGUAGE_COOKIE, "value": lang, "url": server.url + "/"}])
    return context
