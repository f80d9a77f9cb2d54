"""PDF through Debian's headless Chromium: searchable Chinese text, visible marks, clear errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from actionplan.amend import (
    Amendment,
    AmendmentType,
    Anchor,
    Contribution,
    bundled_base_path,
    bundled_contribution_path,
    load_contribution,
)
from actionplan.errors import ActionPlanError
from actionplan.ingest import parse_file
from actionplan.model import Plan
from actionplan.render.pdf import html_to_pdf, render_redline_pdf
from tests.conftest import require_tool

A2_INSERTED = "同时，视频在电信网络及ICT行业中广泛应用，正在成为电信网络的最大业务来源之一。"


@pytest.fixture(scope="module")
def zh_base() -> Plan:
    return parse_file(bundled_base_path())


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        [require_tool("pdftotext"), "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    )
    return "".join(done.stdout.split())


def test_redline_pdf_has_the_inserted_chinese_text(zh_base: Plan, tmp_path: Path) -> None:
    require_tool("chromium")
    pdf = render_redline_pdf(zh_base, load_contribution(bundled_contribution_path()))
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)
    assert A2_INSERTED in text  # A2, inserted in output 2.1's background
    assert "修改一览" in text and "部门目标2–现代化且安全的电信" in text


def _pixels(pdf: bytes, tmp_path: Path) -> list[tuple[int, int, int]]:
    """Page 1 rasterised by poppler's pdftoppm as binary PPM (P6), read without an imaging library."""
    path = tmp_path / "marks.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        [require_tool("pdftoppm"), "-f", "1", "-l", "1", "-r", "60", str(path)], check=True, capture_output=True
    )
    data = done.stdout
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 4:  # magic, width, height, maxval, separated by whitespace
        while data[pos : pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    assert fields[0] == b"P6" and fields[3] == b"255"
    raster = data[pos + 1 :]
    return [(raster[k], raster[k + 1], raster[k + 2]) for k in range(0, len(raster) - 2, 3)]


def test_print_keeps_insertions_green_and_deletions_red(zh_base: Plan, tmp_path: Path) -> None:
    """The change list on page 1 shows an insertion and a deletion: both keep their colour in print."""
    require_tool("chromium")
    eid = "obj_3__output_3.2"
    amendment = Amendment(
        id="C1",
        type=AmendmentType.substitution,
        target=Anchor(eid=eid, field="title", old="政策与监管", before="关于电信/ICT"),
        new_text={"zh": "统计"},
    )
    c = Contribution(document="D", base="b", sponsors=["CHN"], amendments=[amendment])
    pixels = _pixels(render_redline_pdf(zh_base, c), tmp_path)
    green = sum(1 for r, g, b in pixels if g > r + 40 and g > b + 40)  # text #0b5e1c on #e3f4e6
    red = sum(1 for r, g, b in pixels if r > g + 60 and r > b + 60)  # text #a11313 on #fbe6e4
    assert green > 50 and red > 50, (green, red)


def test_cjk_html_prints_with_its_text_layer(tmp_path: Path) -> None:
    require_tool("chromium")
    page = (
        '<!DOCTYPE html><html lang="zh-Hans"><meta charset="utf-8"><p>可持续发展目标 <ins>跨多国陆缆</ins></p></html>'
    )
    assert "可持续发展目标跨多国陆缆" in pdf_text(html_to_pdf(page), tmp_path)


def test_missing_chromium_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ACTIONPLAN_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(ActionPlanError, match=r"ACTIONPLAN_CHROMIUM.*not an executable"):
        html_to_pdf("<p>x</p>")
    monkeypatch.delenv("ACTIONPLAN_CHROMIUM")
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no chromium on PATH
    with pytest.raises(ActionPlanError, match="needs Chromium") as exc:
        html_to_pdf("<p>x</p>")
    assert "apt-get install chromium" in str(exc.value)
