"""The results framework of one version: objectives, outcomes, indicators, outputs.

Each list is paginated; each element on its own has the keys of the parse JSON plus
``plan``, ``version``, the numbers it belongs to and ``links``. The latest version is read
unless ``?version=N`` pins another.
"""

from __future__ import annotations

from typing import TypeVar

from django.http import HttpRequest, HttpResponse
from ninja import Router

from actionplan.errors import NotFoundError
from actionplan.model import Objective, Outcome, Output, Plan
from actionplan.server.api.errors import ERROR_RESPONSES
from actionplan.server.api.loading import CodePath, Loaded, NumberPath, VersionParam, load, number_path
from actionplan.server.api.pagination import LimitParam, OffsetParam, paginate
from actionplan.server.api.schemas import (
    IndicatorOut,
    IndicatorPage,
    ObjectiveOut,
    ObjectivePage,
    ObjectiveSummary,
    OutcomeOut,
    OutcomePage,
    OutputOut,
    OutputPage,
    OutputSummary,
)

router = Router(tags=["results framework"])

OUTCOME_NUMBER = number_path("outcome", "2.1")
INDICATOR_NUMBER = number_path("indicator", "2.1.1")
OUTPUT_NUMBER = number_path("output", "2.1")


N = TypeVar("N", OutcomeOut, IndicatorOut)


def _by_number(items: list[N], number: str, what: str, loaded: Loaded) -> N:
    """The item numbered ``number``, or a 404 listing the numbers that exist."""
    found = next((i for i in items if i.number == number), None)
    if found is None:
        raise _missing(what, number, loaded, [i.number for i in items])
    return found


def _missing(what: str, number: object, loaded: Loaded, numbers: list[str]) -> NotFoundError:
    shown = ", ".join(numbers[:30]) + (" …" if len(numbers) > 30 else "")
    return NotFoundError(
        f"no {what} {str(number)!r} in {loaded.info.ref}",
        where=loaded.info.ref,
        expected=f"one of {shown}" if numbers else f"a plan with {what}s",
    )


def _outcomes_serving(plan: Plan) -> dict[str, list[str]]:
    """Output number -> numbers of the outcomes whose table row lists it."""
    serving: dict[str, list[str]] = {}
    for outcome in plan.all_outcomes():
        for number in outcome.outputs:
            serving.setdefault(number, []).append(outcome.number)
    return serving


# -- objectives -----------------------------------------------------------------------


def _objective_links(loaded: Loaded, obj: Objective) -> dict[str, str]:
    return loaded.placed(f"/objectives/{obj.number}")


def _find_objective(loaded: Loaded, n: int) -> Objective:
    found = next((o for o in loaded.plan.objectives if o.number == n), None)
    if found is None:
        raise _missing("objective", n, loaded, [str(o.number) for o in loaded.plan.objectives])
    return found


@router.get(
    "/plans/{code}/objectives",
    response={200: ObjectivePage, 304: None, **ERROR_RESPONSES},
    summary="Objectives (summaries)",
)
def list_objectives(
    request: HttpRequest,
    response: HttpResponse,
    code: str = CodePath,
    version: int | None = VersionParam,
    limit: int = LimitParam,
    offset: int = OffsetParam,
) -> dict[str, object]:
    loaded = load(request, response, code, version)
    items = [
        ObjectiveSummary(
            plan=loaded.code,
            version=loaded.number,
            eid=obj.eid,
            number=obj.number,
            title=obj.title,
            outcomes=[o.number for o in obj.outcomes],
            outputs=[o.number for o in obj.outputs],
            links=_objective_links(loaded, obj),
        )
        for obj in loaded.plan.objectives
    ]
    return paginate(request, items, limit, offset)


@router.get(
    "/plans/{code}/objectives/{n}",
    response={200: ObjectiveOut, 304: None, **ERROR_RESPONSES},
    summary="One objective, with its outcomes table and outputs",
)
def get_objective(
    request: HttpRequest,
    response: HttpResponse,
    code: str = CodePath,
    n: int = NumberPath,
    version: int | None = VersionParam,
) -> ObjectiveOut:
    loaded = load(request, response, code, version)
    obj = _find_objective(loaded, n)
    return ObjectiveOut(**dict(obj), plan=loaded.code, version=loaded.number, links=_objective_links(loaded, obj))


# -- outcomes and indicators ----------------------------------------------------------


def _outcome_out(loaded: Loaded, objective: int, outcome: Outcome) -> OutcomeOut:
    return OutcomeOut(
        **dict(outcome),
        plan=loaded.code,
        version=loaded.number,
        objective=objective,
        links=loaded.placed(f"/outcomes/{outcome.number}", objective=loaded.url(f"/objectives/{objective}")),
    )


def _outcomes(loaded: Loaded) -> list[OutcomeOut]:
    return [_outcome_out(loaded, obj.number, oc) for obj in loaded.plan.objectives for oc in obj.outcomes]


@router.get(
    "/plans/{code}/outcomes",
    response={200: OutcomePage, 304: None, **ERROR_RESPONSES},
    summary="Outcomes with their indicators",
)
def list_outcomes(
    request: HttpRequest,
    response: HttpResponse,
    code: str = CodePath,
    version: int | None = VersionParam,
    limit: int = LimitParam,
    offset: int = OffsetParam,
) -> dict[str, object]:
    loaded = load(request, response, code, version)
    return paginate(request, _outcomes(loaded), limit, offset)


@router.get(
    "/plans/{code}/outcomes/{number}",
    response={200: OutcomeOut, 304: None, **ERROR_RESPONSES},
    summary="One outcome",
)
def get_outcome(
    request: HttpRequest,
    response: HttpResponse,
    code: str = CodePath,
    number: str = OUTCOME_NUMBER,
    version: int | None = VersionParam,
) -> OutcomeOut:
    loaded = load(request, response, code, version)
    return _by_number(_outcomes(loaded), number, "outcome", loaded)


def _indicators(loaded: Loaded) -> list[IndicatorOut]:
    return [
        IndicatorOut(
            **dict(ind),
            plan=loaded.code,
            version=loaded.number,
            objective=obj.number,
            outcome=oc.number,
            links=loaded.placed(
                f"/indicators/{ind.number}",
                outcome=loaded.url(f"/outcomes/{oc.number}"),
                objective=loaded.url(f"/objectives/{obj.number}"),
            ),
        )
        for obj in loaded.plan.objectives
        for oc in obj.outcomes
        for ind in oc.indicators
    ]


@router.get(
    "/plans/{code}/indicators",
    response={200: IndicatorPage, 304: None, **ERROR_RESPONSES},
    summary="Performance indicators",
)
def list_indicators(
    request: HttpRequest,
    response: HttpResponse,
    code: str = CodePath,
    version: int | None = VersionParam,
    limit: int = LimitParam,
    offset: int = OffsetParam,
) -> dict[str, object]:
    loaded = load(request, response, code, version)
    return paginate(request, _indicators(loaded), limit, offset)


@router.get(
    "/plans/{code}/indicators/{number}",
    response={200: IndicatorOut, 304: None, **ERROR_RESPONSES},
    summary="One performance indicator",
)
def get_indicator(
    request: HttpRequest,
    response: HttpResponse,
    code: str = CodePath,
    number: str = INDICATOR_NUMBER,
    version: int | None = VersionParam,
) -> IndicatorOut:
    loaded = load(request, response, code, version)
    return _by_number(_indicators(loaded), number, "indicator", loaded)


# -- outputs --------------------------------------------------------------------------


def _output_links(loaded: Loaded, objective: int, out: Output) -> dict[str, str]:
    return loaded.placed(f"/outputs/{out.number}", objective=loaded.url(f"/objectives/{objective}"))


@router.get(
    "/plans/{code}/outputs",
    response={200: OutputPage, 304: None, **ERROR_RESPONSES},
    summary="Outputs (summaries)",
)
def list_outputs(
    request: HttpRequest,
    response: HttpResponse,
    code: str = CodePath,
    version: int | None = VersionParam,
    limit: int = LimitParam,
    offset: int = OffsetParam,
) -> dict[str, object]:
    loaded = load(request, response, code, version)
    serving = _outcomes_serving(loaded.plan)
    items = [
        OutputSummary(
            plan=loaded.code,
            version=loaded.number,
            eid=out.eid,
            number=out.number,
            title=out.title,
            objective=obj.number,
            outcomes=serving.get(out.number, []),
            links=_output_links(loaded, obj.number, out),
        )
        for obj in loaded.plan.objectives
        for out in obj.outputs
    ]
    return paginate(request, items, limit, offset)


@router.get(
    "/plans/{code}/outputs/{number}",
    response={200: OutputOut, 304: None, **ERROR_RESPONSES},
    summary="One output, with the keys of the parse JSON",
)
def get_output(
    request: HttpRequest,
    response: HttpResponse,
    code: str = CodePath,
    number: str = OUTPUT_NUMBER,
    version: int | None = VersionParam,
) -> OutputOut:
    """The output's keys are those of ``actionplan parse`` JSON, then placement keys."""
    loaded = load(request, response, code, version)
    for obj in loaded.plan.objectives:
        for out in obj.outputs:
            if out.number == number:
                return OutputOut(
                    **dict(out),
                    plan=loaded.code,
                    version=loaded.number,
                    objective=obj.number,
                    outcomes=_outcomes_serving(loaded.plan).get(out.number, []),
                    links=_output_links(loaded, obj.number, out),
                )
    raise _missing("output", number, loaded, [o.number for o in loaded.plan.all_outputs()])
