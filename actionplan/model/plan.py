"""The action plan as typed data: a results framework with stable element ids.

A :class:`Plan` is one dated expression of the plan (one version). Its shape follows the
document: front matter (a contribution's preface), introductory sections, then objectives,
each with an outcomes table (outcome -> performance indicators -> outputs) and its outputs
(background, implementation framework with projects and work areas, regional initiative
slots, study-group questions, references to resolutions, WSIS action lines and SDGs).

Every element carries an ``eid`` in Akoma Ntoso naming style, derived from structure only
(see :mod:`actionplan.model.eids`), so an element keeps its id across re-imports and
languages. Texts are ``{language: text}`` maps, so any number of languages can be held.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Text = dict[str, str]
"""A text in any number of languages, keyed by BCP-47-ish code (``zh``, ``en``)."""

BlockKind = Literal["para", "item"]


class Node(BaseModel):
    """Base of every addressable element: an eid and the source line it started on."""

    model_config = ConfigDict(extra="forbid")

    eid: str
    line: int | None = Field(default=None, description="1-based source line (or paragraph)")


class Block(Node):
    """A paragraph or a list item, the smallest unit of running text."""

    kind: BlockKind = "para"
    level: int = Field(default=1, description="list nesting level for items")
    num: str | None = Field(default=None, description="a printed number such as '1、' or 'a)'")
    text: Text = Field(default_factory=dict)


class Heading(BaseModel):
    """A heading as printed in the source, kept so the document can be rebuilt."""

    model_config = ConfigDict(extra="forbid")

    num: str | None = None
    text: Text = Field(default_factory=dict)
    line: int | None = None


class Section(Node):
    """A generic titled section of running text (preface, introduction, notes)."""

    num: str | None = None
    heading: Text = Field(default_factory=dict)
    blocks: list[Block] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)


class Indicator(Node):
    """A performance indicator of an outcome, as listed in the objective's table."""

    number: str = Field(description="'<outcome>.<n>', e.g. '2.1.3'")
    text: Text


class Outcome(Node):
    """An outcome of an objective with its indicators and the outputs the table maps to it."""

    number: str = Field(description="'<objective>.<n>', e.g. '2.1'")
    text: Text
    indicators: list[Indicator] = Field(default_factory=list)
    outputs: list[str] = Field(default_factory=list, description="output numbers, e.g. '1.5'")
    output_labels: dict[str, Text] = Field(
        default_factory=dict, description="the output names as the table prints them"
    )


class WorkArea(Node):
    """A main area of work of a project: its paragraphs, then its bullet items, each in order."""

    title: Text
    text: list[Block] = Field(default_factory=list, description="paragraphs (kind 'para')")
    items: list[Block] = Field(default_factory=list, description="bullet items (kind 'item')")

    def body(self) -> list[Block]:
        """Paragraphs and items merged back into source order (by line, then eid)."""
        return sorted(self.text + self.items, key=lambda b: (b.line or 0, b.kind == "item"))


class Project(Node):
    """A project of an output's implementation framework."""

    title: Text
    text: list[Block] = Field(default_factory=list, description="the project's own paragraphs and items, in order")
    work_areas: list[WorkArea] = Field(default_factory=list)


class RegionalInitiativeSlot(Node):
    """One ITU-D region's slot for regional initiatives; empty slots are kept."""

    region: str = Field(description="ITU-D region code: AFR, AMS, ARB, ASP, CIS, EUR")
    region_name: Text = Field(default_factory=dict)
    blocks: list[Block] = Field(default_factory=list)


class StudyGroupQuestion(Node):
    """A study-group question slot: its label (e.g. 'Question 1/1') and its description."""

    label: Text = Field(default_factory=dict)
    text: Text = Field(default_factory=dict)


class Citation(BaseModel):
    """A resolution, decision or recommendation cited with its revision (place, year)."""

    model_config = ConfigDict(extra="forbid")

    body: Literal["PP", "WTDC", "ITU-D", "unknown"]
    kind: Literal["resolution", "decision", "recommendation"] = "resolution"
    number: int
    year: int | None = None
    place: str | None = None
    revised: bool = False
    text: str = Field(description="the citation as written")


class ReferenceStatement(Node):
    """One reference paragraph (resolutions, WSIS lines or SDGs) with its heading."""

    topic: Literal["resolutions", "wsis", "sdgs", "other"]
    heading: Text = Field(default_factory=dict)
    heading_line: int | None = None
    text: Text = Field(default_factory=dict)


class References(Node):
    """An output's references, parsed and normalised, with the statements they came from."""

    pp_resolutions: list[int] = Field(default_factory=list)
    pp_decisions: list[int] = Field(default_factory=list)
    wtdc_resolutions: list[int] = Field(default_factory=list)
    itu_d_recommendations: list[int] = Field(default_factory=list)
    all_wtdc_resolutions: bool = False
    revisions: list[Citation] = Field(default_factory=list, description="revision place/year where the text gives it")
    wsis_action_lines: list[str] = Field(default_factory=list)
    all_wsis_action_lines: bool = False
    sdg_goals: list[int] = Field(default_factory=list)
    sdg_targets: list[str] = Field(default_factory=list)
    sdg_indicators: list[str] = Field(default_factory=list)
    all_sdgs: bool = False
    contributes_to_outcomes: list[str] = Field(
        default_factory=list, description="outcome numbers the statements say this output serves"
    )
    statements: list[ReferenceStatement] = Field(default_factory=list)


class Output(Node):
    """An output (product and service) with its implementation framework and references."""

    number: str = Field(description="'<objective>.<n>', e.g. '2.1'")
    title: Text
    headings: dict[str, Heading] = Field(
        default_factory=dict,
        description="printed headings by part: output, background, framework, "
        "regional_initiatives, study_group_questions, references",
    )
    background: list[Block] = Field(default_factory=list)
    framework: list[Block] = Field(default_factory=list, description="framework text outside any project")
    projects: list[Project] = Field(default_factory=list)
    regional_initiatives_intro: list[Block] = Field(default_factory=list)
    regional_initiatives: list[RegionalInitiativeSlot] = Field(default_factory=list)
    study_group_questions_intro: list[Block] = Field(default_factory=list)
    study_group_questions: list[StudyGroupQuestion] = Field(default_factory=list)
    references: References


class Objective(Node):
    """A sector objective with its outcomes table and its outputs."""

    number: int
    title: Text
    heading: Heading = Field(default_factory=Heading)
    table_header: list[Text] = Field(default_factory=list, description="the outcomes table's column labels as printed")
    outcomes: list[Outcome] = Field(default_factory=list)
    outputs: list[Output] = Field(default_factory=list)


class SourceLine(BaseModel):
    """A non-empty source line the importer did not understand (shown as a warning)."""

    model_config = ConfigDict(extra="forbid")

    line: int
    text: str
    reason: str = "not understood"


class Translation(BaseModel):
    """Provenance of one language's texts: official, or an unofficial translation."""

    model_config = ConfigDict(extra="forbid")

    official: bool
    note: str = ""


class SourceInfo(BaseModel):
    """Where the version was imported from."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    format: str = ""
    sha256: str = ""


class Plan(BaseModel):
    """One version (dated expression) of an action plan."""

    model_config = ConfigDict(extra="forbid")

    schema_version: int = Field(default=2, description="see actionplan.model.schema")
    code: str = Field(description="stable plan code, e.g. 'baap' for Buenos Aires")
    title: Text
    period: str | None = Field(default=None, description="e.g. '2018-2021'")
    language: str = Field(default="zh", description="language of the source document")
    part: Text = Field(default_factory=dict, description="the part label printed above the plan")
    translations: dict[str, Translation] = Field(default_factory=dict)
    preface: list[Section] = Field(default_factory=list, description="a contribution's front matter, kept in its place")
    introduction: list[Section] = Field(default_factory=list)
    objectives_heading: Heading | None = None
    objectives: list[Objective] = Field(default_factory=list)
    notes: list[Block] = Field(default_factory=list, description="footnotes and trailing text")
    not_understood: list[SourceLine] = Field(default_factory=list)
    source: SourceInfo = Field(default_factory=SourceInfo)

    # -- navigation helpers (read-only; the model stays a plain tree) -----------------

    def all_outputs(self) -> list[Output]:
        return [o for obj in self.objectives for o in obj.outputs]

    def all_outcomes(self) -> list[Outcome]:
        return [o for obj in self.objectives for o in obj.outcomes]

    def all_indicators(self) -> list[Indicator]:
        return [i for oc in self.all_outcomes() for i in oc.indicators]

    def output(self, number: str) -> Output | None:
        return next((o for o in self.all_outputs() if o.number == number), None)

    def outcome(self, number: str) -> Outcome | None:
        return next((o for o in self.all_outcomes() if o.number == number), None)

    def walk(self) -> Iterator[Node]:
        """Every addressable element, depth first, in document order."""
        yield from _walk(self)

    def element(self, eid: str) -> Node | None:
        return next((n for n in self.walk() if n.eid == eid), None)


def _walk(model: BaseModel) -> Iterator[Node]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, Node):
                yield v
            if isinstance(v, BaseModel):
                yield from _walk(v)


def text_of(text: Text, lang: str = "zh", fallback: bool = True) -> str:
    """The text in ``lang``, else (if ``fallback``) the first language that has one."""
    if text.get(lang):
        return text[lang]
    if fallback:
        return next((t for t in text.values() if t), "")
    return ""
