"""Word styles and numbering: what a paragraph inherits and what number Word shows.

Whether a paragraph is a heading or a list item, and the bullet or number in front of it,
is mostly not written on the paragraph: it comes from ``styles.xml`` (through the
``basedOn`` chain) and ``numbering.xml`` (counters shared by every list of one abstract
numbering). This resolution is Word's model, not ours, so it is kept apart from the body
walk, which only asks it for a style chain and the next marker of a list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

_LIST_STYLE = re.compile(r"^list(?: bullet| number)?(?: (\d))?$", re.IGNORECASE)
_HEADING_STYLE = re.compile(r"^heading (\d)$", re.IGNORECASE)
_BULLETS = {  # symbol-font code points Word uses for bullets -> what they look like
    "\uf0b7": "•",
    "\uf0a7": "▪",
    "\uf06e": "■",
    "\uf0a8": "◆",
    "\uf0d8": "➢",
    "\uf076": "❖",
    "\uf0fc": "✓",
    "\uf02d": "-",
    "o": "○",
}


@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    outline: int | None = None
    num_id: str | None = None
    ilvl: int | None = None


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""


@dataclass
class _Num:
    key: str  # counters are shared per abstract numbering unless the start is overridden
    levels: dict[int, _Level] = field(default_factory=dict)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class _Styles:
    def __init__(self, ns: str, root: etree._Element | None):
        self.styles: dict[str, _Style] = {}
        self.default: str | None = None
        if root is None:
            return
        val = f"{ns}val"
        for el in root.iter(f"{ns}style"):
            if el.get(f"{ns}type") != "paragraph":
                continue
            sid = el.get(f"{ns}styleId", "")
            style = _Style()
            if (name := el.find(f"{ns}name")) is not None:
                style.name = name.get(val, "")
            if (based := el.find(f"{ns}basedOn")) is not None:
                style.based_on = based.get(val)
            if (ppr := el.find(f"{ns}pPr")) is not None:
                style.outline, style.num_id, style.ilvl = _outline_and_numbering(ns, ppr)
            self.styles[sid] = style
            if el.get(f"{ns}default") in ("1", "true", "on"):
                self.default = sid

    def chain(self, style_id: str | None) -> Iterator[_Style]:
        """The style and those it is based on, nearest first (cycles cut)."""
        seen: set[str] = set()
        sid = style_id if style_id in self.styles else self.default
        while sid and sid in self.styles and sid not in seen and len(seen) < 32:
            seen.add(sid)
            yield self.styles[sid]
            sid = self.styles[sid].based_on


def _outline_and_numbering(ns: str, ppr: etree._Element) -> tuple[int | None, str | None, int | None]:
    """A ``w:pPr``'s own outline level, numbering id and numbering level."""
    val = f"{ns}val"
    outline = ppr.find(f"{ns}outlineLvl")
    num_pr = ppr.find(f"{ns}numPr")
    num_id = ilvl = None
    if num_pr is not None:
        if (n := num_pr.find(f"{ns}numId")) is not None:
            num_id = n.get(val)
        if (i := num_pr.find(f"{ns}ilvl")) is not None:
            ilvl = _int(i.get(val))
    return (_int(outline.get(val)) if outline is not None else None), num_id, ilvl


class _Numbering:
    """Just enough of ``numbering.xml`` to show the bullet or number of a list paragraph."""

    def __init__(self, ns: str, root: etree._Element | None):
        self.nums: dict[str, _Num] = {}
        self.counters: dict[str, list[int | None]] = {}
        if root is None:
            return
        val = f"{ns}val"

        def levels(parent: etree._Element) -> dict[int, _Level]:
            out: dict[int, _Level] = {}
            for lvl in parent.findall(f"{ns}lvl"):
                level = _Level()
                if (start := lvl.find(f"{ns}start")) is not None:
                    level.start = _int(start.get(val)) or 0
                if (fmt := lvl.find(f"{ns}numFmt")) is not None:
                    level.fmt = fmt.get(val, "decimal")
                if (text := lvl.find(f"{ns}lvlText")) is not None:
                    level.text = text.get(val, "")
                out[_int(lvl.get(f"{ns}ilvl")) or 0] = level
            return out

        abstract = {a.get(f"{ns}abstractNumId", ""): levels(a) for a in root.findall(f"{ns}abstractNum")}
        for num in root.findall(f"{ns}num"):
            num_id = num.get(f"{ns}numId", "")
            aid = num.find(f"{ns}abstractNumId")
            key = aid.get(val, "") if aid is not None else ""
            lv = {k: _Level(v.start, v.fmt, v.text) for k, v in abstract.get(key, {}).items()}
            for override in num.findall(f"{ns}lvlOverride"):
                ilvl = _int(override.get(f"{ns}ilvl")) or 0
                for replaced in levels(override).values():
                    lv[ilvl] = replaced
                if (start := override.find(f"{ns}startOverride")) is not None:
                    lv.setdefault(ilvl, _Level()).start = _int(start.get(val)) or 0
                    key = f"num:{num_id}"
            self.nums[num_id] = _Num(f"abstract:{key}", lv)

    def marker(self, num_id: str, ilvl: int) -> str:
        """Advance the list's counter and return what Word shows (``""`` if not derivable)."""
        num = self.nums.get(num_id)
        if num is None or not 0 <= ilvl < 9:
            return ""
        counts = self.counters.setdefault(num.key, [None] * 9)
        level = num.levels.get(ilvl, _Level())
        current = counts[ilvl]
        counts[ilvl] = level.start if current is None else current + 1
        counts[ilvl + 1 :] = [None] * (8 - ilvl)
        if level.fmt == "bullet":
            text = level.text.strip()
            if text in _BULLETS:
                return _BULLETS[text]
            return "•" if text and "\ue000" <= text[0] <= "\uf8ff" else text
        out = []
        for part in re.split(r"(%[1-9])", level.text):
            if re.fullmatch(r"%[1-9]", part):
                k = int(part[1]) - 1
                ref = num.levels.get(k, _Level())
                count = counts[k]
                formatted = _format_number(ref.start if count is None else count, ref.fmt)
                if formatted is None:
                    return ""
                part = formatted
            out.append(part)
        return "".join(out).strip()


_CN_DIGITS = "零一二三四五六七八九"


def _format_number(n: int, fmt: str) -> str | None:
    if fmt in ("decimal", "decimalZero"):
        return f"{n:02d}" if fmt == "decimalZero" and n < 10 else str(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("lowerLetter", "upperLetter") and n > 0:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        roman = ""
        for value, sym in (
            (1000, "m"),
            (900, "cm"),
            (500, "d"),
            (400, "cd"),
            (100, "c"),
            (90, "xc"),
            (50, "l"),
            (40, "xl"),
            (10, "x"),
            (9, "ix"),
            (5, "v"),
            (4, "iv"),
            (1, "i"),
        ):
            count, n = divmod(n, value)
            roman += sym * count
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt in ("chineseCounting", "chineseCountingThousand") and 0 < n < 100:
        tens, ones = divmod(n, 10)
        head = ("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else ""
        return head + (_CN_DIGITS[ones] if ones else "")
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    return None
