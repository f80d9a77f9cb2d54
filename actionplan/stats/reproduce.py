"""Reproduction: computed values side by side with published ones.

A publication prints values rounded to a few decimals. :func:`reproduce` computes a
framework on published inputs and compares every published value with the computed one:
an economy's score or sub-index (a framework node), a normalised indicator value (an
indicator code, as printed in a worked example), or a rank. A value is reproduced when
``|computed - published| <= tolerance``.

Tolerance of a value, first that applies:

1. ``tolerance`` passed to :func:`compare` / :func:`reproduce` (the CLI's ``--tolerance``),
   for every value;
2. the value's own ``tolerance`` column in the published file: a documented bound, used
   when the printing's rounding alone is not the whole story (the published inputs are
   themselves rounded, or the publication sums rounded parts); the file's ``source``
   column should say why;
3. the printing's rounding: half a unit of the last printed decimal (``0.005`` for a value
   printed with 2 decimals); 0 for a rank.

Published values are read from a CSV ``economy,node,value[,decimals][,tolerance][,source]``
where ``node`` is a framework node id (the root for the index score), an indicator code
(its normalised value) or ``rank``.

Reads: a framework, an indicator matrix, published values. Writes: a report.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from actionplan.errors import InputError, ValidationError
from actionplan.stats.engine import IndexResult, IndicatorMatrix, compute
from actionplan.stats.framework import Framework


@dataclass(frozen=True)
class PublishedValue:
    """One printed figure: an economy's value for a node, a normalised indicator or its rank,
    its printed decimals and, optionally, a documented tolerance (see the module docstring)."""

    economy: str
    node: str
    value: float
    decimals: int
    source: str = ""
    tolerance: float | None = None

    @property
    def rounding(self) -> float:
        """The printing's own rounding: half a unit of the last printed decimal."""
        return 0.5 * 10.0 ** (-self.decimals)


@dataclass(frozen=True)
class ReproductionRow:
    economy: str
    node: str
    published: float
    computed: float | None
    difference: float | None
    tolerance: float
    ok: bool
    source: str = ""


@dataclass
class ReproductionReport:
    """Every published value with the computed value and their difference."""

    framework_id: str
    weights: str
    rows: list[ReproductionRow]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    @property
    def max_abs_difference(self) -> float:
        diffs = [abs(r.difference) for r in self.rows if r.difference is not None]
        return max(diffs) if diffs else float("nan")

    def as_dicts(self) -> list[dict[str, Any]]:
        return [r.__dict__.copy() for r in self.rows]

    def summary(self) -> str:
        """One line: how many values are reproduced and the largest difference (with its value)."""
        bad = sum(not r.ok for r in self.rows)
        done = f"{len(self.rows) - bad}/{len(self.rows)}"
        text = f"{self.framework_id} ({self.weights} weights): {done} published values reproduced within tolerance"
        compared = [r for r in self.rows if r.difference is not None]
        if compared:
            worst = max(compared, key=lambda r: abs(r.difference or 0.0))
            text += (
                f", max |difference| {self.max_abs_difference:.4g} ({worst.economy} {worst.node}, "
                f"tolerance {worst.tolerance:.4g})"
            )
        return text


def read_published(path: Path) -> list[PublishedValue]:
    """Published values from ``economy,node,value[,decimals][,tolerance][,source]``.

    ``decimals`` defaults to the number of digits after the point as written; an empty
    ``tolerance`` means the printing's rounding (half a unit of the last decimal).
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            need = {"economy", "node", "value"}
            if not need <= set(reader.fieldnames or []):
                raise InputError(
                    "missing columns", where=f"{path}:1", expected="economy,node,value[,decimals][,tolerance][,source]"
                )
            rows = list(reader)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", where=str(path)) from None
    out = []
    problems = []
    for n, r in enumerate(rows, start=2):
        text = (r["value"] or "").strip()
        try:
            value = float(text)
            dec = r.get("decimals") or ""
            decimals = int(dec) if dec.strip() else (len(text.split(".")[1]) if "." in text else 0)
        except ValueError:
            problems.append(f"{path}:{n}: value {text!r} is not a number")
            continue
        tol_text = (r.get("tolerance") or "").strip()
        try:
            tol = float(tol_text) if tol_text else None
        except ValueError:
            problems.append(f"{path}:{n}: tolerance {tol_text!r} is not a number")
            continue
        if tol is not None and not tol >= 0:
            problems.append(f"{path}:{n}: tolerance {tol_text!r} is negative")
            continue
        source = r.get("source") or ""
        out.append(PublishedValue(r["economy"].strip().upper(), r["node"].strip(), value, decimals, source, tol))
    if problems:
        raise ValidationError("; ".join(problems))
    return out


def compare(
    result: IndexResult, published: list[PublishedValue], tolerance: float | None = None, weights: str = "exact"
) -> ReproductionReport:
    """Compare a computed result with published values (see the module docstring)."""
    rows = []
    for p in published:
        if tolerance is not None:
            tol = tolerance
        elif p.node == "rank":
            tol = 0.0 if p.tolerance is None else p.tolerance
        else:
            tol = (p.tolerance if p.tolerance is not None else p.rounding) + 1e-9
        computed: float | None = None
        if p.economy in result.economies:
            i = result.economies.index(p.economy)
            if p.node == "rank":
                v = result.ranks[i]
            elif p.node in result.nodes:
                v = result.node_scores[i, result.nodes.index(p.node)]
            elif p.node in result.codes:
                v = result.datasets["normalised"][i, result.codes.index(p.node)]
            else:
                raise ValidationError(
                    f"published value for unknown node {p.node!r}",
                    where=p.source or p.economy,
                    expected=f"one of {', '.join(result.nodes)}, an indicator code or rank",
                )
            computed = None if np.isnan(v) else float(v)
        diff = None if computed is None else computed - p.value
        ok = diff is not None and abs(diff) <= tol
        rows.append(ReproductionRow(p.economy, p.node, p.value, computed, diff, tol, ok, p.source))
    return ReproductionReport(result.framework_id, weights, rows)


def reproduce(
    framework: Framework,
    matrix: IndicatorMatrix,
    published: list[PublishedValue],
    weights: Literal["exact", "published"] = "exact",
    tolerance: float | None = None,
) -> ReproductionReport:
    """Compute ``framework`` on ``matrix`` and compare with ``published``."""
    return compare(compute(framework, matrix, weights), published, tolerance, weights)
