"""The plan's vocabulary in Chinese and English: what marks each structural element.

Every pattern here recognises a *kind* of line (an objective heading, an output heading, a
references sub-heading), never one particular line of one document. Adding a language is
adding alternatives to these patterns.
"""

from __future__ import annotations

import re

DASH = r"[–—\-－:：]"

PART = re.compile(r"^(?:(?P<zh>[A-Z])\s*部分|Part\s+(?P<en>[A-Z]))\s*$", re.I)
CHAPTER = re.compile(rf"^(?:第\s*(?P<zh>\d+)\s*节|Section\s+(?P<en>\d+))\s*(?:{DASH}\s*(?P<title>.+))?$", re.I)
OBJECTIVE = re.compile(
    rf"^(?:部门目标|目标|(?:Sector\s+|Strategic\s+)?Objective)\s*(?P<num>\d+)\s*{DASH}\s*(?P<title>.+)$",
    re.I,
)
OUTPUT = re.compile(rf"^(?:输出成果|输出|Output)\s*(?P<num>\d+\.\d+)\s*(?:{DASH}\s*(?P<title>.*))?$", re.I)
NUMBERED_HEADING = re.compile(r"^(?P<num>\d+(?:\.\d+)*)\.?(?:\t+|\s{2,}|\s+(?=[^\d\s]))(?P<title>\S.{0,120})$")
ROMAN_HEADING = re.compile(r"^(?P<num>(?:IX|IV|V?I{1,3}|V|X))[.)]?\t+(?P<title>\S.*)$")
NUMBERED_PARA = re.compile(r"^(?P<num>\d+)\s*[、.．)）]\s*(?P<text>\S.*)$")
PROJECT = re.compile(r"^(?:项目|Project)\s*[:：]\s*(?P<title>\S.*)$", re.I)
SEPARATOR = re.compile(r"^[_\-—=*]{5,}$")

REGIONAL_INITIATIVES = re.compile(r"^(?:相关)?区域性?举措$|^(?:Related\s+)?regional\s+initiatives?$", re.I)
STUDY_GROUP_QUESTIONS = re.compile(r"^(?:相关)?研究组课题$|^(?:Related\s+)?study[\s-]+group\s+questions?$", re.I)
WORK_AREAS_LEAD = re.compile(r"主要工作领域|main\s+areas?\s+of\s+work|key\s+areas", re.I)

# Output sub-sections, classified by what their heading says.
BACKGROUND = re.compile(r"背景|background", re.I)
FRAMEWORK = re.compile(r"实施框架|执行框架|implementation\s+framework", re.I)
REFERENCES = re.compile(r"参考资料|决议|references?|resolutions", re.I)

REF_RESOLUTIONS = re.compile(
    r"^(?:PP\s*(?:和|与|and)\s*WTDC\s*(?:决议|resolutions).*|.*resolutions\s+and\s+recommendations.*)$",
    re.I,
)
REF_WSIS = re.compile(r"^WSIS\s*(?:行动方针|行动计划|行动方面|action\s+lines?)$", re.I)
REF_SDGS = re.compile(
    r"^(?:可持续发展目标(?:和指标|和具体目标)?|Sustainable\s+Development\s+Goals.*|SDGs?(?:\s+and\s+targets)?)$",
    re.I,
)

# Outcomes-table column labels.
COL_OUTCOME = re.compile(r"^(?:成果|outcomes?)$", re.I)
COL_INDICATORS = re.compile(r"绩效指标|performance\s+indicators?", re.I)
COL_OUTPUTS = re.compile(r"(?:输出成果|输出|outputs?)\s*[（(]?", re.I)

INDICATOR_MARK = re.compile(r"^[\-–•·]\s*")
TABLE_OUTPUT = re.compile(rf"^(?P<num>\d+\.\d+)\s*(?:{DASH})?\s*(?P<title>.*)$")

LANG_ZH = re.compile(r"[\u4e00-\u9fff]")


def language_of(text: str) -> str:
    """'zh' when the text has Chinese characters, else 'en' (enough for plan documents)."""
    return "zh" if LANG_ZH.search(text) else "en"


def looks_like_sentence(text: str, max_heading: int = 60) -> bool:
    """A heading-sized line that is really a sentence (ends like one, or is long)."""
    return bool(re.search(r"[。；;.!！?？，,：:]$", text.strip())) or len(text) > max_heading


QUESTION_LABEL = re.compile(r"课题|Question|^Q\s?\d", re.I)
