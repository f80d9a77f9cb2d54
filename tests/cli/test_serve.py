"""`actionplan serve` starts a real server (waitress) that answers pages, static files and the API."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from actionplan.data.plans import bundled_plan


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_pages_static_files_and_api(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACTIONPLAN_DATABASE")}
    env.update(ACTIONPLAN_HOME=str(tmp_path))
    cli = [sys.executable, "-m", "actionplan.cli"]
    subprocess.run([*cli, "import", str(bundled_plan())], env=env, check=True, capture_output=True, timeout=120)
    port = _free_port()
    proc = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/plans", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        with urllib.request.urlopen(base + "/static/vendor/htmx.org/htmx.min.js", timeout=5) as r:
            assert r.status == 200 and b"htmx" in r.read(2000)
        with urllib.request.urlopen(base + "/api/plans", timeout=5) as r:
            assert r.status == 200 and b"baap" in r.read()
        with urllib.request.urlopen(base + "/", timeout=5) as r:
            assert r.status == 200 and "布宜诺斯艾利斯行动计划" in r.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert f"http://127.0.0.1:{port}/" in (proc.stderr.read() if proc.stderr else "")
