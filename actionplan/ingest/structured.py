"""Reading our own structured files (plan exports, contributions): JSON or YAML into a model.

One place turns a parse error into ``file:line`` and a pydantic error into ``file: field
a.b.c``, so every structured input the project reads reports its errors the same way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from actionplan.errors import InputError
from actionplan.ingest.text_reader import decode_text

M = TypeVar("M", bound=BaseModel)


def read_mapping(path: Path, data: bytes | None = None, *, expected: str) -> dict[str, Any]:
    """The top-level mapping of a JSON (``.json``) or YAML file."""
    try:
        raw_bytes = path.read_bytes() if data is None else data
    except FileNotFoundError:
        raise InputError("no such file", where=str(path)) from None
    text = decode_text(raw_bytes, str(path))
    kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
    try:
        raw = json.loads(text) if kind == "JSON" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = getattr(exc, "lineno", None) or (mark.line + 1 if mark else None)
        where = f"{path}:{line}" if line else str(path)
        raise InputError(f"not valid {kind}: {exc}".splitlines()[0], where=where) from None
    if not isinstance(raw, dict):
        raise InputError("top level is not a mapping", where=str(path), expected=expected)
    return raw


def validate(model: type[M], raw: dict[str, Any], path: Path, *, expected: str) -> M:
    """``raw`` as ``model``, the first error naming its field (and how many there are)."""
    try:
        return model.model_validate(raw)
    except PydanticValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise InputError(
            f"{err['msg']} ({exc.error_count()} error(s) in all)", where=f"{path}: field {field}", expected=expected
        ) from None
