"""Template tags and filters for plan pages.

``{{ text|tr }}``              a plan text in the UI language, fallback marked (see texts.py)
``{{ key|plabel }}``           a fixed plan label (``background``, ``outcome``…) in the UI language
``{{ num|numprefix }}``        a printed number ready to go in front of text
``{% vurl 'web:output' n %}``  a page URL that keeps the version being browsed
``{% eid_url eid %}``          the page (and anchor) showing an element of the plan shown
``{% ref_url scheme code %}``  a reference page, keeping the version
``{% blocks list %}``          paragraphs and nested lists, each with ``id="<eid>"``
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from actionplan.model import Block, ReferenceStatement, Text
from actionplan.render._common import ListEntry, ListRun, group_blocks
from actionplan.render._labels import Shown, html_lang, label, num_prefix, statement_heading
from actionplan.server.web import links
from actionplan.server.web.texts import text_html, ui_lang

register = template.Library()


@register.filter
def tr(text: Text | None) -> SafeString:
    return text_html(text)


@register.filter
def shown_html(value: Shown) -> SafeString:
    """A :class:`Shown` (already chosen text) as HTML, marking a fallback like ``tr``."""
    if value.fallback and value.lang:
        return text_html({value.lang: value.text}, ui_lang())
    return text_html({ui_lang(): value.text})


@register.filter
def plabel(key: str) -> str:
    return label(key, ui_lang())


@register.filter
def numprefix(num: str | None) -> str:
    return num_prefix(num)


@register.filter
def bcp47(lang: str) -> str:
    return html_lang(lang)


def version_qs(context: template.Context) -> str:
    """The context's version query; the context processor's is a callable (see context.py)."""
    value = context.get("version_qs", "")
    return str(value() if callable(value) else value)


@register.simple_tag(takes_context=True)
def vurl(context: template.Context, name: str, *args: Any) -> str:
    return reverse(name, args=args) + version_qs(context)


@register.simple_tag(takes_context=True)
def eid_url(context: template.Context, eid: str) -> str:
    return links.urls_for_eid(context["plan"], eid, version_qs(context))


@register.simple_tag(takes_context=True)
def ref_url(context: template.Context, scheme: str, code: object) -> str:
    return links.ref_url(scheme, str(code), version_qs(context)) or ""


def _entry(entry: ListEntry) -> dict[str, Any]:
    return {
        "block": entry.block,
        "children": [_entry(c) for c in entry.children],
        "numbered": bool(entry.children and entry.children[0].block.num),
    }


@register.inclusion_tag("web/_blocks.html")
def blocks(items: Iterable[Block]) -> dict[str, Any]:
    """Paragraphs as ``<p>``, runs of items as (nested) lists, in order."""
    groups = []
    for group in group_blocks(items):
        if isinstance(group, ListRun):
            groups.append({"list": True, "numbered": group.numbered, "entries": [_entry(e) for e in group.entries]})
        else:
            groups.append({"list": False, "block": group})
    return {"groups": groups}


@register.filter
def hlevel(level: int) -> int:
    """A heading level, at most 6."""
    return min(int(level), 6)


@register.filter(name="statement_heading")
def statement_heading_html(stmt: ReferenceStatement) -> SafeString:
    """A reference statement's printed heading, else the label of its topic."""
    return shown_html(statement_heading(stmt, ui_lang()))


@register.filter
def basis(value: str) -> str:
    """How an output cites a reference (:func:`actionplan.trace.outputs_citing`), in the UI language."""
    from django.utils.translation import gettext as _

    if value.startswith("targets "):
        return _("targets %(codes)s") % {"codes": value.removeprefix("targets ")}
    known = {
        "all SDGs": _("all SDGs"),
        "all WSIS action lines": _("all WSIS action lines"),
        "all WTDC resolutions": _("all WTDC resolutions"),
    }
    return known.get(value, value)


@register.simple_tag
def colon() -> str:
    """The colon that ends a label: full width in Chinese."""
    return "：" if ui_lang() == "zh" else ": "
