"""Rules on the results framework's structure: counts, tables, numbering, titles."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from actionplan.ingest import vocabulary as V
from actionplan.lint.catalogue import Hit, rule
from actionplan.model import Plan
from actionplan.model.texts import iter_texts

_ZH_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_EN_NUMERALS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_CLAIM_ZH = re.compile(
    r"(?P<n>\d+|[一二两三四五六七八九十]{1,3})\s*个\s*(?:相关的?)?\s*(?P<what>部门目标|输出成果|绩效指标|成果|目标|输出)"
)
_CLAIM_EN = re.compile(
    r"\b(?P<n>\d+|[a-z]+)\s+(?:related\s+|sector\s+)?(?P<what>objectives|outcomes|outputs|performance\s+indicators)\b",
    re.I,
)
_WHAT = {
    "部门目标": "objectives",
    "目标": "objectives",
    "成果": "outcomes",
    "输出成果": "outputs",
    "输出": "outputs",
    "绩效指标": "indicators",
}


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    if word.lower() in _EN_NUMERALS:
        return _EN_NUMERALS[word.lower()]
    if all(c in _ZH_NUMERALS for c in word):
        if word == "十":
            return 10
        if word.startswith("十"):
            return 10 + _ZH_NUMERALS[word[1]]
        if len(word) == 1:
            return _ZH_NUMERALS[word]
        if len(word) >= 2 and word[1] == "十":
            return _ZH_NUMERALS[word[0]] * 10 + (_ZH_NUMERALS[word[2]] if len(word) == 3 else 0)
    return None


@rule(
    "AP001",
    "count-claim-mismatch",
    "error",
    rationale="""
    Introductions state how many objectives, outcomes or outputs the plan has. When an
    output is added or merged the sentence is often forgotten, and readers trust the
    sentence. The count in the text must equal the count in the structure.
    """,
    bad="ITU-D战略规划包括四个部门目标和14个相关输出成果。 (the plan has 17 outputs)",
    good="ITU-D战略规划包括四个部门目标和17个相关输出成果。",
)
def count_claims(plan: Plan) -> Iterator[Hit]:
    actual = {
        "objectives": len(plan.objectives),
        "outcomes": len(plan.all_outcomes()),
        "outputs": len(plan.all_outputs()),
        "indicators": len(plan.all_indicators()),
    }
    for et in iter_texts(plan):
        if et.field != "text":
            continue
        for m in list(_CLAIM_ZH.finditer(et.text)) + list(_CLAIM_EN.finditer(et.text)):
            n = _number(m["n"])
            what = _WHAT.get(m["what"]) or m["what"].lower().split()[-1]
            if n is not None and what in actual and n != actual[what]:
                yield Hit(
                    f"text claims {m.group(0).strip()!r} ({n} {what}) but the plan has {actual[what]} {what}",
                    et.node.eid,
                    et.node.line,
                )


@rule(
    "AP002",
    "duplicate-output-title",
    "error",
    rationale="""
    Each output is a distinct product line; two outputs with the same title mean one title
    was pasted over another (and readers cannot tell them apart in reports).
    """,
    bad="输出3.1 关于电信/ICT政策与监管的产品与服务 / 输出3.2 关于电信/ICT政策与监管的产品与服务",
    good="输出3.2 关于电信/ICT统计的产品与服务",
)
def duplicate_output_titles(plan: Plan) -> Iterator[Hit]:
    seen: dict[tuple[str, str], str] = {}
    for out in plan.all_outputs():
        for lang, title in out.title.items():
            key = (lang, re.sub(r"\s+", "", title))
            if key in seen:
                yield Hit(
                    f"output {out.number} has the same {lang} title as output {seen[key]}: {title!r}", out.eid, out.line
                )
            else:
                seen[key] = out.number


@rule(
    "AP003",
    "outcome-table-header",
    "warning",
    rationale="""
    The outcomes table's columns are outcome | performance indicators | outputs. A header
    that labels the outcome column 'output' (输出成果) confuses the two levels of the
    results framework.
    """,
    bad="输出成果 | 绩效指标 | 输出成果（产品和服务）",
    good="成果 | 绩效指标 | 输出成果（产品和服务）",
)
def table_headers(plan: Plan) -> Iterator[Hit]:
    for obj in plan.objectives:
        if not obj.table_header:
            yield Hit(f"objective {obj.number}'s outcomes table has no header row", obj.eid, obj.line)
            continue
        labels = [next(iter(t.values()), "") for t in obj.table_header]
        if not V.COL_OUTCOME.match(labels[0].strip()):
            yield Hit(
                f"objective {obj.number}: first column labelled {labels[0]!r}, expected '成果' / 'Outcome'",
                obj.eid,
                obj.line,
            )
        if len(labels) > 1 and not V.COL_INDICATORS.search(labels[1]):
            yield Hit(
                f"objective {obj.number}: second column labelled {labels[1]!r}, "
                "expected '绩效指标' / 'Performance indicators'",
                obj.eid,
                obj.line,
            )


@rule(
    "AP004",
    "outcome-output-mismatch",
    "error",
    rationale="""
    An output's reference statements say which outcome it serves ('将推动成果1.1的实现').
    The objective's table is the authority: the outcome named in the text must be one whose
    row lists the output, else one of the two was not updated.
    """,
    bad="输出成果1.3 … 将推动成果1.1的实现 (the table lists output 1.3 under outcome 1.2)",
    good="输出成果1.3 … 将推动成果1.2的实现",
)
def outcome_mentions_agree(plan: Plan) -> Iterator[Hit]:
    from actionplan.ingest.references import outcome_mentions

    served: dict[str, set[str]] = defaultdict(set)
    for oc in plan.all_outcomes():
        for num in oc.outputs:
            served[num].add(oc.number)
    for out in plan.all_outputs():
        texts = [(s.eid, s.line, next(iter(s.text.values()), "")) for s in out.references.statements]
        texts += [
            (b.eid, b.line, next(iter(b.text.values()), ""))
            for b in out.regional_initiatives_intro + out.study_group_questions_intro
        ]
        for eid, line, text in texts:
            for num in outcome_mentions(text):
                if served[out.number] and num not in served[out.number]:
                    yield Hit(
                        f"says output {out.number} contributes to outcome {num}, "
                        f"but the table maps it to outcome {', '.join(sorted(served[out.number]))}",
                        eid,
                        line,
                    )


@rule(
    "AP005",
    "output-table-mismatch",
    "error",
    rationale="""
    Every output must appear in exactly one row of its objective's outcomes table, and every
    output the table lists must exist as a section. A gap means the table or the sections
    were edited alone.
    """,
    bad="table lists 1.1, 1.2, 1.5 … but the document has no section for output 1.5",
    good="every number in the table has its section and vice versa",
)
def outputs_match_table(plan: Plan) -> Iterator[Hit]:
    for obj in plan.objectives:
        listed: dict[str, list[str]] = defaultdict(list)
        for oc in obj.outcomes:
            for num in oc.outputs:
                listed[num].append(oc.number)
        sections = {o.number for o in obj.outputs}
        for out in obj.outputs:
            if not listed.get(out.number):
                yield Hit(
                    f"output {out.number} is in no row of objective {obj.number}'s outcomes table", out.eid, out.line
                )
            elif len(listed[out.number]) > 1:
                yield Hit(
                    f"output {out.number} is listed under several outcomes: {', '.join(listed[out.number])}",
                    out.eid,
                    out.line,
                )
        for num in listed:
            if num not in sections:
                yield Hit(f"objective {obj.number}'s table lists output {num}, which has no section", obj.eid, obj.line)


@rule(
    "AP006",
    "numbering",
    "error",
    rationale="""
    Outputs are numbered <objective>.<n> from 1 without gaps; objectives from 1. Gaps and
    numbers under the wrong objective break every cross-reference.
    """,
    bad="部门目标 2 … 输出2.1, 输出2.3 (no 2.2) or 输出3.1 under objective 2",
    good="部门目标 2 … 输出2.1, 输出2.2, 输出2.3",
)
def numbering(plan: Plan) -> Iterator[Hit]:
    for k, obj in enumerate(plan.objectives, 1):
        if obj.number != k:
            yield Hit(f"objective numbered {obj.number}, expected {k}", obj.eid, obj.line)
        for n, out in enumerate(obj.outputs, 1):
            if out.number != f"{obj.number}.{n}":
                yield Hit(f"output numbered {out.number}, expected {obj.number}.{n}", out.eid, out.line)
    seen: set[str] = set()
    for node in plan.walk():
        if node.eid in seen:
            yield Hit(f"element id {node.eid} is used twice", node.eid, node.line)
        seen.add(node.eid)


@rule(
    "AP007",
    "not-understood",
    "warning",
    rationale="""
    The importer keeps every line it could not place in the structure. Such lines are
    usually stray fragments, broken headings or tables the editor mangled.
    """,
    bad="a heading typed as '输出 成果 2.1' that the importer cannot recognise",
    good="'输出成果2.1'",
)
def not_understood(plan: Plan) -> Iterator[Hit]:
    for sl in plan.not_understood:
        yield Hit(f"line not understood: {sl.text[:80]!r}", None, sl.line)
