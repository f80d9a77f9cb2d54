"""Record kinds the secretariat imports, with SDMX-style code lists in Chinese and English.

One pydantic row model per import kind, in the shape of the import files (a participation row
carries its person's attributes, flattened; an event lists the outputs it served as
``3.3;3.4``). Every field parses a spreadsheet cell (text, number or date) and, when the cell
is wrong, says what was expected, so an import can list all problems of a file at once.

Codes follow SDMX where SDMX has a code list: sex (``F``, ``M``, ``_U`` unknown), age bands
(``Y_LT25``, ``Y25T34``, ...), disability (``PD``, ``NPD``); ``_U`` marks a missing value.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

from actionplan.registry import country as registry_country

CodeList = dict[str, dict[str, str]]
"""code -> {"en": label, "zh": label}."""

SEX: CodeList = {
    "F": {"en": "Female", "zh": "女性"},
    "M": {"en": "Male", "zh": "男性"},
    "_U": {"en": "Unknown", "zh": "未知"},
}
AGE_BAND: CodeList = {
    "Y_LT25": {"en": "Under 25 years", "zh": "25岁以下"},
    "Y25T34": {"en": "25 to 34 years", "zh": "25至34岁"},
    "Y35T44": {"en": "35 to 44 years", "zh": "35至44岁"},
    "Y45T54": {"en": "45 to 54 years", "zh": "45至54岁"},
    "Y55T64": {"en": "55 to 64 years", "zh": "55至64岁"},
    "Y_GE65": {"en": "65 years or over", "zh": "65岁及以上"},
    "_U": {"en": "Unknown", "zh": "未知"},
}
DISABILITY: CodeList = {
    "PD": {"en": "Persons with disability", "zh": "残疾人"},
    "NPD": {"en": "Persons without disability", "zh": "非残疾人"},
    "_U": {"en": "Unknown", "zh": "未知"},
}
ORGANISATION_TYPE: CodeList = {
    "government": {"en": "Government", "zh": "政府"},
    "regulator": {"en": "Regulator", "zh": "监管机构"},
    "private": {"en": "Private sector", "zh": "私营部门"},
    "academia": {"en": "Academia", "zh": "学术界"},
    "civil_society": {"en": "Civil society", "zh": "民间社会"},
    "international": {"en": "International organisation", "zh": "国际组织"},
    "other": {"en": "Other", "zh": "其他"},
}
EVENT_KIND: CodeList = {
    "workshop": {"en": "Workshop", "zh": "讲习班"},
    "forum": {"en": "Forum", "zh": "论坛"},
    "training": {"en": "Training", "zh": "培训"},
    "meeting": {"en": "Meeting", "zh": "会议"},
    "conference": {"en": "Conference", "zh": "大会"},
}
ASSISTANCE_KIND: CodeList = {
    "strategy": {"en": "National cybersecurity strategy", "zh": "国家网络安全战略"},
    "cirt": {"en": "Computer incident response team (CIRT)", "zh": "计算机事件响应团队（CIRT）"},
    "early_warning": {"en": "Early-warning system", "zh": "早期预警系统"},
    "emergency_equipment": {"en": "Emergency telecommunication equipment", "zh": "应急通信设备"},
    "emergency_plan": {"en": "National emergency telecommunication plan", "zh": "国家应急通信计划"},
    "policy_advice": {"en": "Policy advice", "zh": "政策咨询"},
    "regulatory_advice": {"en": "Regulatory advice", "zh": "监管咨询"},
    "damage_assessment": {"en": "Infrastructure damage assessment", "zh": "基础设施损害评估"},
    "climate_policy": {"en": "Climate-change strategy or policy", "zh": "气候变化战略或政策"},
    "ewaste_policy": {"en": "E-waste strategy or policy", "zh": "电子废弃物战略或政策"},
    "digital_inclusion": {"en": "Digital inclusion advice", "zh": "数字包容性咨询"},
    "fellowship": {"en": "Fellowship granted", "zh": "发放的奖学金"},
    "connectivity": {"en": "Connectivity project", "zh": "连接性项目"},
    "innovation_project": {"en": "Innovation (grassroots) project", "zh": "创新（基层）项目"},
}
PUBLICATION_KIND: CodeList = {
    "publication": {"en": "Publication", "zh": "出版物"},
    "guideline": {"en": "Guideline", "zh": "指导方针"},
    "handbook": {"en": "Handbook", "zh": "手册"},
    "study": {"en": "Assessment study", "zh": "评估研究"},
    "toolkit": {"en": "Toolkit", "zh": "工具包"},
    "report": {"en": "Report", "zh": "报告"},
    "online_resource": {"en": "Online resource", "zh": "在线资源"},
    "database": {"en": "Database", "zh": "数据库"},
    "survey": {"en": "Survey", "zh": "调查"},
    "training_programme": {"en": "Training programme", "zh": "培训项目"},
}
PARTNER_TYPE: CodeList = {
    "government": {"en": "Government", "zh": "政府"},
    "private": {"en": "Private sector", "zh": "私营部门"},
    "academia": {"en": "Academia", "zh": "学术界"},
    "international": {"en": "International organisation", "zh": "国际组织"},
    "foundation": {"en": "Foundation", "zh": "基金会"},
    "civil_society": {"en": "Civil society", "zh": "民间社会"},
    "other": {"en": "Other", "zh": "其他"},
}
REGION: CodeList = {
    "AFR": {"en": "Africa", "zh": "非洲"},
    "AMS": {"en": "Americas", "zh": "美洲"},
    "ARB": {"en": "Arab States", "zh": "阿拉伯国家"},
    "ASP": {"en": "Asia-Pacific", "zh": "亚太"},
    "CIS": {"en": "CIS", "zh": "独联体"},
    "EUR": {"en": "Europe", "zh": "欧洲"},
}
GROUP: CodeList = {
    "LDC": {"en": "Least developed countries", "zh": "最不发达国家"},
    "LLDC": {"en": "Landlocked developing countries", "zh": "内陆发展中国家"},
    "SIDS": {"en": "Small island developing States", "zh": "小岛屿发展中国家"},
}
OUTPUTS = (
    "1.1",
    "1.2",
    "1.3",
    "1.4",
    "1.5",
    "1.6",
    "2.1",
    "2.2",
    "2.3",
    "3.1",
    "3.2",
    "3.3",
    "3.4",
    "4.1",
    "4.2",
    "4.3",
    "4.4",
)
"""The 17 outputs of the Buenos Aires plan."""

CODE_LISTS: dict[str, CodeList] = {
    "sex": SEX,
    "age_band": AGE_BAND,
    "disability": DISABILITY,
    "organisation_type": ORGANISATION_TYPE,
    "event_kind": EVENT_KIND,
    "assistance_kind": ASSISTANCE_KIND,
    "publication_kind": PUBLICATION_KIND,
    "partner_type": PARTNER_TYPE,
    "region": REGION,
    "group": GROUP,
}
"""Every code list by name (templates list them on their second sheet)."""

UNKNOWN = "_U"
NOT_APPLICABLE = "_Z"
"""Dimension value for a record without the attribute (a global event has no region)."""


# -- cell parsers: each raises ValueError("expected ...") so errors read the same -----------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    """Any cell as stripped text (numbers from spreadsheets too)."""
    if _blank(value):
        raise ValueError("expected a value")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _code(codes: CodeList | tuple[str, ...]) -> Callable[[Any], str]:
    """A parser accepting exactly the listed codes (case as listed)."""
    allowed = tuple(codes)

    def parse(value: Any) -> str:
        text = _text(value)
        if text not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}")
        return text

    return parse


def _iso3(value: Any) -> str:
    """An ISO 3166 alpha-3 code known to the registry (upper case)."""
    text = _text(value)
    if not re.fullmatch(r"[A-Z]{3}", text) or registry_country(text) is None:
        raise ValueError("expected an ISO 3166 alpha-3 country code such as KEN")
    return text


def _date(value: Any) -> datetime.date:
    """A date cell: a spreadsheet date or ISO text YYYY-MM-DD."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError("expected a date YYYY-MM-DD") from None


def _bool(value: Any) -> bool:
    """A yes/no cell: true/false, yes/no, 1/0, 是/否."""
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in ("1", "true", "yes", "y", "是"):
        return True
    if text in ("0", "false", "no", "n", "否"):
        return False
    raise ValueError("expected yes/no (true/false, 1/0)")


def _int_in(low: int, high: int) -> Callable[[Any], int]:
    """A whole number within [low, high]."""

    def parse(value: Any) -> int:
        text = _text(value)
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"expected a whole number {low}-{high}") from None
        if not number.is_integer() or not low <= number <= high:
            raise ValueError(f"expected a whole number {low}-{high}")
        return int(number)

    return parse


def _amount(value: Any) -> float:
    """A non-negative amount."""
    text = _text(value).replace(",", "")
    try:
        number = float(text)
    except ValueError:
        raise ValueError("expected a non-negative number") from None
    if number < 0:
        raise ValueError("expected a non-negative number")
    return number


def _outputs(value: Any) -> list[str]:
    """A ';'-separated list of plan outputs, e.g. ``3.3;3.4``."""
    items = [p.strip() for p in _text(value).split(";") if p.strip()]
    if not items or any(p not in OUTPUTS for p in items):
        raise ValueError("expected plan outputs separated by ';' such as 3.3;3.4")
    return items


def _optional(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Blank cells become None, others go through ``parse``."""
    return lambda value: None if _blank(value) else parse(value)


Str = Annotated[str, BeforeValidator(_text)]
OptStr = Annotated[str | None, BeforeValidator(_optional(_text))]
Date = Annotated[datetime.date, BeforeValidator(_date)]
OptDate = Annotated[datetime.date | None, BeforeValidator(_optional(_date))]
Bool = Annotated[bool, BeforeValidator(_bool)]
OptBool = Annotated[bool | None, BeforeValidator(_optional(_bool))]
Iso3 = Annotated[str, BeforeValidator(_iso3)]
OptIso3 = Annotated[str | None, BeforeValidator(_optional(_iso3))]
Output = Annotated[str, BeforeValidator(_code(OUTPUTS))]
Amount = Annotated[float, BeforeValidator(_amount)]
Count = Annotated[int, BeforeValidator(_int_in(0, 10**12))]


def _coded(codes: CodeList | tuple[str, ...]) -> Any:
    return Annotated[str, BeforeValidator(_code(codes))]


def _indicator(value: Any) -> str:
    text = _text(value)
    if not re.fullmatch(r"\d+\.\d+\.\d+", text):
        raise ValueError("expected an indicator number such as 3.2.1")
    return text


class Row(BaseModel):
    """Base of import rows: unknown columns are reported by the importer, not here."""

    model_config = ConfigDict(extra="forbid")


class EventRow(Row):
    """An event: workshop, forum, training, meeting or conference."""

    key: Str
    kind: _coded(EVENT_KIND)  # type: ignore[valid-type]
    title: Str
    start_date: Date
    end_date: Date
    city: OptStr = None
    country: OptIso3 = None
    region: Annotated[str | None, BeforeValidator(_optional(_code(REGION)))] = None
    online: Bool = False
    outputs: Annotated[list[str], BeforeValidator(_outputs)]
    recorded_on: Date


class ParticipationRow(Row):
    """One attendance of one person at one event, with the person's attributes."""

    event_key: Str
    person_key: Str
    sex: _coded(SEX)  # type: ignore[valid-type]
    age_band: _coded(AGE_BAND)  # type: ignore[valid-type]
    disability: _coded(DISABILITY)  # type: ignore[valid-type]
    country: Iso3
    organisation_type: _coded(ORGANISATION_TYPE)  # type: ignore[valid-type]
    completed: OptBool = None
    assessed: OptBool = None
    satisfaction: Annotated[int | None, BeforeValidator(_optional(_int_in(1, 5)))] = None
    recorded_on: Date


class AssistanceRow(Row):
    """Assistance delivered to a country under an output."""

    key: Str
    country: Iso3
    output: Output
    kind: _coded(ASSISTANCE_KIND)  # type: ignore[valid-type]
    delivered_on: Date
    description: OptStr = None
    recorded_on: Date


class PublicationRow(Row):
    """A publication, guideline, toolkit, online resource or other product released."""

    key: Str
    kind: _coded(PUBLICATION_KIND)  # type: ignore[valid-type]
    title: Str
    output: Output
    due_on: OptDate = None
    released_on: Date
    recorded_on: Date


class PublicationUseRow(Row):
    """Monthly use of a publication (downloads, page views, users)."""

    publication_key: Str
    year: Annotated[int, BeforeValidator(_int_in(2000, 2100))]
    month: Annotated[int, BeforeValidator(_int_in(1, 12))]
    downloads: Count = 0
    page_views: Count = 0
    users: Count = 0


class PartnershipRow(Row):
    """A partnership signed, with the resources it mobilised (CHF)."""

    key: Str
    partner: Str
    partner_type: _coded(PARTNER_TYPE)  # type: ignore[valid-type]
    output: Output
    signed_on: Date
    cash_chf: Amount = 0.0
    in_kind_chf: Amount = 0.0
    recorded_on: Date


class MilestoneRow(Row):
    """A qualitative milestone of an indicator in a year (achieved, ordinal level 0-4)."""

    indicator: Annotated[str, BeforeValidator(_indicator)]
    year: Annotated[int, BeforeValidator(_int_in(2000, 2100))]
    achieved: Bool
    level: Annotated[int | None, BeforeValidator(_optional(_int_in(0, 4)))] = None
    due_on: OptDate = None
    achieved_on: OptDate = None
    evidence: OptStr = None
    recorded_on: Date


ROW_MODELS: dict[str, type[Row]] = {
    "events": EventRow,
    "participations": ParticipationRow,
    "assistance": AssistanceRow,
    "publications": PublicationRow,
    "publication_use": PublicationUseRow,
    "partnerships": PartnershipRow,
    "milestones": MilestoneRow,
}
"""Import kind -> row model; the kind is also the file's base name in templates."""

KEYS: dict[str, tuple[str, ...]] = {
    "events": ("key",),
    "participations": ("event_key", "person_key"),
    "assistance": ("key",),
    "publications": ("key",),
    "publication_use": ("publication_key", "year", "month"),
    "partnerships": ("key",),
    "milestones": ("indicator", "year", "due_on"),
}
"""Columns that identify a row: a repeat within one file is an error."""

COLUMN_CODES: dict[str, str] = {
    "sex": "sex",
    "age_band": "age_band",
    "disability": "disability",
    "organisation_type": "organisation_type",
    "region": "region",
    "partner_type": "partner_type",
}
"""Column name -> code list for the columns whose code list does not depend on the kind."""

KIND_CODES = {"events": "event_kind", "assistance": "assistance_kind", "publications": "publication_kind"}
"""Import kind -> code list of its ``kind`` column."""
