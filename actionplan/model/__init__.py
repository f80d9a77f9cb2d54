"""Typed model of an action plan (pydantic) and its element ids."""

from actionplan.model.eids import child, objective_eid, outcome_eid, output_eid, parse_eid
from actionplan.model.plan import (
    Block,
    Citation,
    Heading,
    Indicator,
    Node,
    Objective,
    Outcome,
    Output,
    Plan,
    Project,
    ReferenceStatement,
    References,
    RegionalInitiativeSlot,
    Section,
    SourceInfo,
    SourceLine,
    StudyGroupQuestion,
    Text,
    Translation,
    WorkArea,
    text_of,
)

__all__ = [
    "Block", "Citation", "Heading", "Indicator", "Node", "Objective", "Outcome", "Output",
    "Plan", "Project", "ReferenceStatement", "References", "RegionalInitiativeSlot", "Section",
    "SourceInfo", "SourceLine", "StudyGroupQuestion", "Text", "Translation", "WorkArea",
    "child", "objective_eid", "outcome_eid", "output_eid", "parse_eid", "text_of",
]
