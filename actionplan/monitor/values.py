"""Computed indicator values and progress against targets: the shapes renderers read.

A :class:`Value` is one number for one indicator, one year and one disaggregation (``dims``
empty for the total). A :class:`Progress` compares the year's value with its target and
gives a :class:`Status`; the rule is in :mod:`actionplan.monitor.progress`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Basis = Literal["year", "cumulative"]

TOTAL = ""
"""The dims key of a total (no disaggregation), as given to ``compute(dims=...)``."""


class Value(BaseModel):
    """One computed value: indicator x year x disaggregation (x series).

    ``basis`` is ``year`` (records of that year) or ``cumulative`` (records of 2018..year,
    distinct units counted once over the whole span). ``value`` is None when there is no data
    (no record, or a percentage over an empty denominator). ``numerator``/``denominator`` are
    set for percentages, ratios and milestone shares. ``series`` is empty for the headline
    number and names a component otherwise (e.g. ``resources_chf`` beside partnerships).
    """

    model_config = ConfigDict(frozen=True)

    indicator: str
    year: int
    basis: Basis = "year"
    dims: dict[str, str] = Field(default_factory=dict)
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    series: str = ""

    def key(self) -> tuple[str, str, int, tuple[tuple[str, str], ...]]:
        """A sortable identity (indicator, series, year, dims), used to compare result sets."""
        return (self.indicator, self.series, self.year, tuple(sorted(self.dims.items())))


class Status(StrEnum):
    """Progress status of an indicator in a year (Open SDG style)."""

    on_track = "on_track"
    at_risk = "at_risk"
    off_track = "off_track"
    no_data = "no_data"


class Progress(BaseModel):
    """The year's actual against its target; ``expected`` is where the path says we should be."""

    indicator: str
    year: int
    baseline: float | None = None
    target: float | None = None
    actual: float | None = None
    expected: float | None = None
    status: Status = Status.no_data
    reason: str = ""
