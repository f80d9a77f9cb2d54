"""The indicator database: definitions, observations, vintages and validation.

An :class:`IndicatorDef` says what an indicator measures (code, names in Chinese and
English, unit, ITU code where one exists, definition, source, plausible range). The
definitions ship as YAML under ``actionplan/data/stats/indicators/*.yaml`` and are read
by :func:`load_catalogue`.

An :class:`Observation` is one value for one economy, year and indicator, *as recorded on
a date* (``recorded_on``, its vintage). A revision is a second observation for the same
economy/year/indicator with a later ``recorded_on``; nothing is overwritten, so
:meth:`Dataset.as_of` can give the data as it stood on any date.

:func:`validate` checks observations against the catalogue and the registry and returns
every :class:`Problem` at once (errors and warnings); reading and writing files lives in
:mod:`actionplan.stats.io` (re-exported here as :func:`read_observations` and
:func:`write_observations`).

>>> cat = load_catalogue()
>>> cat["internet_users_pct"].unit
'%'
>>> obs = [Observation(economy="CHN", year=2023, indicator="internet_users_pct", value=77.5,
...                    recorded_on=date(2024, 3, 1))]
>>> Dataset(obs).matrix(["internet_users_pct"], 2023)[1].tolist()
[[77.5]]
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from actionplan.registry import countries, regions
from actionplan.registry._data import Problems, ReferenceDataError

if TYPE_CHECKING:
    pass

CATALOGUE_PACKAGE = "actionplan.data"
CATALOGUE_DIR = ("stats", "indicators")
"""Indicator definitions: every ``*.yaml`` in ``actionplan/data/stats/indicators/``."""

FLAGS: dict[str, str] = {
    "E": "estimate",
    "B": "break in series",
    "P": "provisional",
    "F": "forecast",
    "U": "low reliability",
    "I": "imputed by the index (never stored from a source)",
}
"""The flag vocabulary: one letter each, the SDMX ``OBS_STATUS`` codes where SDMX has one
(E, B, P, F, U; SDMX ``A`` "normal" is no flag at all)."""

FLAG_NAMES: dict[str, str] = {name: code for code, name in FLAGS.items()} | {
    "estimated": "E",
    "break": "B",
    "imputed": "I",
}

AGGREGATES: dict[str, dict[str, str]] = {
    "WLD": {"en": "World", "zh": "世界"},
    "LDC": {"en": "Least developed countries", "zh": "最不发达国家"},
    "LLDC": {"en": "Landlocked developing countries", "zh": "内陆发展中国家"},
    "SIDS": {"en": "Small island developing States", "zh": "小岛屿发展中国家"},
}
"""ITU aggregates accepted as economies besides ISO3 codes: the world, the UN groups, and
(added by :func:`aggregates`) the six ITU-D region codes AFR, AMS, ARB, ASP, CIS, EUR."""

PERCENT_UNITS = frozenset({"%", "% of GNI per capita"})
"""Units whose jumps are measured in percentage points rather than relative change."""

JUMP_POINTS = 20.0
"""Warn when a percentage moves more than this many points from the previous year."""
JUMP_RELATIVE = 0.5
"""Warn when any other value moves more than this fraction of the previous year's value."""


class IndicatorDef(BaseModel):
    """What one indicator measures.

    ``name`` is ``{"zh": ..., "en": ...}``; ``definition`` has ``en`` and may have ``zh``;
    ``itu_code`` is the code of the ITU World Telecommunication/ICT Indicators (WTI)
    database series it comes from, or None; ``min``/``max`` bound plausible values (None:
    unbounded); ``higher_is_better`` orients the indicator in an index. Extra keys in the
    YAML (a pillar, answer scale, ...) are kept as extra attributes.
    """

    model_config = ConfigDict(frozen=True, extra="allow")

    code: str = Field(pattern=r"^[a-z][a-z0-9_.]*$")
    name: dict[str, str]
    unit: str
    itu_code: str | None = None
    definition: dict[str, str] = Field(default_factory=dict)
    source: str = ""
    min: float | None = None
    max: float | None = None
    higher_is_better: bool = True

    @field_validator("definition", mode="before")
    @classmethod
    def _definition_text(cls, value: Any) -> Any:
        # a plain string is accepted as the English definition
        return {"en": value} if isinstance(value, str) else value

    @field_validator("name")
    @classmethod
    def _name_has_both(cls, value: dict[str, str]) -> dict[str, str]:
        if not value.get("en") or not value.get("zh"):
            raise ValueError("name needs both 'en' and 'zh'")
        return value


@dataclasses.dataclass(frozen=True, slots=True)
class Observation:
    """One value for one economy (ISO3 or aggregate), year and indicator, as of ``recorded_on``.

    ``flags`` are letters of :data:`FLAGS` (E estimate, B break in series, P provisional,
    F forecast, U low reliability, I imputed). ``unit`` is the unit the source gave, if
    any (checked against the catalogue by :func:`validate`). ``origin`` says where the
    value was read (``"data.csv row 7"``) and takes no part in equality.

    A plain frozen dataclass (tens of thousands are built per file, pydantic's validation
    would cost seconds); ``__post_init__`` checks the types. Pydantic validates and
    serialises it where needed (``pydantic.TypeAdapter(Observation)``).
    """

    economy: str
    year: int
    indicator: str
    value: float
    recorded_on: date
    source: str = ""
    notes: str = ""
    flags: tuple[str, ...] = ()
    unit: str | None = None
    origin: str | None = dataclasses.field(default=None, compare=False)

    def __post_init__(self) -> None:
        if type(self.value) is not float:
            if isinstance(self.value, bool) or not isinstance(self.value, int | float | np.floating | np.integer):
                raise TypeError(f"value must be a number, got {self.value!r}")
            object.__setattr__(self, "value", float(self.value))
        if type(self.year) is not int:
            if isinstance(self.year, bool) or not isinstance(self.year, int | np.integer):
                raise TypeError(f"year must be an integer, got {self.year!r}")
            object.__setattr__(self, "year", int(self.year))
        if not isinstance(self.recorded_on, date) or isinstance(self.recorded_on, datetime):
            if isinstance(self.recorded_on, datetime):
                object.__setattr__(self, "recorded_on", self.recorded_on.date())
            else:
                raise TypeError(f"recorded_on must be a date, got {self.recorded_on!r}")
        if type(self.flags) is not tuple:
            object.__setattr__(self, "flags", tuple(self.flags))
        if not isinstance(self.economy, str) or not isinstance(self.indicator, str):
            raise TypeError("economy and indicator must be text")

    @property
    def key(self) -> tuple[str, str, int]:
        """``(economy, indicator, year)``: the observations of one key are vintages of one value."""
        return (self.economy, self.indicator, self.year)


class Problem(BaseModel):
    """One finding of :func:`validate` or of a reader: an error or a warning, and where."""

    model_config = ConfigDict(frozen=True)

    severity: Literal["error", "warning"]
    rule: str
    """``unknown-economy``, ``unknown-indicator``, ``out-of-range``, ``unit-mismatch``,
    ``unknown-flag``, ``conflicting-duplicate``, ``jump``, or a reader's ``bad-value``..."""
    message: str
    where: str = ""
    """``data.csv row 7, column value`` when the observation came from a file, else its key."""
    economy: str | None = None
    year: int | None = None
    indicator: str | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


# --- catalogue -----------------------------------------------------------------------


def _catalogue_items(data: Any, source: str, problems: Problems) -> list[tuple[str, Any]]:
    if isinstance(data, dict) and isinstance(data.get("indicators"), list):
        items = data["indicators"]
    elif isinstance(data, list):
        items = data
    elif isinstance(data, dict) and isinstance(data.get("indicators"), dict):
        items = [{"code": code, **(body or {})} for code, body in data["indicators"].items()]
    else:
        problems.add("indicators", "missing or not a list", "a top-level 'indicators:' list")
        return []
    return [(f"indicators[{index}]", item) for index, item in enumerate(items)]


def parse_catalogue(texts: Mapping[str, str]) -> dict[str, IndicatorDef]:
    """Definitions from YAML texts keyed by file name; every problem of every file is raised.

    Raises :class:`actionplan.registry.ReferenceDataError` (one per file with problems, the
    first such file) naming the entry and field; a code defined in two files is an error.
    """
    out: dict[str, IndicatorDef] = {}
    seen: dict[str, str] = {}
    for source, text in texts.items():
        problems = Problems(source)
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ReferenceDataError(source, [("(file)", f"not valid YAML: {exc}", None)]) from exc
        for where, item in _catalogue_items(data, source, problems):
            try:
                definition = IndicatorDef.model_validate(item)
            except ValidationError as exc:
                for error in exc.errors():
                    loc = ".".join(str(part) for part in error["loc"])
                    problems.add(f"{where}.{loc}" if loc else where, error["msg"])
                continue
            if definition.code in seen:
                problems.add(f"{where}.code", f"{definition.code} is also defined in {seen[definition.code]}",
                             "each code once")
                continue
            if definition.min is not None and definition.max is not None and definition.min > definition.max:
                problems.add(f"{where}.min", f"min {definition.min} > max {definition.max}", "min <= max")
            seen[definition.code] = source
            out[definition.code] = definition
        problems.raise_if_any()
    return out


@cache
def _catalogue() -> dict[str, IndicatorDef]:
    folder = files(CATALOGUE_PACKAGE).joinpath(*CATALOGUE_DIR)
    texts: dict[str, str] = {}
    if folder.is_dir():
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith((".yaml", ".yml")):
                texts["stats/indicators/" + entry.name] = entry.read_text(encoding="utf-8")
    return parse_catalogue(texts)


def load_catalogue() -> dict[str, IndicatorDef]:
    """Every indicator defined in ``actionplan/data/stats/indicators/*.yaml``, keyed by code.

    ``itu.yaml`` holds the ITU ICT indicators; other files (``gci.yaml``, ...) are read
    when present. Read once and cached; the dict returned is a fresh copy.
    """
    return dict(_catalogue())


@cache
def aggregates() -> dict[str, dict[str, str]]:
    """Aggregate economy codes accepted besides ISO3: :data:`AGGREGATES` and the ITU-D regions."""
    out = dict(AGGREGATES)
    for region in regions():
        out[region.code] = dict(region.name)
    return out


@cache
def known_economies() -> frozenset[str]:
    """ISO3 codes of the country registry plus :func:`aggregates`."""
    return frozenset(c.iso3 for c in countries()) | frozenset(aggregates())


@cache
def m49_to_iso3() -> dict[str, str]:
    """The registry's M49 codes (``"156"``) to ISO3 (``"CHN"``), for SDMX files keyed by M49."""
    return {c.m49: c.iso3 for c in countries()}


# --- the dataset -----------------------------------------------------------------------


class Dataset:
    """Observations (every vintage) with the catalogue they are read against.

    Reads: observations. The dataset is immutable; :meth:`as_of` and :meth:`latest` return
    new datasets with one observation per economy/indicator/year.
    """

    def __init__(self, observations: Iterable[Observation], catalogue: Mapping[str, IndicatorDef] | None = None):
        self.observations: tuple[Observation, ...] = tuple(observations)
        self.catalogue: dict[str, IndicatorDef] = dict(catalogue) if catalogue is not None else load_catalogue()
        self._index: dict[str, dict[str, dict[int, float]]] | None = None
        self._latest: dict[tuple[str, str, int], Observation] | None = None

    def __len__(self) -> int:
        return len(self.observations)

    def __repr__(self) -> str:
        return f"<Dataset {len(self.observations)} observations, {len(self.economies())} economies>"

    def vintages(self) -> list[date]:
        """The distinct ``recorded_on`` dates, oldest first."""
        return sorted({o.recorded_on for o in self.observations})

    def as_of(self, when: date) -> Dataset:
        """The data as it stood on ``when``: per economy/indicator/year the latest vintage
        recorded on or before that date (later revisions and later first releases dropped)."""
        best: dict[tuple[str, str, int], Observation] = {}
        for obs in self.observations:
            if obs.recorded_on > when:
                continue
            current = best.get(obs.key)
            if current is None or obs.recorded_on >= current.recorded_on:
                best[obs.key] = obs
        return Dataset(best.values(), self.catalogue)

    def latest(self) -> Dataset:
        """The newest vintage of every value."""
        return self.as_of(date.max)

    def years(self) -> list[int]:
        return sorted({o.year for o in self.observations})

    def economies(self) -> list[str]:
        return sorted({o.economy for o in self.observations})

    def indicators(self) -> list[str]:
        return sorted({o.indicator for o in self.observations})

    def get(self, economy: str, indicator: str, year: int) -> Observation | None:
        """The latest vintage of one value, or None."""
        return self._latest_by_key().get((economy, indicator, year))

    def history(self, economy: str, indicator: str, year: int) -> list[Observation]:
        """Every vintage of one value, oldest first."""
        return sorted((o for o in self.observations if o.key == (economy, indicator, year)),
                      key=lambda o: o.recorded_on)

    def _latest_by_key(self) -> dict[tuple[str, str, int], Observation]:
        if self._latest is None:
            latest: dict[tuple[str, str, int], Observation] = {}
            for obs in self.observations:
                current = latest.get(obs.key)
                if current is None or obs.recorded_on >= current.recorded_on:
                    latest[obs.key] = obs
            self._latest = latest
        return self._latest

    def _build_index(self) -> dict[str, dict[str, dict[int, float]]]:
        if self._index is None:
            index: dict[str, dict[str, dict[int, float]]] = {}
            for (economy, indicator, year), obs in self._latest_by_key().items():
                index.setdefault(indicator, {}).setdefault(economy, {})[year] = obs.value
            self._index = index
        return self._index

    def series(self, economy: str, indicator: str) -> dict[int, float]:
        """Year -> value (latest vintage) for one economy and indicator."""
        return dict(sorted(self._build_index().get(indicator, {}).get(economy, {}).items()))

    def matrix(
        self,
        codes: list[str],
        year: int,
        latest_available: bool = False,
        economies: list[str] | None = None,
        max_age: int | None = None,
    ) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Values of ``codes`` for ``year``: ``(economies, values, source_years)``.

        ``values`` is a float array economies x codes with NaN where there is no value;
        ``source_years`` has the same shape and holds the year each value comes from (NaN
        where missing). With ``latest_available`` a missing value is taken from the most
        recent earlier year (at most ``max_age`` years earlier when given), as ITU does for
        the IDI. The latest vintage of every value is used (call :meth:`as_of` first for an
        older state). ``economies`` defaults to every economy with at least one value in
        the selection, sorted; given explicitly, rows follow it (all-NaN rows allowed).
        """
        index = self._build_index()
        if economies is None:
            found: set[str] = set()
            for code in codes:
                for economy, by_year in index.get(code, {}).items():
                    if year in by_year or (latest_available and any(
                        y < year and (max_age is None or year - y <= max_age) for y in by_year
                    )):
                        found.add(economy)
            economies = sorted(found)
        values = np.full((len(economies), len(codes)), np.nan)
        source_years = np.full((len(economies), len(codes)), np.nan)
        for j, code in enumerate(codes):
            by_economy = index.get(code, {})
            for i, economy in enumerate(economies):
                found_years = by_economy.get(economy)
                if not found_years:
                    continue
                by_year = found_years
                if year in by_year:
                    values[i, j] = by_year[year]
                    source_years[i, j] = year
                elif latest_available:
                    earlier = [y for y in by_year if y < year and (max_age is None or year - y <= max_age)]
                    if earlier:
                        y = max(earlier)
                        values[i, j] = by_year[y]
                        source_years[i, j] = y
        return list(economies), values, source_years


# --- validation ------------------------------------------------------------------------


def _where(obs: Observation, column: str | None = None) -> str:
    if obs.origin:
        return f"{obs.origin}, column {column}" if column else obs.origin
    return f"{obs.economy} {obs.indicator} {obs.year}"


UNIT_ALIASES: dict[str, str] = {
    "pt": "%",
    "pc": "%",
    "pct": "%",
    "percent": "%",
    "per_100": "per100inhabitants",
    "per100": "per100inhabitants",
    "bit_s": "bit/s",
    "bps": "bit/s",
    "yr": "years",
    "year": "years",
}
"""SDMX-style unit codes accepted for the catalogue's units (compared case- and space-insensitively)."""


def _units_match(given: str, expected: str) -> bool:
    def norm(unit: str) -> str:
        key = unit.strip().casefold()
        key = UNIT_ALIASES.get(key, key)
        return key.replace("percent", "%").replace(" ", "")

    return norm(given) == norm(expected)


def _is_jump(previous: float, value: float, definition: IndicatorDef) -> str | None:
    if definition.unit in PERCENT_UNITS:
        change = value - previous
        if abs(change) > JUMP_POINTS:
            return f"{change:+.1f} points"
        return None
    if previous == 0:
        return None if value == 0 else "from 0"
    relative = (value - previous) / abs(previous)
    if abs(relative) > JUMP_RELATIVE:
        return f"{relative * 100:+.0f} %"
    return None


def validate(
    observations: Iterable[Observation],
    catalogue: Mapping[str, IndicatorDef] | None = None,
    previous: Dataset | None = None,
) -> list[Problem]:
    """Every problem of a batch of observations, errors first, in input order within each.

    Errors: ``unknown-economy`` (neither a registry ISO3 code nor an aggregate of
    :func:`aggregates`), ``unknown-indicator``, ``out-of-range`` (outside the definition's
    ``min``/``max``, e.g. a percentage outside 0-100), ``not-finite``, ``unit-mismatch``
    (the file's unit differs from the catalogue's), ``unknown-flag``, and
    ``conflicting-duplicate`` (one economy/indicator/year/vintage given two values).
    Warnings: ``jump`` -- a value moves more than :data:`JUMP_POINTS` points (percentages)
    or :data:`JUMP_RELATIVE` relative (other units) from the previous year, looked up in
    the batch itself and then in ``previous`` (its latest vintage).
    """
    catalogue = load_catalogue() if catalogue is None else catalogue
    known = known_economies()
    errors: list[Problem] = []
    warnings: list[Problem] = []
    batch = list(observations)
    seen: dict[tuple[str, str, int, date], float] = {}

    def error(obs: Observation, rule: str, message: str, column: str | None) -> None:
        errors.append(Problem(severity="error", rule=rule, message=message, where=_where(obs, column),
                              economy=obs.economy, year=obs.year, indicator=obs.indicator))

    for obs in batch:
        if obs.economy not in known:
            error(obs, "unknown-economy", f"unknown economy {obs.economy!r}",
                  "economy")
        definition = catalogue.get(obs.indicator)
        if definition is None:
            error(obs, "unknown-indicator", f"unknown indicator {obs.indicator!r}", "indicator")
        if not math.isfinite(obs.value):
            error(obs, "not-finite", f"value {obs.value} is not a finite number", "value")
        elif definition is not None:
            low, high = definition.min, definition.max
            if (low is not None and obs.value < low) or (high is not None and obs.value > high):
                bounds = f"{'-inf' if low is None else f'{low:g}'} to {'inf' if high is None else f'{high:g}'}"
                error(obs, "out-of-range", f"{obs.value:g} is outside {bounds} for {obs.indicator} "
                      f"({definition.unit})", "value")
        if definition is not None and obs.unit and not _units_match(obs.unit, definition.unit):
            error(obs, "unit-mismatch", f"unit {obs.unit!r} differs from {definition.unit!r} of {obs.indicator}",
                  "unit")
        for flag in obs.flags:
            if flag not in FLAGS:
                error(obs, "unknown-flag", f"unknown flag {flag!r} (known: {', '.join(FLAGS)})", "flags")
        vintage_key = (*obs.key, obs.recorded_on)
        if vintage_key in seen and seen[vintage_key] != obs.value:
            error(obs, "conflicting-duplicate",
                  f"{obs.economy} {obs.indicator} {obs.year} recorded on {obs.recorded_on} is given twice "
                  f"({seen[vintage_key]:g} and {obs.value:g})", "value")
        seen.setdefault(vintage_key, obs.value)

    # jumps: the newest vintage of each key in the batch, against the previous year
    newest: dict[tuple[str, str, int], Observation] = {}
    for obs in batch:
        current = newest.get(obs.key)
        if current is None or obs.recorded_on >= current.recorded_on:
            newest[obs.key] = obs
    before = previous.latest() if previous is not None else None
    for obs in batch:
        if newest.get(obs.key) is not obs or not math.isfinite(obs.value):
            continue
        definition = catalogue.get(obs.indicator)
        if definition is None:
            continue
        prior = newest.get((obs.economy, obs.indicator, obs.year - 1))
        prior_value = prior.value if prior is not None else None
        if prior_value is None and before is not None:
            prior_value = before.series(obs.economy, obs.indicator).get(obs.year - 1)
        if prior_value is None or not math.isfinite(prior_value):
            continue
        jump = _is_jump(prior_value, obs.value, definition)
        if jump:
            warnings.append(Problem(
                severity="warning", rule="jump",
                message=f"{obs.indicator} for {obs.economy} moves {jump} from {obs.year - 1} "
                        f"({prior_value:g}) to {obs.year} ({obs.value:g}); check it or flag a break (B)",
                where=_where(obs, "value"), economy=obs.economy, year=obs.year, indicator=obs.indicator))
    return errors + warnings


def __getattr__(name: str) -> Any:
    # read_observations / write_observations live in io.py, which imports this module
    if name in ("read_observations", "write_observations"):
        from actionplan.stats import io

        return getattr(io, name)
    raise AttributeError(name)
