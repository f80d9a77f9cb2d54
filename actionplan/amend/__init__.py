"""Contributions and amendments: model, application to a plan, word-level diffs.

Data flows: a base plan version + a :class:`~actionplan.amend.model.Contribution` ->
:func:`~actionplan.amend.apply.apply_amendments` -> the consolidated plan;
:func:`~actionplan.amend.diff.diff_plans` shows what changed between any two versions.
"""

from actionplan.amend.apply import AnchorError, apply_amendments
from actionplan.amend.contributions import bundled_base_path, bundled_contribution_path, load_contribution
from actionplan.amend.model import Amendment, AmendmentType, Anchor, Contribution, NewElement

__all__ = [
    "Amendment",
    "AmendmentType",
    "Anchor",
    "AnchorError",
    "Contribution",
    "NewElement",
    "apply_amendments",
    "bundled_base_path",
    "bundled_contribution_path",
    "load_contribution",
]
