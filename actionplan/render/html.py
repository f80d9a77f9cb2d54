"""The plan as one standalone HTML5 page: inline CSS (screen and print), no scripts, no assets.

Every element of :meth:`Plan.walk` carries ``id="<eid>"``, so ``plan.html#obj_2__output_2.1``
is a stable link. The parts of an output that the model keeps as plain lists (background,
framework, regional initiatives, study-group questions) get made-up container ids by the
same rule (see :func:`actionplan.render._common.output_parts`).

Structure::

    header          h1 title, period, unofficial-translation note
    nav.toc         objectives and outputs
    section.preface / section.introduction     h2 sections (h3 subsections, ...)
    section.objective#obj_N   h2, table.outcomes (tr#outcome, li#indicator), outputs
      section.output#...      h3, then h4 parts, h5 projects, h6 work areas
    footer.notes

Texts missing in the wanted language show the other language in
``<span class="fallback" lang="..">`` after a visible ``[zh]`` marker. All text is
escaped with :func:`html.escape`.
"""

from __future__ import annotations

from html import escape

from actionplan.model import Block, Objective, Output, Plan, Project, Section
from actionplan.render._common import ListEntry, ListRun, group_blocks, model_eids, output_parts, sublist_numbered
from actionplan.render._labels import (
    Shown,
    colon,
    html_lang,
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

CSS = """
:root { --ink: #1a1a1a; --muted: #666; --rule: #bbb; --accent: #00507a; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", "SimSun", system-ui, sans-serif; color: var(--ink);
  line-height: 1.6; max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem; }
h1, h2, h3, h4, h5, h6 { line-height: 1.3; color: var(--accent); }
h2 { border-bottom: 2px solid var(--accent); padding-bottom: .2rem; }
.num { margin-right: .4em; }
.meta, .note { color: var(--muted); }
.fallback { color: var(--muted); font-style: italic; }
.lang-marker { font-size: .8em; font-style: normal; border: 1px solid var(--rule);
  border-radius: 3px; padding: 0 .2em; margin-right: .3em; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border: 1px solid var(--rule); padding: .4rem .5rem; vertical-align: top;
  text-align: left; }
th { background: #eef3f6; }
td ul { margin: 0; padding-left: 1.1rem; }
ol.printed { list-style: none; padding-left: 1.2rem; }
.empty { color: var(--muted); }
dl.refs { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.refs dt { font-weight: bold; }
dl.refs dd { margin: 0; }
nav.toc ul { list-style: none; padding-left: 1rem; }
a { color: var(--accent); }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav.toc { display: none; }
  a { color: inherit; text-decoration: none; }
  section.objective { break-before: page; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; }
  tr, li, dl.refs { break-inside: avoid; }
  thead { display: table-header-group; }
  .fallback, .lang-marker { color: #000; }
}
""".strip()


def attrs(**values: str | None) -> str:
    """``key="value"`` pairs, escaped; ``class_`` means ``class``; None values are left out."""
    return "".join(
        f' {key.rstrip("_").replace("_", "-")}="{escape(value, quote=True)}"'
        for key, value in values.items()
        if value is not None
    )


def el(tag: str, content: str = "", **values: str | None) -> str:
    return f"<{tag}{attrs(**values)}>{content}</{tag}>"


def text(s: Shown) -> str:
    """A shown text, escaped; a fallback is wrapped with its language and a marker."""
    if not s.fallback:
        return escape(s.text)
    marker = el("span", escape(s.marker), class_="lang-marker")
    return el("span", marker + " " + escape(s.text), class_="fallback", lang=html_lang(s.lang or ""))


def num(value: str | None) -> str:
    """A printed number in its own span, followed by a space unless it ends in 、 or ：."""
    if not value:
        return ""
    return el("span", escape(value), class_="num") + ("" if num_prefix(value) == value else " ")


class _Writer:
    def __init__(self, plan: Plan, lang: str) -> None:
        self.plan = plan
        self.lang = lang
        self.taken = model_eids(plan)

    def t(self, value: dict[str, str]) -> str:
        return text(shown(value, self.lang))

    # -- blocks --------------------------------------------------------------------------

    def blocks(self, blocks: list[Block]) -> str:
        out = []
        for group in group_blocks(blocks):
            if isinstance(group, ListRun):
                out.append(self.add_list(group.entries, group.numbered))
            else:
                out.append(el("p", self.block_text(group), id=group.eid))
        return "\n".join(out)

    def block_text(self, block: Block) -> str:
        return num(block.num) + self.t(block.text)

    def add_list(self, entries: list[ListEntry], numbered: bool) -> str:
        items = []
        for entry in entries:
            inner = self.block_text(entry.block)
            if entry.children:
                inner += self.add_list(entry.children, sublist_numbered(entry.children))
            items.append(el("li", inner, id=entry.block.eid))
        tag, cls = ("ol", "printed") if numbered else ("ul", None)
        return el(tag, "\n" + "\n".join(items) + "\n", class_=cls)

    # -- document ------------------------------------------------------------------------

    def render(self) -> str:
        plan, lang = self.plan, self.lang
        title = shown(plan.title, lang)
        head = "\n".join(
            [
                '<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                '<meta name="generator" content="actionplan">',
                el("title", escape(title.text)),
                el("style", "\n" + CSS + "\n"),
            ]
        )
        header = [el("h1", text(title))]
        if plan.period:
            header.append(el("p", escape(label("period", lang) + colon(lang) + plan.period), class_="meta"))
        note = translation_note(plan, lang)
        if note:
            header.append(el("p", escape(note), class_="note"))
        body = [el("header", "\n".join(header)), self.toc()]
        if plan.preface:
            body.append(el("section", "\n".join(self.section(s, 2) for s in plan.preface), class_="preface"))
        if plan.introduction:
            body.append(
                el(
                    "section",
                    "\n".join(self.section(s, 2) for s in plan.introduction),
                    class_="introduction",
                )
            )
        body.extend(self.objective(obj) for obj in plan.objectives)
        if plan.notes:
            body.append(
                el(
                    "footer",
                    el("h2", escape(label("notes", lang))) + self.blocks(plan.notes),
                    class_="notes",
                )
            )
        return (
            "<!DOCTYPE html>\n"
            + f'<html lang="{escape(html_lang(lang))}">\n'
            + el("head", "\n" + head + "\n")
            + "\n"
            + el("body", "\n" + "\n".join(body) + "\n")
            + "\n</html>\n"
        )

    def toc(self) -> str:
        lang = self.lang
        items = []
        for obj in self.plan.objectives:
            outputs = "".join(
                el(
                    "li",
                    el(
                        "a",
                        escape(output_title_line(o, lang)[0]) + " – " + self.t(o.title),
                        href=f"#{o.eid}",
                    ),
                )
                for o in obj.outputs
            )
            link = el(
                "a",
                escape(objective_label(obj.number, lang)) + " – " + self.t(obj.title),
                href=f"#{obj.eid}",
            )
            items.append(el("li", link + (el("ul", outputs) if outputs else "")))
        if not items:
            return ""
        return el(
            "nav",
            el("h2", escape(label("contents", lang))) + el("ul", "".join(items)),
            class_="toc",
        )

    def section(self, sec: Section, level: int) -> str:
        h = f"h{min(level, 6)}"
        parts = [el(h, num(sec.num) + self.t(sec.heading)), self.blocks(sec.blocks)]
        parts.extend(self.section(sub, level + 1) for sub in sec.sections)
        return el("section", "\n".join(p for p in parts if p), id=sec.eid)

    def objective(self, obj: Objective) -> str:
        lang = self.lang
        parts = [el("h2", num(objective_label(obj.number, lang)) + "– " + self.t(obj.title))]
        if obj.outcomes:
            parts.append(self.outcomes_table(obj))
        parts.extend(self.output(o) for o in obj.outputs)
        return el("section", "\n".join(parts), id=obj.eid, class_="objective")

    def outcomes_table(self, obj: Objective) -> str:
        lang = self.lang
        head = el(
            "tr",
            "".join(el("th", text(c), scope="col") for c in table_header(obj.table_header, lang)),
        )
        none = el("span", escape(label("none", lang)), class_="empty")
        rows = []
        for oc in obj.outcomes:
            indicators = "".join(el("li", num(ind.number) + self.t(ind.text), id=ind.eid) for ind in oc.indicators)
            outputs = "".join(
                el(
                    "li",
                    (el("a", escape(link.text), href=link.href) if link.href else escape(link.text))
                    + (" – " + text(title) if title else ""),
                )
                for link, title in outcome_output_links(oc.outputs, self.plan, lang)
            )
            rows.append(
                el(
                    "tr",
                    el("td", num(oc.number) + self.t(oc.text))
                    + el("td", el("ul", indicators) if indicators else none)
                    + el("td", el("ul", outputs) if outputs else none),
                    id=oc.eid,
                )
            )
        return el(
            "table",
            el("thead", head) + el("tbody", "\n" + "\n".join(rows) + "\n"),
            class_="outcomes",
        )

    def output(self, output: Output) -> str:
        lang = self.lang
        name, title = output_title_line(output, lang)
        parts = [el("h3", num(name) + "– " + text(title))]
        for part in output_parts(output, lang, self.taken):
            inner = [el("h4", num(part.num) + text(part.heading))]
            if part.key == "background":
                inner.append(self.blocks(output.background))
            elif part.key == "framework":
                inner.append(self.blocks(output.framework))
                inner.extend(self.project(p) for p in output.projects)
            elif part.key == "regional_initiatives":
                inner.append(self.blocks(output.regional_initiatives_intro))
                inner.append(self.regional_initiatives(output))
            elif part.key == "study_group_questions":
                inner.append(self.blocks(output.study_group_questions_intro))
                items = []
                for q in output.study_group_questions:
                    body = shown(q.text, lang)
                    items.append(
                        el(
                            "li",
                            el("strong", self.t(q.label)) + (escape(colon(lang)) + text(body) if body else ""),
                            id=q.eid,
                        )
                    )
                if items:
                    inner.append(el("ul", "".join(items), class_="sgq"))
            else:
                inner.append(self.references(output))
            cls = part.key.replace("_", "-")
            parts.append(el("section", "\n".join(i for i in inner if i), id=part.eid, class_=cls))
        return el("section", "\n".join(parts), id=output.eid, class_="output")

    def project(self, project: Project) -> str:
        lang = self.lang
        parts = [
            el("h5", escape(label("project", lang) + colon(lang)) + self.t(project.title)),
            self.blocks(project.text),
        ]
        for area in project.work_areas:
            parts.append(
                el(
                    "section",
                    el("h6", self.t(area.title)) + self.blocks(area.body()),
                    id=area.eid,
                    class_="work-area",
                )
            )
        return el("section", "\n".join(p for p in parts if p), id=project.eid, class_="project")

    def regional_initiatives(self, output: Output) -> str:
        lang = self.lang
        if not output.regional_initiatives:
            return ""
        rows = []
        for slot in output.regional_initiatives:
            body = self.blocks(slot.blocks) or el("span", escape(label("none", lang)), class_="empty")
            rows.append(
                el(
                    "tr",
                    el("th", text(region_name(slot.region, slot.region_name, lang)), scope="row") + el("td", body),
                    id=slot.eid,
                )
            )
        head = el(
            "tr",
            el("th", escape(label("region", lang)), scope="col")
            + el("th", escape(label("regional_initiatives", lang)), scope="col"),
        )
        return el("table", el("thead", head) + el("tbody", "".join(rows)), class_="ri")

    def references(self, output: Output) -> str:
        lang = self.lang
        parts = []
        for stmt in output.references.statements:
            parts.append(
                el(
                    "section",
                    el("h5", text(statement_heading(stmt, lang))) + el("p", self.t(stmt.text)),
                    id=stmt.eid,
                    class_="statement",
                )
            )
        groups = reference_groups(output.references, self.plan, lang)
        if not groups and not parts:
            parts.append(el("p", escape(label("none", lang)), class_="empty"))
        if groups:
            rows = []
            for group in groups:
                links = ", ".join(
                    el("a", escape(link.text), href=link.href)
                    if link.href and (link.external or link.href.startswith("#"))
                    else el("span", escape(link.text), title=link.href)
                    for link in group.links
                )
                rows.append(el("dt", escape(group.label)) + el("dd", links))
            parts.append(el("dl", "".join(rows), class_="refs", aria_label=label("normalised", lang)))
        return "\n".join(parts)


def render_html(plan: Plan, lang: str = "zh") -> str:
    """The plan as a complete UTF-8 HTML5 document in ``lang`` (missing texts fall back)."""
    return _Writer(plan, lang).render()
