"""What every page view shares: the page context, breadcrumbs and labels in the UI language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from actionplan.render._labels import shown
from actionplan.server.web.current import Current
from actionplan.server.web.texts import ui_lang


@dataclass(frozen=True)
class Crumb:
    """One step of the breadcrumb trail; the last one (the page itself) has no URL."""

    label: str
    url: str | None = None


def home_crumb(cur: Current) -> Crumb:
    """The first crumb: the plan's title, linking to the overview of the version shown."""
    return Crumb(shown(cur.plan.title, ui_lang()).text or cur.plan.code, reverse("web:overview") + cur.query)


def crumb(cur: Current, label: str, name: str | None = None, *args: Any) -> Crumb:
    """A crumb linking to URL ``name`` (with the version query), or the current page."""
    return Crumb(label, reverse(name, args=args) + cur.query if name else None)


def page(
    request: HttpRequest,
    template: str,
    cur: Current | None,
    *,
    title: str,
    crumbs: list[Crumb] | None = None,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    """Render ``template`` with the version shown, the page title and the breadcrumbs."""
    ctx: dict[str, Any] = {"page_title": title, "crumbs": crumbs or [], "lang": ui_lang(), **context}
    if cur is not None:
        ctx.update(
            plan=cur.plan,
            version=cur.info,
            pinned=cur.pinned,
            version_ref=cur.ref,
            version_qs=cur.query,
        )
    return render(request, template, ctx, status=status)
