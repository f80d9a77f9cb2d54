"""Rules on references: resolutions, WSIS action lines, SDG goals and targets."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator

from actionplan import registry
from actionplan.ingest.references import canonical_place, conference_body, find_citations, sdg_codes_as_written
from actionplan.lint.catalogue import Hit, rule
from actionplan.model import Output, Plan
from actionplan.model.texts import iter_texts

_STANDARD_SDG = re.compile(r"\d{1,2}\.[a-z0-9]{1,2}(\.\d{1,2})?")
LISTS = (
    "pp_resolutions",
    "pp_decisions",
    "wtdc_resolutions",
    "itu_d_recommendations",
    "wsis_action_lines",
    "sdg_goals",
    "sdg_targets",
    "sdg_indicators",
)


def _statement(out: Output, topic: str) -> tuple[str | None, int | None]:
    s = next((s for s in out.references.statements if s.topic == topic), None)
    return (s.eid, s.line) if s else (out.references.eid, out.references.line)


@rule(
    "AP101",
    "duplicate-reference",
    "warning",
    rationale="""
    A number repeated within one reference list is a copy-and-paste slip; often the
    repeated number stands where another resolution was meant.
    """,
    bad="PP第…126、127、130、131、127、135…号决议",
    good="PP第…126、127、130、131、135…号决议",
)
def duplicate_references(plan: Plan) -> Iterator[Hit]:
    topic = {"wsis_action_lines": "wsis", "sdg_goals": "sdgs", "sdg_targets": "sdgs", "sdg_indicators": "sdgs"}
    for out in plan.all_outputs():
        for name in LISTS:
            counts = Counter(getattr(out.references, name))
            for value, n in counts.items():
                if n > 1:
                    eid, line = _statement(out, topic.get(name, "resolutions"))
                    yield Hit(f"output {out.number}: {name} lists {value} {n} times", eid, line)


@rule(
    "AP102",
    "nonstandard-sdg-code",
    "warning",
    rationale="""
    SDG targets are written goal.target ('9.a', '17.6'). Forms such as '9a' or '5b', and
    calling a target an indicator ('指标3.d'; indicators have three parts such as 9.c.1),
    are ambiguous in search and in data exchange.
    """,
    bad="9（目标9a、9c） / 3（指标3.d）",
    good="9（目标9.a、9.c） / 3（目标3.d）",
)
def nonstandard_sdg_codes(plan: Plan) -> Iterator[Hit]:
    for out in plan.all_outputs():
        for s in out.references.statements:
            if s.topic != "sdgs":
                continue
            codes = sdg_codes_as_written(next(iter(s.text.values()), ""))
            labelled = [c[2:] for c in codes if c.startswith("指标")]
            if labelled:
                yield Hit(
                    f"output {out.number}: targets {', '.join(labelled)} are labelled 指标 (indicator); write 目标",
                    s.eid,
                    s.line,
                )
            odd = [c for c in codes if not c.startswith("指标") and not _STANDARD_SDG.fullmatch(c)]
            if odd:
                fixed = ", ".join(f"{c} → {registry.normalise_sdg_target(c) or '?'}" for c in odd)
                yield Hit(f"output {out.number}: non-standard SDG codes: {fixed}", s.eid, s.line)


@rule(
    "AP103",
    "unknown-sdg",
    "error",
    rationale="""
    Every goal, target and indicator must exist in the UN SDG framework (A/RES/71/313), and a
    target must sit under its own goal. Unknown codes cannot be traced or reported.
    """,
    bad="9（目标9.9） / 3（目标5.b）",
    good="9（目标9.c） / 5（目标5.b）",
)
def unknown_sdgs(plan: Plan) -> Iterator[Hit]:
    for out in plan.all_outputs():
        refs = out.references
        eid, line = _statement(out, "sdgs")
        for g in refs.sdg_goals:
            if registry.sdg_goal(g) is None:
                yield Hit(f"output {out.number}: SDG {g} does not exist (goals are 1-17)", eid, line)
        for t in refs.sdg_targets:
            if registry.sdg_target(t) is None:
                yield Hit(f"output {out.number}: SDG target {t} does not exist", eid, line)
            elif refs.sdg_goals and int(t.split(".")[0]) not in refs.sdg_goals:
                yield Hit(f"output {out.number}: target {t} is listed but goal {t.split('.')[0]} is not", eid, line)
        for i in refs.sdg_indicators:
            if registry.sdg_indicator(i) is None:
                yield Hit(f"output {out.number}: SDG indicator {i} does not exist", eid, line)


@rule(
    "AP104",
    "unknown-wsis-line",
    "error",
    rationale="WSIS action lines are C1 to C11 (Geneva Plan of Action); other codes cannot be traced.",
    bad="WSIS行动方针C12",
    good="WSIS行动方针C2",
)
def unknown_wsis(plan: Plan) -> Iterator[Hit]:
    for out in plan.all_outputs():
        eid, line = _statement(out, "wsis")
        for code in out.references.wsis_action_lines:
            if registry.wsis_line(code) is None:
                yield Hit(f"output {out.number}: WSIS action line {code} does not exist (C1-C11)", eid, line)


@rule(
    "AP105",
    "inconsistent-revision",
    "warning",
    rationale="""
    A resolution is revised at each conference; the plan should cite one revision of it
    throughout (normally the latest). Citing 'Resolution 2 (Rev. Dubai, 2014)' in one place
    and '(Rev. Buenos Aires, 2017)' in another leaves readers unsure which text applies.
    """,
    bad="WTDC第2号决议（2014年，迪拜，修订版） … 第2号决议（2017年，布宜诺斯艾利斯，修订版）",
    good="第2号决议（2017年，布宜诺斯艾利斯，修订版） everywhere",
)
def inconsistent_revisions(plan: Plan) -> Iterator[Hit]:
    cited: dict[tuple[str, str, int], list[tuple[tuple[int | None, str | None], str, int | None]]] = defaultdict(list)
    for et in iter_texts(plan):
        for c in find_citations(et.text):
            cited[(c.body, c.kind, c.number)].append(((c.year, canonical_place(c.place)), et.node.eid, et.node.line))
    for (body, kind, number), uses in cited.items():
        revisions = {rev for rev, _, _ in uses}
        if len(revisions) > 1:
            latest = max(revisions, key=lambda r: r[0] or 0)
            for rev, eid, line in uses:
                if rev != latest:
                    yield Hit(
                        f"{body} {kind} {number} cited as ({rev[1]}, {rev[0]}) here "
                        f"but as ({latest[1]}, {latest[0]}) elsewhere",
                        eid,
                        line,
                    )


@rule(
    "AP106",
    "citation-body-mismatch",
    "warning",
    rationale="""
    The place and year of a revision identify the conference: Busan 2014 was a
    Plenipotentiary Conference (PP), Dubai 2014 a WTDC. A citation that names one body with
    another body's conference points to a text that does not exist.
    """,
    bad="全权代表大会第16号决议（2014年，迪拜，修订版） (Dubai 2014 was WTDC-14)",
    good="WTDC第16号决议（2014年，迪拜，修订版）",
)
def citation_body(plan: Plan) -> Iterator[Hit]:
    for et in iter_texts(plan):
        for c in find_citations(et.text):
            conf = conference_body(c.place, c.year)
            if conf and c.body in ("PP", "WTDC") and c.body != conf:
                yield Hit(
                    f"{c.text!r} names {c.body}, but {c.place} {c.year} was a {conf} conference",
                    et.node.eid,
                    et.node.line,
                )


@rule(
    "AP107",
    "missing-list-separator",
    "warning",
    rationale="""
    Items of a reference list are separated by '、', '，', ',' or 'and'. Two numbers with only
    a space between them ('10 11') read as one item in some tools and as a typo to people.
    """,
    bad="WTDC第9、10 11、15号决议",
    good="WTDC第9、10、11、15号决议",
)
def missing_separator(plan: Plan) -> Iterator[Hit]:
    for out in plan.all_outputs():
        for s in out.references.statements:
            text = next(iter(s.text.values()), "")
            for m in re.finditer(r"(?<![\d.])\d{1,3} +\d{1,3}(?![\d.])", text):
                yield Hit(f"output {out.number}: numbers {m.group(0)!r} lack a separator", s.eid, s.line)


@rule(
    "AP108",
    "missing-references",
    "warning",
    rationale="""
    Every output states which resolutions, WSIS action lines and SDGs it serves; the
    traceability matrices are built from these statements.
    """,
    bad="an output without a WSIS or SDG statement",
    good="PP/WTDC resolutions, WSIS action lines and SDG statements for every output",
)
def missing_references(plan: Plan) -> Iterator[Hit]:
    for out in plan.all_outputs():
        topics = {s.topic for s in out.references.statements}
        for topic in ("resolutions", "wsis", "sdgs"):
            if topic not in topics:
                yield Hit(f"output {out.number} has no {topic} statement", out.eid, out.line)
