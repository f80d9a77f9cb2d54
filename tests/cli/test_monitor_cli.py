"""``actionplan monitor`` as a user runs it: a real process, a real SQLite file, real files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.cli.test_cli import ap, home  # noqa: F401
from tests.conftest import FIXTURES, REPO

MONITOR = FIXTURES / "monitor"


def test_import_approve_and_report_from_the_command_line(home: Path, tmp_path: Path) -> None:  # noqa: F811
    ap(home, "import", str(REPO / "actionplan/data/plans/baap-2018-2021-contribution.zh.txt"))
    ap(home, "monitor", "demo", "--seed", "4", "--events", "60", "--participants", "400", "--assistance", "60")
    again = ap(home, "monitor", "demo", check=False)
    assert again.returncode == 5 and "only into an empty store" in again.stderr

    refused = ap(home, "monitor", "import", "events", str(MONITOR / "events-with-errors.csv"), check=False)
    assert refused.returncode == 2
    lines = [line for line in refused.stderr.splitlines() if "events-with-errors.csv row" in line]
    assert [line.split(":")[0].split("row ")[1] for line in lines] == [
        "2, column kind",
        "3, column end_date",
        "4, column country",
        "4, column outputs",
    ]
    ap(home, "monitor", "import", "events", str(MONITOR / "events.csv"))
    stored = ap(home, "monitor", "import", "participations", str(MONITOR / "participations.csv"))
    assert "4 created" in stored.stderr

    template = tmp_path / "participations.csv"
    ap(home, "monitor", "template", "participations", "-o", str(template))
    header = next(csv.reader(io.StringIO(template.read_text(encoding="utf-8-sig"))))
    assert header[:3] == ["event_key", "person_key", "sex"]

    shown = ap(home, "monitor", "figures", "--year", "2020", "--indicator", "3.3.1", "--by", "sex").stdout
    assert "3.3.1" in shown and "F:" in shown

    bad_folder = ap(home, "monitor", "report", "2020", "-o", str(tmp_path / "missing" / "r.html"), check=False)
    assert bad_folder.returncode == 2 and "does not exist" in bad_folder.stderr
    not_approved = ap(home, "monitor", "report", "2020", "-o", str(tmp_path / "r.html"), check=False)
    assert not_approved.returncode == 4 and "2020 is not approved" in not_approved.stderr
    assert "approved 2020" in ap(home, "monitor", "approve", "2020").stderr
    twice = ap(home, "monitor", "approve", "2020", check=False)
    assert twice.returncode == 5 and "already approved" in twice.stderr

    bad = ap(home, "monitor", "indicators", "--load", str(MONITOR / "definitions-with-errors.yaml"), check=False)
    assert bad.returncode == 3 and "indicators[0] (1.1.1).targets[3].year" in bad.stderr
