"""SYNTHETIC sample observations, so that every statistics page works for a new user.

Nothing here is real data. :func:`generate` takes a latent "development" score per economy
(the standardised published IDI 2015 score where the economy has one, else a draw from a
fixed seed) and derives every indicator of the catalogue from it with
plausible levels, trends and noise, so that the indicators correlate as real ICT
statistics do (richer economies have more Internet users, more bandwidth and cheaper
services relative to income). It covers the ITU Member States
(:func:`actionplan.registry.itu_member_states`) for 2015-2024, leaves a few gaps, flags
some values (E estimate, P provisional, B break in series) and records a second vintage
that revises some values, so that :meth:`Dataset.as_of` has something to show.

Indicators of other catalogue files (``gci.yaml``: Global Cybersecurity Index questions)
are generated for the GCI edition years :data:`ANSWER_YEARS` (2018, 2020, 2024): an item bounded 0-1 is
answered 0, 0.5 or 1 with a probability that rises with development; any other bounded
item is a continuous value in its range.

The shipped file ``actionplan/data/stats/sample/sample.csv`` is regenerated with::

    .venv/bin/python -m actionplan.stats.sample

and :func:`load_sample` reads it back as a :class:`Dataset`.
"""

from __future__ import annotations

import argparse
import csv
import io
import zlib
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np

from actionplan.registry import itu_member_states
from actionplan.stats.data import Dataset, IndicatorDef, Observation, load_catalogue

SEED = 20240101
YEARS = tuple(range(2015, 2025))
ANSWER_YEARS = (2018, 2020, 2024)
"""Years for which catalogue items outside the ITU set (GCI questions) are generated."""
REVISION_DATE = date(2025, 11, 30)
SOURCE = "SYNTHETIC sample (actionplan.stats.sample)"
SAMPLE_PATH = ("stats", "sample", "sample.csv")


def first_release(year: int) -> date:
    """The synthetic vintage on which data for ``year`` is first recorded: 30 June of the next year."""
    return date(year + 1, 6, 30)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


# Each generator maps (development d: economies x 1, t: 1 x years, rng-drawn economy noise e)
# to an economies x years array. Noise per economy is persistent (no jumps year to year).
Gen = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]

GENERATORS: dict[str, Gen] = {
    "gni_per_capita_usd": lambda d, t, e: np.exp(8.4 + 1.25 * d + 0.25 * e + 0.03 * t),
    "internet_users_pct": lambda d, t, e: 100 * _sigmoid(-0.3 + 1.7 * d + 0.2 * t + 0.3 * e),
    "households_internet_pct": lambda d, t, e: 100 * _sigmoid(-0.1 + 1.8 * d + 0.2 * t + 0.3 * e),
    "households_computer_pct": lambda d, t, e: 100 * _sigmoid(-0.7 + 1.7 * d + 0.07 * t + 0.3 * e),
    "mobile_phone_owners_pct": lambda d, t, e: 100 * _sigmoid(1.0 + 1.3 * d + 0.12 * t + 0.3 * e),
    "mobile_cellular_per100": lambda d, t, e: 55 + 75 * _sigmoid(0.5 + 1.2 * d + 0.1 * t + 0.5 * e),
    "fixed_telephone_per100": lambda d, t, e: 45 * _sigmoid(-1.2 + 1.6 * d - 0.04 * t + 0.4 * e),
    "fixed_broadband_per100": lambda d, t, e: 48 * _sigmoid(-1.6 + 1.9 * d + 0.09 * t + 0.3 * e),
    "mobile_broadband_per100": lambda d, t, e: 140 * _sigmoid(-0.5 + 1.5 * d + 0.22 * t + 0.3 * e),
    "intl_bandwidth_per_user": lambda d, t, e: np.exp(10.5 + 1.3 * d + 0.2 * t + 0.4 * e),
    "mean_years_schooling": lambda d, t, e: 15 * _sigmoid(0.2 + 0.9 * d + 0.015 * t + 0.2 * e),
    "adult_literacy_pct": lambda d, t, e: 100 * _sigmoid(2.4 + 1.5 * d + 0.03 * t + 0.4 * e),
    "secondary_gross_enrolment": lambda d, t, e: 118 * _sigmoid(1.0 + 1.3 * d + 0.03 * t + 0.3 * e),
    "tertiary_gross_enrolment": lambda d, t, e: 110 * _sigmoid(-0.9 + 1.4 * d + 0.03 * t + 0.3 * e),
    "pop_coverage_3g_pct": lambda d, t, e: 100 * _sigmoid(2.0 + 1.6 * d + 0.3 * t + 0.4 * e),
    "pop_coverage_4g_pct": lambda d, t, e: 100 * _sigmoid(0.2 + 1.7 * d + 0.4 * t + 0.4 * e),
    "mobile_traffic_per_sub": lambda d, t, e: np.exp(1.5 + 0.9 * d + 0.25 * t + 0.3 * e),
    "fixed_traffic_per_sub": lambda d, t, e: np.exp(4.8 + 0.6 * d + 0.18 * t + 0.3 * e),
    "price_fixed_telephone_usd": lambda d, t, e: 9 * np.exp(0.35 * d - 0.01 * t + 0.3 * e),
    "price_mobile_cellular_usd": lambda d, t, e: 8 * np.exp(0.3 * d - 0.03 * t + 0.3 * e),
    "price_fixed_broadband_usd": lambda d, t, e: 28 * np.exp(0.2 * d - 0.03 * t + 0.35 * e),
    "price_mobile_data_usd": lambda d, t, e: 9 * np.exp(0.3 * d - 0.05 * t + 0.35 * e),
    "price_mobile_data_voice_high_usd": lambda d, t, e: 16 * np.exp(0.3 * d - 0.05 * t + 0.3 * e),
}

PRICE_SHARES = {
    "price_mobile_data_voice_high_pct_gni": "price_mobile_data_voice_high_usd",
    "price_fixed_broadband_pct_gni": "price_fixed_broadband_usd",
    "price_fixed_telephone_pct_gni": "price_fixed_telephone_usd",
    "price_mobile_cellular_pct_gni": "price_mobile_cellular_usd",
    "price_mobile_data_pct_gni": "price_mobile_data_usd",
}
"""Basket prices as % of GNI per capita: ``100 * 12 * monthly price / GNI per capita``."""

SURVEY_CODES = frozenset({"households_internet_pct", "households_computer_pct", "mobile_phone_owners_pct",
                          "internet_users_pct"})
"""Household-survey indicators: more often missing, and flagged E (ITU estimate) more often."""


def _bounded(values: np.ndarray, definition: IndicatorDef) -> np.ndarray:
    low = definition.min if definition.min is not None else -np.inf
    high = definition.max if definition.max is not None else np.inf
    return np.clip(values, low, high)


def _round(values: np.ndarray) -> np.ndarray:
    """Four significant digits, as published statistics are."""
    with np.errstate(divide="ignore"):
        magnitude = np.floor(np.log10(np.abs(np.where(values == 0, 1, values))))
    factor = 10.0 ** (3 - magnitude)
    return np.round(values * factor) / factor


def generate(
    seed: int = SEED,
    years: Sequence[int] = YEARS,
    economies: Sequence[str] | None = None,
    catalogue: Mapping[str, IndicatorDef] | None = None,
) -> list[Observation]:
    """Synthetic observations for every catalogue indicator; the same seed gives the same list.

    Reads: the catalogue and the registry's ITU Member States. Writes nothing.
    """
    catalogue = load_catalogue() if catalogue is None else catalogue
    econ = sorted(economies if economies is not None else itu_member_states())
    rng = np.random.default_rng(seed)
    n, m = len(econ), len(years)
    d = _calibrated(econ, rng.normal(0.0, 1.0, (n, 1)))  # the latent development score of each economy
    t = (np.asarray(years, dtype=float) - years[0]).reshape(1, m)
    values: dict[str, np.ndarray] = {}
    streams = {code: np.random.default_rng([seed, zlib.crc32(code.encode())]) for code in catalogue}
    for code in sorted(catalogue):
        generator = GENERATORS.get(code)
        if generator is not None:
            e = streams[code].normal(0.0, 1.0, (n, 1))
            wobble = streams[code].normal(0.0, 0.015, (n, m))
            values[code] = generator(d, t, e) * (1.0 + wobble)
    if "pop_coverage_4g_pct" in values and "pop_coverage_3g_pct" in values:
        values["pop_coverage_4g_pct"] = np.minimum(values["pop_coverage_4g_pct"], values["pop_coverage_3g_pct"])
    if "gni_per_capita_usd" in values:
        for share, price in PRICE_SHARES.items():
            if share in catalogue and price in values:
                values[share] = 100 * 12 * values[price] / values["gni_per_capita_usd"]

    answer_cols = [j for j, y in enumerate(years) if y in ANSWER_YEARS]
    out: list[Observation] = []
    for code in sorted(catalogue):
        definition = catalogue[code]
        rng = streams[code]
        cols = list(range(m))
        if code not in values:
            cols = answer_cols
            values[code] = _other_item(definition, d, t, rng)
        table = _round(_bounded(values[code], definition))
        missing = rng.random((n, m)) < (0.08 if code in SURVEY_CODES else 0.03)
        estimate = rng.random((n, m)) < (0.15 if code in SURVEY_CODES else 0.04)
        revise = rng.random((n, m)) < 0.06
        revision_factor = 1.0 + rng.normal(0.0, 0.03, (n, m))
        break_row = rng.random(n) < 0.01
        for i, economy in enumerate(econ):
            for j in cols:
                if missing[i, j]:
                    continue
                year = years[j]
                flags: list[str] = []
                if estimate[i, j]:
                    flags.append("E")
                if break_row[i] and j == m // 2:
                    flags.append("B")
                if year == years[-1]:
                    flags.append("P")
                value = float(table[i, j])
                out.append(Observation(economy=economy, year=year, indicator=code, value=value,
                                       recorded_on=first_release(year), flags=tuple(flags), source=SOURCE))
                if revise[i, j] and year >= years[-1] - 2 and first_release(year) < REVISION_DATE:
                    revised = float(_round(_bounded(np.array([value * revision_factor[i, j]]), definition))[0])
                    if definition.min == 0 and definition.max == 1:
                        revised = 1.0 - value if value in (0.0, 1.0) else 1.0
                    out.append(Observation(
                        economy=economy, year=year, indicator=code, value=revised, recorded_on=REVISION_DATE,
                        flags=tuple(f for f in flags if f != "P"), source=SOURCE, notes="revised"))
    return out


def published_levels() -> dict[str, float]:
    """ISO3 -> the published IDI 2015 score (a cited public source, see data/stats/published)."""
    text = files("actionplan.data").joinpath("stats", "published", "idi2015_scores.csv").read_text(encoding="utf-8")
    return {row["iso3"]: float(row["idi2015"]) for row in csv.DictReader(io.StringIO(text)) if row["iso3"]}


def _calibrated(economies: Sequence[str], drawn: np.ndarray) -> np.ndarray:
    """Latent development levels: the standardised published IDI 2015 score where there is one,
    with a little noise, else the random draw, lowered (the economies ITU could not score are
    mostly small and less connected); so the synthetic rankings resemble the world's."""
    published = published_levels()
    scores = np.array(list(published.values()))
    mean, sd = scores.mean(), scores.std()
    out = 0.8 * drawn - 0.4
    for i, economy in enumerate(economies):
        if economy in published:
            out[i, 0] = (published[economy] - mean) / sd + 0.15 * drawn[i, 0]
    return out


def _other_item(definition: IndicatorDef, d: np.ndarray, t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An item of another catalogue file: a 0/0.5/1 answer if bounded 0-1, else a value in its range."""
    n, m = d.shape[0], t.shape[1]
    difficulty = rng.normal(-0.6, 0.8)
    latent = difficulty + 1.4 * d + 0.05 * t + rng.normal(0.0, 0.6, (n, 1)) + rng.normal(0.0, 0.3, (n, m))
    low = definition.min if definition.min is not None else 0.0
    high = definition.max if definition.max is not None else 100.0
    if low == 0 and high == 1:
        return np.where(latent > 0.8, 1.0, np.where(latent > -0.4, 0.5, 0.0))
    share = _sigmoid(latent)
    if not definition.higher_is_better:
        share = 1 - share
    return low + (high - low) * share


SAMPLE_COLUMNS = ("economy", "year", "indicator", "value", "flags", "notes", "recorded_on")
"""The shipped file leaves out ``source`` (always :data:`SOURCE`, restored by :func:`load_sample`)
and ``unit`` (the catalogue's) to stay small."""


def sample_csv(seed: int = SEED) -> bytes:
    """The sample as tidy CSV bytes (economy, indicator, year, vintage order)."""
    from actionplan.stats.io import _number

    observations = sorted(generate(seed), key=lambda o: (o.economy, o.indicator, o.year, o.recorded_on))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SAMPLE_COLUMNS)
    writer.writerows([o.economy, o.year, o.indicator, _number(o.value), ";".join(o.flags), o.notes,
                      o.recorded_on.isoformat()] for o in observations)
    return buffer.getvalue().encode("utf-8")


def sample_path() -> Path:
    """Where the shipped sample lives in a checkout."""
    return Path(str(files("actionplan.data").joinpath(*SAMPLE_PATH)))


@cache
def _sample() -> Dataset:
    from actionplan.stats.io import read_observations

    data = files("actionplan.data").joinpath(*SAMPLE_PATH).read_bytes()
    return Dataset(read_observations(data, "sample.csv", source=SOURCE))


def load_sample() -> Dataset:
    """The shipped SYNTHETIC sample (every vintage) as a :class:`Dataset`; read once and cached."""
    return _sample()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the SYNTHETIC statistics sample.")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--output", type=Path, default=None, help="default: the shipped sample.csv")
    args = parser.parse_args(argv)
    output = args.output or sample_path()
    data = sample_csv(args.seed)
    output.write_bytes(data)
    print(f"wrote {output} ({len(data):,} bytes, seed {args.seed})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
