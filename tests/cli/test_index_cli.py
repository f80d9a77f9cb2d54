"""`actionplan index`: list frameworks, compute an index, reproduce published values."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from actionplan.cli.index import index_app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stats"
DATA = str(FIXTURES / "idi2017_example.csv")
runner = CliRunner()


def test_frameworks_lists_the_shipped_frameworks() -> None:
    result = runner.invoke(index_app, ["frameworks", "--format", "json"])
    assert result.exit_code == 0, result.output
    ids = [r["id"] for r in json.loads(result.stdout)["rows"]]
    assert {"idi-2017", "idi-2023", "gci"} <= set(ids)


def test_compute_prints_score_rank_and_every_node_as_json() -> None:
    result = runner.invoke(
        index_app, ["compute", "--framework", "idi-2017", "--data", DATA, "--year", "2016", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["framework"] == "idi-2017" and doc["year"] == 2016 and doc["decimals"] == 2
    first = doc["rows"][0]
    assert first["economy"] == "XBB" and first["rank"] == 1 and first["score"] == 10.0
    assert {"access", "use", "skills", "idi"} <= set(first)
    xaa = next(r for r in doc["rows"] if r["economy"] == "XAA")
    assert round(xaa["idi"], 2) == 6.60


def test_compute_as_csv_and_table() -> None:
    result = runner.invoke(index_app, ["compute", "--framework", "idi-2017", "--data", DATA, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["economy"] for r in rows] == ["XBB", "XAA", "XCC"]
    assert [r["rank"] for r in rows] == ["1", "2", "3"]
    table = runner.invoke(index_app, ["compute", "--framework", "idi-2017", "--data", DATA])
    assert table.exit_code == 0 and "XAA" in table.stdout and "6.60" in table.stdout


def test_compute_accepts_a_framework_file(tmp_path: Path) -> None:
    src = Path(__file__).resolve().parents[2] / "actionplan" / "data" / "frameworks" / "idi-2017.yaml"
    copy = tmp_path / "mine.yaml"
    copy.write_text(
        src.read_text(encoding="utf-8").replace("aggregation: arithmetic", "aggregation: geometric"), encoding="utf-8"
    )
    result = runner.invoke(index_app, ["compute", "--framework", str(copy), "--data", DATA, "--format", "json"])
    assert result.exit_code == 0, result.output


def test_errors_are_one_line_with_exit_codes(tmp_path: Path) -> None:
    unknown = runner.invoke(index_app, ["compute", "--framework", "idi-1999", "--data", DATA])
    assert unknown.exit_code == 4
    assert "idi-1999" in unknown.output and "Traceback" not in unknown.output
    no_year = runner.invoke(index_app, ["compute", "--framework", "idi-2017", "--data", DATA, "--year", "1990"])
    assert no_year.exit_code == 4 and "no observations for 1990" in no_year.output
    bad_format = runner.invoke(index_app, ["compute", "--framework", "idi-2017", "--data", DATA, "--format", "xml"])
    assert bad_format.exit_code == 2
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nname: x\nroot: r\nnodes: [{id: r, children: [nope]}]\nindicators: []\n", encoding="utf-8")
    invalid = runner.invoke(index_app, ["compute", "--framework", str(broken), "--data", DATA])
    assert invalid.exit_code == 3
    assert "broken.yaml: nodes[0].children[0]" in invalid.output


def test_reproduce_reports_each_value_and_fails_when_one_is_off(tmp_path: Path) -> None:
    ok = runner.invoke(
        index_app,
        [
            "reproduce",
            "--framework",
            "idi-2017",
            "--data",
            DATA,
            "--published",
            str(FIXTURES / "idi2017_example_published.csv"),
            "--format",
            "json",
        ],
    )
    assert ok.exit_code == 0, ok.output
    doc = json.loads(ok.stdout)
    assert doc["ok"] and {"published", "computed", "difference"} <= set(doc["rows"][0])
    off = tmp_path / "off.csv"
    off.write_text("economy,node,value\nXAA,idi,6.70\n", encoding="utf-8")
    bad = runner.invoke(index_app, ["reproduce", "--framework", "idi-2017", "--data", DATA, "--published", str(off)])
    assert bad.exit_code == 1
    assert "0/1 published values reproduced" in bad.output


def test_baskets_command(tmp_path: Path) -> None:
    data = tmp_path / "prices.csv"
    data.write_text(
        "economy,year,indicator,value\nXAA,2017,gni_per_capita_usd,12000\nXAA,2017,price_fixed_broadband_usd,10\n",
        encoding="utf-8",
    )
    result = runner.invoke(index_app, ["baskets", "--data", str(data), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"][0]["price_fixed_broadband_pct_gni"] == 1.0


def test_compute_with_a_groups_file(tmp_path: Path) -> None:
    groups = tmp_path / "groups.csv"
    groups.write_text("economy,income\nXAA,high\nXBB,high\nXCC,low\n", encoding="utf-8")
    result = runner.invoke(
        index_app, ["compute", "--framework", "idi-2017", "--data", DATA, "--groups", str(groups), "-f", "json"]
    )
    assert result.exit_code == 0, result.output


# -- uncertainty and compare (on a slice of the SYNTHETIC sample data) -------------------------

SAMPLE = Path(__file__).resolve().parents[2] / "actionplan" / "data" / "stats" / "sample" / "sample.csv"


@pytest.fixture(scope="module")
def sample_slice(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample's 2023-2024 rows for its first 40 economies (synthetic values)."""
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [r for r in reader if r["year"] in ("2023", "2024")]
    keep = sorted({r["economy"] for r in rows})[:40]
    path = tmp_path_factory.mktemp("sample") / "slice.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["economy", "year", "indicator", "value"])
        writer.writerows([r["economy"], r["year"], r["indicator"], r["value"]] for r in rows if r["economy"] in keep)
    return str(path)


def test_uncertainty_reports_rank_intervals_and_writes_replications(sample_slice: str, tmp_path: Path) -> None:
    reps = tmp_path / "reps.csv"
    args = ["uncertainty", "--framework", "idi-2017", "--data", sample_slice, "--year", "2024", "--n", "200"]
    result = runner.invoke(index_app, [*args, "--seed", "3", "--format", "json", "--replications", str(reps)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["framework"], doc["year"], doc["n"], doc["seed"]) == ("idi-2017", 2024, 200, 3)
    rows = doc["rows"]
    assert len(rows) == 40
    for r in rows:
        assert r["p5_rank"] <= r["median_rank"] <= r["p95_rank"]
        assert r["mean_abs_shift"] >= 0
    with reps.open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == 200
    assert {"normalisation", "aggregation", "imputation", "excluded", "weight:idi/access"} <= set(table[0])
    again = runner.invoke(index_app, [*args, "--seed", "3", "--format", "json"])
    assert json.loads(again.stdout)["rows"] == rows
    shown = runner.invoke(index_app, args, env={"COLUMNS": "160"})
    assert shown.exit_code == 0 and "median rank" in shown.stdout and "200 replications" in shown.output
    as_csv = runner.invoke(index_app, [*args, "--format", "csv"])
    assert next(csv.DictReader(io.StringIO(as_csv.stdout)))["median_rank"]


def test_uncertainty_with_sobol_indices(sample_slice: str) -> None:
    args = ["uncertainty", "--framework", "idi-2017", "--data", sample_slice, "--year", "2024", "--n", "100"]
    result = runner.invoke(index_app, [*args, "--sobol", "--format", "json"])
    assert result.exit_code == 0, result.output
    sobol = json.loads(result.stdout)["sobol"]
    assert set(sobol) == {"S1", "ST", "S1_conf", "ST_conf"}
    assert set(sobol["ST"]) == {"weights", "normalisation", "aggregation", "imputation", "exclusion"}
    table = runner.invoke(index_app, [*args, "--sobol"], env={"COLUMNS": "160"})
    assert table.exit_code == 0 and "Sobol indices" in table.stdout
    bad = runner.invoke(index_app, [*args, "--n", "0"])
    assert bad.exit_code == 2


def test_compare_two_frameworks_with_coherence_and_what_if(sample_slice: str) -> None:
    args = ["compare", "--a", "idi-2017", "--b", "idi-2023", "--data", sample_slice, "--year", "2024"]
    economy = "AGO"
    result = runner.invoke(index_app, [*args, "--economy", economy, "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["a"], doc["b"], doc["year"]) == ("idi-2017", "idi-2023", 2024)
    assert -1 <= doc["kendall"] <= 1 and -1 <= doc["spearman"] <= 1
    assert len(doc["rows"]) == 40
    for r in doc["rows"]:
        assert r["shift"] == r["rank_a"] - r["rank_b"]
    nodes = {(c["framework"], c["node"]) for c in doc["coherence"]}
    assert {("idi-2017", "access"), ("idi-2017", "idi"), ("idi-2023", "meaningful")} <= nodes
    frameworks = {w["framework"] for w in doc["what_if"]}
    assert frameworks == {"idi-2017", "idi-2023"}
    first = doc["what_if"][0]
    assert {"indicator", "old_score", "new_score", "score_gain", "rank_gain", "observed"} <= set(first)
    table = runner.invoke(index_app, [*args, "--economy", economy], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    for text in ("Rank shifts", "Spearman", "Kendall tau-b", "Coherence", f"What-if / 假设分析: {economy}"):
        assert text in table.stdout
    as_csv = runner.invoke(index_app, [*args, "--format", "csv"])
    assert next(iter(csv.DictReader(io.StringIO(as_csv.stdout)))).keys() >= {"economy", "rank_a", "rank_b", "shift"}
    unknown = runner.invoke(index_app, [*args, "--economy", "ZZZ"])
    assert unknown.exit_code == 4 and "ZZZ" in unknown.output
