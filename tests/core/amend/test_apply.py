"""The source as a contribution: base + amendments = the source's plan text."""

from __future__ import annotations

from pathlib import Path

import pytest

from actionplan.amend import (
    AnchorError,
    apply_amendments,
    bundled_base_path,
    bundled_contribution_path,
    load_contribution,
)
from actionplan.amend.model import Amendment, AmendmentType, Anchor, NewElement
from actionplan.errors import InputError
from actionplan.ingest import parse_file
from actionplan.model import Plan


def _comparable(value: object) -> object:
    """The model without source positions and without the contribution's own front matter."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if k not in ("line", "heading_line", "source", "preface")}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


@pytest.fixture(scope="module")
def base() -> Plan:
    return parse_file(bundled_base_path())


def test_base_plus_the_contribution_is_the_source(base: Plan, seed_plan: Plan) -> None:
    contribution = load_contribution(bundled_contribution_path())
    assert [a.proposal for a in contribution.amendments] == [1, 2, 2, 2, 2, 3, 4, 4]
    assert len(contribution.proposals) == 4 and len(contribution.introduction) == 4
    consolidated = apply_amendments(base, contribution.amendments)
    assert _comparable(consolidated.model_dump(mode="json")) == _comparable(seed_plan.model_dump(mode="json"))


def test_the_base_is_a_whole_plan_without_the_proposals(base: Plan, seed_text: str) -> None:
    assert base.preface == [] and base.not_understood == []
    assert (len(base.objectives), len(base.all_outcomes()), len(base.all_indicators()), len(base.all_outputs())) == (
        4,
        14,
        38,
        17,
    )
    assert base.output("2.1").projects[0].work_areas[5].title["zh"] == "广播"  # type: ignore[union-attr]
    assert "跨多国陆缆" not in bundled_base_path().read_text(encoding="utf-8") and "跨多国陆缆" in seed_text


def test_inserted_items_renumber_their_siblings(base: Plan) -> None:
    area = "obj_2__output_2.1__project_1__area_2"
    am = Amendment(
        id="X1",
        type=AmendmentType.element_creation,
        new_element=NewElement(
            container=area, field="items", after=f"{area}__item_1", kind="item", text={"zh": "新项"}
        ),
    )
    out = apply_amendments(base, [am])
    items = out.output("2.1").projects[0].work_areas[1].items  # type: ignore[union-attr]
    assert [i.eid.rsplit("__", 1)[1] for i in items] == ["item_1", "item_2", "item_3", "item_4"]
    assert items[1].text == {"zh": "新项"}
    assert base.output("2.1").projects[0].work_areas[1].items[1].text != {"zh": "新项"}  # type: ignore[union-attr]


def test_substitution_and_deletion_inside_a_text(base: Plan) -> None:
    eid = "obj_3__output_3.2"
    subst = Amendment(
        id="S1",
        type=AmendmentType.substitution,
        target=Anchor(eid=eid, field="title", old="政策与监管", before="关于电信/ICT"),
        new_text={"zh": "统计"},
    )
    out = apply_amendments(base, [subst])
    assert out.output("3.2").title["zh"] == "关于电信/ICT统计的产品与服务"  # type: ignore[union-attr]
    item = "obj_2__output_2.2__project_1__item_1"
    drop = Amendment(id="D1", type=AmendmentType.deletion, target=Anchor(eid=item))
    out = apply_amendments(base, [drop])
    items = [b for b in out.output("2.2").projects[0].text if b.kind == "item"]  # type: ignore[union-attr]
    assert len(items) == 5 and items[0].eid.endswith("item_1") and items[0].text["zh"].startswith("帮助ITU成员国建立")


@pytest.mark.parametrize(
    ("anchor", "message"),
    [
        (Anchor(eid="obj_9", field="title", old="x"), "no element obj_9"),
        (Anchor(eid="obj_3__output_3.2", field="title", old="不存在的文字"), "not found"),
        (Anchor(eid="obj_3__output_3.2", field="title", old="产品"), None),  # unique: fine
        (Anchor(eid="chp_1__sec_1__para_3", old="ITU-D"), "more than once"),
    ],
)
def test_anchors_that_do_not_fit_the_base_are_reported(base: Plan, anchor: Anchor, message: str | None) -> None:
    am = Amendment(id="Z9", type=AmendmentType.substitution, target=anchor, new_text={"zh": "y"})
    if message is None:
        apply_amendments(base, [am])
        return
    with pytest.raises(AnchorError, match=message) as exc:
        apply_amendments(base, [am])
    assert "Z9" in str(exc.value)


def test_bad_contribution_file_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("document: x\nbase: baap\namendments:\n  - id: A1\n    type: rewrite\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"c\.yaml: field amendments\.0\.type"):
        load_contribution(path)


def test_changes_at_one_place_apply_in_the_order_given(base: Plan) -> None:
    """Two creations after one sibling, and two insertions at one point, keep their order."""
    area = "obj_2__output_2.1__project_1__area_2"
    para = "obj_2__output_2.1__background__para_4"

    def creation(k: int, text: str) -> Amendment:
        spec = NewElement(container=area, field="items", after=f"{area}__item_1", kind="item", text={"zh": text})
        return Amendment(id=f"C{k}", type=AmendmentType.element_creation, new_element=spec)

    def insertion(k: int, text: str) -> Amendment:
        return Amendment(
            id=f"I{k}",
            type=AmendmentType.insertion,
            target=Anchor(eid=para, before="音频和视频。"),
            new_text={"zh": text},
        )

    cut = Amendment(id="D1", type=AmendmentType.deletion, target=Anchor(eid=para, old="和视频", after="。"))
    after = apply_amendments(base, [creation(1, "甲"), creation(2, "乙"), insertion(1, "一"), insertion(2, "二"), cut])
    nodes = {n.eid: n for n in after.walk()}
    items = [b.text["zh"] for b in nodes[area].items]  # type: ignore[attr-defined]
    assert items[1:3] == ["甲", "乙"]
    assert nodes[para].text["zh"].endswith("音频。一二")  # type: ignore[attr-defined]
    body = [b.text["zh"] for b in nodes[area].body()]  # type: ignore[attr-defined]
    assert body.index("甲") == body.index(items[0]) + 1, "a new item is shown where it was proposed"
