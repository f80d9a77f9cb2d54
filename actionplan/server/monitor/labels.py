"""Names of codes in the UI language: disaggregation values, statuses, record kinds."""

from __future__ import annotations

from actionplan.monitor.records import CODE_LISTS
from actionplan.registry import country

DIMENSION_CODES = {
    "sex": "sex",
    "age_band": "age_band",
    "disability": "disability",
    "organisation_type": "organisation_type",
    "region": "region",
    "group": "group",
}
"""Disaggregation -> the code list naming its values (country names come from the registry)."""

DIMENSION_NAMES = {
    "region": ("ITU-D region", "ITU-D区域"),
    "country": ("Country", "国家"),
    "group": ("Country group (LDC/LLDC/SIDS)", "国家类别（LDC/LLDC/SIDS）"),
    "sex": ("Sex", "性别"),
    "age_band": ("Age band", "年龄段"),
    "disability": ("Disability", "残疾状况"),
    "organisation_type": ("Organisation type", "组织类型"),
    "kind": ("Kind", "类型"),
}

STATUS_NAMES = {
    "on_track": ("On track", "进展顺利"),
    "at_risk": ("At risk", "存在风险"),
    "off_track": ("Off track", "偏离轨道"),
    "no_data": ("No data", "无数据"),
}

NOT_APPLICABLE = {"_Z": ("Not applicable (global or online)", "不适用（全球或在线）"), "_U": ("Unknown", "未知")}


def pair(names: tuple[str, str], lang: str) -> str:
    """``English`` or ``中文（English）``: Chinese as in the source, English alongside."""
    en, zh = names
    return en if lang == "en" else f"{zh}（{en}）"


def dimension_name(dim: str, lang: str) -> str:
    return pair(DIMENSION_NAMES.get(dim, (dim, dim)), lang)


def status_name(status: str, lang: str) -> str:
    return pair(STATUS_NAMES.get(status, (status, status)), lang)


def code_name(dim: str, code: str, lang: str) -> str:
    """The name of value ``code`` of disaggregation ``dim`` (``F`` -> ``女性（Female）``)."""
    if code in NOT_APPLICABLE and dim != "group":
        return pair(NOT_APPLICABLE[code], lang)
    if dim == "country":
        c = country(code)
        if c is None:
            return code
        return c.name.get("en", code) if lang == "en" else c.name.get("zh") or c.name.get("en", code)
    codes = CODE_LISTS.get(DIMENSION_CODES.get(dim, ""), {})
    names = codes.get(code)
    if names is None:
        return code
    return pair((names["en"], names["zh"]), lang)
