"""The shipped reference files: each is documented in PROVENANCE.md, copies are unchanged.

The sha256 values were computed from the snapshots in /work/shared/data/reference when the
files were copied; a mismatch means a copied file was edited, which PROVENANCE.md forbids.
"""

from __future__ import annotations

import hashlib
import re
from importlib.resources import files
from pathlib import Path

import pytest

REFERENCE = Path(str(files("actionplan.data.reference")))
PROVENANCE = (REFERENCE / "PROVENANCE.md").read_text(encoding="utf-8")
HASHED = re.findall(r"^\| (\S+) \|.*\| ([0-9a-f]{64}) \|$", PROVENANCE, flags=re.MULTILINE)


def _data_files() -> list[str]:
    return sorted(
        str(path.relative_to(REFERENCE)).replace("\\", "/")
        for path in REFERENCE.rglob("*")
        if path.is_file() and path.name != "__init__.py" and "__pycache__" not in path.parts
    )


def test_every_data_file_is_documented_in_provenance():
    """Every file in actionplan/data/reference (but PROVENANCE.md) is named in PROVENANCE.md."""
    missing = [name for name in _data_files() if name != "PROVENANCE.md" and name not in PROVENANCE]
    assert missing == []


def test_provenance_lists_a_hash_for_every_copied_file():
    """The copied files (11) each have a sha256 in PROVENANCE.md."""
    assert len(HASHED) == 11


@pytest.mark.parametrize(("name", "digest"), HASHED)
def test_copied_files_are_byte_for_byte_unchanged(name, digest):
    """A copied file still has the sha256 recorded when it was copied."""
    assert hashlib.sha256((REFERENCE / name).read_bytes()).hexdigest() == digest


def test_compiled_files_state_their_sources_in_their_header():
    """Hand-compiled YAML files open with a comment header that names their sources."""
    for name in ("wsis_action_lines.yaml", "itu_d_regions.yaml", "country_groups.yaml"):
        head = (REFERENCE / name).read_text(encoding="utf-8").split("\n", 1)[0]
        assert head.startswith("#"), name
