"""PDF by printing HTML with a headless Chromium: the redline exactly as the browser shows it.

Why Chromium: the redline's meaning is in its marks (underlined green insertions, struck
red deletions, labels) and its text is Chinese. Chromium prints the HTML redline with
its print CSS as is and embeds the CJK fonts (Debian's ``fonts-noto-cjk``), so the text
layer of the PDF stays searchable. It is Debian's ``chromium`` (the same one the browser
tests use), never a downloaded one: ``$ACTIONPLAN_CHROMIUM`` if set, else ``chromium`` on
``PATH``. Each run gets a throw-away profile directory and prints a file written to a
temporary directory. The page has no network assets, so nothing is fetched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from actionplan.errors import ActionPlanError
from actionplan.model import Plan
from actionplan.render.redline import render_redline_html
from actionplan.render.redline_model import RedlineSource

__all__ = ["chromium_executable", "html_to_pdf", "render_redline_pdf"]

ENV = "ACTIONPLAN_CHROMIUM"
TIMEOUT = 180.0

_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
]


def chromium_executable() -> str:
    """The Chromium to print with: ``$ACTIONPLAN_CHROMIUM``, else ``chromium`` on PATH."""
    configured = os.environ.get(ENV, "").strip()
    if configured:
        found = shutil.which(configured)
        if found is None:
            raise ActionPlanError(
                f"{ENV}={configured!r} is not an executable", where=ENV, expected="the path of a Chromium binary"
            )
        return found
    found = shutil.which("chromium")
    if found is None:
        raise ActionPlanError(
            "PDF output needs Chromium, which is not installed",
            where="chromium",
            expected=f"Debian's chromium on PATH (apt-get install chromium) or {ENV} set to a Chromium binary",
        )
    return found


def html_to_pdf(html: str, *, timeout: float = TIMEOUT) -> bytes:
    """``html`` (a complete page) printed to PDF by headless Chromium, using the page's print CSS."""
    executable = chromium_executable()
    with tempfile.TemporaryDirectory(prefix="actionplan-pdf-") as tmp:
        folder = Path(tmp)
        page, pdf = folder / "page.html", folder / "page.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            executable,
            *_FLAGS,
            f"--user-data-dir={folder / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise ActionPlanError(f"Chromium did not print the page within {timeout:.0f} s", where=executable) from None
        if not pdf.exists() or pdf.stat().st_size == 0:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
            raise ActionPlanError(
                f"Chromium wrote no PDF (exit status {done.returncode}): {' | '.join(tail)}",
                where=executable,
                expected="a working headless Chromium",
            )
        return pdf.read_bytes()


def render_redline_pdf(base: Plan, proposed: RedlineSource, lang: str = "zh") -> bytes:
    """The HTML redline (:func:`~actionplan.render.redline.render_redline_html`) as PDF."""
    return html_to_pdf(render_redline_html(base, proposed, lang))
