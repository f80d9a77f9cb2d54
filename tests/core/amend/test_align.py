"""A revised clean document imported as a contribution: aligned to the base and diffed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from actionplan.amend import apply_amendments
from actionplan.amend.align import align, import_revised, similarity
from actionplan.amend.model import AmendmentType, NewElement
from actionplan.ingest import parse_file
from actionplan.model import Plan, WorkArea
from tests.conftest import FIXTURES


def _comparable(value: object) -> object:
    """As tests/core/amend/test_apply.py compares: no source positions, no contribution front matter."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if k not in ("line", "heading_line", "source", "preface")}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


def test_the_source_document_imported_as_revised_is_the_bundled_contribution(
    bundled_base: Plan, seed_plan: Plan
) -> None:
    result = import_revised(seed_plan, bundled_base, document="seed", base_ref="baap@1")
    consolidated = apply_amendments(bundled_base, result.amendments)
    assert _comparable(consolidated.model_dump(mode="json")) == _comparable(seed_plan.model_dump(mode="json"))
    outputs = ("obj_2__output_2.1", "obj_3__output_3.2", "obj_4__output_4.3")
    assert all(a.target_eid().startswith(outputs) for a in result.amendments)
    assert Counter(a.type.value for a in result.amendments) == {"element_creation": 5, "insertion": 3}
    assert [(u.kind, u.reason.split(":")[0]) for u in result.unanchored] == [
        ("added", "preface__sec_1"),
        ("added", "preface__sec_2"),
    ]
    assert (result.contribution.base, result.contribution.document) == ("baap@1", "seed")


def test_the_same_plan_gives_nothing(bundled_base: Plan) -> None:
    result = import_revised(bundled_base, bundled_base)
    assert result.amendments == [] and result.unanchored == []


EDITS = [
    ("held every four years", "held every three years"),  # a word changed in a paragraph
    ("•\tContribution to the ITU strategic plan;\n", ""),  # an item removed
    ("•\tidentify regional priorities;\n", "•\tidentify regional priorities;\n•\tshare good practices;\n"),  # added
    ("Advisory Group (TDAG) and its reports", "Advisory Group (TDAG) and its annual reports"),  # a title
    ("WSIS action line C1 will support Output 1.3", "WSIS action lines C1 and C7 will support Output 1.3"),
    ("17 (targets 17.9, 17.16).", "17 (targets 17.9, 17.16, 17.17)."),
]


@pytest.fixture(scope="module")
def mini() -> Plan:
    return parse_file(FIXTURES / "plans" / "mini_en.txt")


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    text = (FIXTURES / "plans" / "mini_en.txt").read_text(encoding="utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path_factory.mktemp("revised") / "mini_en_revised.txt"
    path.write_text(text, encoding="utf-8")
    return parse_file(path)


def test_an_edited_english_plan(mini: Plan, edited: Plan) -> None:
    result = import_revised(edited, mini, lang="en")
    assert result.unanchored == []
    consolidated = apply_amendments(mini, result.amendments)
    assert _comparable(consolidated.model_dump(mode="json")) == _comparable(edited.model_dump(mode="json"))
    kinds = Counter(a.type.value for a in result.amendments)
    # "line C1" -> "lines C1 and C7" is two word-level changes: line -> lines, and " and C7"
    assert kinds == {"substitution": 2, "deletion": 1, "element_creation": 1, "insertion": 3, "reference_change": 2}
    links = sorted((a.links.scheme, a.links.add, a.links.remove) for a in result.amendments if a.links)
    assert links == [("sdg_target", ["17.17"], []), ("wsis", ["C7"], [])]
    deletion = next(a for a in result.amendments if a.type == AmendmentType.deletion)
    assert deletion.target is not None and deletion.target.eid == "obj_1__output_1.1__background__item_2"
    assert deletion.target.old == ""
    creation = next(a for a in result.amendments if a.new_element is not None)
    assert creation.new_element == NewElement(
        container="obj_1__output_1.2__project_1",
        field="text",
        after="obj_1__output_1.2__project_1__item_1",
        kind="item",
        text={"en": "share good practices;"},
    )


def test_what_no_amendment_expresses_is_reported(mini: Plan) -> None:
    revised = mini.model_copy(deep=True)
    project = revised.output("1.2").projects[0]  # type: ignore[union-attr]
    project.work_areas.append(WorkArea(eid=f"{project.eid}__area_1", title={"en": "A new area"}, line=99))
    ref = revised.output("1.1").references  # type: ignore[union-attr]
    ref.sdg_targets.append("99.99")
    result = import_revised(revised, mini, lang="en")
    assert result.amendments == []
    assert [(u.paragraph, u.kind, u.text) for u in result.unanchored] == [
        (ref.line, "changed", ""),
        (99, "added", "A new area"),
    ]
    assert "not a known sdg_target code" in result.unanchored[0].reason


def test_align_keeps_order_and_prefers_exact_then_similar() -> None:
    a = ["alpha beta gamma", "one two three", "x", "delta epsilon"]
    b = ["new first", "alpha beta gamma", "one two three four", "delta epsilon"]
    pairs = align(a, b, lambda i, j: similarity(a[i], b[j]))
    assert pairs == [(0, 1), (1, 2), (3, 3)]
    crossed = align(["b", "a"], ["a", "b"], lambda i, j: 1.0)
    assert len(crossed) == 1, "a crossing pair would break document order"


def test_a_docx_revision_is_read_by_the_same_pipeline(tmp_path: Path, bundled_base: Plan) -> None:
    """A revised Word file (no tracked changes): our own DOCX of the consolidated plan, parsed back."""
    from actionplan.amend import bundled_contribution_path, load_contribution
    from actionplan.render import render

    consolidated = apply_amendments(bundled_base, load_contribution(bundled_contribution_path()).amendments)
    path = tmp_path / "revised.docx"
    path.write_bytes(render(consolidated, "docx"))
    base_docx = tmp_path / "base.docx"
    base_docx.write_bytes(render(bundled_base, "docx"))
    result = import_revised(parse_file(path), parse_file(base_docx))
    assert Counter(a.type.value for a in result.amendments) == {"element_creation": 5, "insertion": 3}
