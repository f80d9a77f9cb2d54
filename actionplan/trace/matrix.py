"""Traceability matrices and the coverage report, as plain data.

A :class:`Matrix` crosses the plan's outputs (rows, in plan order) with the codes of one
reference scheme (columns): SDG goals, the targets of one goal, WSIS action lines, PP or
WTDC resolutions. A cell's value counts the references behind it (a goal cell counts the
goal itself and each of its targets the output names), and its ``basis`` says how the
output cites it. Pages, the API, charts and CSV files are all made from these objects.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from actionplan import registry
from actionplan.errors import ValidationError
from actionplan.model import Output, Plan, Text

MATRICES = ("sdg_goals", "sdg_targets", "wsis", "pp_resolutions", "wtdc_resolutions")


@dataclass(frozen=True)
class Cell:
    row: str
    col: str
    value: int
    basis: str


@dataclass
class Matrix:
    name: str
    rows: list[str]
    row_labels: dict[str, Text]
    cols: list[str]
    col_labels: dict[str, Text]
    cells: list[Cell] = field(default_factory=list)

    def value(self, row: str, col: str) -> int:
        return next((c.value for c in self.cells if c.row == row and c.col == col), 0)

    def to_rows(self) -> list[dict[str, str | int]]:
        """Tidy rows (one per non-empty cell) for CSV and tables."""
        return [{"output": c.row, "code": c.col, "value": c.value, "basis": c.basis} for c in self.cells]

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=["output", "code", "value", "basis"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.to_rows())
        return buf.getvalue()


def matrix(plan: Plan, name: str, goal: int | None = None) -> Matrix:
    """The ``name`` matrix of ``plan`` (see :data:`MATRICES`); ``sdg_targets`` needs ``goal``."""
    outputs = plan.all_outputs()
    if name == "sdg_goals":
        cols = [str(g.number) for g in registry.sdg_goals()]
        labels = {str(g.number): _title(g) for g in registry.sdg_goals()}
        return _build(name, outputs, cols, labels, _goal_cells)
    if name == "sdg_targets":
        if goal is None or registry.sdg_goal(goal) is None:
            raise ValidationError(f"no SDG goal {goal!r}", where="goal", expected="a goal number 1-17")
        targets = registry.sdg_targets(goal)
        labels = {t.code: _title(t) for t in targets}
        return _build(name, outputs, [t.code for t in targets], labels, _target_cells)
    if name == "wsis":
        lines = registry.wsis_lines()
        labels = {w.code: _title(w) for w in lines}
        return _build(name, outputs, [w.code for w in lines], labels, _wsis_cells)
    if name in ("pp_resolutions", "wtdc_resolutions"):
        numbers = sorted({n for o in outputs for n in getattr(o.references, name)})
        body = "PP" if name.startswith("pp") else "WTDC"
        labels = {str(n): {"en": f"{body} Resolution {n}", "zh": f"{body}第{n}号决议"} for n in numbers}
        return _build(name, outputs, [str(n) for n in numbers], labels, _resolution_cells(name))
    raise ValidationError(f"unknown matrix {name!r}", where="matrix", expected=", ".join(MATRICES))


def _title(item: object) -> Text:
    title = dict(getattr(item, "title", {}) or {})
    unofficial = getattr(item, "title_zh_unofficial", None)
    if "zh" not in title and unofficial:
        title["zh"] = unofficial
    return title


CellsOf = Callable[[Output], list[Cell]]


def _build(name: str, outputs: list[Output], cols: list[str], labels: dict[str, Text], cells_of: CellsOf) -> Matrix:
    m = Matrix(
        name=name,
        rows=[o.number for o in outputs],
        row_labels={o.number: o.title for o in outputs},
        cols=cols,
        col_labels=labels,
    )
    wanted = set(cols)
    for out in outputs:
        m.cells.extend(c for c in cells_of(out) if c.col in wanted)
    return m


def _goal_cells(out: Output) -> list[Cell]:
    refs = out.references
    cells = []
    for goal in sorted(set(refs.sdg_goals) | {int(t.split(".")[0]) for t in refs.sdg_targets}):
        targets = [t for t in refs.sdg_targets if int(t.split(".")[0]) == goal]
        basis = "goal" + (" and targets " + ", ".join(targets) if targets else "")
        if goal not in refs.sdg_goals:
            basis = "targets " + ", ".join(targets)
        cells.append(Cell(out.number, str(goal), (goal in refs.sdg_goals) + len(targets), basis))
    if refs.all_sdgs:
        cells.extend(Cell(out.number, str(g.number), 1, "all SDGs") for g in registry.sdg_goals())
    return cells


def _target_cells(out: Output) -> list[Cell]:
    refs = out.references
    cells = [Cell(out.number, t, 1, "target") for t in dict.fromkeys(refs.sdg_targets)]
    if refs.all_sdgs:
        cells.extend(Cell(out.number, t.code, 1, "all SDGs") for t in registry.sdg_targets())
    return cells


def _wsis_cells(out: Output) -> list[Cell]:
    refs = out.references
    if refs.all_wsis_action_lines:
        return [Cell(out.number, w.code, 1, "all WSIS action lines") for w in registry.wsis_lines()]
    return [Cell(out.number, c, 1, "action line") for c in dict.fromkeys(refs.wsis_action_lines)]


def _resolution_cells(attr: str) -> CellsOf:
    def cells(out: Output) -> list[Cell]:
        values = getattr(out.references, attr)
        return [Cell(out.number, str(n), values.count(n), "resolution") for n in dict.fromkeys(values)]

    return cells


@dataclass
class Coverage:
    """What no output addresses, and outputs that address nothing."""

    sdg_goals_uncovered: list[int]
    sdg_targets_uncovered: list[str]
    sdg_targets_covered: int
    sdg_targets_total: int
    wsis_uncovered: list[str]
    outputs_without_references: list[str]
    outputs_citing_all_sdgs: list[str]


def coverage(plan: Plan) -> Coverage:
    """Coverage of the SDG and WSIS frameworks by explicit citations.

    Statements such as 'all SDGs' (output 3.2) are listed separately and do not count as
    covering a target: a report that every target is covered because one output concerns
    'all SDGs' would hide exactly the gaps it exists to show.
    """
    outputs = plan.all_outputs()
    goals = {g for o in outputs for g in o.references.sdg_goals} | {
        int(t.split(".")[0]) for o in outputs for t in o.references.sdg_targets
    }
    targets = {t for o in outputs for t in o.references.sdg_targets}
    wsis = {c for o in outputs for c in o.references.wsis_action_lines}
    all_targets = [t.code for t in registry.sdg_targets()]
    return Coverage(
        sdg_goals_uncovered=[g.number for g in registry.sdg_goals() if g.number not in goals],
        sdg_targets_uncovered=[t for t in all_targets if t not in targets],
        sdg_targets_covered=len([t for t in all_targets if t in targets]),
        sdg_targets_total=len(all_targets),
        wsis_uncovered=[w.code for w in registry.wsis_lines() if w.code not in wsis],
        outputs_without_references=[o.number for o in outputs if not _has_references(o)],
        outputs_citing_all_sdgs=[o.number for o in outputs if o.references.all_sdgs],
    )


def _has_references(out: Output) -> bool:
    r = out.references
    return bool(
        r.sdg_goals
        or r.sdg_targets
        or r.all_sdgs
        or r.wsis_action_lines
        or r.all_wsis_action_lines
        or r.pp_resolutions
        or r.wtdc_resolutions
        or r.all_wtdc_resolutions
    )
