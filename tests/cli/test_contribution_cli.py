"""`actionplan contribution` and `actionplan diff` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from actionplan.amend import bundled_base_path

CLI = [sys.executable, "-m", "actionplan.cli"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=120, env={"COLUMNS": "200", "PATH": ""}
    )


def test_show_lists_proposals_and_amendments() -> None:
    proc = _run("contribution", "show")
    assert proc.returncode == 0, proc.stderr
    assert "跨多国陆地光缆" in proc.stdout and "A8" in proc.stdout


def test_apply_then_diff_shows_the_proposals(tmp_path: Path) -> None:
    consolidated = tmp_path / "consolidated.json"
    proc = _run("contribution", "apply", "-o", str(consolidated))
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(consolidated.read_text(encoding="utf-8"))["objectives"]) == 4
    proc = _run("diff", str(bundled_base_path()), str(consolidated))
    assert proc.stdout.startswith("8 changes")
    assert "{+与视频+}" in proc.stdout
    data = json.loads(_run("diff", str(bundled_base_path()), str(consolidated), "--format", "json").stdout)
    assert len(data) == 8 and {d["kind"] for d in data} == {"added", "changed"}


def test_bad_contribution_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_text("base: x\n", encoding="utf-8")
    proc = _run("contribution", "show", str(bad))
    assert proc.returncode == 2 and "field document" in proc.stderr and "Traceback" not in proc.stderr


PARA = "obj_2__output_2.1__background__para_4"
AREA = "obj_2__output_2.1__project_1__area_2"


def _author(tmp_path: Path, name: str, document: str, sponsor: str, new_text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    base = str(bundled_base_path())
    assert (
        _run("contribution", "new", str(path), "--base", base, "--document", document, "--sponsor", sponsor).returncode
        == 0
    )
    proc = _run("contribution", "edit", str(path), PARA, "--text", new_text, "--justification", "why")
    assert proc.returncode == 0, proc.stderr
    return path


def _para() -> str:
    from actionplan.amend.author import current_text
    from actionplan.ingest import parse_file

    return current_text(parse_file(bundled_base_path()), PARA, "text", "zh")


def test_authoring_a_contribution_from_the_command_line(tmp_path: Path) -> None:
    path = _author(tmp_path, "chn", "TDAG-25/7", "chn", _para().replace("音频和视频", "音视频内容"))
    assert "added A2" in _run("contribution", "link", str(path), "2.1", "--scheme", "sdg_target", "--add", "4.4").stderr
    proc = _run("contribution", "add-element", str(path), AREA, "--after", f"{AREA}__item_1", "--text", "新增一项。")
    assert proc.returncode == 0 and "added A3" in proc.stderr
    assert _run("contribution", "delete-element", str(path), f"{AREA}__item_2").returncode == 0
    shown = _run("contribution", "show", str(path)).stdout
    assert "CHN" in shown and "音视频内容" in shown and "sdg_target: +4.4" in shown
    consolidated = tmp_path / "plan.json"
    proc = _run("contribution", "consolidate", str(path), "--accept-all", "-o", str(consolidated))
    assert proc.returncode == 0, proc.stderr
    assert "4 amendments applied" in proc.stdout
    plan = json.loads(consolidated.read_text(encoding="utf-8"))
    output = plan["objectives"][1]["outputs"][0]
    assert "4.4" in output["references"]["sdg_targets"]
    items = [i["text"]["zh"] for i in output["projects"][0]["work_areas"][1]["items"]]
    assert items[1] == "新增一项。" and len(items) == 3


def test_authoring_errors_name_the_field(tmp_path: Path) -> None:
    path = _author(tmp_path, "a", "D1", "CHN", _para() + "。")
    proc = _run("contribution", "new", str(path), "--base", str(bundled_base_path()), "--document", "x")
    assert proc.returncode == 2 and "not overwritten" in proc.stderr
    proc = _run("contribution", "edit", str(path), "obj_9__nothing", "--text", "x")
    assert proc.returncode == 4 and "eid: no element obj_9__nothing" in proc.stderr
    proc = _run("contribution", "link", str(path), "2.1", "--scheme", "sdg_target", "--add", "99.q")
    assert proc.returncode == 3 and "99.q" in proc.stderr and "Traceback" not in proc.stderr
    proc = _run("contribution", "new", str(tmp_path / "b.yaml"), "--base", "x", "--document", "d", "--sponsor", "XYZ")
    assert proc.returncode == 2 and "unknown member state 'XYZ'" in proc.stderr


def test_colliding_contributions_and_decisions(tmp_path: Path) -> None:
    a = _author(tmp_path, "a", "D-A", "CHN", _para().replace("音频和视频", "音视频"))
    b = _author(tmp_path, "b", "D-B", "BRA", _para().replace("更高质量的音频和视频", "高清的声音与图像"))
    proc = _run("contribution", "conflicts", str(a), str(b))
    assert proc.returncode == 0 and proc.stdout.startswith("1 conflict sets")
    assert proc.stdout.index("D-B/A1") < proc.stdout.index("D-A/A1"), "the further departure is considered first"
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text("D-A/A1: reject\nD-B/A1:\n  modify:\n    new_text: {zh: 高清音视频}\n", encoding="utf-8")
    proc = _run("contribution", "consolidate", str(a), str(b), "--decisions", str(decisions))
    assert proc.returncode == 0, proc.stderr
    assert "1 amendments applied" in proc.stdout and f"D-B/A1 → {PARA}" in proc.stdout
    decisions.write_text("D-C/A1: accept\n", encoding="utf-8")
    proc = _run("contribution", "consolidate", str(a), "--decisions", str(decisions))
    assert proc.returncode == 3 and "D-C/A1" in proc.stderr


def test_rebase_onto_the_source(tmp_path: Path) -> None:
    a = _author(tmp_path, "a", "D-A", "CHN", _para().replace("音频和视频", "音视频"))
    from tests.conftest import SEED

    rebased = tmp_path / "rebased.yaml"
    proc = _run("contribution", "rebase", str(a), "--onto", str(SEED), "-o", str(rebased))
    assert proc.returncode == 0, proc.stderr
    assert "1 clean" in proc.stdout
    assert str(SEED) in rebased.read_text(encoding="utf-8")


def test_import_a_word_file_with_tracked_changes(tmp_path: Path) -> None:
    from actionplan.amend import apply_amendments, bundled_contribution_path, load_contribution
    from actionplan.ingest import parse_file
    from actionplan.model.texts import iter_texts
    from actionplan.render import render
    from tests.fixtures.make_tracked_docx import Author, TrackedDocx

    base = parse_file(bundled_base_path())
    source = load_contribution(bundled_contribution_path())
    doc = TrackedDocx(render(base, "docx"))
    for am in source.amendments:
        doc.track(am, base, Author("Wang Wei", "2019-01-15T09:00:00Z"))
    docx = doc.save(tmp_path / "proposals.docx")
    out = tmp_path / "imported.yaml"
    proc = _run(
        "contribution",
        "import",
        str(docx),
        "--base",
        str(bundled_base_path()),
        "-o",
        str(out),
        "--author",
        "Wang Wei=chn",
    )
    assert proc.returncode == 0, proc.stderr
    assert "tracked changes → 8 amendments, 0 unanchored" in proc.stdout
    imported = load_contribution(out)
    assert imported.sponsors == ["CHN"] and imported.document == "proposals"
    assert {a.provenance.author for a in imported.amendments if a.provenance} == {"Wang Wei"}
    texts = [(t.node.eid, t.text) for t in iter_texts(apply_amendments(base, imported.amendments))]
    assert texts == [(t.node.eid, t.text) for t in iter_texts(apply_amendments(base, source.amendments))]


def test_import_reports_what_it_cannot_anchor(tmp_path: Path) -> None:
    from tests.conftest import SHARED

    fixture = SHARED / "data" / "docx-fixtures" / "pandoc_track_changes_move.docx"
    proc = _run(
        "contribution", "import", str(fixture), "--base", str(bundled_base_path()), "-o", str(tmp_path / "x.yaml")
    )
    assert proc.returncode == 0, proc.stderr
    assert "0 amendments, 2 unanchored" in proc.stdout and "Here is the text to be moved." in proc.stdout
    proc = _run(
        "contribution", "import", str(fixture), "--base", str(bundled_base_path()), "-o", "x.yaml", "--author", "bad"
    )
    assert proc.returncode == 2 and "--author" in proc.stderr


def test_import_a_revised_clean_document(tmp_path: Path) -> None:
    from tests.conftest import SEED

    out = tmp_path / "seed.yaml"
    proc = _run("contribution", "import", str(SEED), "--base", str(bundled_base_path()), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "a revised document aligned to" in proc.stdout and "→ 8 amendments" in proc.stdout


def test_redlines_of_two_contributions(tmp_path: Path) -> None:
    from actionplan.amend import bundled_contribution_path
    from actionplan.amend.wordrevisions import accepted_paragraphs, read_revisions, rejected_paragraphs
    from actionplan.ingest import parse_file
    from actionplan.render.docx import render_docx

    ours = _author(tmp_path, "a", "D-A", "CHN", _para().replace("高效地", "有效地"))
    both = [str(bundled_contribution_path()), str(ours)]
    html = tmp_path / "r.html"
    assert _run("contribution", "redline", *both, "-o", str(html)).returncode == 0
    page = html.read_text(encoding="utf-8")
    assert "<ins" in page and "<del" in page and "D-A" in page and "CHN" in page
    docx = tmp_path / "r.docx"
    proc = _run("contribution", "redline", *both, "-o", str(docx))
    assert proc.returncode == 0 and "9 amendments" in proc.stderr
    consolidated = tmp_path / "c.json"
    _run("contribution", "consolidate", *both, "--accept-all", "-o", str(consolidated))
    expected = tmp_path / "expected.docx"
    expected.write_bytes(render_docx(parse_file(consolidated), "zh"))
    base = tmp_path / "base.docx"
    base.write_bytes(render_docx(parse_file(bundled_base_path()), "zh"))
    redline = read_revisions(docx)
    assert accepted_paragraphs(redline) == accepted_paragraphs(read_revisions(expected))
    assert rejected_paragraphs(redline) == accepted_paragraphs(read_revisions(base))
    proc = _run("contribution", "redline", str(ours), "-o", str(tmp_path / "r.odt"))
    assert proc.returncode == 2 and "html, docx or pdf" in proc.stderr
