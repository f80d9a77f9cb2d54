"""Traceability: which outputs serve an SDG goal or target, a WSIS line, a resolution.

Plain functions over the model. ``links(plan)`` flattens every output's references into
(output, scheme, code) rows, the one table from which look-ups, matrices and coverage
reports are built.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from actionplan.errors import ValidationError
from actionplan.model import Output, Plan

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


def outputs_citing(plan: Plan, scheme: str, code: str) -> list[Output]:
    """Outputs citing ``code`` under ``scheme``; an SDG goal also matches its targets,
    and 'all WTDC resolutions' / 'all WSIS lines' / 'all SDGs' statements match too."""
    if scheme not in SCHEMES:
        raise ValidationError(f"unknown reference scheme {scheme!r}", expected=", ".join(SCHEMES))
    found: list[Output] = []
    for out in plan.all_outputs():
        refs = out.references
        values = [str(v) for v in getattr(refs, SCHEMES[scheme])]
        hit = code in values
        if scheme == "sdg_goal":
            hit = hit or any(t.split(".")[0] == code for t in refs.sdg_targets) or refs.all_sdgs
        elif scheme == "sdg_target":
            hit = hit or refs.all_sdgs
        elif scheme == "wsis":
            hit = hit or refs.all_wsis_action_lines
        elif scheme == "wtdc_resolution":
            hit = hit or refs.all_wtdc_resolutions
        if hit:
            found.append(out)
    return found


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
