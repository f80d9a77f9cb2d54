"""References: which outputs cite an SDG goal or target, a WSIS line, a resolution.

``/plans/{code}/references`` lists every reference the version cites (optionally of one
``scheme``), each with its titles and the outputs citing it. With ``scheme`` and ``code``
it is the one reference asked for, cited or not: ``?scheme=sdg_target&code=9.c``. Codes
are read as the CLI reads them (``9c`` is target ``9.c``, ``c2`` is line ``C2``).

A resolution's titles include ``cited as`` (the revisions the plan cites) only when that
one reference is asked for: finding them scans the plan's text, too slow for a whole list.
"""

from __future__ import annotations

import re
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from actionplan import trace
from actionplan.errors import NotFoundError, ValidationError
from actionplan.server.api.errors import ERROR_RESPONSES
from actionplan.server.api.loading import CodePath, Loaded, VersionParam, load
from actionplan.server.api.pagination import LimitParam, OffsetParam, paginate
from actionplan.server.api.schemas import CitingOut, ReferenceOut, ReferencePage

router = Router(tags=["traceability"])

Scheme = Literal[
    "sdg_goal",
    "sdg_target",
    "sdg_indicator",
    "wsis",
    "pp_resolution",
    "pp_decision",
    "wtdc_resolution",
    "itu_d_recommendation",
]
"""The reference schemes of :data:`actionplan.trace.SCHEMES` (a test holds them equal)."""

KIND_OF_SCHEME = {
    "sdg_goal": "sdg",
    "sdg_target": "sdg",
    "sdg_indicator": "sdg",
    "wsis": "wsis",
    "pp_resolution": "pp",
    "pp_decision": "pp-decision",
    "wtdc_resolution": "wtdc",
    "itu_d_recommendation": "itu-d",
}
"""Scheme -> the word :func:`actionplan.trace.classify_code` reads codes of that scheme with."""

SchemeParam = Query(None, description="only references of this scheme")
CodeParam = Query(None, alias="code", max_length=32, description="one code of `scheme` (e.g. 9.c, C2, 71)")


def normalise(scheme: str, code: str) -> str:
    """``code`` in its canonical form for ``scheme``; 400 if it is not a code of that scheme."""
    found_scheme, found_code = trace.classify_code(KIND_OF_SCHEME[scheme], code.strip())
    if found_scheme != scheme:
        raise ValidationError(
            f"{code!r} is a {found_scheme.replace('_', ' ')} code, not a {scheme.replace('_', ' ')} code",
            where="query.code",
            expected=f"a code of scheme {scheme}",
        )
    return found_code


def _natural(code: str) -> tuple[tuple[int, str], ...]:
    """Sort key putting C2 before C11 and 9.2 before 9.10."""
    return tuple((int(run), "") if run.isdigit() else (-1, run) for run in re.findall(r"\d+|\D+", code))


def reference_out(loaded: Loaded, scheme: str, code: str, *, revisions: bool) -> ReferenceOut:
    """One reference; with ``revisions``, a resolution's titles add how the plan cites it."""
    titles = trace.describe(scheme, code, loaded.plan if revisions else None)
    if titles is None:
        raise NotFoundError(
            f"no {scheme.replace('_', ' ')} {code!r} in the reference registry",
            where="query.code",
            expected=f"a known {scheme.replace('_', ' ')} code",
        )
    citing = trace.outputs_citing(loaded.plan, scheme, code)
    pin = f"&version={loaded.number}" if loaded.pinned else ""
    return ReferenceOut(
        scheme=scheme,
        code=code,
        titles=titles,
        citing=[
            CitingOut(
                output=c.output.number,
                title=c.output.title,
                basis=c.basis,
                links={"output": loaded.url(f"/outputs/{c.output.number}")},
            )
            for c in citing
        ],
        links={"self": f"{loaded.root}plans/{loaded.code}/references?scheme={scheme}&code={code}{pin}"},
    )


@router.get(
    "/plans/{code}/references",
    response={200: ReferencePage, 304: None, **ERROR_RESPONSES},
    summary="References cited by the plan, and the outputs citing each",
)
def list_references(
    request: HttpRequest,
    response: HttpResponse,
    code: str = CodePath,
    scheme: Scheme | None = SchemeParam,
    ref_code: str | None = CodeParam,
    version: int | None = VersionParam,
    limit: int = LimitParam,
    offset: int = OffsetParam,
) -> dict[str, object]:
    if ref_code is not None and scheme is None:
        raise ValidationError("a code needs a scheme", where="query.code", expected="scheme=… with code=…")
    loaded = load(request, response, code, version)
    if scheme is not None and ref_code is not None:
        one = reference_out(loaded, scheme, normalise(scheme, ref_code), revisions=True)
        return paginate(request, [one], limit, offset)
    order = list(trace.SCHEMES)
    keys = sorted(
        {(link.scheme, link.code) for link in trace.links(loaded.plan) if scheme is None or link.scheme == scheme},
        key=lambda key: (order.index(key[0]), _natural(key[1])),
    )
    page = paginate(request, keys, limit, offset)
    page["items"] = [reference_out(loaded, s, c, revisions=False) for s, c in page["items"]]
    return page
