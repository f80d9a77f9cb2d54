"""Sustainable Development Goals, targets and indicators in English and Chinese.

Read from the open-sdg ``sdg-translations`` files shipped in
``actionplan/data/reference/sdg_translations/{en,zh_hans}/`` (copied unchanged, see
``PROVENANCE.md``). Those files key texts as ``9-title`` (goal), ``9-c-title`` (target) and
``9-c-1-title`` (indicator); here codes use dots: goal ``9``, target ``"9.c"``, indicator
``"9.c.1"``.

>>> sdg_target("9c").code
'9.c'
>>> normalise_sdg_target("17-6")
'17.6'
>>> normalise_sdg_target("no such target") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from actionplan.registry._data import Problems, Text, fold, load_yaml, make_text

LANG_DIRS = {"en": "sdg_translations/en", "zh": "sdg_translations/zh_hans"}
"""Language code -> folder of the sdg-translations copy."""

GOAL_KEY = re.compile(r"(?P<goal>\d{1,2})-(?P<kind>title|short)")
TARGET_KEY = re.compile(r"(?P<goal>\d{1,2})-(?P<target>\d{1,2}|[a-z])-title")
INDICATOR_KEY = re.compile(r"(?P<goal>\d{1,2})-(?P<target>\d{1,2}|[a-z])-(?P<ind>\d{1,2})-title")

_PREFIX = r"(?:sdg|target|indicator|goal|可持续发展目标|具体目标|目标|指标)?\s*"
_TARGET_INPUT = re.compile(_PREFIX + r"(?P<goal>\d{1,2})\s*(?:[.\-_\s]\s*(?P<num>\d{1,2}|[a-z])|(?P<letter>[a-z]))")
_INDICATOR_INPUT = re.compile(
    _PREFIX
    + r"(?P<goal>\d{1,2})\s*"
    + r"(?:[.\-_\s]\s*(?P<num>\d{1,2})\s*[.\-_\s]|[.\-_\s]?\s*(?P<letter>[a-z])\s*[.\-_\s]?)"
    + r"\s*(?P<ind>\d{1,2})"
)


@dataclass(frozen=True)
class SdgGoal:
    """One of the 17 goals of the 2030 Agenda (A/RES/70/1).

    ``title`` is the full goal text, ``short`` the short name ("Industry, innovation and
    infrastructure"); both are ``{"en": ..., "zh": ...}``.
    """

    number: int
    title: Text = field(hash=False)
    short: Text = field(hash=False)

    @property
    def code(self) -> str:
        """The goal number as text, e.g. ``"9"``."""
        return str(self.number)


@dataclass(frozen=True)
class SdgTarget:
    """A target such as ``"9.c"`` ("Significantly increase access to ICT ...")."""

    code: str
    goal: int
    title: Text = field(hash=False)


@dataclass(frozen=True)
class SdgIndicator:
    """An indicator such as ``"9.c.1"``; ``target`` is its target's code (``"9.c"``).

    The source lists some indicators twice under different targets (e.g. repeated
    indicators of the UN framework), so 252 keys cover the 231 unique indicators.
    """

    code: str
    target: str
    title: Text = field(hash=False)


def _target_sort_key(code: str) -> tuple[int, int, int, str]:
    goal, part = code.split(".", 1)
    return (int(goal), 0, int(part), "") if part.isdigit() else (int(goal), 1, 0, part)


def _indicator_sort_key(code: str) -> tuple[tuple[int, int, int, str], int]:
    target, num = code.rsplit(".", 1)
    return _target_sort_key(target), int(num)


def _flat_strings(data: Any, problems: Problems) -> dict[str, str]:
    """Check that a file is a flat mapping of string keys to non-empty strings."""
    if not isinstance(data, dict):
        problems.add("(file)", f"top level is {type(data).__name__}", "a mapping key -> text")
        return {}
    out: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(value, str) or not value.strip():
            problems.add(str(key), f"value is {value!r}", "a non-empty text")
            continue
        out[str(key)] = value.strip()
    return out


def parse_goal_files(files: dict[str, tuple[str, Any]]) -> dict[int, SdgGoal]:
    """Goals from parsed ``global_goals.yml`` data per language: ``{lang: (source, data)}``.

    English is required for every goal; Chinese is optional. Every malformed key or value in
    any file is reported together.
    """
    titles: dict[int, dict[str, str]] = {}
    shorts: dict[int, dict[str, str]] = {}
    all_problems = []
    for lang, (source, data) in files.items():
        problems = Problems(source)
        for key, value in _flat_strings(data, problems).items():
            match = GOAL_KEY.fullmatch(key)
            if not match or not 1 <= int(match["goal"]) <= 17:
                problems.add(key, "not a goal key", "'<1-17>-title' or '<1-17>-short'")
                continue
            into = titles if match["kind"] == "title" else shorts
            into.setdefault(int(match["goal"]), {})[lang] = value
        all_problems.append(problems)
    en_source = files["en"][0] if "en" in files else "global_goals.yml"
    missing = Problems(en_source)
    for number in sorted(set(titles) | set(shorts)):
        for kind, table in (("title", titles), ("short", shorts)):
            if "en" not in table.get(number, {}):
                missing.add(f"{number}-{kind}", "no English text", "every goal in English")
    all_problems.append(missing)
    for problems in all_problems:
        problems.raise_if_any()
    return {
        n: SdgGoal(
            number=n,
            title=make_text(en=titles[n]["en"], zh=titles[n].get("zh")),
            short=make_text(en=shorts[n]["en"], zh=shorts[n].get("zh")),
        )
        for n in sorted(titles)
    }


def _parse_coded(
    files: dict[str, tuple[str, Any]], pattern: re.Pattern[str], what: str, expected: str
) -> dict[str, dict[str, str]]:
    """``{code: {lang: text}}`` for target or indicator files, problems collected per file."""
    texts: dict[str, dict[str, str]] = {}
    all_problems = []
    for lang, (source, data) in files.items():
        problems = Problems(source)
        for key, value in _flat_strings(data, problems).items():
            match = pattern.fullmatch(key)
            if not match or not 1 <= int(match["goal"]) <= 17:
                problems.add(key, f"not {what} key", expected)
                continue
            code = ".".join(part for part in key[: -len("-title")].split("-"))
            texts.setdefault(code, {})[lang] = value
        all_problems.append(problems)
    en_source = files["en"][0] if "en" in files else what
    missing = Problems(en_source)
    for code, langs in texts.items():
        if "en" not in langs:
            missing.add(code.replace(".", "-") + "-title", "no English text", f"every {what}")
    all_problems.append(missing)
    for problems in all_problems:
        problems.raise_if_any()
    return texts


def parse_target_files(files: dict[str, tuple[str, Any]]) -> dict[str, SdgTarget]:
    """Targets from parsed ``global_targets.yml`` data per language."""
    texts = _parse_coded(files, TARGET_KEY, "a target", "'<goal>-<n or letter>-title'")
    return {
        code: SdgTarget(
            code=code,
            goal=int(code.split(".")[0]),
            title=make_text(en=texts[code]["en"], zh=texts[code].get("zh")),
        )
        for code in sorted(texts, key=_target_sort_key)
    }


def parse_indicator_files(files: dict[str, tuple[str, Any]]) -> dict[str, SdgIndicator]:
    """Indicators from parsed ``global_indicators.yml`` data per language."""
    texts = _parse_coded(files, INDICATOR_KEY, "an indicator", "'<goal>-<n or letter>-<n>-title'")
    return {
        code: SdgIndicator(
            code=code,
            target=code.rsplit(".", 1)[0],
            title=make_text(en=texts[code]["en"], zh=texts[code].get("zh")),
        )
        for code in sorted(texts, key=_indicator_sort_key)
    }


def _files(name: str) -> dict[str, tuple[str, Any]]:
    out = {}
    for lang, folder in LANG_DIRS.items():
        source = f"{folder}/{name}"
        out[lang] = (source, load_yaml(source))
    return out


@cache
def _goals() -> dict[int, SdgGoal]:
    return parse_goal_files(_files("global_goals.yml"))


@cache
def _targets() -> dict[str, SdgTarget]:
    return parse_target_files(_files("global_targets.yml"))


@cache
def _indicators() -> dict[str, SdgIndicator]:
    return parse_indicator_files(_files("global_indicators.yml"))


def sdg_goals() -> list[SdgGoal]:
    """The 17 goals in order."""
    return list(_goals().values())


def sdg_goal(n: int | str) -> SdgGoal | None:
    """Goal ``n`` (1-17); also accepts ``"9"``, ``"SDG 9"``, ``"目标9"``. None if unknown."""
    if isinstance(n, str):
        match = re.fullmatch(_PREFIX + r"(\d{1,2})", fold(n).casefold())
        if not match:
            return None
        n = int(match[1])
    return _goals().get(n)


def sdg_targets(goal: int | None = None) -> list[SdgTarget]:
    """All 169 targets in order (1.1 ... 1.7, 1.a, 1.b, 2.1 ...), or those of one goal."""
    return [t for t in _targets().values() if goal is None or t.goal == goal]


def normalise_sdg_target(raw: str) -> str | None:
    """The canonical code of a target written loosely, or None if it names no target.

    Accepts ``"9.c"``, ``"9c"``, ``"9-c"``, ``"9.C"``, ``"9 c"``, ``"SDG 9.c"``,
    ``"目标9.c"`` and full-width forms (``"９．ｃ"``). A numeric target needs a separator
    (``"17.6"``, not ``"176"``). Returns None for text that is not one of the 169 targets.
    """
    if not isinstance(raw, str):
        return None
    match = _TARGET_INPUT.fullmatch(fold(raw).casefold())
    if not match:
        return None
    part = match["num"] or match["letter"]
    if part.isdigit():
        part = str(int(part))
    code = f"{int(match['goal'])}.{part}"
    return code if code in _targets() else None


def sdg_target(code: str) -> SdgTarget | None:
    """The target named by ``code`` (normalised as in :func:`normalise_sdg_target`)."""
    canonical = normalise_sdg_target(code)
    return _targets()[canonical] if canonical else None


def normalise_sdg_indicator(raw: str) -> str | None:
    """The canonical code of an indicator (``"9.c.1"``, ``"9c1"``, ``"17-6-1"``), or None."""
    if not isinstance(raw, str):
        return None
    match = _INDICATOR_INPUT.fullmatch(fold(raw).casefold())
    if not match:
        return None
    part = match["num"] or match["letter"]
    if part.isdigit():
        part = str(int(part))
    code = f"{int(match['goal'])}.{part}.{int(match['ind'])}"
    return code if code in _indicators() else None


def sdg_indicator(code: str) -> SdgIndicator | None:
    """The indicator named by ``code`` (normalised as in :func:`normalise_sdg_indicator`)."""
    canonical = normalise_sdg_indicator(code)
    return _indicators()[canonical] if canonical else None


def sdg_indicators(target: str | None = None) -> list[SdgIndicator]:
    """All indicator entries in order, or those of one target (``"9.c"``, ``"9c"``)."""
    wanted = normalise_sdg_target(target) if target is not None else None
    if target is not None and wanted is None:
        return []
    return [i for i in _indicators().values() if wanted is None or i.target == wanted]
