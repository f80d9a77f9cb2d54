"""Contributions and amendments: model, authoring, application, conflicts, consolidation.

Data flows: a base plan version + a :class:`~actionplan.amend.model.Contribution` ->
:func:`~actionplan.amend.apply.apply_amendments` -> the consolidated plan;
:func:`~actionplan.amend.diff.diff_plans` shows what changed between any two versions.
:mod:`~actionplan.amend.author` computes amendments from an edit,
:mod:`~actionplan.amend.conflicts` finds colliding amendments and rebases pending ones,
:mod:`~actionplan.amend.consolidate` applies the meeting's decisions.
"""

from actionplan.amend.apply import AnchorError, TextChange, apply_amendments, apply_with_provenance, locate
from actionplan.amend.contributions import bundled_base_path, bundled_contribution_path, load_contribution
from actionplan.amend.model import (
    Amendment,
    AmendmentType,
    Anchor,
    Contribution,
    LinkChange,
    NewElement,
    Proposed,
    proposed_from,
)

__all__ = [
    "Amendment",
    "AmendmentType",
    "Anchor",
    "AnchorError",
    "Contribution",
    "LinkChange",
    "NewElement",
    "Proposed",
    "TextChange",
    "apply_amendments",
    "apply_with_provenance",
    "bundled_base_path",
    "bundled_contribution_path",
    "load_contribution",
    "locate",
    "proposed_from",
]
