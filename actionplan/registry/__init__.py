"""Reference registries shipped as package data: SDGs, WSIS action lines, countries,
UN country groups (LDC/LLDC/SIDS, dated) and the six ITU-D regions.

Plain Python, no Django. Each registry reads its files from ``actionplan/data/reference/``
with :mod:`importlib.resources` on first use and caches them; a malformed file raises
:class:`actionplan.registry.ReferenceDataError` (a :class:`actionplan.errors.ValidationError`)
naming the file and every bad field. Where each file comes from is in
``actionplan/data/reference/PROVENANCE.md``.
"""

from actionplan.registry._data import ReferenceDataError, Text
from actionplan.registry.countries import Country, countries, country
from actionplan.registry.groups import (
    CountryGroup,
    Membership,
    country_groups,
    group,
    groups,
    members,
)
from actionplan.registry.regions import (
    Region,
    itu_d_region,
    itu_member_states,
    region,
    regions,
    resolve_region_name,
)
from actionplan.registry.sdg import (
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    normalise_sdg_indicator,
    normalise_sdg_target,
    sdg_goal,
    sdg_goals,
    sdg_indicator,
    sdg_indicators,
    sdg_target,
    sdg_targets,
)
from actionplan.registry.wsis import WsisLine, normalise_wsis_code, wsis_line, wsis_lines

__all__ = [
    "Country",
    "CountryGroup",
    "Membership",
    "ReferenceDataError",
    "Region",
    "SdgGoal",
    "SdgIndicator",
    "SdgTarget",
    "Text",
    "WsisLine",
    "countries",
    "country",
    "country_groups",
    "group",
    "groups",
    "itu_d_region",
    "itu_member_states",
    "members",
    "normalise_sdg_indicator",
    "normalise_sdg_target",
    "normalise_wsis_code",
    "region",
    "regions",
    "resolve_region_name",
    "sdg_goal",
    "sdg_goals",
    "sdg_indicator",
    "sdg_indicators",
    "sdg_target",
    "sdg_targets",
    "wsis_line",
    "wsis_lines",
]
