"""The annual implementation report as HTML, Word and PDF, in Chinese or English.

All three are laid out from one :class:`~actionplan.monitor.report.ReportData`, in the
plan's order: cover (plan, year, the approved snapshot the figures come from, a status
overview), then per objective its indicator table (outcome by outcome: baseline, target,
actual, status), the charts of each indicator, and its outputs with the indicators that
draw on them; then the section-4.4 view (women and girls, persons with disabilities,
across all outputs) and the data-quality notes.

Headings are bilingual: the report's language first, the other language alongside, so a
reader of the English report still sees the plan's official Chinese wording.

* :func:`report_body_html` is a fragment for a Django page (its stylesheet is
  ``monitor_report.css``, served as a file: no ``<style>``, no ``<script>``, no ``style=``
  attributes, so it passes a strict Content-Security-Policy). Charts are inline SVG drawn
  by vl-convert; each SVG's ids are made unique, as several share one page.
* :func:`report_html` is a complete standalone page with the stylesheet in ``<style>``.
* :func:`report_pdf` prints that page with Debian's Chromium
  (:func:`actionplan.render.pdf.html_to_pdf`); its text is searchable and its CJK font
  (Noto Sans CJK SC, Debian's ``fonts-noto-cjk``) embedded.
* :func:`report_docx` writes Word's built-in styles (Title, Heading 1-3, Table Grid) with
  charts as PNG pictures and an explicit East Asian font on every style.
"""

from __future__ import annotations

import html
import io
import re
from functools import cache
from importlib import resources
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.shared import Cm, RGBColor

from actionplan.model.plan import Text
from actionplan.monitor.report import (
    DIMENSION_NAMES,
    ChartData,
    IndicatorRow,
    ObjectiveSection,
    OutputSection,
    ReportData,
    ReportNote,
)
from actionplan.render._labels import html_lang, label, objective_label, shown, two_lang
from actionplan.render.charts import to_png, to_svg
from actionplan.render.docx import EAST_ASIA_FONT, set_east_asia_font
from actionplan.render.monitor_charts import (
    STATUS_COLOURS,
    chart_spec,
    chart_title,
    format_number,
    status_label,
    unit_label,
)
from actionplan.render.pdf import html_to_pdf

__all__ = ["REPORT_LABELS", "report_body_html", "report_css", "report_docx", "report_html", "report_pdf"]

REPORT_LABELS: dict[str, Text] = {
    "report": {"zh": "年度实施报告", "en": "Annual implementation report"},
    "year": {"zh": "{year}年", "en": "{year}"},
    "snapshot": {"zh": "数据快照", "en": "Data snapshot"},
    "snapshot_id": {"zh": "快照编号", "en": "Snapshot"},
    "approved_by": {"zh": "批准人", "en": "Approved by"},
    "approved_at": {"zh": "批准日期", "en": "Approved on"},
    "locked": {"zh": "已锁定（批准后不可更改）", "en": "Locked (unchangeable after approval)"},
    "not_locked": {"zh": "未锁定：数据可能仍会更改", "en": "Not locked: figures may still change"},
    "overview": {"zh": "状态概览", "en": "Status overview"},
    "number": {"zh": "编号", "en": "No."},
    "indicator": {"zh": "绩效指标", "en": "Performance indicator"},
    "unit": {"zh": "单位", "en": "Unit"},
    "baseline": {"zh": "基线", "en": "Baseline"},
    "target": {"zh": "{year}年目标", "en": "Target {year}"},
    "actual": {"zh": "{year}年实际", "en": "Actual {year}"},
    "status": {"zh": "状态", "en": "Status"},
    "indicator_table": {"zh": "绩效指标表", "en": "Indicator table"},
    "charts": {"zh": "图表", "en": "Charts"},
    "outputs": {"zh": "输出成果", "en": "Outputs"},
    "output_indicators": {"zh": "相关绩效指标", "en": "Indicators drawing on this output"},
    "no_indicators": {"zh": "没有指标与此输出成果挂钩。", "en": "No indicator draws on this output."},
    "inclusion": {"zh": "第4.4节", "en": "Section 4.4"},
    "inclusion_intro": {
        "zh": "按性别或残疾状况分列的所有指标，涵盖所有输出成果。占比为该指标所统计人群中的比例。",
        "en": "Every indicator disaggregated by sex or disability, across all outputs. "
        "Shares are of the population the indicator counts.",
    },
    "outputs_col": {"zh": "输出成果", "en": "Outputs"},
    "total": {"zh": "总计", "en": "Total"},
    "women": {"zh": "女性", "en": "Women and girls"},
    "women_share": {"zh": "女性占比", "en": "Share of women"},
    "disability": {"zh": "残疾人", "en": "Persons with disabilities"},
    "disability_share": {"zh": "残疾人占比", "en": "Share of persons with disabilities"},
    "no_inclusion": {
        "zh": "没有按性别或残疾状况分列的指标。",
        "en": "No indicator is disaggregated by sex or disability.",
    },
    "quality": {"zh": "数据质量说明", "en": "Data-quality notes"},
    "no_notes": {"zh": "无。", "en": "None."},
    "general": {"zh": "总体", "en": "General"},
    "contents": {"zh": "目录", "en": "Contents"},
}

NOTE_KINDS: dict[str, Text] = {
    "missing_disaggregation": {"zh": "缺少分列数据", "en": "Missing disaggregation"},
    "late_data": {"zh": "数据迟交", "en": "Late data"},
    "no_data": {"zh": "无数据", "en": "No data"},
    "no_region": {"zh": "无ITU-D区域", "en": "Outside the ITU-D regions"},
    "note": {"zh": "说明", "en": "Note"},
}


# -- words ---------------------------------------------------------------------------------



def _other(lang: str) -> str:
    """The language shown alongside headings."""
    return "en" if two_lang(lang) == "zh" else "zh"


def _l(key: str, lang: str, **fields: Any) -> str:
    """A report label in ``lang``, formatted with ``fields``."""
    entry = REPORT_LABELS[key]
    return (entry.get(two_lang(lang)) or entry["en"]).format(**fields)


def _note_kind(kind: str, lang: str) -> str:
    """What kind of note it is, in words (an unknown kind is shown as written)."""
    entry = NOTE_KINDS.get(kind) or {"en": kind.replace("_", " ")}
    return entry.get(two_lang(lang)) or entry["en"]


def _note_text(note: ReportNote, lang: str) -> str:
    """The note's message in ``lang``, else the language it has."""
    return shown(note.message, two_lang(lang)).text


def _share(value: float | None) -> str:
    """A share (0-1) as a percentage with one decimal; a dash when unknown."""
    return "–" if value is None else f"{value * 100:.1f}%"


def _pair(primary: str, alternate: str) -> tuple[str, str]:
    """A heading in the report's language and, when it says something else, the other one."""
    return primary, (alternate if alternate and alternate != primary else "")


def _titled(prefix: str, text: Text, lang: str) -> str:
    """ "部门目标 1 – 协调：…": a numbered label and a plan title in one language."""
    title = text.get(lang, "")
    return f"{prefix} – {title}" if title else prefix


def report_heading(data: ReportData, lang: str) -> tuple[str, str]:
    """The report's title in both languages: "布宜诺斯艾利斯行动计划 年度实施报告 2019年"."""

    def one(code: str) -> str:
        """The title in language ``code``."""
        plan = data.plan_title.get(code) or shown(data.plan_title, code).text
        return f"{plan} {_l('report', code)} {_l('year', code, year=data.year)}".strip()

    return _pair(one(two_lang(lang)), one(_other(lang)))


def objective_heading(obj: ObjectiveSection, lang: str) -> tuple[str, str]:
    """ "部门目标 1 – 协调：…" and its other-language wording."""
    code, other = two_lang(lang), _other(lang)
    return _pair(
        _titled(objective_label(obj.number, code), obj.title, code),
        _titled(objective_label(obj.number, other), obj.title, other) if obj.title.get(other) else "",
    )


def output_heading(out: OutputSection, lang: str) -> tuple[str, str]:
    """ "输出成果 1.1 – …" and its other-language wording."""
    code, other = two_lang(lang), _other(lang)
    return _pair(
        _titled(f"{label('output', code)} {out.number}", out.title, code),
        _titled(f"{label('output', other)} {out.number}", out.title, other) if out.title.get(other) else "",
    )


def _indicator_text(text: Text, lang: str) -> tuple[str, str]:
    """The indicator's wording in ``lang`` (or a fallback) and in the other language."""
    first = shown(text, two_lang(lang))
    return _pair(first.text, text.get(_other(lang), "") if not first.fallback else "")


def _columns(data: ReportData, lang: str) -> list[str]:
    """The indicator table's header, the same in HTML and Word."""
    return [
        _l("number", lang),
        _l("indicator", lang),
        _l("unit", lang),
        _l("baseline", lang),
        _l("target", lang, year=data.year),
        _l("actual", lang, year=data.year),
        _l("status", lang),
    ]


def _output_columns(data: ReportData, lang: str) -> list[str]:
    """The header of an output's table: the indicator rows it draws on, without baseline and unit."""
    columns = _columns(data, lang)
    return [columns[0], columns[1], columns[4], columns[5], columns[6]]


def _row_cells(row: IndicatorRow, lang: str) -> list[str]:
    """The figures of a row as printed in every format (number, unit, baseline, target, actual)."""
    baseline = format_number(row.baseline, lang)
    if row.baseline is not None and row.baseline_year:
        baseline = f"{baseline} ({row.baseline_year})"
    return [
        row.id,
        unit_label(row.unit, lang),
        baseline,
        format_number(row.target, lang),
        format_number(row.actual, lang),
    ]


# -- HTML ----------------------------------------------------------------------------------

_ID = re.compile(r'\bid="([^"]+)"')


def _e(value: str) -> str:
    """Text escaped for HTML content and attribute values."""
    return html.escape(value, quote=True)


def _bilingual(tag: str, pair: tuple[str, str], lang: str, **attrs: str) -> str:
    """A heading with the other language's wording alongside, each with its ``lang``."""
    extra = "".join(f' {k}="{_e(v)}"' for k, v in attrs.items())
    alt = f' <span class="alt" lang="{html_lang(_other(lang))}">{_e(pair[1])}</span>' if pair[1] else ""
    return f"<{tag}{extra}>{_e(pair[0])}{alt}</{tag}>"


def _scoped_svg(svg: str, prefix: str) -> str:
    """An SVG whose ids (gradients, clip paths) cannot collide with another chart's on the page."""
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg).strip()
    ids = set(_ID.findall(svg))
    for old in sorted(ids, key=len, reverse=True):
        new = f"{prefix}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})")
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"')
    return svg


def _figure(chart: ChartData, lang: str, index: int) -> str:
    """One chart as a figure: inline SVG (role img, labelled) and its caption."""
    title = chart_title(chart, lang)
    svg = _scoped_svg(to_svg(chart_spec(chart, lang)), f"c{index}")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{_e(title)}" ', 1)
    kind = "map" if chart.kind.endswith("_map") else "chart"
    return f'<figure class="{kind}">{svg}<figcaption>{_e(title)}</figcaption></figure>'


def _status_html(row: IndicatorRow, lang: str) -> str:
    """A status badge (colour by CSS class, so no inline style); the reason as its title."""
    title = f' title="{_e(row.reason)}"' if row.reason else ""
    return f'<span class="status status-{row.status.value}"{title}>{_e(status_label(row.status, lang))}</span>'


def _indicator_cell(text: Text, lang: str) -> str:
    """The indicator's wording with the other language below, each tagged with its lang."""
    main, alt = _indicator_text(text, lang)
    first = shown(text, two_lang(lang))
    cls = ' class="fallback"' if first.fallback else ""
    inner = f'<span lang="{html_lang(first.lang or two_lang(lang))}"{cls}>{_e(main)}</span>'
    if alt:
        inner += f'<br><span class="alt" lang="{html_lang(_other(lang))}">{_e(alt)}</span>'
    return inner


def _table_html(obj: ObjectiveSection, data: ReportData, lang: str) -> str:
    """The objective's indicator table: one header row per outcome, then its indicators."""
    head = "".join(f'<th scope="col">{_e(c)}</th>' for c in _columns(data, lang))
    body = []
    for outcome in obj.outcomes:
        text = shown(outcome.text, two_lang(lang)).text
        body.append(
            f'<tr><th class="outcome" colspan="7" scope="rowgroup">{_e(label("outcome", two_lang(lang)))} '
            f"{_e(outcome.number)} – {_e(text)}</th></tr>"
        )
        for row in outcome.indicators:
            number, unit, baseline, target, actual = _row_cells(row, lang)
            body.append(
                f'<tr id="ind-{_e(row.id)}"><th scope="row">{_e(number)}</th><td>{_indicator_cell(row.text, lang)}</td>'
                f'<td>{_e(unit)}</td><td class="num">{_e(baseline)}</td><td class="num">{_e(target)}</td>'
                f'<td class="num">{_e(actual)}</td><td>{_status_html(row, lang)}</td></tr>'
            )
    caption = f"{_l('indicator_table', lang)} – {objective_label(obj.number, two_lang(lang))}"
    return (
        f'<table class="indicator-table"><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _charts_html(obj: ObjectiveSection, lang: str, counter: list[int]) -> str:
    """The objective's target-vs-actual chart, then each charted indicator's figures; ``counter``
    keeps SVG ids unique across the page."""
    parts = []
    for chart in obj.charts:
        if chart.points:
            counter[0] += 1
            parts.append(f'<div class="charts">{_figure(chart, lang, counter[0])}</div>')
    for row in obj.rows():
        if not row.charts:
            continue
        figures = []
        for chart in row.charts:
            counter[0] += 1
            figures.append(_figure(chart, lang, counter[0]))
        heading = f"{row.id} – {shown(row.text, two_lang(lang)).text}"
        parts.append(f'<h4>{_e(heading)}</h4><div class="charts">{"".join(figures)}</div>')
    if not parts:
        return ""
    return f'<section class="indicator-charts"><h3>{_e(_l("charts", lang))}</h3>{"".join(parts)}</section>'


def _outputs_html(obj: ObjectiveSection, data: ReportData, lang: str) -> str:
    """Each output with the table of the indicators drawing on it, linked to their rows above."""
    rows = {r.id: r for r in obj.rows()}
    parts = []
    for out in obj.outputs:
        parts.append(_bilingual("h4", output_heading(out, lang), lang, id=f"out-{out.number}"))
        if not out.indicators:
            parts.append(f"<p>{_e(_l('no_indicators', lang))}</p>")
            continue
        head = "".join(f'<th scope="col">{_e(c)}</th>' for c in _output_columns(data, lang))
        body = []
        for number in out.indicators:
            row = rows[number]
            figures = "".join(f'<td class="num">{_e(format_number(v, lang))}</td>' for v in (row.target, row.actual))
            body.append(
                f'<tr><th scope="row"><a href="#ind-{_e(number)}">{_e(number)}</a></th>'
                f"<td>{_e(shown(row.text, two_lang(lang)).text)}</td>{figures}<td>{_status_html(row, lang)}</td></tr>"
            )
        caption = f"{_l('output_indicators', lang)} – {label('output', two_lang(lang))} {out.number}"
        parts.append(
            f'<table class="output-table"><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
        )
    return f'<section class="outputs"><h3>{_e(_l("outputs", lang))}</h3>{"".join(parts)}</section>'


def _inclusion_html(data: ReportData, lang: str) -> str:
    """The section-4.4 table: women and persons with disabilities, indicator by indicator."""
    code = two_lang(lang)
    title = (
        f"{_l('inclusion', code)} – {shown(data.inclusion_title, code).text}",
        f"{_l('inclusion', _other(code))} – {data.inclusion_title.get(_other(code), '')}",
    )
    heading = _bilingual("h2", _pair(*title), lang, id="section-4-4")
    if not data.inclusion:
        return f'<section class="inclusion">{heading}<p>{_e(_l("no_inclusion", lang))}</p></section>'
    keys = ["number", "indicator", "outputs_col", "total", "women", "women_share", "disability", "disability_share"]
    head = "".join(f'<th scope="col">{_e(_l(k, lang))}</th>' for k in keys)
    body = []
    for r in data.inclusion:
        figures = [
            format_number(r.total, lang),
            format_number(r.women_value, lang),
            _share(r.women_share),
            format_number(r.disability_value, lang),
            _share(r.disability_share),
        ]
        cells = "".join(f'<td class="num">{_e(v)}</td>' for v in figures)
        body.append(
            f'<tr><th scope="row">{_e(r.indicator)}</th><td>{_indicator_cell(r.text, lang)}</td>'
            f"<td>{_e(', '.join(r.outputs))}</td>{cells}</tr>"
        )
    return (
        f'<section class="inclusion">{heading}<p>{_e(_l("inclusion_intro", lang))}</p>'
        f'<table class="inclusion-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></section>'
    )


def _quality_html(data: ReportData, lang: str) -> str:
    """The data-quality notes, so a reader knows which figures to trust less."""
    heading = _bilingual("h2", _pair(_l("quality", lang), _l("quality", _other(lang))), lang, id="report-quality")
    if not data.quality_notes:
        return f'<section class="quality">{heading}<p>{_e(_l("no_notes", lang))}</p></section>'
    items = []
    for note in data.quality_notes:
        where = note.indicator or _l("general", lang)
        dim = f" ({DIMENSION_NAMES[note.dimension].get(two_lang(lang))})" if note.dimension in DIMENSION_NAMES else ""
        items.append(
            f'<li><span class="note-kind">{_e(where)} – {_e(_note_kind(note.kind, lang))}{_e(dim)}</span>: '
            f"{_e(_note_text(note, lang))}</li>"
        )
    return f'<section class="quality">{heading}<ul class="notes">{"".join(items)}</ul></section>'


def _cover_html(data: ReportData, lang: str) -> str:
    """Title, the snapshot the figures come from, and the status overview."""
    s = data.snapshot
    facts = [
        (_l("snapshot_id", lang), s.id),
        (_l("approved_by", lang), s.approved_by),
        (_l("approved_at", lang), s.approved_at),
        (label("period", two_lang(lang)), data.period or ""),
    ]
    rows = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts if v)
    rows += f"<dt>{_e(_l('snapshot', lang))}</dt><dd>{_e(_l('locked' if s.locked else 'not_locked', lang))}</dd>"
    counts = "".join(
        f'<li><span class="status status-{k}">{_e(status_label(k, lang))}</span> {v}</li>'
        for k, v in data.status_counts.items()
    )
    return (
        f'<header>{_bilingual("h1", report_heading(data, lang), lang)}<dl class="snapshot">{rows}</dl>'
        f'<h2 id="report-overview">{_e(_l("overview", lang))}</h2><ul class="summary">{counts}</ul></header>'
    )


def _contents_html(data: ReportData, lang: str) -> str:
    """Links to each objective and the closing sections."""
    items = [f'<li><a href="#{_e(o.eid)}">{_e(objective_heading(o, lang)[0])}</a></li>' for o in data.objectives]
    items.append(f'<li><a href="#section-4-4">{_e(_l("inclusion", lang))}</a></li>')
    items.append(f'<li><a href="#report-quality">{_e(_l("quality", lang))}</a></li>')
    heading = f'<h2 id="report-contents">{_e(_l("contents", lang))}</h2>'
    return f'<nav aria-labelledby="report-contents">{heading}<ol>{"".join(items)}</ol></nav>'


def report_body_html(data: ReportData, lang: str = "zh") -> str:
    """The report as an ``<article>`` fragment for a page that links ``monitor_report.css``.

    No ``<script>``, ``<style>`` or ``style=`` attribute: safe under a CSP without
    ``unsafe-inline``. Charts are inline SVG.
    """
    counter = [0]
    sections = []
    for obj in data.objectives:
        inner = _table_html(obj, data, lang) + _charts_html(obj, lang, counter) + _outputs_html(obj, data, lang)
        heading = _bilingual("h2", objective_heading(obj, lang), lang)
        sections.append(f'<section class="objective" id="{_e(obj.eid)}">{heading}{inner}</section>')
    body = "".join(
        [
            _cover_html(data, lang),
            _contents_html(data, lang),
            *sections,
            _inclusion_html(data, lang),
            _quality_html(data, lang),
        ]
    )
    return f'<article class="ap-report" lang="{html_lang(two_lang(lang))}">{body}</article>'


@cache
def report_css() -> str:
    """The report's stylesheet (``monitor_report.css``), to serve or to inline."""
    return resources.files("actionplan.render").joinpath("monitor_report.css").read_text(encoding="utf-8")


def report_html(data: ReportData, lang: str = "zh") -> str:
    """A complete standalone HTML page of the report, its stylesheet in ``<style>``."""
    title = report_heading(data, lang)[0]
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang(two_lang(lang))}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_e(title)}</title>'
        f"<style>\n{report_css()}</style></head><body>{report_body_html(data, lang)}</body></html>\n"
    )


def report_pdf(data: ReportData, lang: str = "zh") -> bytes:
    """The standalone page printed to PDF by headless Chromium (searchable, CJK font embedded)."""
    return html_to_pdf(report_html(data, lang))


# -- Word ----------------------------------------------------------------------------------

GREY = RGBColor(0x57, 0x60, 0x6A)


def _heading(doc: DocumentObject, pair: tuple[str, str], level: int) -> None:
    """A Word heading with the other language's wording alongside, in a smaller grey run."""
    paragraph = doc.add_heading(pair[0], level=level)
    if pair[1]:
        run = paragraph.add_run(f"  / {pair[1]}")
        run.font.color.rgb = GREY
        run.bold = False


def _fill_row(cells: Any, values: list[str]) -> None:
    """Write one text per cell."""
    for cell, value in zip(cells, values, strict=True):
        cell.text = value


INDICATOR_WIDTHS = (1.3, 6.4, 2.0, 2.2, 1.8, 1.8, 1.9)
"""Column widths (cm) of an indicator table: the wording gets the room (17.4 cm, an A4 line)."""
OUTPUT_WIDTHS = (1.3, 9.0, 2.2, 2.2, 2.7)
INCLUSION_WIDTHS = (1.3, 5.7, 1.6, 1.7, 1.7, 1.6, 1.7, 1.6)


def _set_widths(table: Any, widths: tuple[float, ...]) -> None:
    """Fixed column widths; Word and LibreOffice otherwise split the page evenly."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=False):
        column.width = Cm(width)  # the grid LibreOffice reads
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Cm(width)


def _table(
    doc: DocumentObject,
    header: list[str],
    rows: list[list[str]],
    bold_rows: set[int] | None = None,
    widths: tuple[float, ...] = (),
) -> None:
    """A Table Grid table with a bold header row (repeated on each page) and ``rows``."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    _fill_row(table.rows[0].cells, header)
    for cell in table.rows[0].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    from docx.oxml import OxmlElement

    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
    for index, values in enumerate(rows):
        row = table.add_row()
        if len(values) == 1:
            merged = row.cells[0].merge(row.cells[-1])
            merged.text = values[0]
        else:
            _fill_row(row.cells, values)
        if bold_rows and index in bold_rows:
            for cell in row.cells:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    if widths:
        _set_widths(table, widths)


def _picture(doc: DocumentObject, chart: ChartData, lang: str) -> None:
    """A chart as a PNG picture (vl-convert), with its title as alt text and caption."""
    title = chart_title(chart, lang)
    width = Cm(16) if chart.kind.endswith("_map") else Cm(12)
    doc.add_picture(io.BytesIO(to_png(chart_spec(chart, lang), scale=2)), width=width)
    inline = doc.inline_shapes[-1]._inline
    inline.docPr.set("descr", title)
    caption = doc.add_paragraph(title)
    caption.style = "Caption"


def _objective_docx(doc: DocumentObject, obj: ObjectiveSection, data: ReportData, lang: str) -> None:
    """An objective in Word: indicator table, charts, outputs (as in the HTML)."""
    code = two_lang(lang)
    _heading(doc, objective_heading(obj, lang), 1)
    rows: list[list[str]] = []
    bold: set[int] = set()
    for outcome in obj.outcomes:
        bold.add(len(rows))
        rows.append([f"{label('outcome', code)} {outcome.number} – {shown(outcome.text, code).text}"])
        for row in outcome.indicators:
            number, unit, baseline, target, actual = _row_cells(row, lang)
            main, alt = _indicator_text(row.text, lang)
            rows.append(
                [
                    number,
                    f"{main}\n{alt}" if alt else main,
                    unit,
                    baseline,
                    target,
                    actual,
                    status_label(row.status, lang),
                ]
            )
    _table(doc, _columns(data, lang), rows, bold, INDICATOR_WIDTHS)
    charted = [r for r in obj.rows() if r.charts]
    if charted or any(c.points for c in obj.charts):
        doc.add_heading(_l("charts", lang), level=2)
    for chart in obj.charts:
        if chart.points:
            _picture(doc, chart, lang)
    for row in charted:
        doc.add_heading(f"{row.id} – {shown(row.text, code).text}", level=3)
        for chart in row.charts:
            _picture(doc, chart, lang)
    doc.add_heading(_l("outputs", lang), level=2)
    by_id = {r.id: r for r in obj.rows()}
    for out in obj.outputs:
        _heading(doc, output_heading(out, lang), 3)
        if not out.indicators:
            doc.add_paragraph(_l("no_indicators", lang))
            continue
        rows = [
            [
                number,
                shown(by_id[number].text, code).text,
                format_number(by_id[number].target, lang),
                format_number(by_id[number].actual, lang),
                status_label(by_id[number].status, lang),
            ]
            for number in out.indicators
        ]
        _table(doc, _output_columns(data, lang), rows, widths=OUTPUT_WIDTHS)


def _inclusion_docx(doc: DocumentObject, data: ReportData, lang: str) -> None:
    """The section-4.4 table in Word."""
    code = two_lang(lang)
    _heading(
        doc,
        _pair(
            f"{_l('inclusion', code)} – {shown(data.inclusion_title, code).text}",
            f"{_l('inclusion', _other(code))} – {data.inclusion_title.get(_other(code), '')}",
        ),
        1,
    )
    if not data.inclusion:
        doc.add_paragraph(_l("no_inclusion", lang))
        return
    doc.add_paragraph(_l("inclusion_intro", lang))
    keys = ["number", "indicator", "outputs_col", "total", "women", "women_share", "disability", "disability_share"]
    rows = [
        [
            r.indicator,
            shown(r.text, code).text,
            ", ".join(r.outputs),
            format_number(r.total, lang),
            format_number(r.women_value, lang),
            _share(r.women_share),
            format_number(r.disability_value, lang),
            _share(r.disability_share),
        ]
        for r in data.inclusion
    ]
    _table(doc, [_l(k, lang) for k in keys], rows, widths=INCLUSION_WIDTHS)


def _quality_docx(doc: DocumentObject, data: ReportData, lang: str) -> None:
    """The data-quality notes in Word, one bullet each."""
    _heading(doc, _pair(_l("quality", lang), _l("quality", _other(lang))), 1)
    if not data.quality_notes:
        doc.add_paragraph(_l("no_notes", lang))
    for note in data.quality_notes:
        where = note.indicator or _l("general", lang)
        doc.add_paragraph(f"{where} – {_note_kind(note.kind, lang)}: {_note_text(note, lang)}", style="List Bullet")


def _cover_docx(doc: DocumentObject, data: ReportData, lang: str) -> None:
    """Title, snapshot and status overview in Word."""
    main, alt = report_heading(data, lang)
    doc.add_heading(main, level=0)
    if alt:
        doc.add_paragraph(alt).runs[0].font.color.rgb = GREY
    s = data.snapshot
    for key, value in (
        (_l("snapshot_id", lang), s.id),
        (_l("approved_by", lang), s.approved_by),
        (_l("approved_at", lang), s.approved_at),
        (label("period", two_lang(lang)), data.period or ""),
    ):
        if value:
            doc.add_paragraph(f"{key}: {value}")
    doc.add_paragraph(f"{_l('snapshot', lang)}: {_l('locked' if s.locked else 'not_locked', lang)}")
    doc.add_heading(_l("overview", lang), level=1)
    for key, count in data.status_counts.items():
        run = doc.add_paragraph(style="List Bullet").add_run(f"{status_label(key, lang)}: {count}")
        run.font.color.rgb = RGBColor.from_string(STATUS_COLOURS[key].lstrip("#").upper())


def report_docx(data: ReportData, lang: str = "zh") -> bytes:
    """The report as a Word document (.docx bytes)."""
    doc = Document()
    set_east_asia_font(doc, EAST_ASIA_FONT, two_lang(lang))
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    _cover_docx(doc, data, lang)
    for obj in data.objectives:
        _objective_docx(doc, obj, data, lang)
    _inclusion_docx(doc, data, lang)
    _quality_docx(doc, data, lang)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
