"""The plan's overview, its objectives (outcomes tables), indicators and introduction."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from actionplan.model import Indicator, Objective, Outcome, Output, Plan, Text
from actionplan.render._labels import label, objective_label, shown, table_header, translation_note
from actionplan.server.store import api
from actionplan.server.web.current import current, versioned
from actionplan.server.web.texts import ui_lang
from actionplan.server.web.views.base import crumb, home_crumb, page


@dataclass(frozen=True)
class ObjectiveCard:
    objective: Objective
    outcomes: int
    indicators: int
    outputs: int


def objective_card(obj: Objective) -> ObjectiveCard:
    """An objective with the counts shown on its card, computed from the model."""
    return ObjectiveCard(
        objective=obj,
        outcomes=len(obj.outcomes),
        indicators=sum(len(oc.indicators) for oc in obj.outcomes),
        outputs=len(obj.outputs),
    )


@versioned
def overview(request: HttpRequest) -> HttpResponse:
    cur = current(request)
    plan, lang = cur.plan, ui_lang()
    cards = [objective_card(obj) for obj in plan.objectives]
    return page(
        request,
        "web/overview.html",
        cur,
        title=shown(plan.title, lang).text,
        cards=cards,
        totals={
            "objectives": len(plan.objectives),
            "outcomes": sum(c.outcomes for c in cards),
            "indicators": sum(c.indicators for c in cards),
            "outputs": sum(c.outputs for c in cards),
        },
        note=translation_note(plan, lang),
        versions=api.list_versions(),
    )


def objective_of(plan: Plan, number: int) -> Objective:
    obj = next((o for o in plan.objectives if o.number == number), None)
    if obj is None:
        raise Http404(_("There is no objective %(number)s in this version.") % {"number": number})
    return obj


def output_cell(plan: Plan, outcome: Outcome, number: str, lang: str) -> tuple[str, Output | None, Text]:
    """An entry of the outputs column: the number, the output, and the name to show.

    The name is as the table prints it when it does so in ``lang``, else the output's title
    (the printed names are Chinese only, the titles have English too), else the printed name.
    """
    out = plan.output(number)
    printed = outcome.output_labels.get(number) or {}
    if printed.get(lang) or out is None:
        return number, out, printed
    return number, out, out.title


@versioned
def objective(request: HttpRequest, number: int) -> HttpResponse:
    cur = current(request)
    obj = objective_of(cur.plan, number)
    lang = ui_lang()
    name = objective_label(obj.number, lang)
    rows = [{"outcome": oc, "outputs": [output_cell(cur.plan, oc, n, lang) for n in oc.outputs]} for oc in obj.outcomes]
    return page(
        request,
        "web/objective.html",
        cur,
        title=f"{name} – {shown(obj.title, lang).text}",
        crumbs=[home_crumb(cur), crumb(cur, name)],
        objective=obj,
        name=name,
        header=table_header(obj.table_header, lang),
        rows=rows,
        card=objective_card(obj),
    )


def indicator_of(plan: Plan, number: str) -> tuple[Objective, Outcome, Indicator]:
    for obj in plan.objectives:
        for oc in obj.outcomes:
            for ind in oc.indicators:
                if ind.number == number:
                    return obj, oc, ind
    raise Http404(_("There is no performance indicator %(number)s in this version.") % {"number": number})


@versioned
def indicator(request: HttpRequest, number: str) -> HttpResponse:
    cur = current(request)
    obj, oc, ind = indicator_of(cur.plan, number)
    lang = ui_lang()
    name = f"{label('indicators', lang)} {ind.number}"
    return page(
        request,
        "web/indicator.html",
        cur,
        title=f"{name} – {shown(ind.text, lang).text}",
        crumbs=[
            home_crumb(cur),
            crumb(cur, objective_label(obj.number, lang), "web:objective", obj.number),
            crumb(cur, name),
        ],
        objective=obj,
        objective_name=objective_label(obj.number, lang),
        outcome=oc,
        indicator=ind,
        name=name,
        outputs=[(n, cur.plan.output(n)) for n in oc.outputs],
    )


@versioned
def introduction(request: HttpRequest) -> HttpResponse:
    cur = current(request)
    title = _("Front matter, introduction and notes")
    return page(
        request,
        "web/introduction.html",
        cur,
        title=title,
        crumbs=[home_crumb(cur), crumb(cur, title)],
    )
