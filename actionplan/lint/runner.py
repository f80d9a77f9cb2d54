"""Run the rules over a plan."""

from __future__ import annotations

from collections.abc import Iterable

from actionplan.lint.catalogue import RULES, Finding
from actionplan.model import Plan

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def lint_plan(plan: Plan, select: Iterable[str] | None = None, ignore: Iterable[str] = ()) -> list[Finding]:
    """Findings of the selected rules (all by default), in source order."""
    chosen = set(select) if select else set(RULES)
    chosen -= set(ignore)
    findings = [f for code in sorted(chosen) for f in RULES[code].run(plan)]
    return sorted(findings, key=lambda f: (f.line or 0, f.code))
