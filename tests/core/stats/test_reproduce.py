"""Reproduction reports list each published value, the computed value and the difference.

No indicator-level published IDI inputs were found (see tests/fixtures/stats/PROVENANCE.md):
the figures reproduced here are hand-computed from the published methodology, and the
published IDI 2017 composite scores are used for ranking only (test_engine.py). A test
below runs on the real MISR 2017 inputs if a file with them is ever placed in the shared
published-data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from actionplan.stats.engine import load_matrix
from actionplan.stats.framework import load_framework
from actionplan.stats.reproduce import PublishedValue, read_published, reproduce

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "stats"
SHARED = Path(os.environ.get("ACTIONPLAN_SHARED", Path(__file__).resolve().parents[4] / "shared"))
REAL_INPUTS = SHARED / "data" / "published" / "idi" / "idi2017_inputs.csv"
REAL_VALUES = SHARED / "data" / "published" / "idi" / "idi2017_published_values.csv"


def test_report_lists_published_computed_and_difference_within_rounding() -> None:
    fw = load_framework("idi-2017")
    matrix = load_matrix(FIXTURES / "idi2017_example.csv", 2016)
    report = reproduce(fw, matrix, read_published(FIXTURES / "idi2017_example_published.csv"))
    assert report.ok, report.as_dicts()
    first = report.rows[0]
    assert (first.economy, first.node, first.published) == ("XAA", "idi", 6.60)
    assert first.computed == pytest.approx(6.6)
    assert first.difference == pytest.approx(0.0, abs=1e-9)
    assert first.tolerance == pytest.approx(0.01)
    assert "6/6 published values reproduced" in report.summary()


def test_a_value_off_by_more_than_rounding_is_reported_not_reproduced() -> None:
    """6.60 computed against a printed 6.63: difference -0.03 exceeds one unit of the last decimal."""
    fw = load_framework("idi-2017")
    matrix = load_matrix(FIXTURES / "idi2017_example.csv", 2016)
    report = reproduce(fw, matrix, [PublishedValue("XAA", "idi", 6.63, 2), PublishedValue("XZZ", "idi", 1.0, 2)])
    assert not report.ok
    assert report.rows[0].difference == pytest.approx(-0.03)
    assert report.rows[1].computed is None and not report.rows[1].ok


def test_published_weights_change_the_reproduced_value() -> None:
    """XAA with the printed 0.33 weights: 6.562, which a printed 6.60 does not match within 0.01."""
    fw = load_framework("idi-2017")
    matrix = load_matrix(FIXTURES / "idi2017_example.csv", 2016)
    report = reproduce(fw, matrix, [PublishedValue("XAA", "idi", 6.60, 2)], weights="published")
    assert report.rows[0].computed == pytest.approx(6.562)
    assert not report.ok


@pytest.mark.skipif(not REAL_INPUTS.exists(), reason="no indicator-level published IDI 2017 inputs available")
def test_idi_2017_reproduces_published_values_from_published_inputs() -> None:  # pragma: no cover
    fw = load_framework("idi-2017")
    report = reproduce(fw, load_matrix(REAL_INPUTS), read_published(REAL_VALUES))
    for row in report.rows:
        print(row)
    assert report.ok, report.summary()
