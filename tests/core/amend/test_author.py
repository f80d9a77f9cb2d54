"""Amendments computed from an edit, link changes, new and deleted elements."""

from __future__ import annotations

import pytest

from actionplan.amend import AmendmentType, apply_amendments
from actionplan.amend.author import (
    amendments_from_edit,
    current_text,
    editable_texts,
    element_deletion,
    link_change,
    new_element,
)
from actionplan.errors import NotFoundError, ValidationError
from actionplan.ingest import parse_file
from actionplan.model import Plan
from actionplan.model.plan import WorkArea
from tests.conftest import FIXTURES

PARA = "obj_2__output_2.1__background__para_4"


def _edited(text: str) -> str:
    """Three separate edits: a substitution, a deletion and an insertion at the end."""
    assert "音频和视频" in text and "世界各国" in text
    return text.replace("音频和视频", "音视频").replace("世界各国", "", 1) + "此外还应关注卫星。"


def test_an_edit_becomes_separate_anchored_amendments(bundled_base: Plan) -> None:
    old = current_text(bundled_base, PARA, "text", "zh")
    new = _edited(old)
    ams = amendments_from_edit(bundled_base, PARA, "text", "zh", new, prefix="CHN-")
    assert [a.id for a in ams] == [f"CHN-{k}" for k in range(1, len(ams) + 1)]
    assert {a.type for a in ams} >= {AmendmentType.deletion}
    for am in ams:
        assert am.target is not None and am.target.eid == PARA
        needle = am.target.before + am.target.old + am.target.after
        assert old.count(needle) == 1, "every anchor is unique in the text"
    consolidated = apply_amendments(bundled_base, ams)
    assert current_text(consolidated, PARA, "text", "zh") == new


def test_every_text_of_the_plan_can_be_rewritten_and_applied(bundled_base: Plan) -> None:
    """Edits anywhere (titles, items, labels): applying what the edit gives reproduces it."""
    texts = editable_texts(bundled_base, "zh")
    assert len(texts) > 400
    sample = texts[:: max(1, len(texts) // 60)]
    ams = []
    for k, t in enumerate(sample):
        new = t.text[: len(t.text) // 2] + "（修订）" + t.text[len(t.text) // 2 :]
        ams += amendments_from_edit(bundled_base, t.eid, t.field, "zh", new, prefix=f"E{k}.")
    consolidated = apply_amendments(bundled_base, ams)
    for t in sample:
        assert "（修订）" in current_text(consolidated, t.eid, t.field, "zh")


def test_an_english_edit() -> None:
    plan = parse_file(FIXTURES / "plans" / "mini_en.txt")
    t = next(t for t in editable_texts(plan, "en") if t.field == "text" and len(t.text.split()) > 6)
    words = t.text.split(" ")
    new = " ".join([*words[:2], "rapidly", *words[2:-1]])
    ams = amendments_from_edit(plan, t.eid, t.field, "en", new)
    assert ams and all(a.target and a.target.lang == "en" for a in ams)
    assert current_text(apply_amendments(plan, ams), t.eid, t.field, "en") == new


def test_an_unchanged_text_gives_no_amendment(bundled_base: Plan) -> None:
    old = current_text(bundled_base, PARA, "text", "zh")
    assert amendments_from_edit(bundled_base, PARA, "text", "zh", old) == []


def test_unknown_elements_and_fields_are_refused(bundled_base: Plan) -> None:
    with pytest.raises(NotFoundError, match="obj_9"):
        amendments_from_edit(bundled_base, "obj_9", "text", "zh", "x")
    with pytest.raises(ValidationError, match="no zh title"):
        current_text(bundled_base, PARA, "title", "zh")


def test_link_changes_are_checked_against_the_registry_and_the_output(bundled_base: Plan) -> None:
    out = bundled_base.output("2.1")
    assert out is not None
    assert "9.c" in out.references.sdg_targets and "4.4" not in out.references.sdg_targets
    am = link_change(bundled_base, out.eid, "sdg_target", ["4.4"], ["9.c"], id="L1")
    after = apply_amendments(bundled_base, [am]).output("2.1")
    assert after is not None and "4.4" in after.references.sdg_targets and "9.c" not in after.references.sdg_targets
    with pytest.raises(ValidationError, match=r"99\.z"):
        link_change(bundled_base, out.eid, "sdg_target", ["99.z"], [], id="L2")
    uncited = next(f"C{k}" for k in range(1, 12) if f"C{k}" not in out.references.wsis_action_lines)
    with pytest.raises(ValidationError, match="does not cite"):
        link_change(bundled_base, out.eid, "wsis", [], [uncited], id="L3")
    with pytest.raises(ValidationError, match="not an output"):
        link_change(bundled_base, PARA, "wsis", ["C1"], [], id="L4")


def test_new_and_deleted_elements(bundled_base: Plan) -> None:
    container = "obj_2__output_2.1__project_1__area_2"
    add = new_element(
        bundled_base, container, "items", f"{container}__item_1", "新的一项。", "zh", id="N1", kind="item"
    )
    drop = element_deletion(bundled_base, f"{container}__item_3", id="D1")
    after = apply_amendments(bundled_base, [add, drop])
    before_items = [b.text["zh"] for b in _node(bundled_base, container).items]
    after_items = [b.text["zh"] for b in _node(after, container).items]
    assert after_items == [before_items[0], "新的一项。", before_items[1], *before_items[3:]]
    with pytest.raises(ValidationError, match="no block list"):
        new_element(bundled_base, container, "background", None, "x", "zh", id="N2")
    with pytest.raises(ValidationError, match="not a paragraph"):
        element_deletion(bundled_base, container, id="D2")


def _node(plan: Plan, eid: str) -> WorkArea:
    node = next(n for n in plan.walk() if n.eid == eid)
    assert isinstance(node, WorkArea)
    return node
