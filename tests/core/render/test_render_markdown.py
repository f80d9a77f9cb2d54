"""Markdown: headings per objective and output, outcome tables, lists, stable anchors."""

from __future__ import annotations

import re

from actionplan.model import Plan
from actionplan.render.markdown import render_markdown

ANCHOR = re.compile(r'<a id="([^"]+)"></a>')


def test_markdown_anchors_every_element_once(plan: Plan) -> None:
    """Every eid of the model appears exactly once as ``<a id>``."""
    md = render_markdown(plan)
    anchors = ANCHOR.findall(md)
    eids = [n.eid for n in plan.walk()]
    assert set(eids) <= set(anchors)
    assert len(anchors) == len(set(anchors))


def test_markdown_headings_for_objectives_outputs_and_projects(plan: Plan) -> None:
    md = render_markdown(plan)
    lines = md.splitlines()
    assert '## <a id="obj_1"></a>部门目标 1 – 协调：促进国际合作' in lines
    assert '### <a id="obj_1__output_1.1"></a>输出成果 1.1 – 世界电信发展会议（WTDC）及其最终报告' in lines
    assert '##### <a id="obj_2__output_2.1__project_1"></a>项目：电信/ICT网络基础设施与服务' in lines
    assert '###### <a id="obj_2__output_2.1__project_1__area_2"></a>频谱管理' in lines


def test_markdown_outcome_table_rows(plan: Plan) -> None:
    """One row per outcome: outcome | indicators joined by <br> | linked outputs."""
    md = render_markdown(plan)
    assert "| 成果 | 绩效指标 | 输出成果（产品和服务） |" in md
    row = next(line for line in md.splitlines() if 'id="obj_1__outcome_1.1"' in line)
    cells = [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]
    assert len(cells) == 3
    assert "增强审议和提高共识度" in cells[0]
    # the indicator's own "|" is escaped so the row keeps three cells
    assert cells[1].count("<br>") == 1 and "批准的宣言 \\| 支持/共识程度" in cells[1]
    assert "[1.1](#obj_1__output_1.1)" in cells[2] and "[1.2](#obj_1__output_1.2)" in cells[2]


def test_markdown_lists_nest_and_keep_printed_numbers(plan: Plan) -> None:
    md = render_markdown(plan)
    area = "obj_2__output_2.1__project_1__area_1"
    assert f'- <a id="{area}__item_3"></a>规划新网络元素；' in md
    assert f'  - <a id="{area}__item_4"></a>子项一' in md
    assert '- <a id="obj_2__output_2.1__project_1__area_2__item_1"></a>1 维护SMS4DC软件；' in md
    assert '- <a id="preface__sec_1__item_2"></a>一、目前世界上跨境光缆\\<未\\>充分利用。' in md


def test_markdown_regional_slots_and_questions(plan: Plan) -> None:
    """Empty regional-initiative slots stay, marked （无）; questions are listed."""
    md = render_markdown(plan)
    assert '- <a id="obj_2__output_2.1__ri_afr"></a>**非洲区域**' in md
    assert '  - <a id="obj_2__output_2.1__ri_afr__para_1"></a>非洲宽带基础设施举措' in md
    assert '- <a id="obj_2__output_2.1__ri_eur"></a>**欧洲区域**：（无）' in md
    assert '- <a id="obj_2__output_2.1__sgq_1"></a>**研究组X课题**' in md


def test_markdown_references_are_normalised_lists_with_links(plan: Plan) -> None:
    md = render_markdown(plan)
    assert "- PP决定：5, 13" in md
    assert "- 可持续发展具体目标：[9.1](https://unstats.un.org/sdgs/metadata/?Text=&Goal=9&Target=9.1)" in md
    assert "- 推动实现的成果：[2.1](#obj_2__outcome_2.1)" in md


def test_markdown_marks_fallback_language(plan: Plan) -> None:
    """A text missing in the wanted language is shown in the other one after [xx]."""
    zh = render_markdown(plan, "zh")
    assert "\\[en\\] Regional cooperation indicator" in zh
    en = render_markdown(plan, "en")
    assert "Output 1.2 – \\[zh\\] 区域性筹备会议（RPMs）的最终报告" in en
    assert "> Unofficial translation for reference only" in en
    assert "Unofficial" not in zh


def test_markdown_escapes_line_start_markers() -> None:
    """Text that starts like a heading or list item is escaped in a paragraph."""
    from actionplan.render.markdown import escape, escape_start

    assert escape_start("# not a heading") == "\\# not a heading"
    assert escape_start("1. not a list") == "1\\. not a list"
    assert escape_start("- not an item") == "\\- not an item"
    assert escape_start("1.1 引言") == "1.1 引言"
    assert escape("a*b_c") == "a\\*b\\_c"


def test_markdown_seed_has_all_17_output_headings(seed_plan: Plan) -> None:
    """The seed's 17 outputs (6 + 3 + 4 + 4) each get a level-3 heading with their anchor."""
    md = render_markdown(seed_plan)
    numbers = [f"{o}.{n}" for o, count in ((1, 6), (2, 3), (3, 4), (4, 4)) for n in range(1, count + 1)]
    for number in numbers:
        pattern = rf'^### <a id="obj_{number[0]}__output_{re.escape(number)}"></a>输出成果 {re.escape(number)} – \S'
        assert re.search(pattern, md, re.M), number
    assert len(re.findall(r"^### .*输出成果 \d\.\d", md, re.M)) == 17
    anchors = set(ANCHOR.findall(md))
    assert {n.eid for n in seed_plan.walk()} <= anchors
