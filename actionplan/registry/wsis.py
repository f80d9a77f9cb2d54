"""WSIS action lines C1-C11 and the eight C7 sub-lines (Geneva Plan of Action, 2003).

Read from ``actionplan/data/reference/wsis_action_lines.yaml``. English titles are the Plan
of Action headings. No official Chinese title was found, so ``title`` carries only ``en``;
a project translation is kept apart in ``title_zh_unofficial`` and must not be printed as
the official text.

>>> wsis_line("c5").code
'C5'
>>> wsis_line("C7 e-health").code
'C7.e-health'
>>> wsis_line("C7").sub_lines[3]
'C7.e-health'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from actionplan.registry._data import Problems, Text, fold, load_yaml, make_text

SOURCE = "wsis_action_lines.yaml"

_CODE = re.compile(r"C(?:[1-9]|1[01])")
_SUB_CODE = re.compile(r"C7\.e-[a-z]+")
_INPUT = re.compile(
    r"(?:wsis\s*)?(?:action\s*lines?\s*|行动方面\s*)?"
    r"c\s*(?P<num>\d{1,2})"
    r"(?:\s*[.:：,，/\-\s(（]\s*(?P<sub>[a-z][a-z\s\-]*?)\s*[)）]?)?"
)


@dataclass(frozen=True)
class WsisLine:
    """An action line (``"C5"``) or a C7 sub-line (``"C7.e-health"``).

    ``title`` holds ``en`` and, only where an official text is known, ``zh``.
    ``title_zh_unofficial`` is a project translation, never the official text.
    ``parent`` is ``"C7"`` for sub-lines; ``sub_lines`` lists a line's sub-line codes.
    """

    code: str
    title: Text = field(hash=False)
    title_zh_unofficial: str | None = None
    parent: str | None = None
    sub_lines: tuple[str, ...] = ()


def _entry(item: Any, where: str, problems: Problems, parent: str | None) -> WsisLine | None:
    if not isinstance(item, dict):
        problems.add(where, f"entry is {type(item).__name__}", "a mapping with code, title_en")
        return None
    code = item.get("code")
    pattern = _SUB_CODE if parent else _CODE
    if not isinstance(code, str) or not pattern.fullmatch(code):
        expected = "'C7.e-<name>'" if parent else "'C1' ... 'C11'"
        problems.add(f"{where}.code", f"code is {code!r}", expected)
        return None
    title_en = item.get("title_en")
    if not isinstance(title_en, str) or not title_en.strip():
        problems.add(f"{code}.title_en", f"value is {title_en!r}", "a non-empty English title")
        return None
    texts: dict[str, str | None] = {"en": title_en.strip()}
    for key in ("title_zh", "title_zh_unofficial"):
        value = item.get(key)
        if value is not None and not (isinstance(value, str) and value.strip()):
            problems.add(f"{code}.{key}", f"value is {value!r}", "a non-empty text or null")
            return None
    texts["zh"] = item.get("title_zh")
    subs: list[str] = []
    raw_subs = item.get("sub_lines", [])
    if parent is None and not isinstance(raw_subs, list):
        problems.add(f"{code}.sub_lines", f"value is {raw_subs!r}", "a list of sub-lines")
    elif parent is None:
        subs = [s["code"] for s in raw_subs if isinstance(s, dict) and "code" in s]
    return WsisLine(
        code=code,
        title=make_text(**texts),
        title_zh_unofficial=item.get("title_zh_unofficial"),
        parent=parent,
        sub_lines=tuple(subs),
    )


def parse_wsis_lines(data: Any, source: str = SOURCE) -> dict[str, WsisLine]:
    """Action lines and sub-lines from the parsed YAML, keyed by code, in file order."""
    problems = Problems(source)
    lines: dict[str, WsisLine] = {}
    items = data.get("action_lines") if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.add("action_lines", "missing or not a list", "a list of action lines")
        problems.raise_if_any()
        return lines

    def keep(line: WsisLine | None) -> None:
        if line is None:
            return
        if line.code in lines:
            problems.add(line.code, "code appears twice", "unique codes")
        lines[line.code] = line

    for index, item in enumerate(items):
        line = _entry(item, f"action_lines[{index}]", problems, None)
        keep(line)
        if line is not None and isinstance(item, dict):
            for sub_index, sub in enumerate(item.get("sub_lines") or []):
                keep(_entry(sub, f"{line.code}.sub_lines[{sub_index}]", problems, line.code))
    problems.raise_if_any()
    return lines


@cache
def _lines() -> dict[str, WsisLine]:
    return parse_wsis_lines(load_yaml(SOURCE))


def _sub_key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text)


def normalise_wsis_code(raw: str) -> str | None:
    """The canonical code of an action line written loosely, or None.

    Accepts ``"C5"``, ``"c5"``, ``"C7 e-health"``, ``"C7.e-Health"``, ``"C7 (e-health)"``,
    ``"C7: eHealth"``, ``"WSIS C5"``, ``"行动方面C5"`` and a bare sub-line name (``"e-health"``).
    """
    if not isinstance(raw, str):
        return None
    text = fold(raw).casefold()
    lines = _lines()
    subs = {_sub_key(code.split(".", 1)[1]): code for code in lines if "." in code}
    match = _INPUT.fullmatch(text)
    if match is None:
        return subs.get(_sub_key(text)) if re.fullmatch(r"e[\s\-]?[a-z]+", text) else None
    code = f"C{int(match['num'])}"
    if code not in lines:
        return None
    if not match["sub"]:
        return code
    sub = subs.get(_sub_key(match["sub"]))
    return sub if sub is not None and lines[sub].parent == code else None


def wsis_line(code: str) -> WsisLine | None:
    """The action line or sub-line named by ``code`` (see :func:`normalise_wsis_code`)."""
    canonical = normalise_wsis_code(code)
    return _lines()[canonical] if canonical else None


def wsis_lines(include_sub_lines: bool = False) -> list[WsisLine]:
    """C1-C11 in order; with ``include_sub_lines`` each C7 sub-line follows C7."""
    return [line for line in _lines().values() if include_sub_lines or line.parent is None]
