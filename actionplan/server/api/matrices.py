"""Traceability matrices (outputs x SDG goals, targets, WSIS lines, resolutions) and coverage.

The JSON mirrors :class:`actionplan.trace.matrix.Matrix` and
:class:`~actionplan.trace.matrix.Coverage`, plus ``plan``, ``version`` and ``links``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router

from actionplan.server.api.errors import ERROR_RESPONSES
from actionplan.server.api.loading import MAX_NUMBER, CodePath, Loaded, VersionParam, load
from actionplan.server.api.pagination import LimitParam, OffsetParam, paginate
from actionplan.server.api.schemas import CellOut, CoverageOut, MatrixNameOut, MatrixNamePage, MatrixOut
from actionplan.trace import matrix as tm

router = Router(tags=["traceability"])

NEEDS_GOAL = ("sdg_targets",)

MatrixNameParam = Literal["sdg_goals", "sdg_targets", "wsis", "pp_resolutions", "wtdc_resolutions"]
"""The names of :data:`actionplan.trace.matrix.MATRICES` (a test holds them equal); others are a 422."""

NamePath = Path(..., description="which matrix", example="sdg_goals")
GoalParam = Query(None, ge=1, le=MAX_NUMBER, description="the SDG goal whose targets are columns (sdg_targets only)")


def _matrix_url(loaded: Loaded, name: str, goal: int | str | None = None) -> str:
    url = loaded.url(f"/matrices/{name}")
    if goal is None:
        return url
    return url + ("&" if "?" in url else "?") + f"goal={goal}"


@router.get(
    "/plans/{code}/matrices",
    response={200: MatrixNamePage, 304: None, **ERROR_RESPONSES},
    summary="The traceability matrices there are",
)
def list_matrices(
    request: HttpRequest,
    response: HttpResponse,
    code: str = CodePath,
    version: int | None = VersionParam,
    limit: int = LimitParam,
    offset: int = OffsetParam,
) -> dict[str, object]:
    loaded = load(request, response, code, version)
    items = [
        MatrixNameOut(
            name=name,
            needs_goal=name in NEEDS_GOAL,
            links={"self": _matrix_url(loaded, name, 1 if name in NEEDS_GOAL else None)},
        )
        for name in tm.MATRICES
    ]
    return paginate(request, items, limit, offset)


@router.get(
    "/plans/{code}/matrices/{name}",
    response={200: MatrixOut, 304: None, **ERROR_RESPONSES},
    summary="One traceability matrix",
)
def get_matrix(
    request: HttpRequest,
    response: HttpResponse,
    code: str = CodePath,
    name: MatrixNameParam = NamePath,
    goal: int | None = GoalParam,
    version: int | None = VersionParam,
) -> MatrixOut:
    """Rows are outputs in plan order, columns the scheme's codes; only non-empty cells are listed."""
    loaded = load(request, response, code, version)
    m = tm.matrix(loaded.plan, name, goal=goal)
    shown_goal = goal if name in NEEDS_GOAL else None
    links = {"self": _matrix_url(loaded, name, shown_goal), "version": loaded.version_url()}
    if name == "sdg_goals":
        links["drill_down"] = _matrix_url(loaded, "sdg_targets", "{goal}")  # a URI template
    return MatrixOut(
        plan=loaded.code,
        version=loaded.number,
        name=m.name,
        goal=shown_goal,
        rows=m.rows,
        row_labels=m.row_labels,
        cols=m.cols,
        col_labels=m.col_labels,
        cells=[CellOut(row=c.row, col=c.col, value=c.value, basis=c.basis) for c in m.cells],
        links=links,
    )


@router.get(
    "/plans/{code}/coverage",
    response={200: CoverageOut, 304: None, **ERROR_RESPONSES},
    summary="SDG targets and WSIS lines no output addresses; outputs with no reference",
)
def get_coverage(
    request: HttpRequest, response: HttpResponse, code: str = CodePath, version: int | None = VersionParam
) -> CoverageOut:
    loaded = load(request, response, code, version)
    report = tm.coverage(loaded.plan)
    return CoverageOut(
        plan=loaded.code,
        version=loaded.number,
        links=loaded.placed("/coverage", matrices=loaded.url("/matrices")),
        **asdict(report),
    )
