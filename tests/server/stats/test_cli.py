"""``actionplan stats …`` against the test store (the CLI is the machine's operator)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from actionplan.cli.stats import stats_app
from tests.server.stats.conftest import csv_bytes

runner = CliRunner()


def test_import_list_export_round_trip(db: None, tmp_path: Path) -> None:
    """A file imported with a vintage date is listed and exported back with that date."""
    source = tmp_path / "obs.csv"
    source.write_bytes(csv_bytes("CHN,2022,internet_users_pct,73.7,,", "CHN,2023,internet_users_pct,77.5,E,"))
    done = runner.invoke(stats_app, ["import", str(source), "--recorded-on", "2024-03-01"])
    assert done.exit_code == 0, done.output
    assert "stored batch" in done.output and "2 observations" in done.output
    listed = runner.invoke(stats_app, ["list"])
    first_column = "".join(line.split("│")[1].strip() for line in listed.output.splitlines() if line.startswith("│"))
    assert listed.exit_code == 0 and "internet_users_pct" in first_column
    target = tmp_path / "out.csv"
    exported = runner.invoke(stats_app, ["export", str(target)])
    assert exported.exit_code == 0, exported.output
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and lines[2].endswith(",2024-03-01") and ",E," in lines[2]


def test_import_with_errors_prints_each_and_exits_2(db: None, tmp_path: Path) -> None:
    """Every problem is printed on its own line with row and column; nothing is stored."""
    from actionplan.server.stats.models import Observation

    source = tmp_path / "bad.csv"
    source.write_bytes(csv_bytes("XXX,2023,internet_users_pct,5,,", "CHN,2023,internet_users_pct,500,,"))
    done = runner.invoke(stats_app, ["import", str(source)])
    assert done.exit_code == 2
    assert "bad.csv row 2, column economy" in done.output and "bad.csv row 3, column value" in done.output
    assert Observation.objects.count() == 0


def test_validate_stores_nothing(db: None, tmp_path: Path) -> None:
    from actionplan.server.stats.models import Observation

    source = tmp_path / "ok.csv"
    source.write_bytes(csv_bytes("CHN,2023,internet_users_pct,77.5,,"))
    done = runner.invoke(stats_app, ["validate", str(source)])
    assert done.exit_code == 0 and "1 observations, no errors" in done.output
    assert Observation.objects.count() == 0


def test_export_as_of_and_bad_dates(db: None, tmp_path: Path) -> None:
    """``--as-of`` exports the data as they stood then; a bad date names the option."""
    first = tmp_path / "v1.csv"
    first.write_bytes(csv_bytes("GHA,2022,internet_users_pct,58,,"))
    second = tmp_path / "v2.csv"
    second.write_bytes(csv_bytes("GHA,2022,internet_users_pct,60.5,,"))
    assert runner.invoke(stats_app, ["import", str(first), "--recorded-on", "2023-06-30"]).exit_code == 0
    assert runner.invoke(stats_app, ["import", str(second), "--recorded-on", "2024-06-30"]).exit_code == 0
    done = runner.invoke(stats_app, ["export", "-", "--as-of", "2023-12-31"])
    assert done.exit_code == 0 and ",58," in done.output and "60.5" not in done.output
    bad = runner.invoke(stats_app, ["export", "-", "--as-of", "last year"])
    assert bad.exit_code == 2 and "--as-of" in bad.output
