"""The linter: rules that find the errors editors of action plans make.

``lint_plan(plan)`` runs every rule (or those selected) and returns findings sorted by
source position. Rules live in one module per theme and register themselves in
:data:`actionplan.lint.catalogue.RULES`.
"""

from actionplan.lint import rules_references, rules_structure, rules_text  # noqa: F401  (registers rules)
from actionplan.lint.catalogue import RULES, Finding, Rule
from actionplan.lint.runner import lint_plan

__all__ = ["RULES", "Finding", "Rule", "lint_plan"]
