"""Renderers: a plan version to YAML, JSON, Markdown, HTML, DOCX or Akoma Ntoso.

``render(plan, fmt)`` returns bytes for any format; each format lives in its own module.
YAML and JSON are the model itself and read back exactly with ``actionplan parse``.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import yaml

from actionplan.errors import ValidationError
from actionplan.model import Plan


def render_json(plan: Plan) -> str:
    return json.dumps(plan.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def render_yaml(plan: Plan) -> str:
    return yaml.safe_dump(plan.model_dump(mode="json"), allow_unicode=True, sort_keys=False, width=100)


def _text(func: Callable[[Plan], str]) -> Callable[[Plan, str], bytes]:
    return lambda plan, lang: func(plan).encode("utf-8")


def _formats() -> dict[str, Callable[[Plan, str], bytes]]:
    from actionplan.render.akn import render_akn
    from actionplan.render.docx import render_docx
    from actionplan.render.html import render_html
    from actionplan.render.markdown import render_markdown

    return {
        "json": _text(render_json),
        "yaml": _text(render_yaml),
        "md": lambda plan, lang: render_markdown(plan, lang).encode("utf-8"),
        "html": lambda plan, lang: render_html(plan, lang).encode("utf-8"),
        "docx": lambda plan, lang: render_docx(plan, lang),
        "akn": lambda plan, lang: render_akn(plan, lang),
    }


FORMATS = ("yaml", "json", "md", "html", "docx", "akn")
SUFFIX = {
    "yaml": ".yaml",
    "json": ".json",
    "md": ".md",
    "html": ".html",
    "docx": ".docx",
    "akn": ".xml",
}


def render(plan: Plan, fmt: str, lang: str | None = None) -> bytes:
    """The plan in ``fmt`` (one of :data:`FORMATS`), in ``lang`` where the format has one."""
    formats = _formats()
    if fmt not in formats:
        raise ValidationError(f"unknown export format {fmt!r}", where="--format", expected=", ".join(FORMATS))
    return formats[fmt](plan, lang or plan.language)
