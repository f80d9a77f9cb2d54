"""Reproduction: computed values side by side with published ones.

A publication prints values rounded to a few decimals from inputs that are themselves
rounded. :func:`reproduce` computes a framework on published inputs and compares every
published value (an economy's score, a sub-index, a rank) with the computed one; a value
is reproduced when the difference is within ``tolerance`` (default: one unit of the last
printed decimal, since both inputs and outputs are rounded).

Published values are read from a CSV ``economy,node,value[,decimals][,source]`` where
``node`` is a framework node id (the root for the index score) or ``rank``.

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
    """One printed figure: an economy's value for a node (or its rank) and its decimals."""

    economy: str
    node: str
    value: float
    decimals: int
    source: str = ""


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
        bad = sum(not r.ok for r in self.rows)
        return (
            f"{self.framework_id} ({self.weights} weights): {len(self.rows) - bad}/{len(self.rows)} published values "
            f"reproduced, max |difference| {self.max_abs_difference:.4g}"
        )


def read_published(path: Path) -> list[PublishedValue]:
    """Published values from ``economy,node,value[,decimals][,source]``.

    ``decimals`` defaults to the number of digits after the point as written.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            need = {"economy", "node", "value"}
            if not need <= set(reader.fieldnames or []):
                raise InputError(
                    "missing columns", where=f"{path}:1", expected="economy,node,value[,decimals][,source]"
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
        source = r.get("source") or ""
        out.append(PublishedValue(r["economy"].strip().upper(), r["node"].strip(), value, decimals, source))
    if problems:
        raise ValidationError("; ".join(problems))
    return out


def compare(
    result: IndexResult, published: list[PublishedValue], tolerance: float | None = None, weights: str = "exact"
) -> ReproductionReport:
    """Compare a computed result with published values (see the module docstring)."""
    rows = []
    for p in published:
        tol = tolerance if tolerance is not None else 10.0 ** (-p.decimals) + 1e-9
        computed: float | None = None
        if p.economy in result.economies:
            i = result.economies.index(p.economy)
            if p.node == "rank":
                v = result.ranks[i]
                tol = 0.0 if tolerance is None else tolerance
            elif p.node in result.nodes:
                v = result.node_scores[i, result.nodes.index(p.node)]
            else:
                raise ValidationError(
                    f"published value for unknown node {p.node!r}",
                    where=p.source or p.economy,
                    expected=f"one of {', '.join(result.nodes)} or rank",
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
