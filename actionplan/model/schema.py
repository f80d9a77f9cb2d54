"""Reading plans written by older versions of actionplan: one upgrade step per schema bump.

Stored versions and exported JSON/YAML carry ``schema_version``. :func:`upgrade` brings
raw data of any older schema to the current one before validation, so a store written by
an older actionplan stays readable. Each step says what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from actionplan.errors import ValidationError

CURRENT = 2


def _v1_to_v2(raw: dict[str, Any]) -> None:
    """Projects' ``blocks`` became ``text``; work areas' ``blocks`` split into ``text`` and ``items``."""
    for objective in raw.get("objectives", []):
        for output in objective.get("outputs", []):
            for project in output.get("projects", []):
                project["text"] = project.pop("blocks", project.get("text", []))
                for area in project.get("work_areas", []):
                    blocks = area.pop("blocks", None)
                    if blocks is not None:
                        area["text"] = [b for b in blocks if b.get("kind") != "item"]
                        area["items"] = [b for b in blocks if b.get("kind") == "item"]


STEPS: dict[int, Callable[[dict[str, Any]], None]] = {1: _v1_to_v2}


def upgrade(raw: dict[str, Any], where: str = "") -> dict[str, Any]:
    """``raw`` (a dumped Plan) upgraded in place to the current schema, and returned."""
    version = raw.get("schema_version", 1)
    if not isinstance(version, int) or version > CURRENT:
        raise ValidationError(
            f"schema_version {version!r} is newer than this actionplan understands",
            where=where or None,
            expected=f"schema_version <= {CURRENT} (upgrade actionplan)",
        )
    while version < CURRENT:
        STEPS[version](raw)
        version += 1
    raw["schema_version"] = CURRENT
    return raw
