"""Rules on the text itself: placeholders, brackets, fragments, misspelt names."""

from __future__ import annotations

import re
from collections.abc import Iterator

from actionplan.lint.catalogue import Hit, rule
from actionplan.model import Block, Plan
from actionplan.model.texts import iter_texts

_PLACEHOLDER = re.compile(r"(?<![A-Za-z])[XＸ](?![A-Za-z])|…{2,}|\.{4,}|TBD|待定|\[\s*\]")
_GENERIC_SGQ = re.compile(r"^(?:第?\s*[XＸ]?\s*号?\s*研究组\s*[XＸ]?\s*课题|Study\s+Group\s+Questions?)$", re.I)


@rule(
    "AP201",
    "empty-regional-initiatives",
    "warning",
    rationale="""
    Each output lists the regional initiatives (per ITU-D region) that serve it. An empty
    slot is a placeholder left unfilled when the plan was drafted.
    """,
    bad="非洲区域 | (empty)",
    good="非洲区域 | AFR1: 建设数字经济并促进数字创新…",
)
def empty_regional_initiatives(plan: Plan) -> Iterator[Hit]:
    for out in plan.all_outputs():
        empty = [s.region for s in out.regional_initiatives if not s.blocks]
        if empty and out.regional_initiatives:
            first = out.regional_initiatives[0]
            yield Hit(f"output {out.number}: no regional initiative for {', '.join(empty)}", first.eid, first.line)


@rule(
    "AP202",
    "placeholder-study-group-question",
    "warning",
    rationale="""
    Study-group question slots must name a real question (e.g. 'Question 1/1'). Labels such
    as '研究组X课题' or an empty slot are drafting placeholders.
    """,
    bad="研究组X课题 | (empty)",
    good="第1研究组第1/1号课题 | 发展中国家的宽带接入战略和政策",
)
def placeholder_sgq(plan: Plan) -> Iterator[Hit]:
    for out in plan.all_outputs():
        for q in out.study_group_questions:
            label = next(iter(q.label.values()), "")
            if _PLACEHOLDER.search(label) or _GENERIC_SGQ.match(label.strip()) or not (label or q.text):
                yield Hit(f"output {out.number}: study-group question slot {label!r} is a placeholder", q.eid, q.line)


@rule(
    "AP203",
    "square-brackets",
    "warning",
    rationale="""
    In ITU texts square brackets mark wording not yet agreed. Brackets left in a plan text
    mean a negotiation was not closed (or the brackets were forgotten).
    """,
    bad="接受[集中]援助的国家数量",
    good="接受集中援助的国家数量",
)
def square_brackets(plan: Plan) -> Iterator[Hit]:
    for et in iter_texts(plan):
        for m in re.finditer(r"\[[^\]]{1,80}\]", et.text):
            yield Hit(f"bracketed text {m.group(0)!r} left in the text", et.node.eid, et.node.line)


_LEAD_IN = re.compile(
    r"(?:考虑到|注意到|认识到|忆及|铭记|做出决议|决定|鉴于"
    r"|considering|noting|recognizing|recalling|bearing in mind|resolves)\s*[，,]\s*$",
    re.I,
)


@rule(
    "AP204",
    "unfinished-sentence",
    "warning",
    rationale="""
    A paragraph that ends with a comma, or an item that stops mid-clause, is usually an
    editing remnant (a note to self, half of a deleted sentence).
    """,
    bad="2018-2021路缆：新的标准出来之后，",
    good="(remove the fragment or finish the sentence)",
)
def unfinished_sentences(plan: Plan) -> Iterator[Hit]:
    for node in plan.walk():
        if isinstance(node, Block):
            for text in node.text.values():
                if re.search(r"[，,、]\s*$", text) and not _LEAD_IN.search(text):
                    yield Hit(f"text ends mid-sentence: {text[-40:]!r}", node.eid, node.line)


_MISSPELLINGS = {
    r"(?<![A-Za-z])IUT(?![A-Za-z])": "ITU",
    r"(?<![A-Za-z])ITD-D(?![A-Za-z])": "ITU-D",
    r"(?<![A-Za-z])ITUD(?![A-Za-z])": "ITU-D",
    r"(?<![A-Za-z])ITU T(?![A-Za-z-])": "ITU-T",
    r"(?<![A-Za-z])ITU R(?![A-Za-z-])": "ITU-R",
    r"(?<![A-Za-z])LDS(?![A-Za-z])": "LDCs",
}


@rule(
    "AP205",
    "misspelt-name",
    "warning",
    rationale="""
    Names of ITU bodies and country groups have one spelling (ITU, ITU-D, ITU-T, ITU-R,
    LDCs); variants break search and look careless in an official text.
    """,
    bad="IUT被全世界认为是…",
    good="ITU被全世界认为是…",
)
def misspelt_names(plan: Plan) -> Iterator[Hit]:
    for et in iter_texts(plan):
        for pattern, right in _MISSPELLINGS.items():
            for m in re.finditer(pattern, et.text):
                yield Hit(f"{m.group(0)!r} should read {right!r}", et.node.eid, et.node.line)
