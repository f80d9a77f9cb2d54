"""Reading contributions (YAML/JSON), and the bundled one from the source document.

The source document is a contribution already written into the plan. actionplan ships
both halves: the base plan (``actionplan/data/plans/baap-2018-2021.zh.txt``) and the
contribution as structured amendments
(``actionplan/data/contributions/baap-2018-2021-zh-proposals.yaml``), so that applying
one to the other can be checked against the source.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from actionplan.amend.model import Contribution
from actionplan.ingest.structured import read_mapping, validate

BUNDLED = "baap-2018-2021-zh-proposals.yaml"
BUNDLED_BASE = "baap-2018-2021.zh.txt"


def bundled_contribution_path() -> Path:
    return Path(str(resources.files("actionplan.data.contributions").joinpath(BUNDLED)))


def bundled_base_path() -> Path:
    return Path(str(resources.files("actionplan.data.plans").joinpath(BUNDLED_BASE)))


def load_contribution(path: Path) -> Contribution:
    """A contribution file, with errors naming the file and the line or field."""
    expected = "a contribution (document, base, amendments: [...])"
    return validate(Contribution, read_mapping(path, expected=expected), path, expected=expected)
