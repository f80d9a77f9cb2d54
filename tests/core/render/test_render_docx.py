"""DOCX: real Word headings, lists and tables, readable Chinese; read back with python-docx."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from actionplan.model import Plan
from actionplan.render.docx import render_docx


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def styled(document: docx.document.Document, prefix: str) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(prefix)]


def test_docx_core_properties(plan: Plan) -> None:
    d = read(render_docx(plan))
    assert d.core_properties.title == "布宜诺斯艾利斯行动计划"
    assert d.core_properties.language == "zh-CN"
    e = read(render_docx(plan, "en"))
    assert e.core_properties.title == "Buenos Aires Action Plan"
    assert e.core_properties.language == "en-US"
    assert d.paragraphs[0].style.name == "Title"


def test_docx_headings_carry_objective_and_output_titles(plan: Plan) -> None:
    d = read(render_docx(plan))
    h1 = [t for s, t in styled(d, "Heading 1")]
    for obj in plan.objectives:
        assert f"部门目标 {obj.number} – {obj.title['zh']}" in h1
    h2 = [t for s, t in styled(d, "Heading 2")]
    for out in plan.all_outputs():
        assert f"输出成果 {out.number} – {out.title['zh']}" in h2
    assert ("Heading 4", "项目：电信/ICT网络基础设施与服务") in styled(d, "Heading 4")
    assert ("Heading 5", "频谱管理") in styled(d, "Heading 5")


def test_docx_outcome_table_cells_equal_model_texts(plan: Plan) -> None:
    """One Word table per objective: header row, then outcome | indicators | outputs."""
    d = read(render_docx(plan))
    tables = [t for t in d.tables if t.rows[0].cells[0].text == "成果"]
    assert len(tables) == len(plan.objectives)
    for table, obj in zip(tables, plan.objectives, strict=True):
        assert [c.text for c in table.rows[0].cells] == [
            "成果",
            "绩效指标",
            "输出成果（产品和服务）",
        ]
        assert len(table.rows) == 1 + len(obj.outcomes)
        for row, oc in zip(table.rows[1:], obj.outcomes, strict=True):
            outcome, indicators, outputs = row.cells
            assert outcome.text == oc.text["zh"]
            expected = [i.text.get("zh") or f"[en] {i.text['en']}" for i in oc.indicators]
            assert [p.text for p in indicators.paragraphs] == expected
            assert {p.style.name for p in indicators.paragraphs} == {"List Bullet"}
            titles = [f"{n} – {plan.output(n).title['zh']}" for n in oc.outputs]  # type: ignore[union-attr]
            assert [p.text for p in outputs.paragraphs] == titles


def test_docx_list_paragraphs_equal_items(plan: Plan) -> None:
    """Items become List Bullet / List Number paragraphs, nested levels use 'List Bullet 2'."""
    d = read(render_docx(plan))
    lists = styled(d, "List")
    area1 = plan.objectives[1].outputs[0].projects[0].work_areas[0]
    expected = [("List Bullet" if b.level == 1 else "List Bullet 2", b.text["zh"]) for b in area1.items]
    i = lists.index(expected[0])
    assert lists[i : i + len(expected)] == expected
    area2 = plan.objectives[1].outputs[0].projects[0].work_areas[1]
    numbered = [("List Number", b.text["zh"]) for b in area2.items]
    j = lists.index(numbered[0])
    assert lists[j : j + len(numbered)] == numbered


def test_docx_numbered_lists_restart(plan: Plan) -> None:
    """Each numbered list has its own w:num that restarts at 1."""
    d = read(render_docx(plan))
    num_ids = []
    for p in d.paragraphs:
        if p.style.name == "List Number":
            num_ids.append(p._p.pPr.numPr.numId.val)
    # preface list (2 items) and spectrum list (2 items): two lists, two numbering instances
    assert len(num_ids) == 4 and num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3]
    numbering = d.part.numbering_part.element
    for num_id in {num_ids[0], num_ids[2]}:
        num = numbering.num_having_numId(num_id)
        starts = num.findall(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
        assert [s.get(qn("w:val")) for s in starts] == ["1"]


def test_docx_sets_east_asian_font_on_styles(plan: Plan) -> None:
    d = read(render_docx(plan))
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet"):
        fonts = d.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC", name
        assert fonts.get(qn("w:eastAsiaTheme")) is None, name


def test_docx_regional_slots_and_fallback_marker(plan: Plan) -> None:
    d = read(render_docx(plan))
    ri = next(t for t in d.tables if t.rows[0].cells[0].text == "区域")
    rows = [[c.text for c in r.cells] for r in ri.rows[1:]]
    assert rows[0] == ["非洲区域", "非洲宽带基础设施举措"]
    assert rows[-1] == ["欧洲区域", "（无）"]
    e = read(render_docx(plan, "en"))
    h2 = [t for s, t in styled(e, "Heading 2")]
    assert "Output 1.2 – [zh] 区域性筹备会议（RPMs）的最终报告" in h2


def test_docx_reference_hyperlinks(plan: Plan) -> None:
    d = read(render_docx(plan))
    targets = {r.target_ref for r in d.part.rels.values() if r.is_external}
    assert "https://unstats.un.org/sdgs/metadata/?Text=&Goal=9&Target=9.c" in targets
    assert "https://www.itu.int/net/wsis/docs/geneva/official/poa.html#c1" in targets


def test_docx_seed_headings_tables_and_lists(seed_plan: Plan) -> None:
    d = read(render_docx(seed_plan))
    h1 = [t for s, t in styled(d, "Heading 1")]
    for obj in seed_plan.objectives:
        assert f"部门目标 {obj.number} – {obj.title['zh']}" in h1
    assert len(styled(d, "Heading 2")) >= 17
    tables = [t for t in d.tables if len(t.columns) == 3]
    assert len(tables) == 4
    for table, obj in zip(tables, seed_plan.objectives, strict=True):
        assert [r.cells[0].text for r in table.rows[1:]] == [oc.text["zh"] for oc in obj.outcomes]
    items = {b.text["zh"] for o in seed_plan.all_outputs() for p in o.projects for a in p.work_areas for b in a.items}
    listed = {t for s, t in styled(d, "List")}
    assert items and items <= listed


def _to_pdf_text(soffice: str, pdftotext: str, docx_path: Path, outdir: Path) -> str:
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(outdir), str(docx_path)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = outdir / (docx_path.stem + ".pdf")
    assert pdf.exists(), f"soffice wrote no {pdf.name}"
    return subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.soffice
def test_docx_converts_to_pdf_with_chinese_text(plan: Plan, soffice: str, pdftotext: str, tmp_path: Path) -> None:
    """LibreOffice opens the file and the PDF's text layer has the Chinese titles."""
    path = tmp_path / "plan.docx"
    path.write_bytes(render_docx(plan))
    text = _to_pdf_text(soffice, pdftotext, path, tmp_path)
    flat = "".join(text.split())
    for needle in [
        "布宜诺斯艾利斯行动计划",
        "部门目标1–协调：促进国际合作",
        "增强审议和提高共识度",
        "最终确定的指导方针的数量",
        "维护SMS4DC软件；",
        "非洲宽带基础设施举措",
    ]:
        assert needle in flat, needle


@pytest.mark.soffice
def test_docx_seed_converts_to_pdf(seed_plan: Plan, soffice: str, pdftotext: str, tmp_path: Path) -> None:
    path = tmp_path / "seed.docx"
    path.write_bytes(render_docx(seed_plan))
    flat = "".join(_to_pdf_text(soffice, pdftotext, path, tmp_path).split())
    for obj in seed_plan.objectives:
        assert "".join(obj.title["zh"].split()) in flat
    for out in seed_plan.all_outputs():
        assert f"输出成果{out.number}–" in flat
