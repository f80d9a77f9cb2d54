"""Every text of a plan with the element it belongs to, for checks, search and indexing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from actionplan.model.plan import Node, Plan

TEXT_FIELDS = ("title", "text", "label", "heading", "region_name")


class ElementText(NamedTuple):
    node: Node
    field: str
    lang: str
    text: str


def iter_texts(plan: Plan, lang: str | None = None) -> Iterator[ElementText]:
    """(element, field, language, text) for every non-empty text, in document order."""
    for node in plan.walk():
        for name in TEXT_FIELDS:
            value = getattr(node, name, None)
            if not isinstance(value, dict):
                continue
            for code, text in value.items():
                if text and (lang is None or code == lang):
                    yield ElementText(node, name, code, text)
