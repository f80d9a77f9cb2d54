"""Countries and areas: ISO 3166 codes, UN M49 code and names in English and Chinese.

Read from ``actionplan/data/reference/country_codes/country-codes.csv`` (datasets/
country-codes, copied unchanged; see ``PROVENANCE.md``). Names are the UN Terminology
(UNTERM) short names where the row has them, else the UNSD official names.

>>> country("chn").name["zh"]
'中国'
>>> country("CN").iso3
'CHN'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from actionplan.registry._data import Problems, Text, fold, make_text, parse_csv, read_text

SOURCE = "country_codes/country-codes.csv"
SNAPSHOT_2019 = "country_codes/country-codes@2ed03b6_2019-04-04.csv"

ISO3 = "ISO3166-1-Alpha-3"
ISO2 = "ISO3166-1-Alpha-2"
M49 = "M49"
COLUMNS = [
    ISO3,
    ISO2,
    M49,
    "UNTERM English Short",
    "UNTERM Chinese Short",
    "official_name_en",
    "official_name_cn",
    "is_independent",
]


@dataclass(frozen=True)
class Country:
    """A country or area of ISO 3166-1.

    ``m49`` is the three-digit UN M49 code as text (``"004"``); ``name`` is
    ``{"en": ..., "zh": ...}`` (``zh`` absent where the source has no Chinese name);
    ``status`` is the source's ``is_independent`` value ("Yes", "Territory of GB", ...).
    """

    iso3: str
    iso2: str
    m49: str
    name: Text = field(hash=False)
    status: str = ""


def parse_countries(text: str, source: str = SOURCE) -> dict[str, Country]:
    """Countries keyed by ISO3 from the country-codes CSV text; every bad row is reported."""
    problems = Problems(source)
    out: dict[str, Country] = {}
    for line, row in enumerate(parse_csv(text, source, COLUMNS), start=2):
        iso3 = (row[ISO3] or "").strip()
        iso2 = (row[ISO2] or "").strip()
        m49 = (row[M49] or "").strip()
        where = f"row {line}"
        if not re.fullmatch(r"[A-Z]{3}", iso3):
            problems.add(f"{where} {ISO3}", f"value is {iso3!r}", "three capital letters")
            continue
        if iso3 in out:
            problems.add(f"{where} {ISO3}", f"{iso3} appears twice", "one row per country")
            continue
        if not re.fullmatch(r"[A-Z]{2}", iso2):
            problems.add(f"{where} {ISO2}", f"value is {iso2!r}", "two capital letters")
            continue
        if not re.fullmatch(r"\d{1,3}", m49):
            problems.add(f"{where} {M49}", f"value is {m49!r}", "a numeric M49 code")
            continue
        en = (row["UNTERM English Short"] or row["official_name_en"] or "").strip()
        zh = (row["UNTERM Chinese Short"] or row["official_name_cn"] or "").strip()
        if not en:
            problems.add(f"{where} official_name_en", "no English name", "a name")
            continue
        out[iso3] = Country(
            iso3=iso3,
            iso2=iso2,
            m49=m49.zfill(3),
            name=make_text(en=en, zh=zh or None),
            status=(row["is_independent"] or "").strip(),
        )
    problems.raise_if_any()
    return out


@cache
def _countries() -> dict[str, Country]:
    return parse_countries(read_text(SOURCE))


@cache
def _by_iso2() -> dict[str, Country]:
    return {c.iso2: c for c in _countries().values()}


def country(code: str) -> Country | None:
    """The country with ISO3 (``"CHN"``) or ISO2 (``"CN"``) code, any case; None if unknown."""
    if not isinstance(code, str):
        return None
    key = fold(code).upper()
    if len(key) == 2:
        return _by_iso2().get(key)
    return _countries().get(key)


def countries() -> list[Country]:
    """Every country and area of the CSV (249 rows), in the CSV's order."""
    return list(_countries().values())
