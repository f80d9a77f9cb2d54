"""Traceability: which outputs serve an SDG goal or target, a WSIS line, a resolution.

Plain functions over the model. ``links(plan)`` flattens every output's references into
(output, scheme, code) rows, the one table from which look-ups, matrices and coverage
reports are built.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from actionplan import registry
from actionplan.errors import ValidationError
from actionplan.ingest.references import canonical_place, find_citations
from actionplan.model import Output, Plan
from actionplan.model.texts import iter_texts

SCHEMES = {
    "sdg_goal": "sdg_goals",
    "sdg_target": "sdg_targets",
    "sdg_indicator": "sdg_indicators",
    "wsis": "wsis_action_lines",
    "pp_resolution": "pp_resolutions",
    "pp_decision": "pp_decisions",
    "wtdc_resolution": "wtdc_resolutions",
    "itu_d_recommendation": "itu_d_recommendations",
}


class Link(NamedTuple):
    output: Output
    scheme: str
    code: str


def links(plan: Plan) -> list[Link]:
    """Every reference of every output, once per (output, scheme, code)."""
    rows: list[Link] = []
    for out in plan.all_outputs():
        seen: set[tuple[str, str]] = set()
        for scheme, attr in SCHEMES.items():
            for value in getattr(out.references, attr):
                key = (scheme, str(value))
                if key not in seen:
                    seen.add(key)
                    rows.append(Link(out, scheme, str(value)))
    return rows


class Citing(NamedTuple):
    output: Output
    basis: str
    """how the output cites it: the code itself, a target of the goal, or an 'all …' statement"""


def outputs_citing(plan: Plan, scheme: str, code: str) -> list[Citing]:
    """Outputs citing ``code`` under ``scheme``, with the basis of each citation.

    An SDG goal is also cited through its targets; statements citing 'all SDGs', 'all
    WSIS action lines' or 'all WTDC resolutions' cite every code of their scheme.
    """
    if scheme not in SCHEMES:
        raise ValidationError(f"unknown reference scheme {scheme!r}", expected=", ".join(SCHEMES))
    found: list[Citing] = []
    for out in plan.all_outputs():
        basis = _basis(out, scheme, code)
        if basis:
            found.append(Citing(out, basis))
    return found


_ALL_FLAGS = {
    "sdg_goal": ("all_sdgs", "all SDGs"),
    "sdg_target": ("all_sdgs", "all SDGs"),
    "sdg_indicator": ("all_sdgs", "all SDGs"),
    "wsis": ("all_wsis_action_lines", "all WSIS action lines"),
    "wtdc_resolution": ("all_wtdc_resolutions", "all WTDC resolutions"),
}


def _basis(out: Output, scheme: str, code: str) -> str | None:
    refs = out.references
    if code in [str(v) for v in getattr(refs, SCHEMES[scheme])]:
        return code
    if scheme == "sdg_goal":
        targets = [t for t in refs.sdg_targets if t.split(".")[0] == code]
        if targets:
            return "targets " + ", ".join(targets)
    flag = _ALL_FLAGS.get(scheme)
    if flag and getattr(refs, flag[0]):
        return flag[1]
    return None


def classify_code(kind: str, code: str) -> tuple[str, str]:
    """CLI words to (scheme, normalised code): ('sdg', '9c') -> ('sdg_target', '9.c')."""
    kind = kind.lower()
    if kind == "sdg":
        if re.fullmatch(r"\d{1,2}", code):
            return "sdg_goal", str(int(code))
        m = re.fullmatch(r"(\d{1,2})[.\-]?([a-z]|\d{1,2})(?:[.\-](\d{1,2}))?", code.lower())
        if not m:
            raise ValidationError(f"not an SDG goal, target or indicator: {code!r}", expected="9, 9.c or 9.c.1")
        if m[3]:
            return "sdg_indicator", f"{int(m[1])}.{m[2]}.{int(m[3])}"
        return "sdg_target", f"{int(m[1])}.{m[2]}"
    if kind == "wsis":
        m = re.fullmatch(r"[cC]\s?(\d{1,2})", code.strip())
        if not m:
            raise ValidationError(f"not a WSIS action line: {code!r}", expected="C1 … C11")
        return "wsis", f"C{int(m[1])}"
    schemes = {
        "pp": "pp_resolution",
        "pp-decision": "pp_decision",
        "wtdc": "wtdc_resolution",
        "itu-d": "itu_d_recommendation",
    }
    if kind in schemes:
        if not code.isdigit():
            raise ValidationError(f"not a resolution number: {code!r}", expected="a number such as 71")
        return schemes[kind], str(int(code))
    raise ValidationError(f"unknown reference kind {kind!r}", expected="sdg, wsis, pp, pp-decision, wtdc, itu-d")


_BODIES = {
    "pp_resolution": ("PP", "resolution", "PP Resolution {n}", "全权代表大会第{n}号决议"),
    "pp_decision": ("PP", "decision", "PP Decision {n}", "全权代表大会第{n}号决定"),
    "wtdc_resolution": ("WTDC", "resolution", "WTDC Resolution {n}", "WTDC第{n}号决议"),
    "itu_d_recommendation": ("ITU-D", "recommendation", "Recommendation ITU-D {n}", "ITU-D第{n}号建议"),
}


def cited_revisions(plan: Plan) -> dict[tuple[str, str, str], list[str]]:
    """Every revision under which the plan cites a resolution, decision or recommendation,
    keyed by (body, kind, number): one pass over the text, for pages that list many."""
    found: dict[tuple[str, str, str], set[str]] = {}
    for et in iter_texts(plan):
        for c in find_citations(et.text):
            found.setdefault((c.body, c.kind, str(c.number)), set()).add(f"{canonical_place(c.place)}, {c.year}")
    return {k: sorted(v) for k, v in found.items()}


def describe(
    scheme: str,
    code: str,
    plan: Plan | None = None,
    revisions: dict[tuple[str, str, str], list[str]] | None = None,
) -> dict[str, str] | None:
    """Titles of a reference by language, from the shipped registries (None if unknown).

    WSIS lines have no official Chinese title in any source we found: the unofficial one is
    labelled as such. Resolutions have no shipped registry: their name in both languages,
    and the revisions (place, year) under which ``plan`` cites them (pass ``revisions``
    from :func:`cited_revisions` when describing many references of one plan).
    """
    if scheme in _BODIES:
        body, kind, en, zh = _BODIES[scheme]
        titles = {"en": en.format(n=code), "zh": zh.format(n=code)}
        if revisions is None and plan is not None:
            revisions = cited_revisions(plan)
        cited = (revisions or {}).get((body, kind, code))
        if cited:
            titles["cited as"] = "; ".join(cited)
        return titles
    lookup = {
        "sdg_goal": lambda: registry.sdg_goal(int(code)),
        "sdg_target": lambda: registry.sdg_target(code),
        "sdg_indicator": lambda: registry.sdg_indicator(code),
        "wsis": lambda: registry.wsis_line(code),
    }
    item = lookup[scheme]()
    if item is None:
        return None
    titles = {k: v for k, v in item.title.items() if v}
    unofficial = getattr(item, "title_zh_unofficial", None)
    if "zh" not in titles and unofficial:
        titles["zh (unofficial)"] = unofficial
    return titles
