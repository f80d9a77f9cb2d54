"""Response schemas: the core pydantic models, plus where an element sits and its links.

An element returned on its own (``/outputs/2.1``) has exactly the keys of the parse JSON
(``Output.model_dump(mode="json")``) followed by ``plan`` (code), ``version`` (number),
the numbers of the elements it belongs to (``objective``, ``outcome``) and ``links``.
Lists of large elements (objectives, outputs) hold summaries whose ``links.self`` leads to
the whole element. ``links`` maps a name to a root-relative URL.
"""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from actionplan.model import Indicator, Objective, Outcome, Output, Text
from actionplan.server.api.pagination import Page

Links = dict[str, str]


# -- plans and versions ---------------------------------------------------------------


class Counts(Schema):
    objectives: int
    outcomes: int
    indicators: int
    outputs: int


class VersionOut(Schema):
    """A stored, immutable version of a plan."""

    plan: str
    number: int
    ref: str = Field(description="'code@number', the version's name in the CLI and the store")
    imported_at: datetime
    content_hash: str = Field(description="SHA-256 of the version's canonical JSON (without 'source')")
    source_name: str
    source_format: str
    note: str
    counts: Counts
    links: Links


class PlanOut(Schema):
    """A plan with all its versions; titles and period are those of the latest version."""

    code: str
    title: Text
    period: str | None
    language: str = Field(description="language of the source document")
    latest_version: int
    versions: list[VersionOut]
    links: Links


# -- elements -------------------------------------------------------------------------


class ObjectiveSummary(Schema):
    eid: str
    number: int
    title: Text
    outcomes: list[str] = Field(description="outcome numbers")
    outputs: list[str] = Field(description="output numbers")
    plan: str = Field(description="the plan's code, e.g. 'baap'")
    version: int = Field(description="the version number the element was read from")
    links: Links


class ObjectiveOut(Objective):
    """An objective as in the parse JSON (with its outcomes and outputs), plus placement."""

    plan: str
    version: int
    links: Links


class OutcomeOut(Outcome):
    """An outcome as in the parse JSON (with its indicators), plus placement."""

    plan: str
    version: int
    objective: int
    links: Links


class IndicatorOut(Indicator):
    """A performance indicator as in the parse JSON, plus placement."""

    plan: str
    version: int
    objective: int
    outcome: str
    links: Links


class OutputSummary(Schema):
    eid: str
    number: str
    title: Text
    plan: str
    version: int
    objective: int
    outcomes: list[str] = Field(description="outcomes whose table row lists this output")
    links: Links


class OutputOut(Output):
    """An output with exactly the keys of the parse JSON, plus placement."""

    plan: str
    version: int
    objective: int
    outcomes: list[str] = Field(description="outcomes whose table row lists this output")
    links: Links


# -- references, matrices, coverage ---------------------------------------------------


class CitingOut(Schema):
    """An output citing a reference, and how: the code itself, targets of a goal, 'all SDGs'."""

    output: str = Field(description="output number")
    title: Text
    basis: str
    links: Links


class ReferenceOut(Schema):
    scheme: str
    code: str
    titles: dict[str, str] = Field(description="by language; unofficial translations are labelled")
    citing: list[CitingOut]
    links: Links


class CellOut(Schema):
    row: str = Field(description="output number")
    col: str = Field(description="code of the column: goal, target, action line, resolution")
    value: int = Field(description="number of references behind the cell")
    basis: str


class MatrixOut(Schema):
    name: str
    goal: int | None = Field(description="the SDG goal whose targets are the columns (sdg_targets only)")
    rows: list[str] = Field(description="output numbers, in plan order")
    row_labels: dict[str, Text]
    cols: list[str]
    col_labels: dict[str, Text]
    cells: list[CellOut] = Field(description="non-empty cells only, by row then column")
    plan: str
    version: int
    links: Links


class MatrixNameOut(Schema):
    name: str
    needs_goal: bool
    links: Links


class CoverageOut(Schema):
    """What no output cites explicitly ('all SDGs' statements do not count as covering)."""

    sdg_goals_uncovered: list[int]
    sdg_targets_uncovered: list[str]
    sdg_targets_covered: int
    sdg_targets_total: int
    wsis_uncovered: list[str]
    outputs_without_references: list[str]
    outputs_citing_all_sdgs: list[str]
    plan: str
    version: int
    links: Links


# -- search ---------------------------------------------------------------------------


class PathStep(Schema):
    """One step of a hit's path in the plan (objective > output > project > item)."""

    eid: str
    label: str


class SearchHitOut(Schema):
    eid: str
    kind: str
    number: str
    path: list[PathStep]
    snippet_html: str = Field(description="HTML-escaped text with the matches in <mark>")
    lang: str
    links: Links


# -- pages ----------------------------------------------------------------------------


class PlanPage(Page[PlanOut]):
    pass


class VersionPage(Page[VersionOut]):
    pass


class ObjectivePage(Page[ObjectiveSummary]):
    pass


class OutcomePage(Page[OutcomeOut]):
    pass


class IndicatorPage(Page[IndicatorOut]):
    pass


class OutputPage(Page[OutputSummary]):
    pass


class ReferencePage(Page[ReferenceOut]):
    pass


class MatrixNamePage(Page[MatrixNameOut]):
    pass


class SearchPage(Page[SearchHitOut]):
    query: str
    plan: str
    version: int
