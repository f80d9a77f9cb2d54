"""The output page: the full text of one output, its slots and its references as links."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from actionplan.model import Output, Plan, References
from actionplan.render._common import model_eids, output_parts
from actionplan.render._labels import label, objective_label, output_title_line, region_name, shown
from actionplan.server.web.current import current, versioned
from actionplan.server.web.links import ref_url
from actionplan.server.web.texts import ui_lang
from actionplan.server.web.views.base import crumb, home_crumb, page
from actionplan.trace import describe


@dataclass(frozen=True)
class RefLink:
    """A reference as a link to its page; ``title`` is its name in the UI language."""

    text: str
    url: str | None
    title: str = ""


@dataclass(frozen=True)
class RefGroup:
    key: str
    label: str
    links: list[RefLink]


def reference_title(scheme: str, code: str, lang: str) -> str:
    titles = describe(scheme, code) or {}
    return titles.get(lang) or titles.get(f"{lang} (unofficial)") or titles.get("en") or ""


def reference_groups(refs: References, plan: Plan, lang: str, query: str) -> list[RefGroup]:
    """The output's normalised references, each linking to its reference page, in a fixed order."""
    groups: list[RefGroup] = []
    every = label("all", lang)

    def add(key: str, scheme: str, codes: list[str], all_url: str | None = None, prefix: str = "") -> None:
        links = [
            RefLink(prefix + code, ref_url(scheme, code, query), reference_title(scheme, code, lang))
            for code in dict.fromkeys(codes)
        ]
        if all_url is not None:
            links.insert(0, RefLink(every, all_url + query))
        if links:
            groups.append(RefGroup(key, label(key, lang), links))

    add("pp_decisions", "pp_decision", [str(n) for n in refs.pp_decisions])
    add("pp_resolutions", "pp_resolution", [str(n) for n in refs.pp_resolutions])
    add(
        "wtdc_resolutions",
        "wtdc_resolution",
        [str(n) for n in refs.wtdc_resolutions],
        reverse("web:resolutions") if refs.all_wtdc_resolutions else None,
    )
    add("itu_d_recommendations", "itu_d_recommendation", [str(n) for n in refs.itu_d_recommendations])
    if refs.revisions:
        groups.append(RefGroup("revisions", label("revisions", lang), [RefLink(c.text, None) for c in refs.revisions]))
    add("wsis", "wsis", refs.wsis_action_lines, reverse("web:wsis_index") if refs.all_wsis_action_lines else None)
    add(
        "sdgs",
        "sdg_goal",
        [str(g) for g in refs.sdg_goals],
        reverse("web:sdg_index") if refs.all_sdgs else None,
        prefix="SDG ",
    )
    add("sdg_targets", "sdg_target", refs.sdg_targets)
    add("sdg_indicators", "sdg_indicator", refs.sdg_indicators)
    outcomes = []
    for number in refs.contributes_to_outcomes:
        outcome = plan.outcome(number)
        url = None
        if outcome is not None:
            objective = outcome.eid.split("__")[0].removeprefix("obj_")
            url = reverse("web:objective", args=[int(objective)]) + query + f"#{outcome.eid}"
        outcomes.append(RefLink(number, url, shown(outcome.text, lang).text if outcome else ""))
    if outcomes:
        groups.append(RefGroup("contributes_to", label("contributes_to", lang), outcomes))
    return groups


def output_of(plan: Plan, number: str) -> Output:
    found = plan.output(number)
    if found is None:
        raise Http404(_("There is no output %(number)s in this version.") % {"number": number})
    return found


@versioned
def output(request: HttpRequest, number: str) -> HttpResponse:
    cur = current(request)
    plan, lang = cur.plan, ui_lang()
    out = output_of(plan, number)
    obj = next(o for o in plan.objectives if any(x is out for x in o.outputs))
    name, title = output_title_line(out, lang)
    outputs = plan.all_outputs()
    at = next(i for i, x in enumerate(outputs) if x is out)
    return page(
        request,
        "web/output.html",
        cur,
        title=f"{name} – {title.text}",
        crumbs=[
            home_crumb(cur),
            crumb(cur, objective_label(obj.number, lang), "web:objective", obj.number),
            crumb(cur, name),
        ],
        output=out,
        objective=obj,
        objective_name=objective_label(obj.number, lang),
        name=name,
        parts=output_parts(out, lang, model_eids(plan)),
        regions=[(slot, region_name(slot.region, slot.region_name, lang)) for slot in out.regional_initiatives],
        ref_groups=reference_groups(out.references, plan, lang, cur.query),
        previous=outputs[at - 1] if at > 0 else None,
        next=outputs[at + 1] if at + 1 < len(outputs) else None,
    )
