"""The six ITU-D (BDT) regions and their member states.

Read from ``actionplan/data/reference/itu_d_regions.yaml``, compiled by hand from public ITU
sources; its header records each source and every judgement call (CIS membership over time,
the Arab region, Iran and Israel, Palestine as an observer). Codes are those of the ITU
DataHub "ITU/BDT Classification": AFR, AMS, ARB, ASP, CIS, EUR.

>>> itu_d_region("EGY")
'ARB'
>>> resolve_region_name("亚太区域")
'ASP'
>>> region("CIS").name["zh"]
'独联体'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from actionplan.errors import NotFoundError
from actionplan.registry._data import (
    Problems,
    Text,
    fold,
    load_yaml,
    make_text,
    parse_csv,
    read_text,
)
from actionplan.registry.countries import SOURCE as COUNTRIES_SOURCE
from actionplan.registry.countries import countries

SOURCE = "itu_d_regions.yaml"
CODES = ("AFR", "AMS", "ARB", "ASP", "CIS", "EUR")


@dataclass(frozen=True)
class Region:
    """An ITU-D region: code, ``{en, zh}`` name, member states and observers (ISO3).

    ``observers`` are entities served by the region that are not ITU Member States
    (Palestine in ARB, under Resolution 99); they are not in ``members``.
    """

    code: str
    name: Text = field(hash=False)
    members: frozenset[str] = frozenset()
    observers: frozenset[str] = frozenset()
    aliases: tuple[str, ...] = ()


def _codes(value: Any, where: str, problems: Problems, known: set[str] | None) -> list[str]:
    if not isinstance(value, list):
        problems.add(where, f"value is {value!r}", "a list of ISO3 codes")
        return []
    out = []
    for item in value:
        if not (isinstance(item, str) and re.fullmatch(r"[A-Z]{3}", item)):
            problems.add(where, f"{item!r} is not an ISO3 code", "three capital letters")
        elif known is not None and item not in known:
            problems.add(where, f"{item} is not in {COUNTRIES_SOURCE}", "a known ISO3 code")
        else:
            out.append(item)
    return out


def parse_regions(data: Any, source: str = SOURCE, known_iso3: set[str] | None = None) -> dict[str, Region]:
    """Regions from the parsed YAML; every ISO3 must be known and in at most one region."""
    problems = Problems(source)
    items = data.get("regions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.add("regions", "missing or not a list", "a list of six regions")
        problems.raise_if_any()
    assert isinstance(items, list)
    regions: dict[str, Region] = {}
    seen: dict[str, str] = {}
    for index, item in enumerate(items):
        code = item.get("code") if isinstance(item, dict) else None
        if code not in CODES:
            problems.add(f"regions[{index}].code", f"value is {code!r}", " / ".join(CODES))
            continue
        assert isinstance(item, dict) and isinstance(code, str)
        if code in regions:
            problems.add(f"{code}.code", "region appears twice", "each region once")
            continue
        name = item.get("name")
        if not isinstance(name, dict) or not name.get("en") or not name.get("zh"):
            problems.add(f"{code}.name", f"value is {name!r}", "{en: ..., zh: ...}")
            continue
        members = _codes(item.get("members"), f"{code}.members", problems, known_iso3)
        observers = _codes(item.get("observers", []), f"{code}.observers", problems, known_iso3)
        if not members:
            problems.add(f"{code}.members", "no members", "at least one member state")
        for iso3 in members + observers:
            if iso3 in seen:
                problems.add(f"{code}.members", f"{iso3} is also in {seen[iso3]}", "one region")
            seen[iso3] = code
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.add(f"{code}.aliases", f"value is {aliases!r}", "a list of names")
            aliases = []
        regions[code] = Region(
            code=code,
            name=make_text(en=name["en"], zh=name["zh"]),
            members=frozenset(members),
            observers=frozenset(observers),
            aliases=tuple(aliases),
        )
    missing = [code for code in CODES if code not in regions]
    if missing:
        problems.add("regions", f"no valid entry for {', '.join(missing)}", "all six regions")
    problems.raise_if_any()
    return regions


@cache
def _regions() -> dict[str, Region]:
    known = {c.iso3 for c in countries()}
    return parse_regions(load_yaml(SOURCE), SOURCE, known)


@cache
def _by_country() -> dict[str, str]:
    return {iso3: r.code for r in _regions().values() for iso3 in r.members | r.observers}


def regions() -> list[Region]:
    """The six regions in the order AFR, AMS, ARB, ASP, CIS, EUR."""
    return [_regions()[code] for code in CODES]


def region(code: str) -> Region:
    """The region with ``code`` (``"ASP"``) or a name :func:`resolve_region_name` knows.

    Raises :class:`actionplan.errors.NotFoundError` for anything else.
    """
    resolved = resolve_region_name(code) if isinstance(code, str) else None
    if resolved is None:
        raise NotFoundError(f"no ITU-D region {code!r}", expected=" / ".join(CODES))
    return _regions()[resolved]


def itu_d_region(iso3: str) -> str | None:
    """The region code of a member state or observer (``"CHN"`` -> ``"ASP"``), else None."""
    return _by_country().get(fold(iso3).upper()) if isinstance(iso3, str) else None


def _norm_name(text: str) -> str:
    text = fold(text).casefold().replace("&", " and ")
    text = re.sub(r"[\s\-–—_/,.，、()（）]+", " ", text).strip()
    text = re.sub(r"^(?:the|itu d|itu)\s+", "", text)
    text = re.sub(r"\bthe\b", " ", text)
    return re.sub(r"\s+", " ", text).strip()


_SUFFIX = re.compile(r"(?:\s+(?:region|regions|regional)|区域|地区)$")


@cache
def _name_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for r in _regions().values():
        for name in (r.code, r.name["en"], r.name["zh"], *r.aliases):
            index[_norm_name(name)] = r.code
    return index


def resolve_region_name(text: str) -> str | None:
    """The region code for a code or name in English or Chinese, or None.

    Knows the codes, the names and the aliases of ``itu_d_regions.yaml``, ignoring case,
    punctuation, "the" and a trailing "region"/"区域"/"地区": "非洲区域" -> AFR,
    "Americas region" -> AMS, "Asia and the Pacific" -> ASP, "独联体区域" -> CIS.
    """
    if not isinstance(text, str):
        return None
    index = _name_index()
    key = _norm_name(text)
    if key in index:
        return index[key]
    stripped = _SUFFIX.sub("", key).strip()
    return index.get(stripped)


def itu_member_states() -> frozenset[str]:
    """The 193 ITU Member States (ISO3), derived independently of the region lists.

    Rule (``itu_membership`` in ``itu_d_regions.yaml``): the UN member states -- rows of the
    country-codes CSV with a UNTERM English short name, corrected for the non-members UNTERM
    also names and for UN members whose UNTERM cells are empty -- plus the Holy See, minus
    Palau.
    """
    return _itu_members()


@cache
def _itu_members() -> frozenset[str]:
    data = load_yaml(SOURCE)
    problems = Problems(SOURCE)
    spec = data.get("itu_membership") if isinstance(data, dict) else None
    keys = ("unterm_non_un_members", "un_members_missing_unterm", "itu_not_un", "un_not_itu")
    lists: dict[str, set[str]] = {}
    for key in keys:
        value = spec.get(key) if isinstance(spec, dict) else None
        lists[key] = set(_codes(value, f"itu_membership.{key}", problems, None))
    problems.raise_if_any()
    rows = parse_csv(read_text(COUNTRIES_SOURCE), COUNTRIES_SOURCE, ["ISO3166-1-Alpha-3"])
    unterm = {row["ISO3166-1-Alpha-3"].strip() for row in rows if (row.get("UNTERM English Short") or "").strip()}
    un = (unterm - lists["unterm_non_un_members"]) | lists["un_members_missing_unterm"]
    return frozenset((un - lists["un_not_itu"]) | lists["itu_not_un"])
