"""Reproduction reports list each published value, the computed value and the difference.

Two kinds of reproduction are tested here:

- ITU's own worked example (MIS 2011, Annex Box 1.2: Korea (Rep.), 2010 data; files in
  ``tests/fixtures/stats/published/``, sources in its PROVENANCE.md): 11 printed inputs,
  their 11 printed normalised values, the printed access sub-index and Korea's published
  IDI 2010. Every printed value is reproduced from the printed inputs within the
  printing's rounding or a documented tolerance (see
  :func:`test_mis2011_worked_example_reproduces_every_printed_value`).
- Hand-computed figures from the published IDI 2017 methodology on invented economies
  (``idi2017_example*.csv``).

No full published edition has been recomputed: the test at the bottom runs on the MISR 2017
indicator values of every economy once files with them are placed in the shared
published-data folder (its skip reason names the files).
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from actionplan.cli.index import index_app
from actionplan.errors import ValidationError
from actionplan.stats.engine import IndicatorMatrix, compute, load_matrix, round_half_up
from actionplan.stats.framework import load_framework
from actionplan.stats.reproduce import PublishedValue, read_published, reproduce

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "stats"
PUBLISHED = FIXTURES / "published"
MIS2011_FRAMEWORK = PUBLISHED / "idi-2011-example.yaml"
MIS2011_INPUTS = PUBLISHED / "mis2011_korea_example_inputs.csv"
MIS2011_VALUES = PUBLISHED / "mis2011_korea_example_published.csv"
SHARED = Path(os.environ.get("ACTIONPLAN_SHARED", Path(__file__).resolve().parents[4] / "shared"))
REAL_INPUTS = SHARED / "data" / "published" / "idi" / "idi2017_inputs.csv"
REAL_VALUES = SHARED / "data" / "published" / "idi" / "idi2017_published_values.csv"
INDICATORS_2011 = [
    "fixed_telephone_per100",
    "mobile_cellular_per100",
    "intl_bandwidth_per_user",
    "households_computer_pct",
    "households_internet_pct",
    "internet_users_pct",
    "fixed_broadband_per100",
    "mobile_broadband_per100",
    "adult_literacy_pct",
    "secondary_gross_enrolment",
    "tertiary_gross_enrolment",
]


# -- ITU's worked example, MIS 2011 Annex Box 1.2 ---------------------------------------------


def _input_half_units(path: Path) -> dict[str, float]:
    """Half a unit of the last printed decimal of each input, as written in the CSV."""
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            r["indicator"]: 0.5 * 10.0 ** -(len(r["value"].split(".")[1]) if "." in r["value"] else 0)
            for r in csv.DictReader(fh)
        }


def test_mis2011_worked_example_reproduces_every_printed_value() -> None:
    """Each of the 13 printed values of the example is reproduced from the printed inputs.

    Tolerances (the ``tolerance`` column of the published file, empty = the default):

    - the 11 normalised values (z = value / reference, capped at 1; bandwidth in log10):
      the box computes them from the very inputs it prints, so the comparison is like for
      like and the tolerance is the printing's rounding, half a unit of the last printed
      decimal: 0.005.
    - the access sub-index, printed L = 0.82 (8.2 on the 0-10 scale): the box adds five
      weighted parts y = 0.20 z, each printed to 2 decimals from a z printed to 2 decimals,
      so L can be off by 5 x (0.20 x 0.005 + 0.005) = 0.03, i.e. 0.3 on the 0-10 scale
      (the rounding chain itself is replayed in the next test).
    - the IDI, 8.40: ITU computed it from unrounded data, while the box prints rounded
      inputs (82, 97, 84 are whole percentages). Shifting every input by half a unit of its
      last printed decimal moves the IDI by at most 0.018 (checked below), plus 0.005 for
      printing 8.40 with 2 decimals: 0.023.

    With these, all 13 values are reproduced with the weights as printed (0.20 and 0.33):
    IDI 8.3905. With the exact weights (1/5, 1/3) the IDI is 8.4417, outside 0.023 of 8.40.
    """
    fw = load_framework(MIS2011_FRAMEWORK)
    matrix = load_matrix(MIS2011_INPUTS)
    published = read_published(MIS2011_VALUES)
    assert [p.node for p in published] == [*INDICATORS_2011, "access", "idi"]

    report = reproduce(fw, matrix, published, weights="published")
    assert report.ok, report.as_dicts()
    for row, p in zip(report.rows, published, strict=True):
        assert row.computed is not None and row.difference is not None
        expected = p.tolerance if p.tolerance is not None else 0.005
        assert row.tolerance == pytest.approx(expected)
        assert abs(row.difference) <= expected + 1e-9, (row.node, row.difference)
    # normalised values: the engine's value prints as the box's value (2 decimals)
    for row in report.rows[:11]:
        assert row.computed is not None
        assert float(round_half_up(row.computed, 2)) == pytest.approx(row.published), row.node
    by_node = {r.node: r for r in report.rows}
    assert by_node["idi"].computed == pytest.approx(8.3905, abs=5e-5)
    assert by_node["access"].computed == pytest.approx(8.2893, abs=5e-5)
    assert "13/13 published values reproduced" in report.summary()

    exact = reproduce(fw, matrix, published, weights="exact")
    assert [r.node for r in exact.rows if not r.ok] == ["idi"]
    assert exact.rows[-1].computed == pytest.approx(8.4417, abs=5e-5)


def test_mis2011_access_sub_index_follows_the_box_rounding_chain() -> None:
    """The box's L = 0.82 is the sum of the weighted parts, each rounded as printed:
    y = round(0.20 x round(z, 2), 2). From the engine's normalised values this gives 0.82
    exactly, while the unrounded access sub-index is 0.8289."""
    result = compute(load_framework(MIS2011_FRAMEWORK), load_matrix(MIS2011_INPUTS), "published")
    access = INDICATORS_2011[:5]
    z = np.array([result.datasets["normalised"][0, result.codes.index(c)] for c in access])
    parts = round_half_up(0.20 * round_half_up(z, 2), 2)
    assert parts.tolist() == pytest.approx([0.20, 0.12, 0.15, 0.16, 0.19])
    assert float(parts.sum()) == pytest.approx(0.82)
    assert result.node("access")[0] / 10 == pytest.approx(0.8289, abs=5e-5)


def test_mis2011_documented_idi_tolerance_covers_the_input_rounding() -> None:
    """The IDI's documented tolerance 0.023 = the largest IDI change from moving every input
    by half a unit of its last printed decimal (ratio normalisation is monotone, so all
    inputs down and all up give the extremes) + 0.005 for the printed 8.40."""
    fw = load_framework(MIS2011_FRAMEWORK)
    matrix = load_matrix(MIS2011_INPUTS)
    half = _input_half_units(MIS2011_INPUTS)
    shift = np.array([half[c] for c in matrix.codes])
    nominal = compute(fw, matrix, "published").score_of("KOR")
    moved = []
    for sign in (-1.0, 1.0):
        shifted = IndicatorMatrix(matrix.economies, matrix.codes, matrix.values + sign * shift, year=matrix.year)
        moved.append(compute(fw, shifted, "published").score_of("KOR"))
    bound = max(abs(m - nominal) for m in moved)
    assert bound == pytest.approx(0.0179, abs=5e-4)
    idi = next(p for p in read_published(MIS2011_VALUES) if p.node == "idi")
    assert idi.tolerance == pytest.approx(round(bound + idi.rounding, 3))


def test_mis2011_reproduction_report_from_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """`actionplan index reproduce` lists every published value with the computed value and
    the difference, and exits 1 with the exact weights (the IDI is then off by 0.042)."""
    from actionplan.cli.common import out

    monkeypatch.setattr(out, "width", 160)  # the console's width is fixed when it is made, not by COLUMNS here
    runner = CliRunner()
    args = [
        "reproduce",
        "--framework",
        str(MIS2011_FRAMEWORK),
        "--data",
        str(MIS2011_INPUTS),
        "--published",
        str(MIS2011_VALUES),
    ]
    ok = runner.invoke(index_app, [*args, "--weights", "published", "--format", "json"])
    assert ok.exit_code == 0, ok.output
    doc = json.loads(ok.stdout)
    assert doc["ok"] is True
    rows = doc["rows"]
    assert [r["node"] for r in rows] == [*INDICATORS_2011, "access", "idi"]
    for r in rows:
        assert {"economy", "node", "published", "computed", "difference", "tolerance", "ok"} <= set(r)
        assert r["difference"] == pytest.approx(r["computed"] - r["published"])
        assert r["ok"] is True
    idi = rows[-1]
    assert (idi["published"], round(idi["computed"], 4), round(idi["difference"], 4)) == (8.40, 8.3905, -0.0095)

    table = runner.invoke(index_app, [*args, "--weights", "published"], env={"COLUMNS": "160"})
    assert table.exit_code == 0, table.output
    for text in ("adult_literacy_pct", "8.3905", "-0.0095", "13/13 published values reproduced"):
        assert text in table.output

    exact = runner.invoke(index_app, [*args, "--weights", "exact"], env={"COLUMNS": "160"})
    assert exact.exit_code == 1
    assert "8.4417" in exact.output and "12/13 published values reproduced" in exact.output


# -- hand-computed figures on invented economies ---------------------------------------------


def test_report_lists_published_computed_and_difference_within_rounding() -> None:
    fw = load_framework("idi-2017")
    matrix = load_matrix(FIXTURES / "idi2017_example.csv", 2016)
    report = reproduce(fw, matrix, read_published(FIXTURES / "idi2017_example_published.csv"))
    assert report.ok, report.as_dicts()
    first = report.rows[0]
    assert (first.economy, first.node, first.published) == ("XAA", "idi", 6.60)
    assert first.computed == pytest.approx(6.6)
    assert first.difference == pytest.approx(0.0, abs=1e-9)
    assert first.tolerance == pytest.approx(0.005)
    assert "6/6 published values reproduced" in report.summary()


def test_a_value_off_by_more_than_rounding_is_reported_not_reproduced() -> None:
    """6.60 computed against a printed 6.63: difference -0.03 exceeds half a unit of the last decimal."""
    fw = load_framework("idi-2017")
    matrix = load_matrix(FIXTURES / "idi2017_example.csv", 2016)
    report = reproduce(fw, matrix, [PublishedValue("XAA", "idi", 6.63, 2), PublishedValue("XZZ", "idi", 1.0, 2)])
    assert not report.ok
    assert report.rows[0].difference == pytest.approx(-0.03)
    assert report.rows[1].computed is None and not report.rows[1].ok


def test_tolerance_precedence_and_bad_tolerance_column(tmp_path: Path) -> None:
    """The call's tolerance beats a row's documented one, which beats half a unit."""
    fw = load_framework("idi-2017")
    matrix = load_matrix(FIXTURES / "idi2017_example.csv", 2016)
    values = [PublishedValue("XAA", "idi", 6.61, 2), PublishedValue("XAA", "idi", 6.61, 2, tolerance=0.02)]
    report = reproduce(fw, matrix, values)
    assert [r.ok for r in report.rows] == [False, True]
    assert reproduce(fw, matrix, values, tolerance=0.001).ok is False
    bad = tmp_path / "bad.csv"
    bad.write_text("economy,node,value,tolerance\nXAA,idi,6.60,wide\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="tolerance 'wide' is not a number"):
        read_published(bad)


def test_published_weights_change_the_reproduced_value() -> None:
    """XAA with the printed 0.33 weights: 6.562, which a printed 6.60 does not match within 0.005."""
    fw = load_framework("idi-2017")
    matrix = load_matrix(FIXTURES / "idi2017_example.csv", 2016)
    report = reproduce(fw, matrix, [PublishedValue("XAA", "idi", 6.60, 2)], weights="published")
    assert report.rows[0].computed == pytest.approx(6.562)
    assert not report.ok


# -- a full published edition (needs files not shipped) -------------------------------------


@pytest.mark.skipif(
    not (REAL_INPUTS.exists() and REAL_VALUES.exists()),
    reason=(
        f"needs two files not shipped: {REAL_INPUTS} (economy,year,indicator,value: the 11 IDI 2017 "
        "indicators of every economy, 2016 data, from MISR 2017) and "
        f"{REAL_VALUES} (economy,node,value[,decimals][,tolerance][,source]: the published IDI 2017, "
        "access, use, skills and rank); the folder is $ACTIONPLAN_SHARED/data/published/idi/ "
        "(see tests/fixtures/stats/published/PROVENANCE.md)"
    ),
)
def test_idi_2017_reproduces_published_values_from_published_inputs() -> None:  # pragma: no cover
    fw = load_framework("idi-2017")
    report = reproduce(fw, load_matrix(REAL_INPUTS), read_published(REAL_VALUES))
    for row in report.rows:
        print(row)
    assert report.ok, report.summary()
