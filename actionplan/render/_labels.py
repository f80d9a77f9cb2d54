"""What a reader sees in one language of a bilingual plan: fixed labels and fallbacks.

The plan is written in zh and en, and often one language lacks a text. Every renderer
must then show the same other-language text, mark it as a fallback the same way, and
print the same fixed labels (headings, region names, the unofficial-translation note),
so these choices are made once, here:

* which text to show in a language, and whether it is a fallback (:func:`shown`);
* what a fixed label says in zh/en (:func:`label`), and a region's name (:func:`region_name`).

Nothing here imports a rendering library.
"""

from __future__ import annotations

from dataclasses import dataclass

from actionplan.model import Output, Plan, ReferenceStatement, Text

LANGS = ("zh", "en")

LABELS: dict[str, dict[str, str]] = {
    "objective": {"zh": "部门目标", "en": "Objective"},
    "outcome": {"zh": "成果", "en": "Outcome"},
    "indicators": {"zh": "绩效指标", "en": "Performance indicators"},
    "output": {"zh": "输出成果", "en": "Output"},
    "outputs_column": {"zh": "输出成果（产品和服务）", "en": "Outputs (products and services)"},
    "background": {"zh": "背景", "en": "Background"},
    "framework": {"zh": "实施框架", "en": "Implementation framework"},
    "project": {"zh": "项目", "en": "Project"},
    "work_areas": {"zh": "主要工作领域", "en": "Main areas of work"},
    "regional_initiatives": {"zh": "相关区域性举措", "en": "Regional initiatives"},
    "region": {"zh": "区域", "en": "Region"},
    "study_group_questions": {"zh": "研究组课题", "en": "Study Group Questions"},
    "references": {
        "zh": "与WTDC决议、WSIS行动方针和可持续发展目标有关的参考资料",
        "en": "References to WTDC resolutions, WSIS action lines and SDGs",
    },
    "pp_wtdc": {"zh": "PP和WTDC决议和建议", "en": "PP/WTDC resolutions"},
    "pp_resolutions": {"zh": "PP决议", "en": "PP resolutions"},
    "pp_decisions": {"zh": "PP决定", "en": "PP decisions"},
    "wtdc_resolutions": {"zh": "WTDC决议", "en": "WTDC resolutions"},
    "itu_d_recommendations": {"zh": "ITU-D建议", "en": "ITU-D recommendations"},
    "revisions": {"zh": "所引修订版本", "en": "Revisions cited"},
    "wsis": {"zh": "WSIS行动方针", "en": "WSIS action lines"},
    "sdgs": {"zh": "可持续发展目标", "en": "SDGs"},
    "sdg_targets": {"zh": "可持续发展具体目标", "en": "SDG targets"},
    "sdg_indicators": {"zh": "可持续发展指标", "en": "SDG indicators"},
    "contributes_to": {"zh": "推动实现的成果", "en": "Contributes to outcomes"},
    "normalised": {"zh": "规范化参考列表", "en": "Normalised references"},
    "all": {"zh": "全部", "en": "all"},
    "none": {"zh": "（无）", "en": "(none)"},
    "preface": {"zh": "前言", "en": "Front matter"},
    "introduction": {"zh": "引言", "en": "Introduction"},
    "notes": {"zh": "注释", "en": "Notes"},
    "contents": {"zh": "目录", "en": "Contents"},
    "period": {"zh": "时期", "en": "Period"},
    "unofficial": {
        "zh": "非正式译文，仅供参考；正式文本为{official}。",
        "en": "Unofficial translation for reference only; the official text is in {official}.",
    },
    "lang_zh": {"zh": "中文", "en": "Chinese"},
    "lang_en": {"zh": "英文", "en": "English"},
}

REGIONS: dict[str, dict[str, str]] = {
    "AFR": {"zh": "非洲区域", "en": "Africa"},
    "AMS": {"zh": "美洲区域", "en": "Americas"},
    "ARB": {"zh": "阿拉伯国家区域", "en": "Arab States"},
    "ASP": {"zh": "亚太区域", "en": "Asia-Pacific"},
    "CIS": {"zh": "独联体区域", "en": "CIS"},
    "EUR": {"zh": "欧洲区域", "en": "Europe"},
}


def label(key: str, lang: str) -> str:
    """A fixed label in ``lang`` (English when the language has none)."""
    entry = LABELS[key]
    return entry.get(lang) or entry["en"]


def colon(lang: str) -> str:
    """The colon that ends a label: full width in Chinese."""
    return "：" if lang == "zh" else ": "


def language_name(code: str, lang: str) -> str:
    """The name of language ``code`` in ``lang`` (the code itself when unknown)."""
    key = f"lang_{code}"
    return label(key, lang) if key in LABELS else code


# -- language fallback ------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A text as shown in one language: ``lang`` is the language actually used.

    ``fallback`` is true when the wanted language had no text and another one is shown;
    renderers mark such texts visibly ("[zh]" prefix, a CSS class, ``xml:lang``).
    ``lang`` is None when the text is empty in every language.
    """

    text: str
    lang: str | None
    fallback: bool = False

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def marker(self) -> str:
        """The visible fallback marker, e.g. ``[zh]``; empty when no fallback."""
        return f"[{self.lang}]" if self.fallback and self.lang else ""

    def plain(self) -> str:
        """The text with its marker in front, for formats without styling."""
        return f"{self.marker} {self.text}" if self.marker else self.text


def shown(text: Text, lang: str) -> Shown:
    """The text in ``lang``; else the first other language that has one, flagged."""
    if text.get(lang):
        return Shown(text[lang], lang)
    for other, value in text.items():
        if value:
            return Shown(value, other, fallback=True)
    return Shown("", None)


def fixed(value: str, lang: str) -> Shown:
    """A renderer-made text (label, number) in the wanted language; never a fallback."""
    return Shown(value, lang if value else None)


def num_prefix(num: str | None) -> str:
    """A printed number ready to go in front of text: ``"1、"`` as is, ``"a)"`` + space."""
    if not num:
        return ""
    return num if num[-1] in "、，．。：:" else f"{num} "


def printed_or_label(printed: Text, key: str, lang: str) -> Shown:
    """A structural heading: as printed when the source has it in ``lang``, else the label.

    Headings such as "背景" are labels the renderer knows in every language, so they are
    never shown as a fallback in the other language.
    """
    if printed.get(lang):
        return fixed(printed[lang], lang)
    return fixed(label(key, lang), lang)


def two_lang(lang: str) -> str:
    """``zh`` or ``en``: charts and reports are written in these two; any ``zh-*`` tag is Chinese."""
    return "zh" if lang.startswith("zh") else "en"


def html_lang(lang: str) -> str:
    """The BCP 47 tag for ``lang`` in HTML and Word (``zh`` -> ``zh-Hans``)."""
    return {"zh": "zh-Hans", "en": "en"}.get(lang, lang)


# -- labels of the plan's parts ----------------------------------------------------------


def region_name(slot_region: str, region_name: Text, lang: str) -> Shown:
    """The slot's printed region name, else the known name of its code, else the code."""
    name = shown(region_name, lang)
    if name:
        return name
    known = REGIONS.get(slot_region)
    return fixed(known.get(lang) or known["en"], lang) if known else fixed(slot_region, lang)


def output_title_line(output: Output, lang: str) -> tuple[str, Shown]:
    """``("输出成果 1.1", title)``: the numbered label and the title of an output."""
    return f"{label('output', lang)} {output.number}", shown(output.title, lang)


def objective_label(number: int, lang: str) -> str:
    return f"{label('objective', lang)} {number}"


_TOPIC_LABEL = {"resolutions": "pp_wtdc", "wsis": "wsis", "sdgs": "sdgs", "other": "references"}


def statement_heading(stmt: ReferenceStatement, lang: str) -> Shown:
    """A reference statement's printed heading, else the label of its topic."""
    return printed_or_label(stmt.heading, _TOPIC_LABEL[stmt.topic], lang)


def table_header(header: list[Text], lang: str) -> list[Shown]:
    """The outcomes table's three column labels: as printed, else the fixed labels."""
    defaults = [label("outcome", lang), label("indicators", lang), label("outputs_column", lang)]
    return [
        fixed(header[i][lang], lang) if i < len(header) and header[i].get(lang) else fixed(d, lang)
        for i, d in enumerate(defaults)
    ]


def translation_note(plan: Plan, lang: str) -> str | None:
    """A note when ``lang`` is an unofficial translation (None for official texts)."""
    info = plan.translations.get(lang)
    if lang == plan.language or (info is not None and info.official):
        return None
    note = label("unofficial", lang).format(official=language_name(plan.language, lang))
    if info is not None and info.note:
        note = f"{note} {info.note}"
    return note
