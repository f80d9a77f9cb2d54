"""Plan documents shipped with the package (see README.md for their provenance)."""

from importlib import resources
from pathlib import Path

BUNDLED_PLAN_NAME = "baap-2018-2021-contribution.zh.txt"


def bundled_plan() -> Path:
    """Path of the bundled Buenos Aires plan document."""
    return Path(str(resources.files(__name__).joinpath(BUNDLED_PLAN_NAME)))
