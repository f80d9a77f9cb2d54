"""Plan texts in the reader's language, with the other language marked where one is missing.

The UI language is Django's (``zh-hans`` or ``en``); plan texts are keyed ``zh``/``en``.
Which text to show and whether it is a fallback is decided by
:func:`actionplan.render._labels.shown`, as in every other renderer; here it becomes HTML:
a fallback is wrapped in ``<span class="fallback" lang="zh-Hans">`` followed by a small
visible badge naming its language, so a reader never sees an empty cell and always sees
that the text is not in their language.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from actionplan.model import Text
from actionplan.render._labels import LANGS, html_lang, language_name, shown


def ui_lang() -> str:
    """The plan language matching the active UI language: ``zh`` or ``en``."""
    active = (get_language() or "zh-hans").lower()
    code = active.split("-")[0]
    return code if code in LANGS else "zh"


def text_html(text: Text | None, lang: str | None = None) -> SafeString:
    """``text`` in ``lang`` (default: the UI's), escaped; a fallback is marked visibly."""
    lang = lang or ui_lang()
    s = shown(text or {}, lang)
    if not s.fallback:
        return format_html("{}", s.text)
    other = s.lang or ""
    hint = (
        _("Not available in English; the Chinese text is shown.")
        if lang == "en"
        else _("Not available in this language; the original text is shown.")
    )
    return format_html(
        '<span class="fallback" lang="{}" title="{}">{} <span class="lang-badge">{}</span></span>',
        html_lang(other),
        hint,
        s.text,
        language_name(other, other),
    )
