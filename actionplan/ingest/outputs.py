"""Stage: one output, from its heading to the next output, objective or chapter.

An output is read as a small state machine. Numbered headings switch between its parts
(``1 背景``, ``2 实施框架``, ``3 …决议…``), named headings open the rest (``项目：…``,
``相关区域性举措``, ``研究组课题``, and the three reference sub-headings), and every
paragraph, item or table goes to the part that is open. Inside a project, after a lead-in
such as ``主要工作领域包括：``, short heading-like lines open work areas.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from actionplan.ingest import references as R
from actionplan.ingest import vocabulary as V
from actionplan.ingest.context import BlockNumberer, Context
from actionplan.ingest.front import is_structural
from actionplan.ingest.source import Cell, SourceBlock
from actionplan.model import (
    Block,
    Heading,
    Objective,
    Output,
    Project,
    References,
    ReferenceStatement,
    RegionalInitiativeSlot,
    StudyGroupQuestion,
    WorkArea,
    child,
    output_eid,
)
from actionplan.registry import resolve_region_name

REGIONS = ("AFR", "AMS", "ARB", "ASP", "CIS", "EUR")


@dataclass
class _State:
    """Where the next block goes while reading one output."""

    part: str = "background"
    project: Project | None = None
    area: WorkArea | None = None
    lead_seen: bool = False
    statement: ReferenceStatement | None = None
    numberers: dict[str, BlockNumberer] = field(default_factory=dict)

    def numberer(self, parent: str) -> BlockNumberer:
        return self.numberers.setdefault(parent, BlockNumberer(parent))


def read_output(ctx: Context, objective: Objective) -> Output:
    """Reads: an output heading and everything up to the next structural heading."""
    head = ctx.take()
    m = V.OUTPUT.match(head.text)
    assert m is not None
    number = m["num"]
    out = Output(
        eid=output_eid(objective.number, number),
        number=number,
        title={},
        references=References(eid=child(output_eid(objective.number, number), "refs")),
        line=head.line,
    )
    out.headings["output"] = Heading(num=number, text=ctx.text(head.text), line=head.line)
    if m["title"]:
        out.title = ctx.text(m["title"])
    else:
        nxt = ctx.peek()
        if nxt is not None and nxt.kind in ("para", "heading") and not _part_heading(nxt):
            out.title = ctx.text(ctx.take().text)
    state = _State()
    while (b := ctx.peek()) is not None and not is_structural(b) and not V.SEPARATOR.match(b.text):
        _read_block(ctx, out, state, b)
    _finish_references(out)
    return out


def _part_heading(b: SourceBlock) -> str | None:
    """'background', 'framework' or 'references' for a numbered output sub-heading."""
    if b.kind not in ("para", "heading"):
        return None
    m = V.NUMBERED_HEADING.match(b.text)
    title = m["title"] if m else (b.text if b.kind == "heading" else "")
    if not title or V.looks_like_sentence(title, max_heading=120):
        return None
    if V.BACKGROUND.search(title):
        return "background"
    if V.FRAMEWORK.search(title):
        return "framework"
    if V.REFERENCES.search(title):
        return "references"
    return None


def _read_block(ctx: Context, out: Output, st: _State, b: SourceBlock) -> None:
    part = _part_heading(b)
    if part:
        ctx.take()
        m = V.NUMBERED_HEADING.match(b.text)
        out.headings[part] = Heading(
            num=m["num"] if m else None, text=ctx.text(m["title"] if m else b.text), line=b.line
        )
        st.part, st.project, st.area, st.statement = part, None, None, None
        return
    if b.kind in ("para", "heading") and _named_heading(ctx, out, st, b):
        return
    if b.kind == "table":
        _read_table(ctx, out, st, b)
        return
    ctx.take()
    _place_text(ctx, out, st, b)


def _named_heading(ctx: Context, out: Output, st: _State, b: SourceBlock) -> bool:
    text = b.text.strip()
    if m := V.PROJECT.match(text):
        ctx.take()
        eid = child(out.eid, "project", len(out.projects) + 1)
        st.project = Project(eid=eid, title=ctx.text(m["title"]), line=b.line)
        out.projects.append(st.project)
        st.part, st.area, st.lead_seen = "project", None, False
        return True
    for part, rx in (
        ("regional_initiatives", V.REGIONAL_INITIATIVES),
        ("study_group_questions", V.STUDY_GROUP_QUESTIONS),
    ):
        if rx.match(text):
            ctx.take()
            out.headings[part] = Heading(text=ctx.text(text), line=b.line)
            st.part, st.project, st.area = part, None, None
            return True
    if st.part == "references":
        for topic, rx in (("resolutions", V.REF_RESOLUTIONS), ("wsis", V.REF_WSIS), ("sdgs", V.REF_SDGS)):
            if rx.match(text):
                ctx.take()
                st.statement = _new_statement(out, topic, ctx.text(text), b.line)
                return True
    if st.part == "project" and st.lead_seen and _is_area_heading(b):
        ctx.take()
        assert st.project is not None
        st.area = WorkArea(
            eid=child(st.project.eid, "area", len(st.project.work_areas) + 1),
            title=ctx.text(text),
            line=b.line,
        )
        st.project.work_areas.append(st.area)
        return True
    return False


def _is_area_heading(b: SourceBlock) -> bool:
    return b.kind == "heading" or (b.kind == "para" and not V.looks_like_sentence(b.text) and len(b.text) <= 40)


def _new_statement(out: Output, topic: str, heading: dict[str, str], line: int | None) -> ReferenceStatement:
    stmt = ReferenceStatement(
        eid=child(out.references.eid, "stmt", len(out.references.statements) + 1),
        topic=topic,
        heading=heading,
        heading_line=line,
    )
    out.references.statements.append(stmt)
    return stmt


def _place_text(ctx: Context, out: Output, st: _State, b: SourceBlock) -> None:
    """A paragraph or item goes to whatever part of the output is open."""
    if st.part == "references":
        if st.statement is None or st.statement.text:
            st.statement = _new_statement(out, _guess_topic(b.text), {}, None)
        st.statement.text = ctx.text(b.text)
        st.statement.line = b.line
        return
    container: list[Block]
    parent: str
    if st.part == "project" and st.project is not None:
        if V.WORK_AREAS_LEAD.search(b.text):
            st.lead_seen = True
        if st.area is not None:
            container = st.area.items if b.kind == "item" else st.area.text
            parent = st.area.eid
        else:
            container, parent = st.project.text, st.project.eid
    elif st.part == "framework":
        container, parent = out.framework, child(out.eid, "framework")
    elif st.part == "regional_initiatives":
        container, parent = out.regional_initiatives_intro, child(out.eid, "riintro")
    elif st.part == "study_group_questions":
        container, parent = out.study_group_questions_intro, child(out.eid, "sgqintro")
    else:
        container, parent = out.background, child(out.eid, "background")
    container.append(st.numberer(parent).block(ctx, b))


def _guess_topic(text: str) -> str:
    if "WSIS" in text.upper():
        return "wsis"
    if "可持续发展" in text or "SDG" in text.upper():
        return "sdgs"
    if "决议" in text or "resolution" in text.lower():
        return "resolutions"
    return "other"


def _read_table(ctx: Context, out: Output, st: _State, b: SourceBlock) -> None:
    if st.part == "regional_initiatives":
        ctx.take()
        _regional_slots(ctx, out, [c for row in b.rows for c in row])
    elif st.part == "study_group_questions":
        ctx.take()
        _study_group_questions(ctx, out, [c for row in b.rows for c in row])
    else:
        ctx.skip()  # a table where none is expected: reported as not understood


def _regional_slots(ctx: Context, out: Output, cells: list[Cell]) -> None:
    """One slot per ITU-D region, in the standard order; listed regions get their text."""
    slots = {code: RegionalInitiativeSlot(eid=child(out.eid, "ri", code.lower()), region=code) for code in REGIONS}
    current: RegionalInitiativeSlot | None = None
    for cell in cells:
        code = resolve_region_name(cell.text) if cell.text else None
        if code in slots:
            current = slots[code]
            current.region_name, current.line = ctx.text(cell.text), cell.line
        elif current is None:
            if cell.text:  # the table's header ('区域' / 'Region')
                out.headings["regional_initiatives_table"] = Heading(text=ctx.text(cell.text), line=cell.line)
        else:
            n = BlockNumberer.continuing(current.eid, current.blocks)
            for t in cell.lines:
                current.blocks.append(n.block(ctx, SourceBlock("para", t.text, t.line)))
    out.regional_initiatives = list(slots.values())


def _study_group_questions(ctx: Context, out: Output, cells: list[Cell]) -> None:
    """Label cells open a question; the cells after a label describe it."""
    for cell in cells:
        if not out.study_group_questions or (cell.text and _is_question_label(cell.text)):
            eid = child(out.eid, "sgq", len(out.study_group_questions) + 1)
            out.study_group_questions.append(StudyGroupQuestion(eid=eid, label=ctx.text(cell.text), line=cell.line))
        elif cell.text:
            q = out.study_group_questions[-1]
            joined = (next(iter(q.text.values()), "") + "\n" + cell.text).strip()
            q.text = ctx.text(joined)


def _is_question_label(text: str) -> bool:
    return bool(V.QUESTION_LABEL.search(text)) and len(text) <= 60


def _finish_references(out: Output) -> None:
    """Parse every statement into the normalised lists (repeats kept for the linter)."""
    refs = out.references
    for stmt in refs.statements:
        text = next(iter(stmt.text.values()), "")
        refs.contributes_to_outcomes.extend(
            n for n in R.outcome_mentions(text) if n not in refs.contributes_to_outcomes
        )
        if stmt.topic == "resolutions":
            r = R.parse_resolutions(text)
            refs.pp_resolutions += r.pp_resolutions
            refs.pp_decisions += r.pp_decisions
            refs.wtdc_resolutions += r.wtdc_resolutions
            refs.itu_d_recommendations += r.itu_d_recommendations
            refs.all_wtdc_resolutions |= r.all_wtdc_resolutions
            refs.revisions += r.revisions
        elif stmt.topic == "wsis":
            codes, all_lines = R.parse_wsis(text)
            refs.wsis_action_lines += codes
            refs.all_wsis_action_lines |= all_lines
        elif stmt.topic == "sdgs":
            s = R.parse_sdgs(text)
            refs.sdg_goals += s.goals
            refs.sdg_targets += s.targets
            refs.sdg_indicators += s.indicators
            refs.all_sdgs |= s.all_goals
    if refs.statements:
        refs.line = refs.statements[0].heading_line or refs.statements[0].line
