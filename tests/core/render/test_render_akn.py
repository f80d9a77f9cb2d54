"""Akoma Ntoso: valid against the AKN 3.0 schema, one language, eId = the model's eid."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from actionplan.errors import ValidationError
from actionplan.model import Plan
from actionplan.render.akn import render_akn

NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def parse(data: bytes) -> etree._Element:
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    return etree.fromstring(data)


def assert_valid(schema: etree.XMLSchema, root: etree._Element) -> None:
    ok = schema.validate(root)
    assert ok, "\n".join(f"{e.line}: {e.message}" for e in schema.error_log)


def test_akn_validates_against_schema_in_both_languages(plan: Plan, akn_schema) -> None:
    for lang in ("zh", "en"):
        assert_valid(akn_schema, parse(render_akn(plan, lang)))


def test_akn_every_eid_is_an_eid_attribute(plan: Plan) -> None:
    root = parse(render_akn(plan))
    eids = root.xpath("//@eId")
    assert len(eids) == len(set(eids))
    assert {n.eid for n in plan.walk()} <= set(eids)


def test_akn_identification(plan: Plan) -> None:
    """Work, expression and manifestation URIs follow /akn/int/doc/itu-d/<year>/<code>."""
    root = parse(render_akn(plan))
    assert root.xpath("/a:akomaNtoso/a:doc/@name", namespaces=NS) == ["actionPlan"]

    def value(path: str) -> str:
        (v,) = root.xpath(f"//a:identification/{path}", namespaces=NS)
        return str(v)

    assert value("a:FRBRWork/a:FRBRthis/@value") == "/akn/int/doc/itu-d/2017/baap/!main"
    assert value("a:FRBRWork/a:FRBRuri/@value") == "/akn/int/doc/itu-d/2017/baap"
    assert value("a:FRBRWork/a:FRBRdate/@date") == "2017-10-20"
    assert value("a:FRBRExpression/a:FRBRlanguage/@language") == "zho"
    assert value("a:FRBRExpression/a:FRBRthis/@value") == ("/akn/int/doc/itu-d/2017/baap/zho@2017-10-20/!main")
    assert value("a:FRBRExpression/a:FRBRauthoritative/@value") == "true"
    assert value("a:FRBRManifestation/a:FRBRthis/@value") == ("/akn/int/doc/itu-d/2017/baap/zho@2017-10-20/!main.xml")
    assert root.xpath("//a:FRBRtranslation", namespaces=NS) == []


def test_akn_translation_is_marked_unofficial(plan: Plan) -> None:
    root = parse(render_akn(plan, "en", expression_date=dt.date(2018, 1, 1)))
    assert root.xpath("//a:FRBRlanguage/@language", namespaces=NS) == ["eng"]
    assert root.xpath("//a:FRBRauthoritative/@value", namespaces=NS) == ["false"]
    (tr,) = root.xpath("//a:FRBRtranslation", namespaces=NS)
    assert tr.get("fromLanguage") == "zho"
    assert tr.get("href") == "/akn/int/doc/itu-d/2017/baap/zho@2018-01-01"


def test_akn_defaults_to_plan_language_and_marks_foreign_text(plan: Plan) -> None:
    """Only the expression's language is main text; a gap shows the other in xml:lang."""
    root = parse(render_akn(plan))
    (title,) = root.xpath("//a:docTitle", namespaces=NS)
    assert title.text == "布宜诺斯艾利斯行动计划"
    spans = root.xpath("//a:span[@class='fallback']", namespaces=NS)
    assert [(s.get(XML_LANG), s.text) for s in spans] == [("en", "Regional cooperation indicator")]
    body_text = "".join(root.xpath("//a:mainBody//text()", namespaces=NS))
    assert "Enhanced review and consensus" not in body_text  # the English of outcome 1.1


def test_akn_hierarchy_of_objectives_outcomes_outputs(plan: Plan) -> None:
    root = parse(render_akn(plan))

    def named(eid: str) -> str:
        (el,) = root.xpath(f"//*[@eId='{eid}']")
        return f"{etree.QName(el).localname}:{el.get('name')}"

    assert named("obj_1") == "hcontainer:objective"
    assert named("obj_1__outcome_1.1") == "hcontainer:outcome"
    assert named("obj_1__outcome_1.1__ind_1") == "hcontainer:indicator"
    assert named("obj_2__output_2.1") == "hcontainer:output"
    assert named("obj_2__output_2.1__project_1") == "hcontainer:project"
    assert named("obj_2__output_2.1__project_1__area_1") == "hcontainer:workArea"
    assert named("obj_2__output_2.1__ri_eur") == "hcontainer:regionalInitiative"
    assert named("obj_2__output_2.1__sgq_1") == "hcontainer:studyGroupQuestion"
    assert named("obj_2__output_2.1__refs") == "hcontainer:references"
    assert named("obj_2__output_2.1__refs__stmt_1") == "hcontainer:statement"
    assert named("preface__sec_1") == "tblock:None"
    (indicator,) = root.xpath("//*[@eId='obj_1__outcome_1.1__ind_2']//a:p", namespaces=NS)
    assert indicator.text == "批准的宣言 | 支持/共识程度"


def test_akn_refs_for_sdgs_wsis_resolutions_and_internal_links(plan: Plan) -> None:
    root = parse(render_akn(plan))
    hrefs = root.xpath("//a:ref/@href", namespaces=NS)
    assert "https://unstats.un.org/sdgs/metadata/?Text=&Goal=9&Target=9.c" in hrefs
    assert "https://www.itu.int/net/wsis/docs/geneva/official/poa.html#c11" in hrefs
    assert "/akn/int/doc/resolution/itu-pp/71" in hrefs
    assert "/akn/int/doc/decision/itu-pp/5" in hrefs
    eids = set(root.xpath("//@eId"))
    internal = [h[1:] for h in hrefs if h.startswith("#")]
    assert "obj_1__output_1.2" in internal and "obj_2__outcome_2.1" in internal
    assert set(internal) <= eids


def test_akn_unknown_plan_code_needs_a_work_date(plan: Plan) -> None:
    """No adoption date is invented: an unknown code without work_date is an error."""
    other = plan.model_copy(update={"code": "kap"})
    with pytest.raises(ValidationError, match="no adoption date known for plan 'kap'"):
        render_akn(other)
    root = parse(render_akn(other, work_date=dt.date(2014, 4, 10)))
    (this,) = root.xpath("//a:FRBRWork/a:FRBRthis/@value", namespaces=NS)
    assert this == "/akn/int/doc/itu-d/2014/kap/!main"


def test_akn_seed_is_valid_and_has_every_eid(seed_plan: Plan, akn_schema) -> None:
    for lang in ("zh", "en"):
        root = parse(render_akn(seed_plan, lang))
        assert_valid(akn_schema, root)
        eids = root.xpath("//@eId")
        assert {n.eid for n in seed_plan.walk()} <= set(eids)
        outputs = root.xpath("//a:hcontainer[@name='output']", namespaces=NS)
        assert len(outputs) == 17


def test_akn_schema_check_has_teeth(plan: Plan, akn_schema) -> None:
    """Negative control: the same document without a required ``name`` is rejected."""
    root = parse(render_akn(plan))
    (objective,) = root.xpath("//a:hcontainer[@eId='obj_1']", namespaces=NS)
    del objective.attrib["name"]
    assert not akn_schema.validate(root)
