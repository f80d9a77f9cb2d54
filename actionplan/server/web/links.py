"""Where things live on the site: element ids and references to page URLs.

:func:`urls_for_eid` maps any element id of a plan to the page that shows it, with the
eid as the fragment (every element is rendered with ``id="<eid>"``); :func:`ref_url` maps
a normalised reference (scheme, code) to its reference page. Both return a path with the
version query (``?version=…``, may be empty) before the fragment, as URLs require.
"""

from __future__ import annotations

from django.urls import reverse

from actionplan.errors import ValidationError
from actionplan.model import Indicator, Plan, parse_eid

RESOLUTION_BODIES = {
    "pp": "pp_resolution",
    "wtdc": "wtdc_resolution",
    "pp-decisions": "pp_decision",
    "itu-d": "itu_d_recommendation",
}
"""URL segment under ``/resolutions/`` -> trace scheme."""

BODY_OF_SCHEME = {scheme: body for body, scheme in RESOLUTION_BODIES.items()}


def _with(path: str, query: str, fragment: str = "") -> str:
    return path + query + (f"#{fragment}" if fragment else "")


def urls_for_eid(plan: Plan, eid: str, query: str = "") -> str:
    """The page URL showing element ``eid`` of ``plan`` (``/outputs/2.1/#<eid>``, ...).

    Outputs and everything in them go to the output page, indicators to their own page,
    outcomes to their objective's table, front matter, introduction and notes to the
    introduction page. An eid that cannot be read goes to the overview.
    """
    try:
        parts = dict(parse_eid(eid))
    except ValidationError:
        return _with(reverse("web:overview"), query)
    if "output" in parts:
        page = reverse("web:output", args=[parts["output"]])
        return _with(page, query, "" if eid.endswith(f"output_{parts['output']}") else eid)
    if "ind" in parts:
        node = plan.element(eid)
        if isinstance(node, Indicator):
            return _with(reverse("web:indicator", args=[node.number]), query)
    if "obj" in parts and parts["obj"].isdigit():
        page = reverse("web:objective", args=[int(parts["obj"])])
        return _with(page, query, "" if eid == f"obj_{parts['obj']}" else eid)
    if {"preface", "chp", "notes"} & parts.keys():
        return _with(reverse("web:introduction"), query, eid)
    return _with(reverse("web:overview"), query)


def ref_url(scheme: str, code: str, query: str = "") -> str | None:
    """The reference page of ``code`` under a trace scheme (None for schemes without pages).

    An SDG indicator has no page of its own: it links to its target's page.
    """
    if scheme == "sdg_goal":
        return _with(reverse("web:sdg_goal", args=[int(code)]), query)
    if scheme in ("sdg_target", "sdg_indicator"):
        goal, sub = code.split(".")[:2]
        return _with(reverse("web:sdg_target", args=[int(goal), f"{goal}.{sub}"]), query)
    if scheme == "wsis":
        return _with(reverse("web:wsis_line", args=[code]), query)
    if scheme in BODY_OF_SCHEME:
        return _with(reverse("web:resolution", args=[BODY_OF_SCHEME[scheme], int(code)]), query)
    return None
