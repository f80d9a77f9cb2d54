"""Statistics: composite indices (IDI, GCI-style) and ICT price baskets.

Frameworks are data (``actionplan/data/frameworks/*.yaml``, schema in
:mod:`actionplan.stats.framework`); the engine follows COINr's pipeline of named steps
(impute -> normalise -> aggregate -> rank) and exposes an array-level API for batch
evaluation (:class:`~actionplan.stats.engine.CompiledFramework`). Plain Python over
numpy and pydantic; never imports Django.
"""

from __future__ import annotations

from actionplan.stats.engine import (
    CompiledFramework,
    IndexResult,
    IndicatorMatrix,
    compile_framework,
    compute,
    publication_ranks,
)
from actionplan.stats.framework import Framework, framework_variant, load_framework, shipped_frameworks

__all__ = [
    "CompiledFramework",
    "Framework",
    "IndexResult",
    "IndicatorMatrix",
    "compile_framework",
    "compute",
    "framework_variant",
    "load_framework",
    "publication_ranks",
    "shipped_frameworks",
]
