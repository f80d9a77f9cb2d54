"""Redlines in HTML: the base plan with the changes of one or more contributions marked.

The changes are resolved by :class:`~actionplan.render.redline_model.Redline` (see that
module for what is shown, how conflicts are drawn and who a change is attributed to).

HTML (:func:`render_redline_html`, :func:`redline_fragment`): insertions in
``<ins>``, deletions in ``<del>``, each with ``data-change``/``data-amendment``/
``data-sponsor`` attributes, a ``title`` and a small visible label linking to the list
of changes. The list of changes at the top links to each change's first mark, and a table
of contents links to the objectives and outputs. There are no scripts and no external
assets. The standalone page inlines its CSS; the fragment relies on :func:`redline_css`
(``redline.css`` beside this module), which the web app serves as a static file.
"""

from __future__ import annotations

from html import escape
from importlib import resources

from actionplan.amend import AmendmentType
from actionplan.model import (
    Block,
    Node,
    Objective,
    Output,
    Plan,
    Project,
    Section,
)
from actionplan.render._common import ListEntry, ListRun, group_blocks, model_eids, sublist_numbered
from actionplan.render._labels import (
    colon,
    html_lang,
    label,
    objective_label,
    output_title_line,
    shown,
    table_header,
    translation_note,
)
from actionplan.render._links import Link, outcome_output_links
from actionplan.render.html import CSS, el, num, text
from actionplan.render.redline_model import (
    Attributed,
    Change,
    Presence,
    Redline,
    RedlineSource,
    SegKind,
    Segment,
    ShowFn,
    attribute,
    attributed_from,
    region_of,
    rl_label,
    statement_heading_of,
)

__all__ = [
    "Attributed",
    "Change",
    "Presence",
    "Redline",
    "RedlineSource",
    "Segment",
    "attribute",
    "attributed_from",
    "redline_css",
    "redline_fragment",
    "render_redline_html",
]


# -- HTML -------------------------------------------------------------------------------


def redline_css() -> str:
    """The redline's own CSS (marks, labels, list of changes), also for print.

    The web app serves it as a static file beside its own CSS; the standalone page inlines
    it after the plain page's CSS (:data:`actionplan.render.html.CSS`).
    """
    return resources.files("actionplan.render").joinpath("redline.css").read_text(encoding="utf-8")


class _HtmlWriter:
    """The plain page's structure (:mod:`.html`), with marks; one change list entry per proposal."""

    def __init__(self, rl: Redline) -> None:
        self.rl = rl
        self.plan = rl.plan
        self.lang = rl.lang
        self.taken = model_eids(rl.plan)
        self.anchored: set[int] = set()

    # -- marks ---------------------------------------------------------------------------

    def mark(self, kind: SegKind, inner: str, change: Change | None, *, anchor: bool = True) -> str:
        """``inner`` in ``<ins>``/``<del>`` with the change's data; the first one gets its anchor."""
        if kind == "equal" or not inner:
            return inner
        tag = "ins" if kind == "insert" else "del"
        if change is None:
            return el(tag, inner, class_="rl")
        first = anchor and change.number not in self.anchored
        if first:
            self.anchored.add(change.number)
        verb = rl_label("inserted" if kind == "insert" else "deleted", self.lang)
        cls = "rl rl-conflict" if change.conflicts else "rl"
        return el(
            tag,
            inner,
            id=f"rl-{change.number}" if first else None,
            class_=cls,
            data_change=str(change.number),
            data_amendment=change.id,
            data_sponsor=change.sponsor,
            title=f"{change.tag} · {verb}",
        )

    def label_tag(self, change: Change) -> str:
        """The small visible label after a change: links to its entry in the list of changes."""
        cls = "rl-tag rl-conflict" if change.conflicts else "rl-tag"
        text_ = change.tag + (" ⚠" if change.conflicts else "")
        return el("a", escape(text_), class_=cls, href=f"#rl-item-{change.number}", data_change=str(change.number))

    def segments(self, segments: list[Segment], *, tags: bool = True) -> str:
        out: list[str] = []
        for k, seg in enumerate(segments):
            if seg.marker:
                inner = el("span", escape(seg.text), class_="lang-marker") + " "
            elif seg.fallback:
                inner = el("span", escape(seg.text), class_="fallback", lang=html_lang(seg.fallback))
            else:
                inner = escape(seg.text)
            out.append(self.mark(seg.kind, inner, seg.change, anchor=tags))
            following = segments[k + 1].change if k + 1 < len(segments) else None
            if tags and seg.change is not None and following is not seg.change:
                out.append(self.label_tag(seg.change))
        return "".join(out)

    def t(self, node: Node, name: str, how: ShowFn = shown, *, tags: bool = True) -> str:
        return self.segments(self.rl.text(node, name, how), tags=tags)

    def presence_attrs(self, presence: Presence) -> dict[str, str | None]:
        if presence.kind == "equal" or presence.change is None:
            return {}
        cls = "rl-inserted" if presence.kind == "insert" else "rl-deleted"
        return {"class_": cls, "data_change": str(presence.change.number)}

    def wrap(self, inner: str, presence: Presence) -> str:
        """Structural content (a heading, a "none") that is only in the base or the result."""
        if presence.kind == "equal" or not inner:
            return inner
        return self.mark(presence.kind, inner, presence.change) + (
            self.label_tag(presence.change) if presence.change else ""
        )

    # -- blocks --------------------------------------------------------------------------

    def blocks(self, blocks: list[Block]) -> str:
        out = []
        for group in group_blocks(blocks):
            if isinstance(group, ListRun):
                out.append(self.add_list(group.entries, group.numbered))
            else:
                out.append(
                    el("p", self.block_text(group), id=group.eid, **self.presence_attrs(self.rl.presence(group)))
                )
        return "\n".join(out)

    def block_text(self, block: Block) -> str:
        presence = self.rl.presence(block)
        return self.mark(presence.kind, num(block.num), presence.change) + self.t(block, "text")

    def add_list(self, entries: list[ListEntry], numbered: bool) -> str:
        items = []
        for entry in entries:
            inner = self.block_text(entry.block)
            if entry.children:
                inner += self.add_list(entry.children, sublist_numbered(entry.children))
            attrs = self.presence_attrs(self.rl.presence(entry.block))
            items.append(el("li", inner, id=entry.block.eid, **attrs))
        tag, cls = ("ol", "printed") if numbered else ("ul", None)
        return el(tag, "\n" + "\n".join(items) + "\n", class_=cls)

    # -- document ------------------------------------------------------------------------

    def body(self) -> list[str]:
        plan, lang = self.plan, self.lang
        body = []
        if plan.preface:
            body.append(el("section", "\n".join(self.section(s, 2) for s in plan.preface), class_="preface"))
        if plan.introduction:
            body.append(el("section", "\n".join(self.section(s, 2) for s in plan.introduction), class_="introduction"))
        body.extend(self.objective(obj) for obj in plan.objectives)
        if plan.notes:
            body.append(el("footer", el("h2", escape(label("notes", lang))) + self.blocks(plan.notes), class_="notes"))
        return body

    def header(self, heading: bool) -> str:
        plan, lang = self.plan, self.lang
        parts = [el("h1", text(shown(plan.title, lang)))] if heading else []
        meta = rl_label("redline", lang) + (
            " · " + label("period", lang) + colon(lang) + plan.period if plan.period else ""
        )
        parts.append(el("p", escape(meta), class_="meta"))
        note = translation_note(plan, lang)
        if note:
            parts.append(el("p", escape(note), class_="note"))
        documents: dict[str, list[str]] = {}
        for change in self.rl.changes:
            sponsors = documents.setdefault(change.attributed.document or "—", [])
            if change.sponsor not in sponsors:
                sponsors.append(change.sponsor)
        if documents and documents != {"—": ["—"]}:
            items = "".join(
                el("li", escape(doc + " · " + rl_label("sponsor", lang) + colon(lang) + ", ".join(sponsors)))
                for doc, sponsors in documents.items()
            )
            parts.append(
                el("p", escape(rl_label("documents", lang)), class_="meta") + el("ul", items, class_="rl-docs")
            )
        legend = (
            escape(rl_label("legend", lang) + colon(lang))
            + el("ins", escape(rl_label("inserted", lang)), class_="rl")
            + " "
            + el("del", escape(rl_label("deleted", lang)), class_="rl")
        )
        parts.append(el("p", legend, class_="rl-legend"))
        return el("header", "\n".join(parts), class_="rl-header")

    def change_list(self) -> str:
        lang = self.lang
        if not self.rl.changes:
            empty = el("h2", escape(rl_label("changes", lang))) + el("p", escape(rl_label("no_changes", lang)))
            return el("nav", empty, class_="rl-changes")
        items = []
        for change in self.rl.changes:
            head = (
                el("a", escape(change.id), href=f"#rl-{change.number}")
                if change.number in self.anchored
                else el("span", escape(change.id), class_="rl-id")
            )
            facts = [
                head,
                el("span", escape(change.sponsor), class_="rl-sponsor"),
                escape(rl_label(change.kind, lang)),
            ]
            if change.attributed.document:
                facts.append(escape(rl_label("document", lang) + colon(lang) + change.attributed.document))
            if change.attributed.date:
                facts.append(escape(rl_label("date", lang) + colon(lang) + change.attributed.date))
            where = ", ".join(el("a", escape(self.where(eid)), href=f"#{eid}") for eid in change.eids)
            lines = [" · ".join(facts)]
            if where:
                lines.append(escape(rl_label("where", lang) + colon(lang)) + where)
            summary = self.summary(change)
            if summary:
                lines.append(el("span", summary, class_="rl-summary"))
            if change.number not in self.anchored:
                lines.append(el("span", escape(rl_label("not_shown", lang)), class_="note"))
            for note in change.conflict_notes(lang):
                lines.append(el("span", escape(rl_label("conflict", lang) + colon(lang) + note), class_="rl-conflict"))
            cls = "rl-change rl-conflict" if change.conflicts else "rl-change"
            items.append(el("li", "<br>".join(lines), id=f"rl-item-{change.number}", class_=cls))
        return el(
            "nav",
            el("h2", escape(rl_label("changes", lang))) + el("ol", "\n" + "\n".join(items) + "\n"),
            class_="rl-changes",
        )

    def where(self, eid: str) -> str:
        """A reader's name for an element: the output or objective it is in, and its id."""
        lang = self.lang
        for obj in self.plan.objectives:
            for out in obj.outputs:
                if eid == out.eid or eid.startswith(out.eid + "__"):
                    return f"{output_title_line(out, lang)[0]} ({eid})"
            if eid == obj.eid or eid.startswith(obj.eid + "__"):
                return f"{objective_label(obj.number, lang)} ({eid})"
        return eid

    def summary(self, change: Change) -> str:
        """What the change does, briefly: the words inserted and deleted, links added and removed."""
        am, lang = change.amendment, self.lang
        limit = 80

        def cut(s: str) -> str:
            return s if len(s) <= limit else s[:limit] + "…"

        if am.type == AmendmentType.reference_change and am.links is not None:
            bits = []
            if am.links.add:
                bits.append(el("ins", escape(", ".join(am.links.add)), class_="rl"))
            if am.links.remove:
                bits.append(el("del", escape(", ".join(am.links.remove)), class_="rl"))
            return escape(am.links.scheme) + colon(lang) + " ".join(bits)
        if am.new_element is not None:
            return el("ins", escape(cut(shown(am.new_element.text, lang).text)), class_="rl")
        if change.kind == "element_deletion":
            node = self.rl.base.element(am.target_eid())
            value = getattr(node, "text", None)
            return el("del", escape(cut(shown(value, lang).text)), class_="rl") if isinstance(value, dict) else ""
        if am.target is None:
            return ""
        old = am.target.old
        new = old if am.type == AmendmentType.move else am.new_text.get(am.target.lang, "")
        bits = []
        if old and am.type != AmendmentType.insertion:
            bits.append(el("del", escape(cut(old)), class_="rl"))
        if new and am.type != AmendmentType.deletion:
            bits.append(el("ins", escape(cut(new)), class_="rl"))
        return " → ".join(bits) if am.type == AmendmentType.substitution else " ".join(bits)

    def toc(self) -> str:
        lang = self.lang
        counts: dict[str, int] = {}
        for change in self.rl.changes:
            touched = {
                o.eid for eid in change.eids for o in self.plan.all_outputs() if (eid + "__").startswith(o.eid + "__")
            }
            for eid in touched:
                counts[eid] = counts.get(eid, 0) + 1

        def count(eid: str) -> str:
            n = counts.get(eid, 0)
            return " " + el("span", str(n), class_="rl-count", title=rl_label("changes", lang)) if n else ""

        items = []
        for obj in self.plan.objectives:
            outputs = "".join(
                el(
                    "li",
                    el(
                        "a",
                        escape(output_title_line(o, lang)[0]) + " – " + self.t(o, "title", tags=False),
                        href=f"#{o.eid}",
                    )
                    + count(o.eid),
                )
                for o in obj.outputs
            )
            link = el(
                "a",
                escape(objective_label(obj.number, lang)) + " – " + self.t(obj, "title", tags=False),
                href=f"#{obj.eid}",
            )
            items.append(el("li", link + (el("ul", outputs) if outputs else "")))
        if not items:
            return ""
        return el("nav", el("h2", escape(label("contents", lang))) + el("ul", "".join(items)), class_="toc")

    def section(self, sec: Section, level: int) -> str:
        h = f"h{min(level, 6)}"
        parts = [el(h, num(sec.num) + self.t(sec, "heading")), self.blocks(sec.blocks)]
        parts.extend(self.section(sub, level + 1) for sub in sec.sections)
        return el("section", "\n".join(p for p in parts if p), id=sec.eid)

    def objective(self, obj: Objective) -> str:
        parts = [el("h2", num(objective_label(obj.number, self.lang)) + "– " + self.t(obj, "title"))]
        if obj.outcomes:
            parts.append(self.outcomes_table(obj))
        parts.extend(self.output(o) for o in obj.outputs)
        return el("section", "\n".join(parts), id=obj.eid, class_="objective")

    def outcomes_table(self, obj: Objective) -> str:
        lang = self.lang
        head = el("tr", "".join(el("th", text(c), scope="col") for c in table_header(obj.table_header, lang)))
        none = el("span", escape(label("none", lang)), class_="empty")
        rows = []
        for oc in obj.outcomes:
            indicators = "".join(el("li", num(i.number) + self.t(i, "text"), id=i.eid) for i in oc.indicators)
            outputs = "".join(
                el("li", self.output_line(link)) for link, _title in outcome_output_links(oc.outputs, self.plan, lang)
            )
            rows.append(
                el(
                    "tr",
                    el("td", num(oc.number) + self.t(oc, "text"))
                    + el("td", el("ul", indicators) if indicators else none)
                    + el("td", el("ul", outputs) if outputs else none),
                    id=oc.eid,
                )
            )
        return el("table", el("thead", head) + el("tbody", "\n" + "\n".join(rows) + "\n"), class_="outcomes")

    def output_line(self, link: Link) -> str:
        head = el("a", escape(link.text), href=link.href) if link.href else escape(link.text)
        output = self.plan.output(link.text)
        if output is None:
            return head
        before, after = self.rl.shown_both(output, "title")
        if not before and not after:
            return head
        sep = Presence(bool(before), bool(after), self.rl.field_change.get((output.eid, "title")))
        return head + self.wrap(" – ", sep) + self.t(output, "title")

    def output(self, output: Output) -> str:
        lang = self.lang
        name, _title = output_title_line(output, lang)
        parts = [el("h3", num(name) + "– " + self.t(output, "title"))]
        for part, presence in self.rl.parts(output, self.taken):
            inner = [el("h4", self.wrap(num(part.num) + text(part.heading), presence))]
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
                    before, after = self.rl.shown_both(q, "text")
                    sep = Presence(bool(before), bool(after), self.rl.field_change.get((q.eid, "text")))
                    body = self.wrap(escape(colon(lang)), sep) + self.t(q, "text") if before or after else ""
                    items.append(el("li", el("strong", self.t(q, "label")) + body, id=q.eid))
                if items:
                    inner.append(el("ul", "".join(items), class_="sgq"))
            else:
                inner.append(self.references(output))
            cls = part.key.replace("_", "-")
            attrs = self.presence_attrs(presence)
            if "class_" in attrs:
                attrs["class_"] = f"{cls} {attrs['class_']}"
            else:
                attrs["class_"] = cls
            parts.append(el("section", "\n".join(i for i in inner if i), id=part.eid, **attrs))
        return el("section", "\n".join(parts), id=output.eid, class_="output")

    def project(self, project: Project) -> str:
        lang = self.lang
        parts = [
            el("h5", escape(label("project", lang) + colon(lang)) + self.t(project, "title")),
            self.blocks(project.text),
        ]
        for area in project.work_areas:
            parts.append(
                el(
                    "section",
                    el("h6", self.t(area, "title")) + self.blocks(area.body()),
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
            presence = self.rl.list_presence(slot.blocks)
            none = Presence(not presence.base, not presence.accepted, presence.change)
            empty = el("span", self.wrap(escape(label("none", lang)), none), class_="empty")
            body = self.blocks(slot.blocks)
            body = body + ("\n" + empty if none.base or none.accepted else "") if body else empty
            rows.append(
                el(
                    "tr",
                    el("th", self.t(slot, "region_name", region_of(slot.region)), scope="row") + el("td", body),
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
        refs = output.references
        parts = []
        for stmt in refs.statements:
            parts.append(
                el(
                    "section",
                    el("h5", self.t(stmt, "heading", statement_heading_of(stmt))) + el("p", self.t(stmt, "text")),
                    id=stmt.eid,
                    class_="statement",
                )
            )
        _has, none = self.rl.references_presence(refs)
        if none.base or none.accepted:
            parts.append(el("p", self.wrap(escape(label("none", lang)), none), class_="empty"))
        lines = self.rl.reference_lines(refs)
        if lines:
            rows = []
            for line in lines:
                links = []
                runs = line.runs()
                for k, (item, kind, change) in enumerate(runs):
                    if item is None:
                        links.append(self.mark(kind, ", ", change))
                        continue
                    link = item.link
                    inner = (
                        el("a", escape(link.text), href=link.href)
                        if link.href and (link.external or link.href.startswith("#"))
                        else el("span", escape(link.text), title=link.href)
                    )
                    links.append(self.mark(kind, inner, change))
                    if change is not None and all(c is not change for _i, _k, c in runs[k + 1 :]):
                        links.append(self.label_tag(change))  # one label per change and line
                label_html = self.wrap(escape(line.label), line.presence)
                rows.append(el("dt", label_html, **self.presence_attrs(line.presence)) + el("dd", "".join(links)))
            parts.append(el("dl", "".join(rows), class_="refs", aria_label=label("normalised", lang)))
        return "\n".join(parts)


def _resolve(base: Plan, proposed: RedlineSource, lang: str) -> _HtmlWriter:
    return _HtmlWriter(Redline(base, attribute(proposed), lang))


def redline_fragment(base: Plan, proposed: RedlineSource, lang: str = "zh", *, title: bool = False) -> str:
    """The redline as one ``<div class="redline">`` for a page of the web app.

    Header (with the plan's title as ``<h1>`` only when ``title``, since the page usually
    has its own), list of changes, contents, then the plan. There is no ``<style>`` and no
    script, so a strict Content-Security-Policy holds; the page links :func:`redline_css`.
    Element ids are the plan's eids, as in :func:`~actionplan.render.html.render_html`.
    """
    w = _resolve(base, proposed, lang)
    body = w.body()  # first, so the list of changes knows which changes have a mark
    inner = [w.header(title), w.change_list(), w.toc(), *body]
    return el("div", "\n" + "\n".join(p for p in inner if p) + "\n", class_="redline", lang=html_lang(lang)) + "\n"


def render_redline_html(base: Plan, proposed: RedlineSource, lang: str = "zh") -> str:
    """The redline as a standalone UTF-8 HTML5 page (inline CSS for screen and print, no scripts).

    ``proposed`` is a contribution, or amendments from several (:data:`RedlineSource`).
    Insertions are underlined and green, deletions struck through and red, on screen and
    in print; each carries its amendment id and sponsor.
    """
    w = _resolve(base, proposed, lang)
    body = w.body()
    title = shown(base.title, lang).text + " – " + rl_label("redline", lang)
    head = "\n".join(
        [
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="actionplan">',
            el("title", escape(title)),
            el("style", "\n" + CSS + "\n" + redline_css() + "\n"),
        ]
    )
    inner = [w.header(True), w.change_list(), w.toc(), *body]
    page = el("body", "\n" + el("div", "\n" + "\n".join(p for p in inner if p) + "\n", class_="redline") + "\n")
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(html_lang(lang))}">\n'
        + el("head", "\n" + head + "\n")
        + "\n"
        + page
        + "\n</html>\n"
    )
