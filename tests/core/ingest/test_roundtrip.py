"""Our own YAML and JSON exports read back into exactly the same model."""

from __future__ import annotations

from pathlib import Path

import pytest

from actionplan.errors import InputError, ValidationError
from actionplan.ingest import parse_file
from actionplan.model import Plan
from actionplan.render import render_json, render_yaml


@pytest.mark.parametrize(("suffix", "renderer"), [(".json", render_json), (".yaml", render_yaml)])
def test_exports_round_trip_exactly(tmp_path: Path, seed_plan: Plan, suffix: str, renderer) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / f"plan{suffix}"
    path.write_text(renderer(seed_plan), encoding="utf-8")
    again = parse_file(path)
    assert again == seed_plan
    assert renderer(again) == renderer(seed_plan)


def test_bad_export_names_the_field(tmp_path: Path, seed_plan: Plan) -> None:
    path = tmp_path / "plan.json"
    path.write_text(render_json(seed_plan).replace('"number": 2,', '"number": "two",', 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"plan\.json: field objectives\.1\.number"):
        parse_file(path)


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("code: baap\ntitle: {zh: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"plan\.yaml:\d+: not valid YAML"):
        parse_file(path)


def test_export_from_a_newer_schema_is_refused(tmp_path: Path, seed_plan: Plan) -> None:
    path = tmp_path / "plan.json"
    path.write_text(render_json(seed_plan).replace('"schema_version": 2', '"schema_version": 99', 1), encoding="utf-8")
    with pytest.raises(ValidationError, match="schema_version 99 is newer"):
        parse_file(path)
