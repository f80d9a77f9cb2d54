"""What every renderer shares: labels, language fallback, block grouping, parts, links.

The renderers (:mod:`.markdown`, :mod:`.html`, :mod:`.akn`, :mod:`.docx`) walk the same
:class:`~actionplan.model.Plan` in the same order and ask this module the same questions:

* which text to show in a language, and whether it is a fallback (:func:`shown`);
* what a fixed label says in zh/en (:func:`label`);
* how a flat run of paragraphs and list items nests (:func:`group_blocks`);
* which parts an output has, with which heading, in which order (:func:`output_parts`);
* which normalised references an output has, and where each links to (:func:`reference_groups`).

Link scheme (the same in every format):

* SDG goal ``9`` -> ``https://unstats.un.org/sdgs/metadata/?Text=&Goal=9&Target=``;
  target ``9.c`` (and indicator ``9.c.1``) -> ``...?Text=&Goal=9&Target=9.c``
  (the UN Statistics Division's SDG metadata repository, one page per target).
* WSIS action line ``C7`` -> the Geneva Plan of Action (WSIS-03/GENEVA/DOC/5) at
  ``https://www.itu.int/net/wsis/docs/geneva/official/poa.html#c7``.
* Resolutions, decisions and recommendations have no stable public URL per number, so they
  get an Akoma Ntoso-style *name* (``/akn/int/doc/resolution/itu-pp/71``,
  ``/akn/int/doc/resolution/itu-wtdc/17``, ``/akn/int/doc/decision/itu-pp/5``,
  ``/akn/int/doc/recommendation/itu-d/15``). It has no date, because the plan does not
  give the original adoption date. AKN puts it in ``<ref href>``. HTML keeps it as the
  ``title`` of a plain span, and Markdown prints only the number, because a browser cannot
  follow it.
* An outcome an output contributes to -> ``#<outcome eid>`` inside the document.

Nothing here imports a rendering library.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from actionplan.model import Block, Output, Plan, References, ReferenceStatement, Text, child

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

SDG_METADATA = "https://unstats.un.org/sdgs/metadata/?Text=&Goal={goal}&Target={target}"
WSIS_POA = "https://www.itu.int/net/wsis/docs/geneva/official/poa.html#{anchor}"


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


def html_lang(lang: str) -> str:
    """The BCP 47 tag for ``lang`` in HTML and Word (``zh`` -> ``zh-Hans``)."""
    return {"zh": "zh-Hans", "en": "en"}.get(lang, lang)


# -- blocks -----------------------------------------------------------------------------


@dataclass
class ListEntry:
    """A list item with the items nested under it (deeper ``level``)."""

    block: Block
    children: list[ListEntry] = field(default_factory=list)


@dataclass
class ListRun:
    """Consecutive list items; ``numbered`` when the first item prints a number."""

    entries: list[ListEntry]
    numbered: bool


BlockGroup = Block | ListRun


def group_blocks(blocks: Iterable[Block]) -> list[BlockGroup]:
    """Paragraphs stay as they are; each run of consecutive items becomes a nested list.

    An item whose ``level`` is deeper than the previous item's nests under it; a level
    that jumps (1 -> 3) nests one step only, so nothing is lost.
    """
    groups: list[BlockGroup] = []
    stack: list[tuple[int, ListEntry]] = []
    run: ListRun | None = None
    for block in blocks:
        if block.kind != "item":
            groups.append(block)
            run, stack = None, []
            continue
        entry = ListEntry(block)
        if run is None:
            run = ListRun([entry], numbered=bool(block.num))
            groups.append(run)
            stack = [(block.level, entry)]
            continue
        while stack and stack[-1][0] >= block.level:
            stack.pop()
        if stack:
            stack[-1][1].children.append(entry)
        else:
            run.entries.append(entry)
        stack.append((block.level, entry))
    return groups


def sublist_numbered(entries: list[ListEntry]) -> bool:
    """Whether a nested list prints numbers (its first item has one)."""
    return bool(entries and entries[0].block.num)


# -- outputs ----------------------------------------------------------------------------

PartKey = Literal["background", "framework", "regional_initiatives", "study_group_questions", "references"]


@dataclass(frozen=True)
class Part:
    """One titled part of an output, in document order.

    ``eid`` is the container's id (for example ``obj_2__output_2.1__background``). The model
    keeps parts as lists, not nodes, so the renderer makes the id by the
    :func:`actionplan.model.child` rule. It is None when the id is already used by a
    model element. For references it is the :class:`References` node's own eid.
    """

    key: PartKey
    eid: str | None
    num: str | None
    heading: Shown


_PART_PREFIX: dict[str, str] = {
    "background": "background",
    "framework": "framework",
    "regional_initiatives": "ri",
    "study_group_questions": "sgq",
}


def output_parts(output: Output, lang: str, taken: set[str]) -> list[Part]:
    """The parts of ``output`` to render: those with content or a printed heading.

    The references part is always there, because :class:`References` is an element with
    an eid (an output without references says so: "（无）").

    ``taken`` is the set of model eids (see :func:`model_eids`), so a made-up container id
    never collides with a real one.
    """
    has: dict[PartKey, bool] = {
        "background": bool(output.background),
        "framework": bool(output.framework or output.projects),
        "regional_initiatives": bool(output.regional_initiatives or output.regional_initiatives_intro),
        "study_group_questions": bool(output.study_group_questions or output.study_group_questions_intro),
        # References is a node of its own: always shown, so its eid always has a target
        "references": True,
    }
    parts: list[Part] = []
    for key, present in has.items():
        printed = output.headings.get(key)
        if not present and printed is None:
            continue
        heading = printed_or_label(printed.text if printed else {}, key, lang)
        if key == "references":
            eid: str | None = output.references.eid
        else:
            candidate = child(output.eid, _PART_PREFIX[key])
            eid = None if candidate in taken else candidate
        parts.append(Part(key, eid, printed.num if printed else None, heading))
    return parts


def container_eid(parent: str | None, prefix: str, taken: set[str]) -> str | None:
    """A made-up container id ``parent__prefix``, or None when a model element has it."""
    candidate = child(parent, prefix)
    return None if candidate in taken else candidate


def model_eids(plan: Plan) -> set[str]:
    """Every eid the model itself assigns."""
    return {node.eid for node in plan.walk()}


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


# -- references -------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """One normalised reference: its display text and where it points (None: nowhere)."""

    text: str
    href: str | None = None
    external: bool = True
    """False for names that are identifiers, not web links (resolutions)."""


@dataclass(frozen=True)
class RefGroup:
    """A labelled list of normalised references (e.g. "WSIS action lines: C1, C11")."""

    key: str
    label: str
    links: list[Link]


def sdg_goal_href(goal: int | str) -> str:
    return SDG_METADATA.format(goal=goal, target="")


def sdg_target_href(target: str) -> str:
    """The UN metadata page of target ``9.c``; an indicator ``9.c.1`` goes to its target."""
    parts = target.split(".")
    return SDG_METADATA.format(goal=parts[0], target=".".join(parts[:2]))


def wsis_href(code: str) -> str:
    """The Geneva Plan of Action, at action line ``code`` when one is given."""
    return WSIS_POA.format(anchor=code.lower()) if code else WSIS_POA.split("#")[0]


def resolution_name(body: str, kind: str, number: int) -> str:
    """The AKN-style name of a resolution, decision or recommendation (not resolvable)."""
    return f"/akn/int/doc/{kind}/{body}/{number}"


def reference_groups(refs: References, plan: Plan, lang: str) -> list[RefGroup]:
    """The normalised reference lists of an output, each with links, in a fixed order."""
    all_ = label("all", lang)

    def names(body: str, kind: str, numbers: list[int]) -> list[Link]:
        return [Link(str(n), resolution_name(body, kind, n), external=False) for n in numbers]

    groups: list[RefGroup] = []

    def add(key: str, links: list[Link]) -> None:
        if links:
            groups.append(RefGroup(key, label(key, lang), links))

    add("pp_decisions", names("itu-pp", "decision", refs.pp_decisions))
    add("pp_resolutions", names("itu-pp", "resolution", refs.pp_resolutions))
    wtdc = names("itu-wtdc", "resolution", refs.wtdc_resolutions)
    if refs.all_wtdc_resolutions:
        wtdc.insert(0, Link(all_))
    add("wtdc_resolutions", wtdc)
    add(
        "itu_d_recommendations",
        names("itu-d", "recommendation", refs.itu_d_recommendations),
    )
    add("revisions", [Link(c.text) for c in refs.revisions])
    wsis = [Link(code, wsis_href(code)) for code in refs.wsis_action_lines]
    if refs.all_wsis_action_lines:
        wsis.insert(0, Link(all_, wsis_href("")))
    add("wsis", wsis)
    goals = [Link(f"SDG {g}", sdg_goal_href(g)) for g in refs.sdg_goals]
    if refs.all_sdgs:
        goals.insert(0, Link(all_, "https://sdgs.un.org/goals"))
    add("sdgs", goals)
    add("sdg_targets", [Link(t, sdg_target_href(t)) for t in refs.sdg_targets])
    add("sdg_indicators", [Link(i, sdg_target_href(i)) for i in refs.sdg_indicators])
    outcomes = []
    for number in refs.contributes_to_outcomes:
        outcome = plan.outcome(number)
        outcomes.append(Link(number, f"#{outcome.eid}" if outcome else None, external=False))
    add("contributes_to", outcomes)
    return groups


_TOPIC_LABEL = {"resolutions": "pp_wtdc", "wsis": "wsis", "sdgs": "sdgs", "other": "references"}


def statement_heading(stmt: ReferenceStatement, lang: str) -> Shown:
    """A reference statement's printed heading, else the label of its topic."""
    return printed_or_label(stmt.heading, _TOPIC_LABEL[stmt.topic], lang)


def outcome_output_links(numbers: list[str], plan: Plan, lang: str) -> list[tuple[Link, Shown]]:
    """The outputs column of an outcomes row: each output number with its title and anchor."""
    rows = []
    for number in numbers:
        output = plan.output(number)
        link = Link(number, f"#{output.eid}" if output else None, external=False)
        title = shown(output.title, lang) if output else fixed("", lang)
        rows.append((link, title))
    return rows


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
