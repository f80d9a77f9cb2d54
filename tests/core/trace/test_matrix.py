"""Matrices and coverage computed from the source, checked against counts read off by hand."""

from __future__ import annotations

import csv
import io

import pytest

from actionplan import registry
from actionplan.errors import ValidationError
from actionplan.model import Plan
from actionplan.trace.matrix import MATRICES, coverage, matrix


def test_goal_matrix_counts_the_goal_and_its_targets(seed_plan: Plan) -> None:
    m = matrix(seed_plan, "sdg_goals")
    assert m.rows[:3] == ["1.1", "1.2", "1.3"] and m.cols == [str(n) for n in range(1, 18)]
    # Output 2.1 names goal 9 with targets 9.1, 9.a, 9.c: 1 + 3
    assert m.value("2.1", "9") == 4
    # Output 2.2 names goal 9 alone ("SDG 4、9、11和16")
    assert m.value("2.2", "9") == 1
    assert m.value("2.2", "3") == 0
    # Output 3.2 concerns all SDGs: one reference to each goal, marked as such
    assert all(m.value("3.2", str(g)) == 1 for g in range(1, 18))
    assert {c.basis for c in m.cells if c.row == "3.2"} == {"all SDGs"}


def test_target_matrix_for_goal_9(seed_plan: Plan) -> None:
    m = matrix(seed_plan, "sdg_targets", goal=9)
    assert m.cols == [t.code for t in registry.sdg_targets(9)]
    cited = {(c.row, c.col) for c in m.cells if c.basis == "target"}
    assert cited == {
        ("2.1", "9.1"),
        ("2.1", "9.a"),
        ("2.1", "9.c"),
        ("3.1", "9.1"),
        ("3.1", "9.c"),
        ("3.4", "9.a"),
        ("3.4", "9.b"),
        ("4.1", "9.a"),
        ("4.1", "9.b"),
        ("4.1", "9.c"),
    }


def test_resolution_matrix_counts_repeats(seed_plan: Plan) -> None:
    m = matrix(seed_plan, "pp_resolutions")
    assert m.value("2.1", "127") == 2  # cited twice by mistake (lint AP101)
    assert "127" in m.cols and m.cols == sorted(m.cols, key=int)


def test_wsis_matrix_and_csv(seed_plan: Plan) -> None:
    m = matrix(seed_plan, "wsis")
    assert m.value("2.2", "C5") == 1 and m.value("2.2", "C1") == 0
    rows = list(csv.DictReader(io.StringIO(m.to_csv())))
    assert len(rows) == len(m.cells) and rows[0].keys() == {"output", "code", "value", "basis"}


def test_every_matrix_builds_and_unknown_ones_are_refused(seed_plan: Plan) -> None:
    for name in MATRICES:
        m = matrix(seed_plan, name, goal=9)
        assert len(m.rows) == 17
    with pytest.raises(ValidationError):
        matrix(seed_plan, "ilo_conventions")
    with pytest.raises(ValidationError):
        matrix(seed_plan, "sdg_targets", goal=18)


def test_coverage_lists_gaps_without_counting_all_sdgs(seed_plan: Plan) -> None:
    cov = coverage(seed_plan)
    assert cov.sdg_goals_uncovered == [15]  # no output cites goal 15 (life on land)
    assert cov.wsis_uncovered == ["C10"]  # ethical dimensions
    assert cov.outputs_citing_all_sdgs == ["3.2"]
    assert cov.outputs_without_references == []
    assert cov.sdg_targets_total == 169
    cited = {t for o in seed_plan.all_outputs() for t in o.references.sdg_targets}
    assert cov.sdg_targets_covered == len(cited) and len(cov.sdg_targets_uncovered) == 169 - len(cited)
