"""The plan as Markdown (CommonMark + GFM tables), with a stable HTML anchor per element.

Layout::

    # <title>                                   plan
    ## <preface section> / ## <intro section>   (### for subsections, ...)
    ## 部门目标 1 – <title>                     objective, then its outcomes table
    ### 输出成果 1.1 – <title>                  output
    #### 1 背景 / 2 实施框架 / ...              output parts
    ##### 项目：<title>                         project, ###### work areas
    ## 注释                                     notes

Every element of :meth:`Plan.walk` gets ``<a id="<eid>"></a>`` in front of its text, so
``file.md#obj_2__output_2.1`` keeps working across re-renders. Texts missing in the
wanted language show the other language after a visible ``\\[zh]`` marker.
"""

from __future__ import annotations

import re

from actionplan.model import Block, Objective, Output, Plan, Section
from actionplan.render._common import ListEntry, ListRun, group_blocks, model_eids, output_parts
from actionplan.render._labels import (
    Shown,
    colon,
    label,
    num_prefix,
    objective_label,
    output_title_line,
    region_name,
    shown,
    statement_heading,
    table_header,
    translation_note,
)
from actionplan.render._links import outcome_output_links, reference_groups

_ESCAPE = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^(\s*)(?:([#+\-])(?=\s)|(\d+)([.)])(?=\s|$))")


def escape(text: str) -> str:
    """Escape Markdown's inline syntax in plain text."""
    return _ESCAPE.sub(r"\\\1", text)


def escape_start(line: str) -> str:
    """Escape what would make a line a heading or a list item (``# x``, ``- x``, ``1. x``)."""

    def fix(m: re.Match[str]) -> str:
        if m[2]:
            return f"{m[1]}\\{m[2]}"
        return f"{m[1]}{m[3]}\\{m[4]}"

    return _LINE_START.sub(fix, line)


def anchor(eid: str | None) -> str:
    return f'<a id="{eid}"></a>' if eid else ""


def md(s: Shown) -> str:
    """A shown text, escaped, with its fallback marker."""
    text = escape(s.text).replace("\n", "<br>")
    return f"{escape(s.marker)} {text}" if s.marker else text


class _Writer:
    def __init__(self, plan: Plan, lang: str) -> None:
        self.plan = plan
        self.lang = lang
        self.taken = model_eids(plan)
        self.out: list[str] = []

    # -- primitives ----------------------------------------------------------------------

    def para(self, line: str) -> None:
        self.out.extend([escape_start(line), ""])

    def heading(self, level: int, eid: str | None, text: str) -> None:
        self.out.extend([f"{'#' * min(level, 6)} {anchor(eid)}{text}", ""])

    def blocks(self, blocks: list[Block]) -> None:
        for group in group_blocks(blocks):
            if isinstance(group, ListRun):
                self.add_list(group.entries, 0)
                self.out.append("")
            else:
                self.para(anchor(group.eid) + self.block_text(group))

    def block_text(self, block: Block) -> str:
        return escape(num_prefix(block.num)) + md(shown(block.text, self.lang))

    def add_list(self, entries: list[ListEntry], depth: int) -> None:
        for entry in entries:
            self.out.append(f"{'  ' * depth}- {anchor(entry.block.eid)}{self.block_text(entry.block)}")
            self.add_list(entry.children, depth + 1)

    # -- structure -----------------------------------------------------------------------

    def render(self) -> str:
        plan, lang = self.plan, self.lang
        self.heading(1, None, md(shown(plan.title, lang)))
        if plan.period:
            self.para(f"{label('period', lang)}{colon(lang)}{escape(plan.period)}")
        note = translation_note(plan, lang)
        if note:
            self.para(f"> {escape(note)}")
        for sec in plan.preface:
            self.section(sec, 2)
        for sec in plan.introduction:
            self.section(sec, 2)
        for obj in plan.objectives:
            self.objective(obj)
        if plan.notes:
            self.para("---")
            self.heading(2, None, escape(label("notes", lang)))
            self.blocks(plan.notes)
        return "\n".join(self.out).rstrip() + "\n"

    def section(self, sec: Section, level: int) -> None:
        num = f"{escape(sec.num)} " if sec.num else ""
        self.heading(level, sec.eid, num + md(shown(sec.heading, self.lang)))
        self.blocks(sec.blocks)
        for sub in sec.sections:
            self.section(sub, level + 1)

    def objective(self, obj: Objective) -> None:
        lang = self.lang
        self.heading(2, obj.eid, f"{objective_label(obj.number, lang)} – {md(shown(obj.title, lang))}")
        if obj.outcomes:
            self.outcomes_table(obj)
        for output in obj.outputs:
            self.output(output)

    def outcomes_table(self, obj: Objective) -> None:
        lang = self.lang
        cols = [md(c) for c in table_header(obj.table_header, lang)]
        self.out.append("| " + " | ".join(cols) + " |")
        self.out.append("|" + "---|" * len(cols))
        for oc in obj.outcomes:
            outcome = f"{anchor(oc.eid)}**{escape(oc.number)}** {md(shown(oc.text, lang))}"
            indicators = "<br>".join(
                f"{anchor(ind.eid)}{escape(ind.number)} {md(shown(ind.text, lang))}" for ind in oc.indicators
            ) or escape(label("none", lang))
            outputs = "<br>".join(
                (f"[{escape(link.text)}]({link.href})" if link.href else escape(link.text))
                + (f" – {md(title)}" if title else "")
                for link, title in outcome_output_links(oc.outputs, self.plan, lang)
            ) or escape(label("none", lang))
            self.out.append(f"| {outcome} | {indicators} | {outputs} |")
        self.out.append("")

    def output(self, output: Output) -> None:
        lang = self.lang
        name, title = output_title_line(output, lang)
        self.heading(3, output.eid, f"{escape(name)} – {md(title)}")
        for part in output_parts(output, lang, self.taken):
            num = f"{escape(part.num)} " if part.num else ""
            self.heading(4, part.eid, num + md(part.heading))
            if part.key == "background":
                self.blocks(output.background)
            elif part.key == "framework":
                self.blocks(output.framework)
                for project in output.projects:
                    self.heading(
                        5,
                        project.eid,
                        escape(label("project", lang) + colon(lang)) + md(shown(project.title, lang)),
                    )
                    self.blocks(project.text)
                    for area in project.work_areas:
                        self.heading(6, area.eid, md(shown(area.title, lang)))
                        self.blocks(area.body())
            elif part.key == "regional_initiatives":
                self.blocks(output.regional_initiatives_intro)
                for slot in output.regional_initiatives:
                    name_ = md(region_name(slot.region, slot.region_name, lang))
                    if slot.blocks:
                        self.out.append(f"- {anchor(slot.eid)}**{name_}**")
                        for group in group_blocks(slot.blocks):
                            if isinstance(group, ListRun):
                                self.add_list(group.entries, 1)
                            else:
                                self.out.append(f"  - {anchor(group.eid)}{self.block_text(group)}")
                    else:
                        self.out.append(f"- {anchor(slot.eid)}**{name_}**" + escape(colon(lang) + label("none", lang)))
                self.out.append("")
            elif part.key == "study_group_questions":
                self.blocks(output.study_group_questions_intro)
                for q in output.study_group_questions:
                    text = shown(q.text, lang)
                    body = f"{colon(lang)}{md(text)}" if text else ""
                    self.out.append(f"- {anchor(q.eid)}**{md(shown(q.label, lang))}**{body}")
                if output.study_group_questions:
                    self.out.append("")
            else:
                self.references(output)

    def references(self, output: Output) -> None:
        lang = self.lang
        for stmt in output.references.statements:
            self.heading(5, stmt.eid, md(statement_heading(stmt, lang)))
            self.para(md(shown(stmt.text, lang)))
        groups = reference_groups(output.references, self.plan, lang)
        if not groups and not output.references.statements:
            self.para(escape(label("none", lang)))
        if groups:
            self.para(f"*{escape(label('normalised', lang))}*")
            for group in groups:
                links = ", ".join(
                    f"[{escape(link.text)}]({link.href})"
                    if link.href and (link.external or link.href.startswith("#"))
                    else escape(link.text)
                    for link in group.links
                )
                self.out.append(f"- {escape(group.label)}{colon(lang)}{links}")
            self.out.append("")


def render_markdown(plan: Plan, lang: str = "zh") -> str:
    """The plan as one Markdown document in ``lang`` (missing texts fall back, marked)."""
    return _Writer(plan, lang).render()
