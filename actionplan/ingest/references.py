"""Parse the reference statements of an output into normalised lists.

The statements are prose written by many editors, so the parser reads them as a sequence
of *bodies* (PP, WTDC, ITU-D) each followed by numbers, with the kind (resolution,
decision, recommendation) named before or after the numbers:

    PP第5和13号决定、PP第25、71和WTDC所有决议的落实将支持输出成果1.1
    PP Decisions 5 and 13, Resolutions 25, 71 and all WTDC Resolutions will support Output 1.1

Items are separated by ``和``, ``、``, ``，``, ``,``, "and", or (an editor's slip) a space.
Revisions in parentheses (``（2017年，布宜诺斯艾利斯，修订版）``, ``(Rev. Dubai, 2014)``)
are kept as :class:`~actionplan.model.Citation` and never read as resolution numbers.

SDG statements name goals with optional targets in parentheses: ``3（指标3.d）``,
``9（目标9a、9b）``, ``SDG 4、9、11和16``. Targets are normalised to ``9.a``; the forms
as written are kept by :func:`sdg_codes_as_written` for the linter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from actionplan.model import Citation

_PAREN = re.compile(r"[（(][^（()）]*[）)]")
_BODY = re.compile(
    r"全权代表大会|PP|WTDC|世界电信发展大会|ITU-D\s*(?=\d)|Recommendations?\s+ITU-D|ITU-D\s+Recommendations?",
    re.I,
)
_ALL = re.compile(r"所有|全部|all\b", re.I)
_KIND_DECISION = re.compile(r"决定|decisions?", re.I)
_KIND_RECOMMENDATION = re.compile(r"建议|recommendations?", re.I)
_KIND_RESOLUTION = re.compile(r"决议|resolutions?", re.I)
_STOP = re.compile(r"的落实|的实施|将支持|将题|将为|will\s+support|will\s+contribute|support\s+output", re.I)
_NUMBER = re.compile(r"(?<![\d.])\d{1,3}(?![\d.]|\s*年)")

_REVISION_ZH = re.compile(
    r"(?P<body>PP|WTDC|全权代表大会|世界电信发展大会)?\s*第?\s*(?P<num>\d{1,3})\s*号?\s*(?P<kind>决议|决定|建议)\s*"
    r"[（(]\s*(?P<year>\d{4})\s*年\s*[，,、]?\s*(?P<place>[^，,、）)]+?)\s*(?P<rev>[，,、]\s*修订版?)?\s*[）)]"
)
_REVISION_ZH_PREFIX = re.compile(
    r"(?P<year>\d{4})\s*年\s*(?P<place>[\u4e00-\u9fff]{2,6}?)\s*第\s*(?P<num>\d{1,3})\s*号\s*(?P<kind>决议|决定|建议)"
)
_REVISION_EN = re.compile(
    r"(?P<body>PP|WTDC)?\s*(?P<kind>Resolution|Decision|Recommendation)\s+(?P<num>\d{1,3})\s*"
    r"\(\s*(?P<rev>Rev\.\s*)?(?P<place>[A-Z][\w\s\-]+?)\s*,\s*(?P<year>\d{4})\s*\)",
    re.I,
)

# ITU conferences by (place, year) tell which body a bare "Resolution N (Place, Year)" is.
PLACE_NAMES = {
    "布宜诺斯艾利斯": "Buenos Aires",
    "迪拜": "Dubai",
    "海得拉巴": "Hyderabad",
    "多哈": "Doha",
    "釜山": "Busan",
    "瓜达拉哈拉": "Guadalajara",
    "安塔利亚": "Antalya",
    "马拉喀什": "Marrakesh",
}
CONFERENCES: dict[tuple[str, int], str] = {
    ("Buenos Aires", 2017): "WTDC",
    ("Dubai", 2014): "WTDC",
    ("Hyderabad", 2010): "WTDC",
    ("Doha", 2006): "WTDC",
    ("Busan", 2014): "PP",
    ("Guadalajara", 2010): "PP",
    ("Antalya", 2006): "PP",
    ("Dubai", 2018): "PP",
    ("Marrakesh", 2002): "PP",
}


def canonical_place(place: str | None) -> str | None:
    """The English name of a conference venue, so that 迪拜 and Dubai compare equal."""
    if place is None:
        return None
    return PLACE_NAMES.get(place.strip(), place.strip())


def conference_body(place: str | None, year: int | None) -> str | None:
    """'PP' or 'WTDC' for a known conference venue and year."""
    return CONFERENCES.get((canonical_place(place) or "", year or 0))


@dataclass
class ResolutionRefs:
    """What one resolutions statement cites."""

    pp_resolutions: list[int] = field(default_factory=list)
    pp_decisions: list[int] = field(default_factory=list)
    wtdc_resolutions: list[int] = field(default_factory=list)
    itu_d_recommendations: list[int] = field(default_factory=list)
    all_wtdc_resolutions: bool = False
    revisions: list[Citation] = field(default_factory=list)


_REVISION_PAREN = re.compile(
    r"[（(]\s*(?:Rev\.\s*(?P<place_en>[A-Z][\w\s\-]+?)\s*,\s*(?P<year_en>\d{4})"
    r"|(?P<year_zh>\d{4})\s*年\s*[，,、]?\s*(?P<place_zh>[^，,、）)]+?)\s*[，,、]\s*修订版?)\s*[）)]"
)


def _list_revisions(text: str) -> list[Citation]:
    """Revisions written after a number inside a list ('Resolutions 1, 2 (Rev. Dubai, 2014) and 5')."""
    found = []
    for m in _REVISION_PAREN.finditer(text):
        before = text[: m.start()]
        num = re.search(r"(\d{1,3})\s*(?:号\s*(?:决议|决定|建议))?\s*$", before)
        marks = list(_BODY.finditer(before))
        if not num or not marks:
            continue
        body = _body_name(marks[-1].group(0))
        kind = _clause_kind(before[marks[-1].start() :], body)
        found.append(
            Citation(
                body=body,
                kind=kind,
                number=int(num[1]),
                year=int(m["year_en"] or m["year_zh"]),
                place=(m["place_en"] or m["place_zh"]).strip(),
                revised=True,
                text=text[num.start() : m.end()],
            )
        )
    return found


def parse_resolutions(text: str) -> ResolutionRefs:
    """Resolutions, decisions and recommendations cited by a statement, in order, repeats kept."""
    revisions = find_citations(text)
    seen = {(c.number, c.year, canonical_place(c.place)) for c in revisions}
    revisions += [c for c in _list_revisions(text) if (c.number, c.year, canonical_place(c.place)) not in seen]
    refs = ResolutionRefs(revisions=revisions)
    body_text = _STOP.split(_PAREN.sub(" ", text), maxsplit=1)[0]
    marks = list(_BODY.finditer(body_text))
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(body_text)
        clause = body_text[m.end() : end]
        before = body_text[max(0, m.start() - 5) : m.start()]
        body = _body_name(m.group(0))
        numbers = [int(n) for n in _NUMBER.findall(clause)]
        kind = _clause_kind(m.group(0) + clause, body)
        if body == "WTDC" and not numbers and (_ALL.search(clause) or _ALL.search(before)):
            refs.all_wtdc_resolutions = True
            continue
        target = {
            ("PP", "resolution"): refs.pp_resolutions,
            ("PP", "decision"): refs.pp_decisions,
            ("WTDC", "resolution"): refs.wtdc_resolutions,
            ("WTDC", "recommendation"): refs.itu_d_recommendations,
            ("ITU-D", "recommendation"): refs.itu_d_recommendations,
        }.get((body, kind))
        if target is not None:
            target.extend(numbers)
    return refs


def _body_name(mark: str) -> str:
    if mark in ("全权代表大会",) or mark.upper() == "PP":
        return "PP"
    if "ITU-D" in mark.upper():
        return "ITU-D"
    return "WTDC"


def _clause_kind(clause: str, body: str) -> str:
    if body == "ITU-D":
        return "recommendation"
    found = [
        (m.start(), kind)
        for kind, rx in (
            ("decision", _KIND_DECISION),
            ("recommendation", _KIND_RECOMMENDATION),
            ("resolution", _KIND_RESOLUTION),
        )
        if (m := rx.search(clause))
    ]
    return min(found)[1] if found else "resolution"


def find_citations(text: str) -> list[Citation]:
    """Every resolution/decision cited with a revision place and year, in text order."""
    found: list[tuple[int, Citation]] = []
    for m in _REVISION_ZH.finditer(text):
        found.append((m.start(), _citation(m, text, revised=bool(m["rev"]))))
    for m in _REVISION_ZH_PREFIX.finditer(text):
        found.append((m.start(), _citation(m, text, revised=False)))
    for m in _REVISION_EN.finditer(text):
        found.append((m.start(), _citation(m, text, revised=bool(m["rev"]))))
    return [c for _, c in sorted(found, key=lambda x: x[0])]


def _citation(m: re.Match[str], text: str, revised: bool) -> Citation:
    groups = m.groupdict()
    place = m["place"].strip()
    year = int(m["year"])
    written = _body_name(groups["body"]) if groups.get("body") else None
    inferred = conference_body(place, year)
    if written is None:
        # "WTDC第2号决议": the body may stand just before the match
        lead = text[max(0, m.start() - 4) : m.start()]
        written = "WTDC" if "WTDC" in lead else "PP" if ("PP" in lead or "全权" in lead) else None
    kind_word = m["kind"].lower()
    kind = (
        "decision"
        if kind_word in ("决定", "decision")
        else "recommendation"
        if kind_word in ("建议", "recommendation")
        else "resolution"
    )
    body = written or inferred or "unknown"
    return Citation(
        body=body,
        kind=kind,
        number=int(m["num"]),
        year=year,
        place=place,
        revised=revised,
        text=m.group(0).strip(),
    )


# --- WSIS ------------------------------------------------------------------------------

_WSIS = re.compile(r"(?<![A-Za-z0-9])C\s?(\d{1,2})(?!\d)")
_WSIS_ALL = re.compile(r"所有\s*WSIS|all\s+(?:the\s+)?WSIS|所有WSIS行动", re.I)


def parse_wsis(text: str) -> tuple[list[str], bool]:
    """WSIS action lines as ``C5`` codes, and whether the statement says 'all of them'."""
    before_stop = _STOP.split(text, maxsplit=1)[0]
    codes = [f"C{int(n)}" for n in _WSIS.findall(before_stop)]
    return codes, bool(_WSIS_ALL.search(text))


# --- SDGs -------------------------------------------------------------------------------

_SDG_ALL = re.compile(r"所有可持续发展目标|all\s+(?:the\s+)?(?:SDGs|Sustainable\s+Development\s+Goals)", re.I)
_GOAL_WITH_TARGETS = re.compile(r"(?<![\d.])(?P<goal>\d{1,2})\s*[（(](?P<inner>[^（()）]*)[）)]")
_TARGET = re.compile(r"(?<![\d.])(?P<goal>\d{1,2})\s*\.?\s*(?P<t>[a-z]|\d{1,2})(?:\.(?P<i>\d{1,2}))?(?![\d])", re.I)
_BARE_GOAL = re.compile(r"(?<![\d.])(\d{1,2})(?!\d|\.\d|\s*[a-z](?![a-z]))", re.I)


@dataclass
class SdgRefs:
    goals: list[int] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    all_goals: bool = False
    written: list[str] = field(default_factory=list)
    """target codes exactly as the text writes them (``9a``, ``指标3.d``)"""


def _sdg_list_part(text: str) -> str:
    """The part of the statement that lists goals: after the colon, else after 'SDG'."""
    for sep in ("：", ":"):
        if sep in text:
            return text.split(sep, 1)[1]
    m = re.search(r"SDGs?|可持续发展目标", text)
    return text[m.end() :] if m else text


def parse_sdgs(text: str) -> SdgRefs:
    """Goals, targets (normalised ``9.a``) and indicators named by an SDG statement."""
    refs = SdgRefs(all_goals=bool(_SDG_ALL.search(text)))
    if refs.all_goals:
        return refs  # the numbers in such a statement are paragraph numbers, not goals
    part = _sdg_list_part(text)
    for m in _GOAL_WITH_TARGETS.finditer(part):
        for t in _TARGET.finditer(m["inner"]):
            code = f"{int(t['goal'])}.{t['t'].lower()}"
            refs.written.append(_written_form(m["inner"], t))
            if t["i"]:
                refs.indicators.append(f"{code}.{int(t['i'])}")
            else:
                refs.targets.append(code)
    bare = _GOAL_WITH_TARGETS.sub(lambda m: f" {m['goal']} ", part)
    refs.goals = [int(g) for g in _BARE_GOAL.findall(bare)]
    return refs


def _written_form(inner: str, t: re.Match[str]) -> str:
    lead = inner[max(0, t.start() - 2) : t.start()]
    label = "指标" if lead.endswith("指标") else ""
    return label + t.group(0).strip()


def sdg_codes_as_written(text: str) -> list[str]:
    """Target codes as written in an SDG statement, for checks on their form."""
    return parse_sdgs(text).written


# --- outcome mentions ---------------------------------------------------------------------

_OUTCOME_MENTION = re.compile(r"(?<!输出)成果\s*(?P<zh>\d+\.\d+)|\boutcome\s+(?P<en>\d+\.\d+)", re.I)


def outcome_mentions(text: str) -> list[str]:
    """Outcome numbers a sentence says it contributes to ('成果1.1', 'Outcome 1.1')."""
    return [m["zh"] or m["en"] for m in _OUTCOME_MENTION.finditer(text)]
