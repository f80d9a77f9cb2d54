"""The plan as an Akoma Ntoso 3.0 ``<doc name="actionPlan">`` in one language.

One AKN document is one expression, so only one language goes into the text: by default
``plan.language`` (the official source). A text missing in that language is taken from
another one and wrapped in ``<span xml:lang=".." class="fallback">``, so nothing is lost
and the gap is visible.

Identification (FRBR), for plan code ``baap`` adopted on 2017-10-20, in Chinese::

    work           /akn/int/doc/itu-d/2017/baap/!main
    expression     /akn/int/doc/itu-d/2017/baap/zho@2017-10-20/!main
    manifestation  /akn/int/doc/itu-d/2017/baap/zho@2017-10-20/!main.xml

``int`` is the jurisdiction for international bodies. Cobalt's :class:`cobalt.FrbrUri`
parses only two-letter jurisdictions, so these URIs are built here rather than with it.
A non-official language gets ``FRBRauthoritative value="false"`` and an
``FRBRtranslation`` that points to the official expression.

Body, with ``eId`` equal to the model's eid on every element of :meth:`Plan.walk`::

    preface      longTitle; front-matter sections as tblock (num, heading, blocks)
    mainBody     introduction sections as hcontainer name="section"
                 hcontainer name="objective"   num, heading
                   hcontainer name="outcome"   num, intro/p (text),
                     hcontainer name="indicator"  num, content/p
                     wrapUp/p  with <ref href="#<output eid>"> for the outputs column
                   hcontainer name="output"    num, heading
                     hcontainer name="background" | "framework" | "regionalInitiatives"
                       | "studyGroupQuestions" | "references"
                     (framework > hcontainer name="project" > hcontainer name="workArea";
                      regionalInitiatives > hcontainer name="regionalInitiative" per region;
                      studyGroupQuestions > hcontainer name="studyGroupQuestion";
                      references > hcontainer name="statement", then wrapUp with the
                      normalised lists as <ref>s)
    conclusions  notes

Paragraphs are ``<p>``; runs of list items are ``<blockList>`` of ``<item>`` (with ``<num>``
when printed), nested by level. The ``<ref href>`` links follow the scheme in
:mod:`actionplan.render._links`: SDG goals and targets point to the UN SDG metadata
pages (``https://unstats.un.org/sdgs/metadata/?Text=&Goal=9&Target=9.c``), WSIS lines to
the Geneva Plan of Action, resolutions to AKN-style names
(``/akn/int/doc/resolution/itu-pp/71``), and outcomes or outputs to ``#<eid>``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lxml import etree
from lxml.builder import ElementMaker

from actionplan.errors import ValidationError
from actionplan.model import Block, Objective, Output, Plan, Project, Section
from actionplan.render._common import ListEntry, ListRun, container_eid, group_blocks, model_eids, output_parts
from actionplan.render._labels import Shown, colon, label, region_name, shown, statement_heading
from actionplan.render._links import outcome_output_links, reference_groups

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
E = ElementMaker(namespace=NS, nsmap={None: NS})

ISO639_2 = {"zh": "zho", "en": "eng", "fr": "fra", "es": "spa", "ru": "rus", "ar": "ara"}
"""Two-letter language codes to the three-letter codes AKN URIs use."""

ADOPTED = {"baap": dt.date(2017, 10, 20)}
"""Work dates by plan code: the Buenos Aires Action Plan was adopted by WTDC-17
(Buenos Aires, 9-20 October 2017) at its closing plenary."""

AUTHOR = ("itu-d", "/ontology/organization/int/itu-d", "ITU-D")
SOURCE = ("actionplan", "/ontology/organization/actionplan", "actionplan")
PART_NAMES = {
    "background": "background",
    "framework": "framework",
    "regional_initiatives": "regionalInitiatives",
    "study_group_questions": "studyGroupQuestions",
    "references": "references",
}


def lang3(lang: str) -> str:
    return ISO639_2.get(lang, lang)


def frbr_uris(plan: Plan, lang: str, work_date: dt.date, expression_date: dt.date) -> dict[str, str]:
    """The work, expression and manifestation URIs (``this`` with ``!main``, ``uri`` without)."""
    work = f"/akn/int/doc/itu-d/{work_date.year}/{plan.code}"
    expr = f"{work}/{lang3(lang)}@{expression_date.isoformat()}"
    return {
        "work_this": f"{work}/!main",
        "work_uri": work,
        "expr_this": f"{expr}/!main",
        "expr_uri": expr,
        "manif_this": f"{expr}/!main.xml",
        "manif_uri": f"{expr}.akn",
    }


class _Builder:
    def __init__(self, plan: Plan, lang: str) -> None:
        self.plan = plan
        self.lang = lang
        self.taken = model_eids(plan)

    # -- inline --------------------------------------------------------------------------

    def inline(self, s: Shown) -> list[Any]:
        """Content for a mixed-content element: the text, or a marked fallback span."""
        if not s.fallback:
            return [s.text]
        span = E.span(s.text, {"class": "fallback"})
        span.set(XML_LANG, s.lang or "")
        return [span]

    def t(self, value: dict[str, str]) -> list[Any]:
        return self.inline(shown(value, self.lang))

    # -- blocks --------------------------------------------------------------------------

    def blocks(self, blocks: list[Block]) -> list[etree._Element]:
        out: list[etree._Element] = []
        for group in group_blocks(blocks):
            if isinstance(group, ListRun):
                out.append(self.block_list(group.entries))
            else:
                p = E.p(*self.t(group.text), eId=group.eid)
                out.append(p)
        return out

    def block_list(self, entries: list[ListEntry]) -> etree._Element:
        items = []
        for entry in entries:
            block = entry.block
            children: list[Any] = [E.num(block.num)] if block.num else []
            children.append(E.p(*self.t(block.text)))
            if entry.children:
                children.append(self.block_list(entry.children))
            items.append(E.item(*children, eId=block.eid))
        return E.blockList(*items)

    def hcontainer(
        self,
        name: str,
        eid: str | None,
        *,
        num: str | None = None,
        heading: Shown | None = None,
        blocks: list[etree._Element] | None = None,
        children: list[etree._Element] | None = None,
        wrap_up: list[etree._Element] | None = None,
    ) -> etree._Element:
        """An ``hcontainer``: ``content`` when it has only blocks, else intro/children/wrapUp."""
        parts: list[Any] = []
        if num:
            parts.append(E.num(num))
        if heading:
            parts.append(E.heading(*self.inline(heading)))
        blocks = blocks or []
        if children or wrap_up:
            if blocks:
                parts.append(E.intro(*blocks))
            parts.extend(children or [])
            if wrap_up:
                parts.append(E.wrapUp(*wrap_up))
        else:
            parts.append(E.content(*(blocks or [E.p()])))
        attrs = {"name": name}
        if eid:
            attrs["eId"] = eid
        return E.hcontainer(*parts, attrs)

    # -- document ------------------------------------------------------------------------

    def meta(self, work_date: dt.date, expression_date: dt.date) -> etree._Element:
        plan, lang = self.plan, self.lang
        uris = frbr_uris(plan, lang, work_date, expression_date)
        author = f"#{AUTHOR[0]}"
        title = shown(plan.title, lang).text
        work = E.FRBRWork(
            E.FRBRthis(value=uris["work_this"]),
            E.FRBRuri(value=uris["work_uri"]),
            E.FRBRalias(value=title, name="title"),
            E.FRBRdate(date=work_date.isoformat(), name="adoption"),
            E.FRBRauthor(href=author),
            E.FRBRcountry(value="int"),
            E.FRBRnumber(value=plan.code),
            E.FRBRname(value=title),
        )
        official = lang == plan.language or (lang in plan.translations and plan.translations[lang].official)
        expression_parts: list[Any] = [
            E.FRBRthis(value=uris["expr_this"]),
            E.FRBRuri(value=uris["expr_uri"]),
            E.FRBRdate(date=expression_date.isoformat(), name="version"),
            E.FRBRauthor(href=author),
            E.FRBRauthoritative(value="true" if official else "false"),
            E.FRBRlanguage(language=lang3(lang)),
        ]
        if not official:
            source = frbr_uris(plan, plan.language, work_date, expression_date)["expr_uri"]
            expression_parts.append(
                E.FRBRtranslation(href=source, fromLanguage=lang3(plan.language), by=f"#{SOURCE[0]}")
            )
        manifestation = E.FRBRManifestation(
            E.FRBRthis(value=uris["manif_this"]),
            E.FRBRuri(value=uris["manif_uri"]),
            E.FRBRdate(date=expression_date.isoformat(), name="transform"),
            E.FRBRauthor(href=f"#{SOURCE[0]}"),
        )
        identification = E.identification(
            work, E.FRBRExpression(*expression_parts), manifestation, source=f"#{SOURCE[0]}"
        )
        references = E.references(
            E.TLCOrganization(eId=AUTHOR[0], href=AUTHOR[1], showAs=AUTHOR[2]),
            E.TLCOrganization(eId=SOURCE[0], href=SOURCE[1], showAs=SOURCE[2]),
            source=f"#{SOURCE[0]}",
        )
        return E.meta(identification, references)

    def build(self, work_date: dt.date, expression_date: dt.date) -> etree._Element:
        plan = self.plan
        doc_parts: list[Any] = [self.meta(work_date, expression_date)]
        preface: list[Any] = [E.longTitle(E.p(E.docTitle(*self.t(plan.title))))]
        if plan.period:
            preface.append(E.p(label("period", self.lang) + colon(self.lang) + plan.period))
        preface.extend(self.preface_section(sec) for sec in plan.preface)
        doc_parts.append(E.preface(*preface))
        body: list[Any] = [self.section(sec, "section") for sec in plan.introduction]
        body.extend(self.objective(obj) for obj in plan.objectives)
        if not body:
            body = [E.p()]
        doc_parts.append(E.mainBody(*body))
        if plan.notes:
            notes_eid = container_eid(None, "notes", self.taken)
            notes = E.container(E.p(label("notes", self.lang)), *self.blocks(plan.notes), name="notes")
            if notes_eid:
                notes.set("eId", notes_eid)
            doc_parts.append(E.conclusions(notes))
        return E.akomaNtoso(E.doc(*doc_parts, name="actionPlan"))

    def preface_section(self, sec: Section) -> etree._Element:
        parts: list[Any] = [E.num(sec.num)] if sec.num else []
        parts.append(E.heading(*self.t(sec.heading)))
        inner = self.blocks(sec.blocks) + [self.preface_section(s) for s in sec.sections]
        parts.extend(inner or [E.p()])
        return E.tblock(*parts, eId=sec.eid)

    def section(self, sec: Section, name: str) -> etree._Element:
        return self.hcontainer(
            name,
            sec.eid,
            num=sec.num,
            heading=shown(sec.heading, self.lang),
            blocks=self.blocks(sec.blocks),
            children=[self.section(s, "subsection") for s in sec.sections],
        )

    def objective(self, obj: Objective) -> etree._Element:
        lang = self.lang
        outcomes = []
        for oc in obj.outcomes:
            indicators = [
                self.hcontainer("indicator", ind.eid, num=ind.number, blocks=[E.p(*self.t(ind.text))])
                for ind in oc.indicators
            ]
            links: list[Any] = [label("outputs_column", lang) + colon(lang)]
            for i, (link, title) in enumerate(outcome_output_links(oc.outputs, self.plan, lang)):
                if i:
                    links.append("; ")
                text = f"{link.text} {title.text}".strip()
                links.append(E.ref(text, href=link.href) if link.href else text)
            outcomes.append(
                self.hcontainer(
                    "outcome",
                    oc.eid,
                    num=oc.number,
                    blocks=[E.p(*self.t(oc.text))],
                    children=indicators,
                    wrap_up=[E.p(*links)] if oc.outputs else None,
                )
            )
        return self.hcontainer(
            "objective",
            obj.eid,
            num=str(obj.number),
            heading=shown(obj.title, lang),
            children=outcomes + [self.output(o) for o in obj.outputs],
        )

    def output(self, output: Output) -> etree._Element:
        lang = self.lang
        parts = []
        for part in output_parts(output, lang, self.taken):
            name = PART_NAMES[part.key]
            kw: dict[str, Any] = {"num": part.num, "heading": part.heading}
            if part.key == "background":
                kw["blocks"] = self.blocks(output.background)
            elif part.key == "framework":
                kw["blocks"] = self.blocks(output.framework)
                kw["children"] = [self.project(p) for p in output.projects]
            elif part.key == "regional_initiatives":
                kw["blocks"] = self.blocks(output.regional_initiatives_intro)
                kw["children"] = [
                    self.hcontainer(
                        "regionalInitiative",
                        slot.eid,
                        num=slot.region,
                        heading=region_name(slot.region, slot.region_name, lang),
                        blocks=self.blocks(slot.blocks),
                    )
                    for slot in output.regional_initiatives
                ]
            elif part.key == "study_group_questions":
                kw["blocks"] = self.blocks(output.study_group_questions_intro)
                kw["children"] = [
                    self.hcontainer(
                        "studyGroupQuestion",
                        q.eid,
                        heading=shown(q.label, lang),
                        blocks=[E.p(*self.t(q.text))] if shown(q.text, lang) else [],
                    )
                    for q in output.study_group_questions
                ]
            else:
                kw["children"] = [
                    self.hcontainer(
                        "statement",
                        stmt.eid,
                        heading=statement_heading(stmt, lang),
                        blocks=[E.p(*self.t(stmt.text))],
                    )
                    for stmt in output.references.statements
                ]
                kw["wrap_up"] = self.reference_lists(output)
                if not kw["children"] and not kw["wrap_up"]:
                    kw["blocks"] = [E.p(label("none", lang))]
            parts.append(self.hcontainer(name, part.eid, **kw))
        return self.hcontainer(
            "output",
            output.eid,
            num=output.number,
            heading=shown(output.title, lang),
            children=parts,
        )

    def project(self, project: Project) -> etree._Element:
        lang = self.lang
        title = shown(project.title, lang)
        prefix = label("project", lang) + colon(lang)
        return self.hcontainer(
            "project",
            project.eid,
            heading=Shown(prefix + title.text, title.lang, title.fallback),
            blocks=self.blocks(project.text),
            children=[
                self.hcontainer(
                    "workArea",
                    area.eid,
                    heading=shown(area.title, lang),
                    blocks=self.blocks(area.body()),
                )
                for area in project.work_areas
            ],
        )

    def reference_lists(self, output: Output) -> list[etree._Element]:
        groups = reference_groups(output.references, self.plan, self.lang)
        if not groups:
            return []
        items = []
        for group in groups:
            content: list[Any] = [group.label + colon(self.lang)]
            for i, link in enumerate(group.links):
                if i:
                    content.append(", ")
                content.append(E.ref(link.text, href=link.href) if link.href else link.text)
            items.append(E.item(E.p(*content)))
        return [E.blockList(E.listIntroduction(label("normalised", self.lang)), *items)]


def render_akn(
    plan: Plan,
    lang: str | None = None,
    *,
    work_date: dt.date | None = None,
    expression_date: dt.date | None = None,
) -> bytes:
    """The plan as AKN 3.0 XML (UTF-8 bytes with declaration) in ``lang``.

    ``lang`` defaults to ``plan.language``. ``work_date`` defaults to the known adoption
    date of the plan's code (:data:`ADOPTED`); ``expression_date`` to the work date.
    Raises :class:`~actionplan.errors.ValidationError` when no work date is known.
    """
    lang = lang or plan.language
    work_date = work_date or ADOPTED.get(plan.code)
    if work_date is None:
        raise ValidationError(
            f"no adoption date known for plan {plan.code!r}",
            where=f"plan {plan.code}",
            expected="render_akn(..., work_date=date(...)) or a code in " + ", ".join(sorted(ADOPTED)),
        )
    root = _Builder(plan, lang).build(work_date, expression_date or work_date)
    _indent(root, 0)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


_MIXED = {f"{{{NS}}}{tag}" for tag in ("p", "heading", "num", "listIntroduction", "docTitle")}


def _indent(element: etree._Element, level: int) -> None:
    """Indent structure for reading and diffing, leaving mixed content (``<p>``...) as is."""
    if element.tag in _MIXED or len(element) == 0:
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for node in element:
        _indent(node, level + 1)
        node.tail = pad
    element[-1].tail = "\n" + "  " * level
