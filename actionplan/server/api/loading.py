"""Find the version a request asks for, answer conditional GETs, then load the plan.

Every route that reads one version calls :func:`load` with the plan code from the path and
the optional ``?version=`` number. :func:`load` resolves the version's metadata (no
content), sets ``ETag`` and ``Cache-Control`` or raises :class:`~.caching.NotModified`, and
only then loads the plan (``store.load_version``; the store keeps parsed versions cached).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Path, Query

from actionplan.errors import NotFoundError
from actionplan.model import Plan
from actionplan.server.api import caching
from actionplan.server.store import api as store

MAX_NUMBER = 2_147_483_647
"""The largest version (or objective) number a request may name: a 32-bit database integer."""

VersionParam = Query(
    None,
    ge=1,
    le=MAX_NUMBER,
    description="version number; the latest version when omitted (latest responses must be revalidated, "
    "pinned ones are cacheable for a year)",
)

CodePath = Path(..., max_length=64, description="the plan's code", example="baap")
NumberPath = Path(..., ge=1, le=MAX_NUMBER, description="a version or objective number", example=1)


def number_path(what: str, example: str) -> Any:
    """A path parameter for an element number such as ``2.1``."""
    return Path(..., max_length=32, description=f"{what} number, e.g. {example}", example=example)


_PLAN_CODE = re.compile(r"[-a-zA-Z0-9_]{1,64}")


def api_root() -> str:
    """The API's root path, ``/api/`` as the project mounts it."""
    return reverse("api:api-root")


def check_code(code: str) -> str:
    """A path's plan code; one that no stored plan can have is a 404 like an unknown one."""
    if not _PLAN_CODE.fullmatch(code) or code.isdigit():
        raise NotFoundError(
            f"no plan {code!r} in the store",
            where=code,
            expected="a plan code such as baap (listed at /api/plans)",
        )
    return code


@dataclass(frozen=True)
class Loaded:
    """A loaded version and how the request named it (pinned by number, or latest)."""

    info: store.VersionInfo
    plan: Plan
    pinned: bool
    root: str

    @property
    def code(self) -> str:
        return self.info.plan_code

    @property
    def number(self) -> int:
        return self.info.number

    def url(self, path: str = "") -> str:
        """A link under this plan, pinned to this version if the request was."""
        pin = f"?version={self.number}" if self.pinned else ""
        return f"{self.root}plans/{self.code}{path}{pin}"

    def version_url(self) -> str:
        return f"{self.root}plans/{self.code}/versions/{self.number}"

    def placed(self, path: str, **more: str) -> dict[str, str]:
        """``links`` of an element at ``path``: itself, its version, and ``more``."""
        return {"self": self.url(path), "version": self.version_url(), **more}


def load(request: HttpRequest, response: HttpResponse, code: str, version: int | None) -> Loaded:
    """The version named by ``code`` and ``version`` (None: latest), with caching headers set."""
    check_code(code)
    info = store.version_info(code if version is None else f"{code}@{version}")
    caching.condition(request, response, [info.ref, info.content_hash], immutable=version is not None)
    plan = store.load_version(info.ref)
    return Loaded(info=info, plan=plan, pinned=version is not None, root=api_root())
