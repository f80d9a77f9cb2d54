"""Stages for the text around the results framework: preface, plan title, introduction.

A contribution opens with its own sections (``I 引言``, ``II 建议``) before the plan text;
the plan then opens with a part label, its title and numbered chapters (``第1节 – 引言``)
whose numbered sections (``1``, ``1.1``, ``3.2``) hold running text. All of it is kept, in
its place, as :class:`~actionplan.model.Section` trees.
"""

from __future__ import annotations

from actionplan.ingest import vocabulary as V
from actionplan.ingest.context import BlockNumberer, Context
from actionplan.ingest.source import SourceBlock
from actionplan.model import Block, Heading, Plan, Section, child


def is_plan_start(b: SourceBlock) -> bool:
    return b.kind in ("para", "heading") and bool(
        V.PART.match(b.text) or V.CHAPTER.match(b.text) or V.OBJECTIVE.match(b.text)
    )


def is_structural(b: SourceBlock) -> bool:
    """A block that opens a chapter, objective or output: every text run stops there."""
    return b.kind in ("para", "heading") and bool(
        V.CHAPTER.match(b.text) or V.OBJECTIVE.match(b.text) or is_output_heading(b)
    )


def is_output_heading(b: SourceBlock) -> bool:
    m = V.OUTPUT.match(b.text) if b.kind in ("para", "heading") else None
    return bool(m) and not V.looks_like_sentence(m["title"] or "") if m else False


def read_preface(ctx: Context) -> list[Section]:
    """Everything before the plan proper, cut at roman-numbered headings (I, II, ...).

    Reads: blocks up to the first part/chapter/objective heading. Writes: Plan.preface.
    """
    sections: list[Section] = []
    current: Section | None = None
    numberer: BlockNumberer | None = None
    while (b := ctx.peek()) is not None and not is_plan_start(b):
        m = V.ROMAN_HEADING.match(b.text) if b.kind != "table" else None
        if m or current is None:
            eid = child("preface", "sec", len(sections) + 1)
            current = Section(eid=eid, line=b.line)
            sections.append(current)
            numberer = BlockNumberer(eid)
            if m:
                ctx.take()
                current.num, current.heading = m["num"], ctx.text(m["title"])
                continue
        assert numberer is not None
        if b.kind == "table":
            ctx.skip()
            continue
        ctx.take()
        current.blocks.append(_numbered_block(ctx, numberer, b))
    return sections


def _numbered_block(ctx: Context, numberer: BlockNumberer, b: SourceBlock) -> Block:
    """Paragraphs such as '1、 在输出成果2.1中…' become numbered items."""
    m = V.NUMBERED_PARA.match(b.text) if b.kind == "para" else None
    if m:
        item = SourceBlock("item", m["text"], b.line, level=1, marker=m["num"])
        return numberer.block(ctx, item, num=m["num"])
    return numberer.block(ctx, b)


def read_plan_head(ctx: Context, plan: Plan) -> None:
    """Part label and plan title lines at the start of the plan proper.

    Reads: a part label ('C部分') and a title line before the first chapter. Writes:
    Plan.part, Plan.title.
    """
    b = ctx.peek()
    if b is not None and V.PART.match(b.text):
        plan.part = ctx.text(ctx.take().text)
    b = ctx.peek()
    if b is not None and b.kind in ("para", "heading") and not is_plan_start(b) and _is_title(b):
        plan.title = ctx.text(ctx.take().text)


def _is_title(b: SourceBlock) -> bool:
    return not V.looks_like_sentence(b.text) and not V.NUMBERED_HEADING.match(b.text)


def read_chapters(ctx: Context, plan: Plan) -> list[Section]:
    """Numbered chapters up to the first objective, each with nested numbered sections.

    Reads: chapter headings, numbered headings, paragraphs, items. Writes:
    Plan.introduction and Plan.objectives_heading (the chapter that holds the objectives).
    """
    chapters: list[Section] = []
    while (b := ctx.peek()) is not None and not (b.kind in ("para", "heading") and V.OBJECTIVE.match(b.text)):
        if _is_running_title(ctx, plan, b):
            ctx.take()
            continue
        m = V.CHAPTER.match(b.text) if b.kind != "table" else None
        if m:
            ctx.take()
            num = m["zh"] or m["en"]
            if _next_is_objective(ctx, plan):
                plan.objectives_heading = Heading(num=num, text=ctx.text(m["title"] or ""), line=b.line)
                continue
            chapters.append(
                Section(eid=child(None, "chp", num), num=num, heading=ctx.text(m["title"] or ""), line=b.line)
            )
            continue
        if not chapters:
            chapters.append(Section(eid=child(None, "chp", 1), line=b.line))
        _read_into_chapter(ctx, chapters[-1])
    return chapters


def _is_running_title(ctx: Context, plan: Plan, b: SourceBlock) -> bool:
    """The plan title repeated above a chapter heading, as Word's page layout prints it."""
    nxt = ctx.peek(1)
    title = next(iter(plan.title.values()), "")
    return bool(title) and b.text.strip() == title and nxt is not None and bool(V.CHAPTER.match(nxt.text))


def _next_is_objective(ctx: Context, plan: Plan) -> bool:
    i = 0
    while (b := ctx.peek(i)) is not None and _is_running_title(ctx, plan, b):
        i += 1
    return b is not None and bool(V.OBJECTIVE.match(b.text))


def _read_into_chapter(ctx: Context, chapter: Section) -> None:
    """One block into the chapter: a numbered heading opens a (sub)section."""
    b = ctx.peek()
    assert b is not None
    if b.kind == "table":
        ctx.skip()
        return
    m = V.NUMBERED_HEADING.match(b.text)
    if (m and not V.looks_like_sentence(m["title"], max_heading=120)) or b.kind == "heading":
        ctx.take()
        num = m["num"] if m else None
        title = m["title"] if m else b.text
        parent = _parent_for(chapter, num)
        eid = child(parent.eid, "subsec" if parent is not chapter else "sec", num or len(parent.sections) + 1)
        parent.sections.append(Section(eid=eid, num=num, heading=ctx.text(title), line=b.line))
        return
    ctx.take()
    target = _last_section(chapter)
    target.blocks.append(BlockNumberer.continuing(target.eid, target.blocks).block(ctx, b))


def _parent_for(chapter: Section, num: str | None) -> Section:
    """'1.1' nests under the chapter's section '1'; '2' sits directly in the chapter."""
    if num and "." in num:
        head = num.split(".")[0]
        for s in reversed(chapter.sections):
            if s.num == head:
                return s
    return chapter


def _last_section(chapter: Section) -> Section:
    node = chapter
    while node.sections:
        node = node.sections[-1]
    return node
