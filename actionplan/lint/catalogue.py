"""Findings and the rule catalogue: every rule documents itself.

A rule is a function ``(plan) -> Iterable[Hit]`` registered with :func:`rule`, which
records its code, name, severity, rationale and a bad and a good example. The runner
turns hits into :class:`Finding` records carrying that metadata. The catalogue in
``docs/lint-rules.md`` is generated from these records (a test keeps it in sync).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from pydantic import BaseModel

from actionplan.model import Plan

Severity = Literal["error", "warning", "info"]


class Hit(NamedTuple):
    """What a rule function yields: a message about one element."""

    message: str
    eid: str | None = None
    line: int | None = None


class Finding(BaseModel):
    """One problem found in one element, with the rule that found it."""

    code: str
    rule: str
    severity: Severity
    eid: str | None
    line: int | None
    message: str


RuleFunc = Callable[[Plan], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    rationale: str
    bad: str
    good: str
    check: RuleFunc

    def run(self, plan: Plan) -> list[Finding]:
        return [
            Finding(code=self.code, rule=self.name, severity=self.severity, eid=h.eid, line=h.line, message=h.message)
            for h in self.check(plan)
        ]


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: Severity, *, rationale: str, bad: str, good: str) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under ``code`` with its documentation."""

    def register(func: RuleFunc) -> RuleFunc:
        if code in RULES:
            raise ValueError(f"duplicate lint rule code {code}")
        RULES[code] = Rule(code, name, severity, _dedent(rationale), _dedent(bad), _dedent(good), func)
        return func

    return register


def _dedent(s: str) -> str:
    import textwrap

    return textwrap.dedent(s).strip()
