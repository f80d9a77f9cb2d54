"""The lint findings of a version, each linking to the element it is about."""

from __future__ import annotations

from collections import Counter

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from actionplan.lint import RULES, lint_plan
from actionplan.server.web.current import current, versioned
from actionplan.server.web.links import urls_for_eid
from actionplan.server.web.views.base import crumb, home_crumb, page


@versioned
def lint(request: HttpRequest) -> HttpResponse:
    cur = current(request)
    # A version never changes, so neither do its findings: lint it once per process.
    key = f"lint:{cur.info.ref}:{cur.info.content_hash}"
    findings = cache.get(key)
    if findings is None:
        findings = lint_plan(cur.plan)
        cache.set(key, findings, timeout=None)
    rows = [
        {
            "finding": f,
            "url": urls_for_eid(cur.plan, f.eid, cur.query) if f.eid else None,
            "rule": RULES.get(f.code),
        }
        for f in findings
    ]
    counts = Counter(f.severity for f in findings)
    title = _("Lint findings")
    return page(
        request,
        "web/lint.html",
        cur,
        title=title,
        crumbs=[home_crumb(cur), crumb(cur, title)],
        rows=rows,
        counts={"error": counts["error"], "warning": counts["warning"], "info": counts["info"]},
        total=len(findings),
    )
