"""The command line as a user runs it: a real process, a real SQLite file, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from actionplan.data.plans import bundled_plan

EXE = [sys.executable, "-m", "actionplan.cli"]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def ap(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACTIONPLAN_DATABASE")}
    env.update(ACTIONPLAN_HOME=str(home), COLUMNS="200")
    proc = subprocess.run([*EXE, *args], capture_output=True, text=True, env=env, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"actionplan {' '.join(args)} -> {proc.returncode}\n{proc.stderr}")
    return proc


def test_run_imports_the_bundled_plan_once_and_reports(home: Path) -> None:
    first = ap(home, "run", "--no-serve")
    assert "imported: baap@1 (Buenos Aires Action Plan 2018-2021 as adopted" in first.stderr
    assert "imported: baap@2 (the source document" in first.stderr
    assert "total" in first.stdout and "38" in first.stdout and "17" in first.stdout
    assert "AP001" in first.stdout and "14个相关输出成果" in first.stdout
    second = ap(home, "run", "--no-serve")
    assert "already stored: baap@1" in second.stderr and "already stored: baap@2" in second.stderr
    changed = ap(home, "diff", "baap@1", "baap@2").stdout
    assert "跨多国陆缆" in changed and "{+与视频+}" in changed
    assert (home / "actionplan.sqlite3").exists()


def test_bad_input_is_one_line_and_stores_nothing(home: Path, tmp_path: Path) -> None:
    ap(home, "import", str(bundled_plan()))
    for name, data in [
        ("empty.txt", b""),
        ("broken.docx", b"PK\x03\x04 truncated"),
        ("notes.txt", "会议纪要\n".encode()),
    ]:
        bad = tmp_path / name
        bad.write_bytes(data)
        proc = ap(home, "import", str(bad), check=False)
        assert proc.returncode == 2, proc.stderr
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and str(bad) in lines[0] and "Traceback" not in proc.stderr
    assert "baap@2" not in ap(home, "versions").stdout


def test_export_and_parse_round_trip_through_files(home: Path, tmp_path: Path) -> None:
    ap(home, "import", str(bundled_plan()))
    for fmt in ("json", "yaml"):
        path = tmp_path / f"plan.{fmt}"
        ap(home, "export", "--format", fmt, "-o", str(path))
        again = ap(home, "parse", str(path), "--format", fmt).stdout
        assert again == path.read_text(encoding="utf-8")
    parsed = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert len(parsed["objectives"]) == 4


def test_export_docx_reads_back_with_headings(home: Path, tmp_path: Path) -> None:
    import docx

    ap(home, "import", str(bundled_plan()))
    path = tmp_path / "plan.docx"
    ap(home, "export", "--format", "docx", "-o", str(path))
    doc = docx.Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert sum("输出成果" in h and "2.1" in h for h in headings) >= 1
    assert len(doc.tables) >= 4


def test_export_refuses_unknown_format_and_missing_version(home: Path) -> None:
    ap(home, "import", str(bundled_plan()))
    proc = ap(home, "export", "--format", "pdf", check=False)
    assert proc.returncode == 3 and "unknown export format 'pdf'" in proc.stderr
    proc = ap(home, "export", "--format", "json", "--version", "baap@7", check=False)
    assert proc.returncode == 4 and "baap@7" in proc.stderr


def test_lint_formats_and_fail_on(home: Path) -> None:
    seed = str(bundled_plan())
    sarif = json.loads(ap(home, "lint", seed, "--format", "sarif").stdout)
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    data = json.loads(ap(home, "lint", seed, "--format", "json", "--select", "AP002").stdout)
    assert [f["eid"] for f in data["findings"]] == ["obj_3__output_3.2", "obj_3__output_3.2"]
    assert ap(home, "lint", seed, "--fail-on", "error", check=False).returncode == 1


# Expected outputs read off the source by hand (section 3 of each output), plus output 3.2,
# whose statements cite "all SDGs" and "all WSIS action lines", and outputs 1.1, 1.2, 1.5,
# which cite "all WTDC resolutions".
@pytest.mark.parametrize(
    ("args", "titles", "outputs"),
    [
        (
            ["sdg", "9.c"],
            ["大幅提升信息和通信技术的普及度", "Significantly increase access"],
            ["2.1", "3.1", "3.2", "4.1"],
        ),
        (["wsis", "C5"], ["Building confidence and security"], ["2.2", "3.2", "3.4"]),
        (
            ["resolution", "wtdc", "17"],
            ["WTDC Resolution 17"],
            ["1.1", "1.2", "1.5", "1.6", "2.1", "2.2", "3.1", "3.3", "3.4", "4.2", "4.3"],
        ),
    ],
)
def test_refs_show_the_reference_and_the_outputs_citing_it(
    home: Path, args: list[str], titles: list[str], outputs: list[str]
) -> None:
    proc = ap(home, "refs", *args, "--version", str(bundled_plan()))
    for t in titles:
        assert t in proc.stdout
    assert "all " in proc.stdout  # output 3.2 (or 1.1) cites through an 'all …' statement
    listed = [
        ln.split("│")[1].strip() for ln in proc.stdout.splitlines() if ln.startswith("│") and "." in ln.split("│")[1]
    ]
    assert listed == outputs


def test_refs_unknown_code_is_an_error(home: Path) -> None:
    proc = ap(home, "refs", "sdg", "9.z", "--version", str(bundled_plan()), check=False)
    assert proc.returncode == 2 and "9.z is not in the shipped registry" in proc.stderr


def test_backup_and_restore_into_a_fresh_store(home: Path, tmp_path: Path) -> None:
    ap(home, "run", "--no-serve")
    snapshot = tmp_path / "store.backup"
    assert "store at 0002_contributions" in ap(home, "backup", str(snapshot)).stderr
    refused = ap(home, "restore", str(snapshot), check=False)
    assert refused.returncode == 5 and "--force" in refused.stderr
    fresh = tmp_path / "fresh"
    assert "restored" in ap(fresh, "restore", str(snapshot)).stderr
    assert ap(fresh, "versions").stdout == ap(home, "versions").stdout
    assert ap(fresh, "contribution", "list").stdout == ap(home, "contribution", "list").stdout
    garbage = tmp_path / "garbage.backup"
    garbage.write_bytes(b"not a backup")
    proc = ap(fresh, "restore", "--force", str(garbage), check=False)
    assert proc.returncode == 2 and "not a backup" in proc.stderr


def test_accounts_tokens_and_the_audit_trail(home: Path) -> None:
    ap(home, "run", "--no-serve")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACTIONPLAN_DATABASE")}
    env.update(ACTIONPLAN_HOME=str(home), COLUMNS="200")

    def add(*args: str, password: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*EXE, "users", "add", *args], input=password + "\n", capture_output=True, text=True, env=env, timeout=120
        )

    assert add("sec", "--role", "secretariat", password="a-long-enough-passphrase").returncode == 0
    assert "organisations CHN" in add("chn", "--role", "delegate", "--org", "chn", password="another-long-one-1").stderr
    short = add("bra", "--role", "delegate", "--org", "BRA", password="short")
    assert short.returncode == 3 and "too short" in short.stderr
    assert add("x", "--role", "king", password="whatever-long-enough").returncode == 2
    token = ap(home, "users", "token", "chn", "--scope", "write").stdout.strip()
    assert token.startswith("ap_") and len(token) > 30
    listed = ap(home, "users", "list").stdout
    assert "chn" in listed and "write" in listed and token not in listed, "tokens are stored hashed, shown once"
    assert "revoked 1 tokens" in ap(home, "users", "token", "chn", "--revoke").stderr
    verified = ap(home, "audit", "verify").stdout
    assert verified.startswith("audit trail intact:")
    csv_file = home / "audit.csv"
    assert "entries" in ap(home, "audit", "export", str(csv_file)).stderr
    rows = csv_file.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("sequence,timestamp,actor,action") and any(
        ",cli,create,plan_version,baap@1," in r for r in rows
    )
