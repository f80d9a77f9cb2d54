"""The annual implementation report: data from a snapshot, then HTML, Word and PDF.

The figures are made by hand (a few indicators, known numbers) so every check can name the
number it expects in a table; one test builds the report from the demo records through the
reference evaluator too, so the builder also meets computed values.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import html as lxml_html

from actionplan.ingest import parse_file
from actionplan.model import Plan
from actionplan.monitor.definitions import IndicatorSet, bundled_indicator_set
from actionplan.monitor.quality import QualityNote as CountedNote
from actionplan.monitor.report import ReportData, build_report
from actionplan.monitor.values import Progress, Status, Value
from actionplan.render.monitor_report import report_body_html, report_docx, report_html, report_pdf
from tests.conftest import SEED, require_tool

YEAR = 2019

# indicator -> (actual 2018, actual 2019, status 2019)
HEADLINES = {
    "1.1.1": (2.0, 3.0, Status.on_track),
    "2.2.3": (21.0, 24.0, Status.off_track),
    "3.3.1": (4100.0, 4650.0, Status.at_risk),
    "4.3.2": (41.0, 47.0, Status.on_track),
}
SEX = {"F": 1860.0, "M": 2700.0, "_U": 90.0}  # of 3.3.1's 4650 persons
DISABILITY = {"PD": 93.0, "NPD": 4500.0, "_U": 57.0}
COUNTRIES = {"CHN": 310.0, "KEN": 220.0, "BRA": 180.0}
REGIONS = {"AFR": 14.0, "ASP": 12.0, "AMS": 9.0}


def _values(indicator_set: IndicatorSet) -> tuple[list[Value], list[Progress]]:
    """Headline values and progress for 2018-2019, and 2019 disaggregations of 3.3.1 and 4.3.2."""
    values: list[Value] = []
    progress: list[Progress] = []
    for number, (a2018, a2019, status) in HEADLINES.items():
        d = indicator_set.get(number)
        assert d is not None and d.baseline is not None
        basis = "cumulative" if d.time == "cumulative" else "year"
        for year, actual in ((2018, a2018), (2019, a2019)):
            target = d.target(year)
            assert target is not None
            values.append(Value(indicator=number, year=year, basis=basis, value=actual))
            progress.append(
                Progress(
                    indicator=number,
                    year=year,
                    baseline=d.baseline.value,
                    target=target.value,
                    actual=actual,
                    expected=target.value,
                    status=status if year == YEAR else Status.on_track,
                )
            )
    for dim, counts in (("sex", SEX), ("disability", DISABILITY), ("country", COUNTRIES)):
        values += [Value(indicator="3.3.1", year=YEAR, dims={dim: k}, value=v) for k, v in counts.items()]
    values += [Value(indicator="4.3.2", year=YEAR, dims={"region": k}, value=v) for k, v in REGIONS.items()]
    return values, progress


@pytest.fixture(scope="module")
def plan() -> Plan:
    return parse_file(SEED)


@pytest.fixture(scope="module")
def data(plan: Plan) -> ReportData:
    indicator_set = bundled_indicator_set()
    values, progress = _values(indicator_set)
    notes: list[object] = [
        {"indicator": "2.2.3", "kind": "late_data", "message": {"zh": "美洲区域数据迟交。", "en": "Americas late."}},
        CountedNote(indicator="3.3.1", year=YEAR, records=5000, missing_codes=150, recorded_late=0, no_region=25),
        CountedNote(indicator="3.3.1", year=2018, records=4000, recorded_late=400),
    ]
    snapshot = {"id": "snap-2019-01", "approved_by": "BDT M&E", "approved_at": "2020-02-14", "locked": True}
    return build_report(plan, indicator_set, values, progress, notes, YEAR, snapshot)


@pytest.fixture(scope="module")
def zh_html(data: ReportData) -> str:
    return report_html(data, "zh")


@pytest.fixture(scope="module")
def en_docx(data: ReportData) -> bytes:
    return report_docx(data, "en")


@pytest.fixture(scope="module")
def zh_pdf(data: ReportData) -> bytes:
    require_tool("chromium")
    return report_pdf(data, "zh")


def _squash(text: str) -> str:
    return "".join(text.split())


# -- data ----------------------------------------------------------------------------------


def test_report_follows_the_plan_with_the_snapshot_figures(data: ReportData, plan: Plan) -> None:
    assert [o.number for o in data.objectives] == [o.number for o in plan.objectives]
    assert len(data.rows()) == len(plan.all_indicators())
    row = next(r for r in data.rows() if r.id == "3.3.1")
    assert (row.baseline, row.target, row.actual, row.status) == (4000.0, 4500.0, 4650.0, Status.at_risk)
    assert [c.kind for c in row.charts] == ["trend", "disaggregation", "disaggregation", "country_map"]
    assert data.status_counts["on_track"] == 2 and data.status_counts["no_data"] == len(plan.all_indicators()) - 4
    assert data.snapshot.id == "snap-2019-01" and data.snapshot.locked
    assert "4.4" not in data.inclusion_title.get("zh", "") and "残疾人" in data.inclusion_title["zh"]
    output = next(o for obj in data.objectives for o in obj.outputs if o.number == "3.3")
    assert "3.3.1" in output.indicators


def test_section_4_4_shares_and_quality_notes(data: ReportData) -> None:
    inclusion = {r.indicator: r for r in data.inclusion}
    assert "3.3.1" in inclusion and "1.1.1" not in inclusion
    r = inclusion["3.3.1"]
    assert r.women_value == 1860.0 and r.women_share == pytest.approx(1860 / 4650)
    assert r.disability_value == 93.0 and r.disability_share == pytest.approx(93 / 4650)
    kinds = {(n.indicator, n.kind, n.dimension) for n in data.quality_notes}
    assert ("2.2.3", "late_data", None) in kinds
    assert ("3.3.1", "missing_disaggregation", "age_band") in kinds
    assert ("3.3.1", "missing_disaggregation", "sex") not in kinds
    assert ("1.2.1", "no_data", None) in kinds
    counted = [n for n in data.quality_notes if n.indicator == "3.3.1" and n.dimension is None]
    assert [n.kind for n in counted] == ["missing_disaggregation", "no_region"]  # the 2018 record is left out
    assert counted[0].message["zh"].startswith("5000条记录中有150条（3.0%）")


def test_report_builds_from_computed_demo_values(plan: Plan) -> None:
    """Values from the demo records through the reference evaluator fit the builder."""
    demo = pytest.importorskip("actionplan.monitor.demo")
    reference = pytest.importorskip("actionplan.monitor.reference")
    indicator_set = bundled_indicator_set()
    chosen = [d for d in indicator_set.indicators if d.id in ("3.3.1", "4.3.2")]
    tables = demo.generate(events=40, participants=300, assistance=60, publications=10, partnerships=10)
    values = reference.evaluate(chosen, tables, dims=("", "sex", "disability", "region"))
    progress_module = pytest.importorskip("actionplan.monitor.progress")
    progress = progress_module.progress_all(chosen, values)
    data = build_report(plan, indicator_set, values, progress, [], YEAR, None)
    r = next(r for r in data.inclusion if r.indicator == "3.3.1")
    assert r.women_share is not None and 0 < r.women_share < 1
    assert r.disability_share is not None and 0 <= r.disability_share < 0.2


# -- HTML ----------------------------------------------------------------------------------


def test_html_has_one_indicator_table_per_objective_with_the_numbers(zh_html: str, data: ReportData) -> None:
    root = lxml_html.fromstring(zh_html)
    assert root.get("lang") == "zh-Hans"
    tables = root.xpath('//table[@class="indicator-table"]')
    assert len(tables) == len(data.objectives) == 4
    row = tables[2].xpath('.//tr[@id="ind-3.3.1"]')[0]
    cells = [_squash(c.text_content()) for c in row.xpath("./th|./td")]
    assert cells[0] == "3.3.1" and cells[3] == "4,000(2017)" and cells[4] == "4,500" and cells[5] == "4,650"
    assert cells[6] == "存在风险"
    assert "培训" in cells[1]  # the plan's Chinese wording, English alongside
    assert _squash(tables[1].xpath('.//tr[@id="ind-2.2.3"]')[0].text_content()).endswith("24偏离目标")
    output = root.xpath('//h4[@id="out-3.3"]/following-sibling::table[@class="output-table"][1]')[0]
    assert [_squash(c.text_content()) for c in output.xpath(".//tbody/tr[1]/*")][2:] == ["4,500", "4,650", "存在风险"]
    assert len(root.xpath('//table[@class="output-table"]')) == sum(
        1 for obj in data.objectives for out in obj.outputs if out.indicators
    )
    inclusion = root.xpath('//table[@class="inclusion-table"]')[0]
    assert "40.0%" in inclusion.text_content() and "1,860" in inclusion.text_content()
    assert "美洲区域数据迟交。" in root.xpath('//section[@class="quality"]')[0].text_content()
    svgs = root.xpath("//figure/svg")
    charts = sum(len(r.charts) for r in data.rows()) + sum(1 for o in data.objectives for c in o.charts if c.points)
    assert len(svgs) == charts


def test_html_heading_is_bilingual(zh_html: str) -> None:
    root = lxml_html.fromstring(zh_html)
    h2 = root.xpath('//section[@id="obj_1"]/h2')[0]
    assert h2.text.startswith("部门目标 1 – 协调")
    assert h2.xpath('./span[@lang="en"]')[0].text.startswith("Objective 1 – Coordination")


def test_body_fragment_is_csp_safe(data: ReportData) -> None:
    body = report_body_html(data, "en")
    root = lxml_html.fragment_fromstring(body)
    assert root.tag == "article" and root.get("lang") == "en"
    assert not root.xpath("//script|//style|//*[@style]|//*[starts-with(name(@*), 'on')]")
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids)), "chart ids collide"
    assert "Section 4.4" in body and "Share of women" in body


# -- Word ----------------------------------------------------------------------------------


def test_docx_has_indicator_tables_with_the_numbers_and_charts(en_docx: bytes, data: ReportData) -> None:
    doc = Document(io.BytesIO(en_docx))
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert header[:3] == ["No.", "Performance indicator", "Unit"] and header[5] == "Actual 2019"
    objective_tables = [t for t in doc.tables if t.rows[0].cells[0].text == "No." and t.rows[0].cells[2].text == "Unit"]
    assert len(objective_tables) == 4
    rows = {r.cells[0].text: [c.text for c in r.cells] for t in objective_tables for r in t.rows}
    assert rows["3.3.1"][3:] == ["4,000 (2017)", "4,500", "4,650", "At risk"]
    assert rows["1.1.1"][5:] == ["3", "On track"]
    output_tables = [t for t in doc.tables if [c.text for c in t.rows[0].cells][2:3] == ["Target 2019"]]
    assert ["3.3.1", "4,500", "4,650", "At risk"] in [
        [c.text for c in r.cells][:1] + [c.text for c in r.cells][2:] for t in output_tables for r in t.rows
    ]
    charts = sum(len(r.charts) for r in data.rows()) + sum(1 for o in data.objectives for c in o.charts if c.points)
    assert len(doc.inline_shapes) == charts
    inclusion = doc.tables[-1]
    assert "Share of women" in [c.text for c in inclusion.rows[0].cells]
    line = next([c.text for c in r.cells] for r in inclusion.rows if r.cells[0].text == "3.3.1")
    assert line[3:] == ["4,650", "1,860", "40.0%", "93", "2.0%"]
    fonts = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC"
    texts = "\n".join(p.text for p in doc.paragraphs)
    assert "Objective 1 – Coordination" in texts and "部门目标 1" in texts


@pytest.mark.soffice
def test_libreoffice_converts_the_docx_with_the_cjk_font(en_docx: bytes, tmp_path: Path) -> None:
    soffice = require_tool("soffice")
    source = tmp_path / "report.docx"
    source.write_bytes(en_docx)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "report.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF-")
    fonts = subprocess.run([require_tool("pdffonts"), str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "NotoSansCJK" in fonts.replace(" ", "")
    text = subprocess.run(
        [require_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "部门目标" in _squash(text) and "4,650" in text


# -- PDF -----------------------------------------------------------------------------------


def test_pdf_has_the_chinese_text_in_embedded_fonts(zh_pdf: bytes, data: ReportData, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(zh_pdf)
    text = subprocess.run(
        [require_tool("pdftotext"), "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    indicator = next(r for r in data.rows() if r.id == "3.3.1").text["zh"]
    assert _squash(indicator) in _squash(text)
    assert "年度实施报告" in _squash(text) and "4,650" in text
    fonts = subprocess.run([require_tool("pdffonts"), str(path)], check=True, capture_output=True, text=True).stdout
    lines = fonts.splitlines()[2:]
    assert lines
    for line in lines:  # every font embedded, every glyph mapped back to Unicode
        cols = line.split()
        assert cols[-5] == "yes" and cols[-3] == "yes", line
    # Chromium (Skia) writes OpenType-CFF fonts such as Noto Sans CJK as Type 3 fonts, which
    # pdffonts lists as "[none]"; their font descriptors keep the real name.
    named = "NotoSansCJK" in fonts.replace(" ", "")
    described = re.search(rb"/FontName /[A-Z]{6}\+NotoSansCJK(sc|SC)-", zh_pdf) is not None
    assert named or described


def test_each_objective_charts_actual_against_target_for_all_its_indicators(data: ReportData) -> None:
    for objective in data.objectives:
        (chart,) = objective.charts
        assert chart.kind == "achievement"
        expected = {
            r.id: round(100 * (r.actual / r.target if r.direction != "decrease" else r.target / r.actual), 1)
            for r in objective.rows()
            if r.actual is not None and r.target
        }
        assert {p.x: p.value for p in chart.points} == expected
        assert {p.series for p in chart.points} <= {s.value for s in Status}
