"""The context processor ``site(request)``: language, version in use and navigation.

Every template (also the 404 page, which has no view context) gets:

``ui_lang``     ``zh`` or ``en``, the plan language matching the UI language
``html_lang``   the BCP 47 tag for ``<html lang>`` (``zh-Hans``, ``en``)
``version_qs``  ``?version=<ref>`` when the request names a stored version, else ``""``
                (a view's context overrides it with the normalised ref)
``nav``         the main navigation, the current section marked
``site_name``   the name shown in the header and in ``<title>``
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from actionplan.errors import NotFoundError, ValidationError
from actionplan.render._labels import html_lang
from actionplan.server.store import api
from actionplan.server.web.current import asked_ref, version_query
from actionplan.server.web.texts import ui_lang


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str | Promise
    current: bool


NAV: list[tuple[str, Any, tuple[str, ...]]] = [
    ("web:overview", _("Overview"), ("overview", "objective", "output", "indicator", "introduction")),
    ("web:trace", _("Traceability"), ("trace", "trace_goal")),
    ("web:sdg_index", _("SDGs"), ("sdg_index", "sdg_goal", "sdg_target")),
    ("web:wsis_index", _("WSIS"), ("wsis_index", "wsis_line")),
    ("web:resolutions", _("Resolutions"), ("resolutions", "resolution")),
    ("web:lint", _("Lint"), ("lint",)),
    ("web:versions", _("Versions"), ("versions", "version_diff")),
    (
        "web:contributions",
        _("Contributions"),
        (
            "contributions",
            "contribution_new",
            "contribution",
            "contribution_redline",
            "base_redline",
            "contribution_edit",
            "contribution_status",
            "contribution_amend",
            "contribution_links",
            "amendment_edit",
            "conflicts",
            "consolidate",
        ),
    ),
    ("monitor:dashboard", _("Monitoring"), ("monitor:*",)),
    ("stats:index", _("ICT statistics"), ("stats:*",)),
    ("web:search", _("Search"), ("search",)),
]
"""(URL name, label, URL names that belong to the section; ``app:*`` for all pages of another app)."""


def _known_version_query(request: HttpRequest) -> str:
    """``?version=`` of the request if it names a stored version, else ``""``.

    Only used where no view set ``version_qs`` (error pages): a 404 for an unknown version
    must not send the reader on to more 404s. Templates call it only when they use it.
    """
    asked = asked_ref(request)
    if asked is None:
        return ""
    try:
        api.version_info(asked)
    except (NotFoundError, ValidationError):
        return ""
    return version_query(asked)


def site(request: HttpRequest) -> dict[str, Any]:
    lang = ui_lang()
    match = getattr(request, "resolver_match", None)
    here = None
    if match is not None:
        here = match.url_name if match.namespace == "web" else f"{match.namespace}:*"
    return {
        "ui_lang": lang,
        "html_lang": html_lang(lang),
        "version_qs": functools.cache(lambda: _known_version_query(request)),
        "nav": [NavItem(reverse(name), label, here in members) for name, label, members in NAV],
        "site_name": _("ITU-D Action Plan"),
    }
