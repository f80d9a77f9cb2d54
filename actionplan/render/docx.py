"""The plan as a Word document (python-docx): real headings, lists and tables.

Layout (style names are Word's built-in ones, so the navigation pane, outline view and a
table of contents all work)::

    Title           plan title; then period and, for a translation, a note
    Heading 1       preface / introduction sections (Heading 2.. for subsections),
                    objectives ("部门目标 1 – ..."), notes
    Table Grid      each objective's outcomes table: outcome | indicators | outputs,
                    one paragraph per indicator (List Bullet) and per output
    Heading 2       outputs ("输出成果 1.1 – ...")
    Heading 3       output parts (background, framework, regional initiatives, ...)
    Heading 4       projects, reference statements; Heading 5 work areas
    List Bullet(2,3) / List Number(2,3)   list items by nesting level; every numbered
                    list restarts at 1 (its own w:num), and Word prints the numbers
    Table Grid      regional-initiative slots: region | initiatives ("（无）" when empty)

Cells of the outcomes table hold the texts exactly as printed (no outcome numbers, as
in the source). Chinese is readable everywhere: every style's East Asian font is set
explicitly (``w:eastAsia``, default "Noto Sans CJK SC") instead of the theme font.
Texts missing in the wanted language show the other language after a grey, italic
``[zh]`` marker run. SDG and WSIS references are real hyperlinks.

The writer builds every paragraph from :class:`Piece` runs and asks a few small methods
(:meth:`_Writer.text`, :meth:`_Writer.paragraph`, :meth:`_Writer.parts`, ...) what to
write. The redline (:mod:`actionplan.render.redline_docx`) subclasses it and answers them
with tracked changes, so a plain document and a redline are laid out by the same code:
accepting every change of a redline gives the plain document of the amended plan.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph

from actionplan.model import (
    Block,
    Node,
    Objective,
    Output,
    Plan,
    Project,
    ReferenceStatement,
    Section,
    StudyGroupQuestion,
    Text,
)
from actionplan.render._common import (
    ListEntry,
    ListRun,
    Part,
    group_blocks,
    model_eids,
    output_parts,
    sublist_numbered,
)
from actionplan.render._labels import (
    Shown,
    colon,
    html_lang,
    label,
    objective_label,
    output_title_line,
    region_name,
    shown,
    statement_heading,
    table_header,
    translation_note,
)
from actionplan.render._links import Link, outcome_output_links, reference_groups

EAST_ASIA_FONT = "Noto Sans CJK SC"
GREY = RGBColor(0x66, 0x66, 0x66)
WORD_LANG = {"zh": "zh-CN", "en": "en-US"}

Container = DocumentObject | _Cell
ShowFn = Callable[[Text, str], Shown]
"""How a text of the model is shown in a language: :func:`shown` or a label-aware variant."""


def set_east_asia_font(document: DocumentObject, font: str, lang: str) -> None:
    """Give every style (and the defaults) an explicit East Asian font and language.

    Theme fonts (``w:eastAsiaTheme``) win over ``w:eastAsia``, so they are removed.
    """
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = [] if defaults is None else list(defaults.iter(qn("w:rPr")))
    for style in styles.iter(qn("w:style")):
        if style.get(qn("w:type")) in ("paragraph", "character", "table"):
            rpr = style.find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                style.append(rpr)
            targets.append(rpr)
    for rpr in targets:
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
        fonts.set(qn("w:eastAsia"), font)
    if defaults is not None:
        for lang_el in defaults.iter(qn("w:lang")):
            lang_el.set(qn("w:val"), WORD_LANG.get(lang, lang))
            lang_el.set(qn("w:eastAsia"), "zh-CN")


@dataclass(frozen=True)
class Piece:
    """One run of a paragraph: its text and how it looks.

    ``marker`` is the grey, italic ``[zh] `` in front of a text shown in another language;
    ``href`` makes the run an external hyperlink.
    """

    text: str
    marker: bool = False
    bold: bool = False
    italic: bool = False
    grey: bool = False
    href: str | None = None


def shown_pieces(s: Shown, bold: bool = False) -> list[Piece]:
    """The runs of a shown text: the fallback marker first (when it is one), then the text."""
    pieces = [Piece(s.marker + " ", marker=True)] if s.fallback else []
    pieces.append(Piece(s.text, bold=bold))
    return pieces


def add_text(paragraph: Paragraph, s: Shown, bold: bool = False) -> None:
    """Runs for a shown text: a grey italic marker first when it is a fallback."""
    for piece in shown_pieces(s, bold):
        write_run(paragraph, piece)


def write_run(paragraph: Paragraph, piece: Piece) -> Any:
    """Append ``piece`` to the paragraph; returns the ``w:r`` element written."""
    if piece.href:
        return add_hyperlink(paragraph, piece.text, piece.href)
    run = paragraph.add_run(piece.text)
    if piece.italic or piece.marker:
        run.italic = True
    if piece.marker or piece.grey:
        run.font.color.rgb = GREY
    if piece.bold:
        run.bold = True
    return run._r


def add_hyperlink(paragraph: Paragraph, text: str, url: str) -> Any:
    """An external hyperlink run (python-docx has no API for it); returns its ``w:r``."""
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    rpr.extend([color, underline])
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.extend([rpr, t])
    link.append(run)
    paragraph._p.append(link)
    return run


Inline = str | Piece | Sequence[Piece]
"""What a paragraph is written from: plain text, one run, or runs."""


def _pieces(inline: Inline) -> list[Piece]:
    if isinstance(inline, str):
        return [Piece(inline)]
    if isinstance(inline, Piece):
        return [inline]
    return list(inline)


class _Writer:
    """Lays the plan out; the methods under "what to write" are the redline's hooks."""

    def __init__(self, plan: Plan, lang: str, font: str) -> None:
        self.plan = plan
        self.lang = lang
        self.taken = model_eids(plan)
        self.doc = Document()
        set_east_asia_font(self.doc, font, lang)

    # -- what to write (a redline answers these with tracked changes) --------------------

    def text(self, node: Node, field: str, how: ShowFn = shown, bold: bool = False) -> list[Piece]:
        """The runs of text ``field`` of ``node`` as shown in the document's language."""
        return shown_pieces(how(getattr(node, field), self.lang), bold)

    def paragraph(self, where: Container, style: str | None = None, tag: object = None) -> Paragraph:
        """A new paragraph; ``tag`` says whether it exists before/after changes (redlines only)."""
        return where.add_paragraph(style=style)

    def block_tag(self, block: Block) -> object:
        """The ``tag`` of a block's paragraph (a plain document has none)."""
        return None

    def block_pieces(self, block: Block, with_num: bool) -> list[Piece]:
        """A block's runs: its printed number (outside lists, where Word numbers) and text."""
        pieces = [Piece(block.num + " ")] if with_num and block.num else []
        return pieces + self.text(block, "text")

    def parts(self, output: Output) -> list[tuple[Part, object]]:
        """The parts of an output to write, each with the ``tag`` of its heading."""
        return [(part, None) for part in output_parts(output, self.lang, self.taken)]

    def output_line(self, link: Link, output: Output | None) -> list[Piece]:
        """A line of the outcomes table's outputs column: ``1.1 – title``."""
        title = shown(output.title, self.lang) if output else Shown("", None)
        line = Shown(f"{link.text} – {title.text}" if title else link.text, title.lang, title.fallback)
        return shown_pieces(line)

    def finish(self) -> None:
        """Called once the document is complete, before it is saved."""

    # -- primitives ----------------------------------------------------------------------

    def write(self, paragraph: Paragraph, *inlines: Inline) -> None:
        for inline in inlines:
            for piece in _pieces(inline):
                self.write_piece(paragraph, piece)

    def write_piece(self, paragraph: Paragraph, piece: Piece) -> Any:
        return write_run(paragraph, piece)

    def heading(self, level: int, *inlines: Inline, tag: object = None) -> Paragraph:
        p = self.paragraph(self.doc, f"Heading {min(level, 9)}", tag)
        self.write(p, *inlines)
        return p

    def blocks(self, blocks: list[Block], where: Container | None = None) -> None:
        where = where or self.doc
        for group in group_blocks(blocks):
            if isinstance(group, ListRun):
                self.add_list(group.entries, group.numbered, 1, where)
            else:
                p = self.paragraph(where, None, self.block_tag(group))
                self.write(p, self.block_pieces(group, with_num=True))

    def add_list(self, entries: list[ListEntry], numbered: bool, depth: int, where: Container) -> None:
        kind = "List Number" if numbered else "List Bullet"
        style = kind if depth == 1 else f"{kind} {min(depth, 3)}"
        num_id = self.restart_numbering(style) if numbered else None
        for entry in entries:
            p = self.paragraph(where, style, self.block_tag(entry.block))
            if num_id is not None:
                ppr: Any = p._p.get_or_add_pPr()
                num_pr = ppr.get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = num_id
            self.write(p, self.block_pieces(entry.block, with_num=False))
            if entry.children:
                self.add_list(entry.children, sublist_numbered(entry.children), depth + 1, where)

    def restart_numbering(self, style_name: str) -> int:
        """A new ``w:num`` for the style's list definition that starts again at 1."""
        style = self.doc.styles[style_name]
        num_id = style.element.pPr.numPr.numId.val
        numbering = self.doc.part.numbering_part.element
        abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
        num = numbering.add_num(abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return int(num.numId)

    # -- document ------------------------------------------------------------------------

    def render(self) -> bytes:
        plan, lang, doc = self.plan, self.lang, self.doc
        title = shown(plan.title, lang)
        props = doc.core_properties
        props.title = title.text
        props.language = WORD_LANG.get(lang, html_lang(lang))
        props.subject = plan.period or ""
        props.keywords = f"ITU-D; action plan; {plan.code}"
        props.author = "ITU-D"
        props.comments = translation_note(plan, lang) or ""
        add_text(doc.add_paragraph(style="Title"), title)
        if plan.period:
            doc.add_paragraph(label("period", lang) + colon(lang) + plan.period)
        note = translation_note(plan, lang)
        if note:
            doc.add_paragraph().add_run(note).italic = True
        for sec in plan.preface:
            self.section(sec, 1)
        for sec in plan.introduction:
            self.section(sec, 1)
        for obj in plan.objectives:
            self.objective(obj)
        if plan.notes:
            self.heading(1, label("notes", lang))
            self.blocks(plan.notes)
        self.finish()
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()

    def section(self, sec: Section, level: int) -> None:
        self.heading(level, f"{sec.num} " if sec.num else "", self.text(sec, "heading"))
        self.blocks(sec.blocks)
        for sub in sec.sections:
            self.section(sub, level + 1)

    def objective(self, obj: Objective) -> None:
        lang = self.lang
        h = self.heading(1, f"{objective_label(obj.number, lang)} – ", self.text(obj, "title"))
        if obj is not self.plan.objectives[0]:
            h.paragraph_format.page_break_before = True
        if obj.outcomes:
            self.outcomes_table(obj)
        for output in obj.outputs:
            self.output(output)

    def outcomes_table(self, obj: Objective) -> None:
        lang = self.lang
        table = self.doc.add_table(rows=1, cols=3)
        table.style = self.doc.styles["Table Grid"]
        for cell, col in zip(table.rows[0].cells, table_header(obj.table_header, lang), strict=True):
            add_text(cell.paragraphs[0], col, bold=True)
        _repeat_header(table.rows[0])
        for oc in obj.outcomes:
            cells = table.add_row().cells
            self.write(cells[0].paragraphs[0], self.text(oc, "text"))
            self.cell_lines(cells[1], [self.text(i, "text") for i in oc.indicators], style="List Bullet")
            lines = [
                self.output_line(link, self.plan.output(link.text))
                for link, _title in outcome_output_links(oc.outputs, self.plan, lang)
            ]
            self.cell_lines(cells[2], lines)
        self.doc.add_paragraph()

    def cell_lines(self, cell: _Cell, lines: list[list[Piece]], style: str | None = None) -> None:
        """One paragraph per line in a table cell (the first reuses the cell's paragraph)."""
        if not lines:
            cell.paragraphs[0].add_run(label("none", self.lang))
            return
        for i, line in enumerate(lines):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            if style:
                p.style = self.doc.styles[style]
            self.write(p, line)

    def output(self, output: Output) -> None:
        lang = self.lang
        name, _title = output_title_line(output, lang)
        self.heading(2, f"{name} – ", self.text(output, "title"))
        for part, tag in self.parts(output):
            self.heading(3, f"{part.num} " if part.num else "", Piece(part.heading.text), tag=tag)
            if part.key == "background":
                self.blocks(output.background)
            elif part.key == "framework":
                self.blocks(output.framework)
                for project in output.projects:
                    self.project(project)
            elif part.key == "regional_initiatives":
                self.blocks(output.regional_initiatives_intro)
                self.regional_initiatives(output)
            elif part.key == "study_group_questions":
                self.blocks(output.study_group_questions_intro)
                for q in output.study_group_questions:
                    self.study_group_question(q)
            else:
                self.references(output)

    def study_group_question(self, q: StudyGroupQuestion) -> None:
        p = self.paragraph(self.doc, "List Bullet")
        self.write(p, self.text(q, "label", bold=True))
        if shown(q.text, self.lang):
            self.write(p, colon(self.lang), self.text(q, "text"))

    def project(self, project: Project) -> None:
        lang = self.lang
        self.heading(4, label("project", lang) + colon(lang), self.text(project, "title"))
        self.blocks(project.text)
        for area in project.work_areas:
            self.heading(5, self.text(area, "title"))
            self.blocks(area.body())

    def regional_initiatives(self, output: Output) -> None:
        lang = self.lang
        if not output.regional_initiatives:
            return
        table = self.doc.add_table(rows=1, cols=2)
        table.style = self.doc.styles["Table Grid"]
        head = table.rows[0].cells
        head[0].paragraphs[0].add_run(label("region", lang)).bold = True
        head[1].paragraphs[0].add_run(label("regional_initiatives", lang)).bold = True
        for slot in output.regional_initiatives:
            cells = table.add_row().cells

            def name(text: Text, lang: str, region: str = slot.region) -> Shown:
                return region_name(region, text, lang)

            self.write(cells[0].paragraphs[0], self.text(slot, "region_name", name))
            self.cell_blocks(cells[1], slot.blocks)
        self.doc.add_paragraph()

    def cell_blocks(self, cell: _Cell, blocks: list[Block]) -> None:
        """A cell holding blocks (its first, empty paragraph replaced), or a grey "none"."""
        if blocks:
            first = cell.paragraphs[0]
            self.blocks(blocks, cell)
            first._p.getparent().remove(first._p)
        else:
            self.write_piece(cell.paragraphs[0], Piece(label("none", self.lang), grey=True))

    def references(self, output: Output) -> None:
        lang = self.lang
        for stmt in output.references.statements:
            self.heading(4, self.text(stmt, "heading", statement_heading_of(stmt)))
            self.write(self.paragraph(self.doc), self.text(stmt, "text"))
        groups = reference_groups(output.references, self.plan, lang)
        if not groups:
            if not output.references.statements:
                self.doc.add_paragraph(label("none", lang))
            return
        p = self.doc.add_paragraph()
        p.add_run(label("normalised", lang)).italic = True
        for group in groups:
            p = self.doc.add_paragraph(style="List Bullet")
            p.add_run(group.label + colon(lang))
            for i, link in enumerate(group.links):
                if i:
                    p.add_run(", ")
                self.write_piece(p, link_piece(link))


def link_piece(link: Link) -> Piece:
    """A normalised reference as a run: a hyperlink when it points to the web."""
    return Piece(link.text, href=link.href if link.href and link.external else None)


def statement_heading_of(stmt: ReferenceStatement) -> ShowFn:
    """How a reference statement's heading text shows: as printed, else its topic's label."""

    def how(text: Text, lang: str) -> Shown:
        return statement_heading(stmt.model_copy(update={"heading": text}), lang)

    return how


def _repeat_header(row: _Row) -> None:
    """Mark a table row as a header row that repeats on every page."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def render_docx(plan: Plan, lang: str = "zh", *, east_asia_font: str = EAST_ASIA_FONT) -> bytes:
    """The plan as a .docx file (bytes) in ``lang``; missing texts fall back, marked."""
    return _Writer(plan, lang, east_asia_font).render()
