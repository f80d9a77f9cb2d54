"""Indices computed on the stored data: rankings, rank intervals, comparisons, profiles.

Every function reads the data through :mod:`.store` (never the models) and caches its
result (:mod:`.cache`), keyed by the data's state, the framework's edition
(``name#edition``), the year and the vintage asked for: a new import or a new framework
edition is seen at once. The statistics are the core's: :func:`actionplan.stats.engine.compute`,
:func:`actionplan.stats.uncertainty.analyse` (``n=1000``, ``seed=0``) and
:mod:`actionplan.stats.compare`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from actionplan.errors import NotFoundError
from actionplan.registry import country
from actionplan.server.stats import store
from actionplan.server.stats.cache import cached as _cached
from actionplan.server.stats.store import FrameworkInfo, effective, framework, state
from actionplan.stats import compare as comparing
from actionplan.stats.baskets import add_basket_indicators
from actionplan.stats.data import Dataset, aggregates
from actionplan.stats.engine import IndexResult, IndicatorMatrix, compute, matrix_from_dataset
from actionplan.stats.framework import Framework
from actionplan.stats.uncertainty import UncertaintyResult, analyse

BASKET_INPUTS = (
    "gni_per_capita_usd",
    "price_fixed_telephone_usd",
    "price_mobile_cellular_usd",
    "price_fixed_broadband_usd",
    "price_mobile_data_usd",
    "price_mobile_data_voice_high_usd",
)
"""Read beside every framework's indicators, so that ``price_*_pct_gni`` can be derived."""
UNCERTAINTY_N = 1000
UNCERTAINTY_SEED = 0


@dataclass
class Ranking:
    """One framework computed for one year on the data as of a date."""

    framework: FrameworkInfo
    year: int
    as_of: date | None
    result: IndexResult
    matrix: IndicatorMatrix

    def rows(self) -> list[dict[str, Any]]:
        """Per economy, best rank first: economy, names, score, rank, coverage, excluded, node values.

        Node values are under ``nodes`` (not mixed into the row), so that a node named like
        a column (``coverage``) cannot overwrite it.
        """
        r = self.result
        order = sorted(range(len(r.economies)), key=lambda i: (
            bool(np.isnan(r.ranks[i])), float(np.nan_to_num(r.ranks[i])), -float(np.nan_to_num(r.scores[i])),
            r.economies[i]))
        out = []
        for i in order:
            economy = r.economies[i]
            out.append({
                "economy": economy,
                "name": economy_names(economy),
                "score": _num(r.scores[i]),
                "rank": None if np.isnan(r.ranks[i]) else int(r.ranks[i]),
                "coverage": round(float(r.coverage[i]), 4),
                "excluded": economy in r.excluded,
                "nodes": {node: _num(r.node_scores[i, k]) for k, node in enumerate(r.nodes)},
            })
        return out


@dataclass
class Comparison:
    """Two frameworks on the same data: rank shifts, correlations, and each one's coherence."""

    a: Ranking
    b: Ranking
    comparison: comparing.Comparison
    coherence_a: list[comparing.NodeCoherence]
    coherence_b: list[comparing.NodeCoherence]
    correlations_a: list[dict[str, Any]]
    correlations_b: list[dict[str, Any]]


@dataclass
class Profile:
    """One economy under one framework: its values, normalised scores, node scores, rank, what-ifs."""

    economy: str
    name: dict[str, str]
    ranking: Ranking
    score: float | None
    rank: int | None
    economies_ranked: int
    nodes: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    interval: dict[str, Any] | None
    what_if: list[dict[str, Any]] = field(default_factory=list)


def _num(x: Any) -> float | None:
    value = float(x)
    return None if np.isnan(value) else value


def economy_names(code: str) -> dict[str, str]:
    """``{"zh": ..., "en": ...}`` for an ISO3 code or an aggregate; the code itself when unknown."""
    found = country(code) if len(code) == 3 else None
    if found is not None:
        return {"en": found.name.get("en") or code, "zh": found.name.get("zh") or found.name.get("en") or code}
    names = aggregates().get(code)
    if names:
        return {"en": names.get("en", code), "zh": names.get("zh") or names.get("en", code)}
    return {"en": code, "zh": code}


def _matrix(fw: Framework, data: Dataset, year: int) -> IndicatorMatrix:
    """The framework's indicators for ``year`` (with prices as % of GNI derived), countries only."""
    codes = list(dict.fromkeys([*fw.indicator_codes, *BASKET_INPUTS]))
    matrix = add_basket_indicators(matrix_from_dataset(data, codes, year))
    matrix = matrix.select(fw.indicator_codes)
    keep = [i for i, e in enumerate(matrix.economies) if e not in aggregates()]
    if len(keep) == len(matrix.economies):
        return matrix

    def rows(a: Any) -> Any:
        return None if a is None else np.asarray(a)[keep]

    return IndicatorMatrix([matrix.economies[i] for i in keep], list(matrix.codes), rows(matrix.values),
                           rows(matrix.years), matrix.year, rows(matrix.earlier), rows(matrix.earlier_years),
                           {k: [v[i] for i in keep] for k, v in matrix.groups.items()})


def years(name: str, as_of: date | None = None) -> list[int]:
    """Years with values for at least half of the framework's indicators, oldest first."""
    as_of = effective(as_of)
    fw = framework(name).framework

    def build() -> list[int]:
        data = store.dataset(as_of)
        wanted = set(fw.indicator_codes)
        per_year: dict[int, set[str]] = {}
        for obs in data.observations:
            if obs.indicator in wanted:
                per_year.setdefault(obs.year, set()).add(obs.indicator)
        return sorted(y for y, codes in per_year.items() if len(codes) * 2 >= len(wanted))

    return _cached(("years", state(), framework(name).key, as_of), build)


def default_year(name: str, as_of: date | None = None) -> int | None:
    """The latest year :func:`years` offers, or None when there are no data for the framework."""
    found = years(name, as_of)
    return found[-1] if found else None


def ranking(name: str, year: int, as_of: date | None = None) -> Ranking:
    """Framework ``name`` computed for ``year`` on the data as of ``as_of`` (cached)."""
    as_of = effective(as_of)
    info = framework(name)

    def build() -> Ranking:
        matrix = _matrix(info.framework, store.dataset(as_of), year)
        if not matrix.economies or bool(np.isnan(matrix.values).all()):
            raise NotFoundError(f"no data for {name} in {year}", where="year",
                                expected=", ".join(str(y) for y in years(name, as_of)) or "data imported first")
        return Ranking(info, year, as_of, compute(info.framework, matrix), matrix)

    return _cached(("ranking", state(), info.key, year, as_of), build)


def uncertainty(name: str, year: int, as_of: date | None = None, n: int = UNCERTAINTY_N,
                seed: int = UNCERTAINTY_SEED) -> UncertaintyResult:
    """Monte Carlo rank intervals of the ranking (``n`` replications, ``seed``; cached)."""
    as_of = effective(as_of)
    base = ranking(name, year, as_of)
    return _cached(("uncertainty", state(), base.framework.key, year, as_of, n, seed),
                   lambda: analyse(base.framework.framework, base.matrix, n=n, seed=seed))


def intervals(name: str, year: int, as_of: date | None = None) -> dict[str, dict[str, Any]]:
    """Per economy: median rank, 5 % and 95 % ranks, mean absolute rank shift (from :func:`uncertainty`)."""
    return {row["economy"]: row for row in uncertainty(name, year, as_of).rows()}


def comparison(a: str, b: str, year: int, as_of: date | None = None) -> Comparison:
    """Frameworks ``a`` and ``b`` on the same data: shifts, Spearman/Kendall, coherence of each."""
    as_of = effective(as_of)
    ra, rb = ranking(a, year, as_of), ranking(b, year, as_of)

    def build() -> Comparison:
        label_a, label_b = ra.framework.name, rb.framework.name
        if label_a == label_b:
            label_b += " (B)"
        return Comparison(
            a=ra, b=rb, comparison=comparing.compare(ra.result, rb.result, label_a, label_b),
            coherence_a=comparing.coherence(ra.result, ra.framework.framework),
            coherence_b=comparing.coherence(rb.result, rb.framework.framework),
            correlations_a=comparing.indicator_correlations(ra.result, ra.framework.framework),
            correlations_b=comparing.indicator_correlations(rb.result, rb.framework.framework),
        )

    return _cached(("compare", state(), ra.framework.key, rb.framework.key, year, as_of), build)


def profile(economy: str, name: str, year: int, as_of: date | None = None) -> Profile:
    """One economy under framework ``name``: values with year and flags, normalised scores, node
    scores, rank and rank interval, and the what-if of each indicator (cached)."""
    as_of = effective(as_of)
    code = economy.upper()
    base = ranking(name, year, as_of)
    if code not in base.result.economies:
        raise NotFoundError(f"{code} has no data for {name} in {year}", where="economy",
                            expected="an economy of the ranking")
    return _cached(("profile", state(), base.framework.key, year, as_of, code),
                   lambda: _profile(code, base, as_of))


def _profile(code: str, base: Ranking, as_of: date | None) -> Profile:
    r, fw = base.result, base.framework.framework
    i = r.economies.index(code)
    data = store.dataset(as_of)
    cat = data.catalogue
    indicators = []
    for j, ind in enumerate(r.codes):
        source_year = base.matrix.years[i, j] if base.matrix.years is not None else np.nan
        obs = data.get(code, ind, int(source_year)) if not np.isnan(source_year) else None
        definition = cat.get(ind)
        indicators.append({
            "code": ind, "name": dict(definition.name) if definition else {"en": ind, "zh": ind},
            "unit": definition.unit if definition else "",
            "value": _num(r.datasets["raw"][i, j]), "year": None if np.isnan(source_year) else int(source_year),
            "flags": list(obs.flags) if obs else [], "recorded_on": obs.recorded_on if obs else None,
            "imputed": bool(r.imputed[i, j]), "used": _num(r.datasets["imputed"][i, j]),
            "normalised": _num(r.datasets["normalised"][i, j]),
        })
    nodes = [{"id": node, "name": fw.node(node).name, "score": _num(r.node_scores[i, k])}
             for k, node in enumerate(r.nodes)]
    interval = intervals(base.framework.name, base.year, as_of).get(code)
    ranked = int(np.sum(~np.isnan(r.ranks)))
    return Profile(
        economy=code, name=economy_names(code), ranking=base, score=_num(r.scores[i]),
        rank=None if np.isnan(r.ranks[i]) else int(r.ranks[i]), economies_ranked=ranked, nodes=nodes,
        indicators=indicators, interval=interval, what_if=_what_if(code, base),
    )


def _what_if(code: str, base: Ranking) -> list[dict[str, Any]]:
    if np.isnan(base.result.scores[base.result.economies.index(code)]):
        return []
    found = comparing.what_if(base.framework.framework, base.matrix, code)
    return [{"indicator": w.indicator, "old_value": w.old_value, "new_value": w.new_value,
             "old_score": w.old_score, "new_score": w.new_score, "score_gain": w.score_gain,
             "old_rank": _num(w.old_rank), "new_rank": _num(w.new_rank), "rank_gain": _num(w.rank_gain)}
            for w in found]
