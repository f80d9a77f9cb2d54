"""Shipped translations: texts in another language keyed by element id.

The Buenos Aires plan was imported from Chinese only; actionplan ships English titles for
its objectives, outcomes, indicators and outputs, marked as an unofficial translation in
``Plan.translations``. Because eids come from structure, the same file fits every version
whose structure still has those elements; texts already present are never overwritten.

Reads: Plan (after the structure stages). Writes: extra languages in titles and texts.
"""

from __future__ import annotations

from importlib import resources

import yaml

from actionplan.errors import ValidationError
from actionplan.model import Indicator, Objective, Outcome, Output, Plan, Translation

PACKAGE = "actionplan.data.translations"


def shipped_translation_files(code: str) -> list[str]:
    root = resources.files(PACKAGE)
    return sorted(p.name for p in root.iterdir() if p.name.startswith(f"{code}.") and p.name.endswith(".yaml"))


def apply_shipped_translations(plan: Plan) -> None:
    for name in shipped_translation_files(plan.code):
        data = yaml.safe_load(resources.files(PACKAGE).joinpath(name).read_text(encoding="utf-8"))
        apply_translation(plan, data, where=f"{PACKAGE}/{name}")


def apply_translation(plan: Plan, data: dict, where: str) -> int:
    """Merge one translation mapping into the plan; returns how many texts were added."""
    lang = data.get("language")
    texts = data.get("texts")
    if not isinstance(lang, str) or not isinstance(texts, dict):
        raise ValidationError("needs 'language' (str) and 'texts' (eid -> text)", where=where)
    if lang == plan.language:
        return 0
    added = 0
    elements = {n.eid: n for n in plan.walk()}
    for eid, text in texts.items():
        if eid == "title":
            added += _set(plan.title, lang, text)
            continue
        node = elements.get(eid)
        if isinstance(node, (Objective, Output)):
            added += _set(node.title, lang, text)
        elif isinstance(node, (Outcome, Indicator)):
            added += _set(node.text, lang, text)
    if added:
        plan.translations[lang] = Translation(official=bool(data.get("official")), note=str(data.get("note", "")))
    return added


def _set(target: dict[str, str], lang: str, text: object) -> int:
    if not isinstance(text, str) or not text.strip() or target.get(lang) or not target:
        return 0
    target[lang] = text.strip()
    return 1
