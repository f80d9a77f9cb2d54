"""`actionplan contribution` and `actionplan diff` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from actionplan.amend import bundled_base_path

CLI = [sys.executable, "-m", "actionplan.cli"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=120, env={"COLUMNS": "200", "PATH": ""}
    )


def test_show_lists_proposals_and_amendments() -> None:
    proc = _run("contribution", "show")
    assert proc.returncode == 0, proc.stderr
    assert "跨多国陆地光缆" in proc.stdout and "A8" in proc.stdout


def test_apply_then_diff_shows_the_proposals(tmp_path: Path) -> None:
    consolidated = tmp_path / "consolidated.json"
    proc = _run("contribution", "apply", "-o", str(consolidated))
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(consolidated.read_text(encoding="utf-8"))["objectives"]) == 4
    proc = _run("diff", str(bundled_base_path()), str(consolidated))
    assert proc.stdout.startswith("8 changes")
    assert "{+与视频+}" in proc.stdout
    data = json.loads(_run("diff", str(bundled_base_path()), str(consolidated), "--format", "json").stdout)
    assert len(data) == 8 and {d["kind"] for d in data} == {"added", "changed"}


def test_bad_contribution_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_text("base: x\n", encoding="utf-8")
    proc = _run("contribution", "show", str(bad))
    assert proc.returncode == 2 and "field document" in proc.stderr and "Traceback" not in proc.stderr
