"""Reading the shipped reference files, and the one error shape for malformed ones.

Every file lives under ``actionplan/data/reference/`` (see its ``PROVENANCE.md``) and is
read with :mod:`importlib.resources`, so the registry works from a wheel as well as from a
checkout. A loader never stops at the first bad entry: it collects every problem of the file
in a :class:`Problems` and raises them together as one :class:`ReferenceDataError`.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping
from importlib.resources import files
from types import MappingProxyType
from typing import Any

import yaml

from actionplan.errors import ValidationError

PACKAGE = "actionplan.data.reference"
"""The package that holds the reference files."""

Text = Mapping[str, str]
"""A read-only text in several languages, keyed ``en`` / ``zh`` (``zh`` may be absent)."""


class ReferenceDataError(ValidationError):
    """A shipped reference file breaks its format; ``problems`` lists every bad entry.

    ``where`` is the file (relative to ``actionplan/data/reference``); each problem is
    ``(field, message, expected)`` where ``field`` is a key, row or column of that file.
    """

    def __init__(self, source: str, problems: list[tuple[str, str, str | None]]):
        self.problems = list(problems)
        parts = []
        for field, message, expected in self.problems:
            part = f"{field}: {message}"
            if expected:
                part += f" (expected {expected})"
            parts.append(part)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun}: " + "; ".join(parts), where=source)


class Problems:
    """Collects the problems of one file, then raises them all at once.

    >>> p = Problems("demo.yaml")
    >>> p.add("9-z-title", "unknown target letter", "a letter a-z naming a target")
    >>> try:
    ...     p.raise_if_any()
    ... except ReferenceDataError as error:
    ...     print(error)
    demo.yaml: 1 problem: 9-z-title: unknown target letter (expected a letter a-z naming a target)
    """

    def __init__(self, source: str):
        self.source = source
        self.items: list[tuple[str, str, str | None]] = []

    def add(self, field: str, message: str, expected: str | None = None) -> None:
        self.items.append((field, message, expected))

    def raise_if_any(self) -> None:
        if self.items:
            raise ReferenceDataError(self.source, self.items)


def read_text(relpath: str) -> str:
    """The UTF-8 text of a reference file, ``relpath`` relative to the reference package."""
    resource = files(PACKAGE).joinpath(*relpath.split("/"))
    try:
        return resource.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ReferenceDataError(relpath, [("(file)", "missing from the package", None)]) from exc


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML text; a syntax error becomes a :class:`ReferenceDataError` naming the line."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        field = f"line {mark.line + 1}" if mark is not None else "(file)"
        raise ReferenceDataError(source, [(field, f"not valid YAML: {exc}", None)]) from exc


def load_yaml(relpath: str) -> Any:
    """Read and parse a YAML reference file."""
    return parse_yaml(read_text(relpath), relpath)


def parse_csv(text: str, source: str, required: list[str]) -> list[dict[str, str]]:
    """Rows of a CSV text as dicts; every column in ``required`` must be in the header."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [column for column in required if column not in header]
    if missing:
        raise ReferenceDataError(
            source,
            [(f"column {column!r}", "missing from the header", None) for column in missing],
        )
    return list(reader)


def make_text(**languages: str | None) -> Text:
    """A read-only text from the languages that have a non-empty value."""
    return MappingProxyType({lang: value for lang, value in languages.items() if value})


def fold(raw: str) -> str:
    """Unicode-normalise user input: full-width characters to ASCII (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", raw).strip()
