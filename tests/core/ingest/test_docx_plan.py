"""A Word version of the source (real headings, list paragraphs and tables) gives the same plan."""

from __future__ import annotations

from pathlib import Path

from actionplan.ingest import parse_file
from actionplan.model import Plan
from tests.fixtures import make_docx


def _without_positions(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_positions(v) for k, v in value.items() if k not in ("line", "heading_line", "source")}
    if isinstance(value, list):
        return [_without_positions(v) for v in value]
    return value


def test_docx_of_the_source_parses_to_the_same_plan(tmp_path: Path, seed_path: Path, seed_plan: Plan) -> None:
    plan = parse_file(make_docx.make_seed_docx(tmp_path / "seed.docx", seed_path))
    assert plan.source.format == "docx"
    assert plan.not_understood == []
    assert _without_positions(plan.model_dump(mode="json")) == _without_positions(seed_plan.model_dump(mode="json"))
