"""Reference pages: an SDG goal or target, a WSIS action line, a resolution, and their indexes.

Each page names the reference in both languages and lists the outputs that cite it, with
the basis of each citation (:func:`actionplan.trace.outputs_citing`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from actionplan import registry
from actionplan.model import Output, Plan, Text
from actionplan.render._links import sdg_goal_href, sdg_target_href, wsis_href
from actionplan.server.web.current import current, versioned
from actionplan.server.web.links import RESOLUTION_BODIES, ref_url
from actionplan.server.web.texts import ui_lang
from actionplan.server.web.views.base import crumb, home_crumb, page
from actionplan.trace import SCHEMES, Citing, describe, outputs_citing


@dataclass(frozen=True)
class Reference:
    """A reference code with its titles (``zh``/``en``) and its citing outputs."""

    scheme: str
    code: str
    title: Text
    url: str | None = None
    citing: list[Citing] = field(default_factory=list)
    unofficial_zh: bool = False
    """The Chinese title is a project translation (WSIS lines have no official one)."""

    @property
    def direct(self) -> list[Citing]:
        """Outputs naming this code (or a target of this goal), not only 'all …' statements."""
        return [c for c in self.citing if not c.basis.startswith("all ")]


def titles_of(scheme: str, code: str, plan: Plan | None = None) -> tuple[Text, bool, str]:
    """``(titles by language, zh is unofficial, 'cited as' revisions)`` of a reference."""
    described = describe(scheme, code, plan) or {}
    title = {k: v for k, v in described.items() if k in ("zh", "en")}
    unofficial = False
    if "zh" not in title and described.get("zh (unofficial)"):
        title["zh"] = described["zh (unofficial)"]
        unofficial = True
    return title, unofficial, described.get("cited as", "")


def reference(plan: Plan, scheme: str, code: str, query: str) -> Reference:
    title, unofficial, _cited = titles_of(scheme, code)
    return Reference(
        scheme=scheme,
        code=code,
        title=title,
        url=ref_url(scheme, code, query),
        citing=outputs_citing(plan, scheme, code),
        unofficial_zh=unofficial,
    )


def _as_text(title: Mapping[str, str]) -> Text:
    return {k: v for k, v in title.items() if v}


def _all_citing(plan: Plan, flag: str) -> list[Output]:
    return [o for o in plan.all_outputs() if getattr(o.references, flag)]


# -- SDGs ---------------------------------------------------------------------------------


@versioned
def sdg_index(request: HttpRequest) -> HttpResponse:
    cur = current(request)
    plan = cur.plan
    cited_targets = {t for o in plan.all_outputs() for t in o.references.sdg_targets}
    goals = []
    for goal in registry.sdg_goals():
        ref = reference(plan, "sdg_goal", goal.code, cur.query)
        targets = [t.code for t in registry.sdg_targets(goal.number) if t.code in cited_targets]
        goals.append((ref, _as_text(goal.short), [(t, ref_url("sdg_target", t, cur.query)) for t in targets]))
    title = _("Sustainable Development Goals")
    return page(
        request,
        "web/refs/sdg_index.html",
        cur,
        title=title,
        crumbs=[home_crumb(cur), crumb(cur, title)],
        goals=goals,
        all_sdgs=_all_citing(plan, "all_sdgs"),
    )


@versioned
def sdg_goal(request: HttpRequest, goal: int) -> HttpResponse:
    cur = current(request)
    found = registry.sdg_goal(goal)
    if found is None:
        raise Http404(_("There is no SDG %(goal)s.") % {"goal": goal})
    ref = reference(cur.plan, "sdg_goal", found.code, cur.query)
    targets = [reference(cur.plan, "sdg_target", t.code, cur.query) for t in registry.sdg_targets(goal)]
    name = _("SDG %(goal)s") % {"goal": goal}
    return page(
        request,
        "web/refs/sdg_goal.html",
        cur,
        title=name,
        crumbs=[home_crumb(cur), crumb(cur, _("SDGs"), "web:sdg_index"), crumb(cur, name)],
        ref=ref,
        name=name,
        short=_as_text(found.short),
        targets=targets,
        external=sdg_goal_href(goal),
        trace_url=reverse("web:trace_goal", args=[goal]) + cur.query,
        all_sdgs=_all_citing(cur.plan, "all_sdgs"),
    )


@versioned
def sdg_target(request: HttpRequest, goal: int, target: str) -> HttpResponse:
    cur = current(request)
    found = registry.sdg_target(target)
    if found is None or found.goal != goal:
        raise Http404(_("There is no SDG target %(target)s under goal %(goal)s.") % {"target": target, "goal": goal})
    if found.code != target:
        return redirect(reverse("web:sdg_target", args=[goal, found.code]) + cur.query, permanent=True)
    ref = reference(cur.plan, "sdg_target", found.code, cur.query)
    name = _("SDG target %(target)s") % {"target": found.code}
    goal_name = _("SDG %(goal)s") % {"goal": goal}
    indicators = [(i.code, _as_text(i.title)) for i in registry.sdg_indicators(found.code)]
    return page(
        request,
        "web/refs/sdg_target.html",
        cur,
        title=name,
        crumbs=[
            home_crumb(cur),
            crumb(cur, _("SDGs"), "web:sdg_index"),
            crumb(cur, goal_name, "web:sdg_goal", goal),
            crumb(cur, name),
        ],
        ref=ref,
        name=name,
        goal=goal,
        goal_name=goal_name,
        indicators=indicators,
        external=sdg_target_href(found.code),
    )


# -- WSIS ---------------------------------------------------------------------------------


@versioned
def wsis_index(request: HttpRequest) -> HttpResponse:
    cur = current(request)
    lines = [reference(cur.plan, "wsis", line.code, cur.query) for line in registry.wsis_lines()]
    title = _("WSIS action lines")
    return page(
        request,
        "web/refs/wsis_index.html",
        cur,
        title=title,
        crumbs=[home_crumb(cur), crumb(cur, title)],
        lines=lines,
        all_wsis=_all_citing(cur.plan, "all_wsis_action_lines"),
        external=wsis_href(""),
    )


@versioned
def wsis_line(request: HttpRequest, code: str) -> HttpResponse:
    cur = current(request)
    found = registry.wsis_line(code)
    if found is None:
        raise Http404(_("There is no WSIS action line %(code)s.") % {"code": code})
    if found.code != code:
        return redirect(reverse("web:wsis_line", args=[found.code]) + cur.query, permanent=True)
    ref = reference(cur.plan, "wsis", found.code, cur.query)
    name = _("WSIS action line %(code)s") % {"code": found.code}
    return page(
        request,
        "web/refs/wsis_line.html",
        cur,
        title=name,
        crumbs=[home_crumb(cur), crumb(cur, _("WSIS action lines"), "web:wsis_index"), crumb(cur, name)],
        ref=ref,
        name=name,
        external=wsis_href(found.code),
        sub_lines=[reference(cur.plan, "wsis", sub, cur.query) for sub in found.sub_lines],
    )


# -- resolutions --------------------------------------------------------------------------

BODY_TITLES = {
    "pp": (_("PP resolutions"), "pp_resolutions"),
    "wtdc": (_("WTDC resolutions"), "wtdc_resolutions"),
    "pp-decisions": (_("PP decisions"), "pp_decisions"),
    "itu-d": (_("ITU-D recommendations"), "itu_d_recommendations"),
}


@versioned
def resolutions(request: HttpRequest) -> HttpResponse:
    cur = current(request)
    plan = cur.plan
    bodies = []
    for body, (heading, attr) in BODY_TITLES.items():
        scheme = RESOLUTION_BODIES[body]
        numbers = sorted({n for o in plan.all_outputs() for n in getattr(o.references, attr)})
        refs = [reference(plan, scheme, str(n), cur.query) for n in numbers]
        bodies.append((body, heading, refs))
    title = _("Resolutions, decisions and recommendations")
    return page(
        request,
        "web/refs/resolutions_index.html",
        cur,
        title=title,
        crumbs=[home_crumb(cur), crumb(cur, _("Resolutions"))],
        bodies=bodies,
        all_wtdc=_all_citing(plan, "all_wtdc_resolutions"),
    )


@versioned
def resolution(request: HttpRequest, body: str, number: int) -> HttpResponse:
    cur = current(request)
    scheme = RESOLUTION_BODIES.get(body)
    if scheme is None or scheme not in SCHEMES:
        raise Http404(_("Unknown kind of resolution: %(body)s.") % {"body": body})
    title, _unofficial, cited_as = titles_of(scheme, str(number), cur.plan)
    citing = outputs_citing(cur.plan, scheme, str(number))
    if not citing and not cited_as:
        raise Http404(_("This version of the plan does not cite %(name)s.") % {"name": title.get("en", number)})
    ref = Reference(scheme=scheme, code=str(number), title=title, citing=citing)
    name = title.get(ui_lang()) or title.get("en", str(number))
    return page(
        request,
        "web/refs/resolution.html",
        cur,
        title=name,
        crumbs=[home_crumb(cur), crumb(cur, _("Resolutions"), "web:resolutions"), crumb(cur, name)],
        ref=ref,
        name=name,
        cited_as=cited_as,
    )
