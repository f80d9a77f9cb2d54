"""The store's API: the only module the CLI (and later the web) calls.

Call :func:`actionplan.server.bootstrap.setup` before importing this module: it imports
Django models. Every function works on the ``default`` database.

Plan versions are referred to by a *ref*:

========== ===========================================================
``None``   the latest version of the most recently imported plan
``"3"``    version 3 of the most recently imported plan
``"baap"`` the latest version of plan ``baap``
``"baap@3"`` version 3 of plan ``baap``
========== ===========================================================

"Most recently imported plan" is the plan of the most recently stored version.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import Count
from pydantic import ValidationError as PydanticValidationError

from actionplan.errors import NotFoundError, StoreError, ValidationError
from actionplan.model import Node, Output, Plan, text_of
from actionplan.model.schema import CURRENT as CURRENT_SCHEMA
from actionplan.model.schema import upgrade
from actionplan.server.store import models
from actionplan.server.store import search as search_module
from actionplan.server.store.search import SearchHit, SearchResults  # noqa: F401  (re-exported)

COUNTED_KINDS = {
    "objective": "objectives",
    "outcome": "outcomes",
    "indicator": "indicators",
    "output": "outputs",
}
"""Element kinds counted in :attr:`VersionInfo.counts`, and the key each is counted under."""

REFERENCE_FIELDS = {
    "sdg_goals": models.ReferenceLink.Scheme.SDG_GOAL,
    "sdg_targets": models.ReferenceLink.Scheme.SDG_TARGET,
    "sdg_indicators": models.ReferenceLink.Scheme.SDG_INDICATOR,
    "wsis_action_lines": models.ReferenceLink.Scheme.WSIS,
    "pp_resolutions": models.ReferenceLink.Scheme.PP_RESOLUTION,
    "pp_decisions": models.ReferenceLink.Scheme.PP_DECISION,
    "wtdc_resolutions": models.ReferenceLink.Scheme.WTDC_RESOLUTION,
    "itu_d_recommendations": models.ReferenceLink.Scheme.ITU_D_RECOMMENDATION,
}
"""``References`` list fields indexed as :class:`~.models.ReferenceLink` rows, by scheme.

The ``all_*`` flags ("all WTDC resolutions") stay in the version's content only.
"""

TEXT_FIELDS = ("title", "label", "heading", "region_name", "text")
"""The ``Text`` fields of a node whose texts, in this order, make up an element's text."""

_CODE = re.compile(r"^(?!\d+$)[-a-zA-Z0-9_]{1,64}$")
_REF = re.compile(r"^(?:(?P<number>\d+)|(?P<code>[-a-zA-Z0-9_]+)(?:@(?P<at>\d+))?)$")
_REF_FORMS = "CODE, CODE@N or N (e.g. baap, baap@3, 3)"


@dataclass(frozen=True)
class VersionInfo:
    """A stored version as listed: which plan, which number, where it came from, its size.

    ``counts`` has the keys ``objectives``, ``outcomes``, ``indicators`` and ``outputs``.
    """

    plan_code: str
    number: int
    content_hash: str
    imported_at: datetime
    source_name: str
    source_format: str
    counts: dict[str, int] = field(default_factory=dict)
    note: str = ""

    @property
    def ref(self) -> str:
        """The full ref of this version, ``code@number``."""
        return f"{self.plan_code}@{self.number}"


# -- importing ------------------------------------------------------------------------


def content_of(plan: Plan) -> dict[str, Any]:
    """The JSON content stored for ``plan``: ``plan.model_dump(mode="json")``."""
    return plan.model_dump(mode="json")


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of ``content`` without its ``source`` key.

    Canonical: ``json.dumps(..., sort_keys=True, ensure_ascii=False, separators=(",", ":"))``
    encoded as UTF-8. The same plan imported from another file has the same hash.
    """
    body = {k: v for k, v in content.items() if k != "source"}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def import_plan(plan: Plan, *, note: str = "") -> tuple[VersionInfo, bool]:
    """Store ``plan`` as the next version of its plan; ``(info, created)``.

    If a version of ``plan.code`` already has the same content hash, nothing is written
    and that version is returned with ``created=False`` (even if it is not the latest).
    Otherwise the version, its elements and its reference links are written in one
    transaction: any failure stores nothing and raises :class:`StoreError` (database
    refusals) or :class:`ValidationError` (a plan the store cannot hold).
    """
    content = content_of(plan)
    _check_storable(plan, content)
    digest = content_hash(content)
    try:
        with transaction.atomic():
            row, _ = models.Plan.objects.get_or_create(code=plan.code)
            # Serialise concurrent imports of the same plan (no-op on SQLite, whose
            # IMMEDIATE transactions already serialise writers).
            row = models.Plan.objects.select_for_update().get(pk=row.pk)
            existing = row.versions.filter(content_hash=digest).first()
            if existing is not None:
                return _info(existing), False
            last = row.versions.order_by("-number").values_list("number", flat=True).first()
            version = models.PlanVersion.objects.create(
                plan=row,
                number=(last or 0) + 1,
                content=plan.model_dump_json(),
                content_hash=digest,
                source_name=plan.source.name,
                source_format=plan.source.format,
                source_sha256=plan.source.sha256,
                note=note,
            )
            models.Element.objects.bulk_create(_elements(version, plan))
            models.ReferenceLink.objects.bulk_create(_reference_links(version, plan))
            row.title_zh = text_of(plan.title, "zh", fallback=False)
            row.title_en = text_of(plan.title, "en", fallback=False)
            row.save(update_fields=["title_zh", "title_en"])
            return _info(version), True
    except (DatabaseError, OverflowError) as exc:
        reason = " ".join(str(exc).split())  # one line, for the CLI
        raise StoreError(
            f"the store refused plan {plan.code!r}, nothing was stored: {reason}",
            where=plan.source.name or plan.code,
        ) from exc


def _check_storable(plan: Plan, content: dict[str, Any]) -> None:
    """Refuse, before writing anything, what the store cannot hold on every backend.

    The plan code must be a slug; no text may contain NUL (PostgreSQL rejects it in text
    and JSON). Every offending place is reported at once.
    """
    if not _CODE.match(plan.code):
        raise ValidationError(
            f"plan code {plan.code!r} cannot name a stored plan",
            where="code",
            expected="1-64 letters, digits, '-' or '_', not only digits (a version number)",
        )
    places = list(_nul_places(content, ""))
    if places:
        shown = ", ".join(places[:20]) + (f" and {len(places) - 20} more" if len(places) > 20 else "")
        raise ValidationError(
            f"text contains NUL characters at {shown}",
            where=plan.source.name or plan.code,
            expected="text without NUL (U+0000) characters",
        )


def _nul_places(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, str):
        if "\x00" in value:
            yield path or "(root)"
    elif isinstance(value, dict):
        for k, v in value.items():
            if "\x00" in k:
                yield f"{path}.{k!r}".lstrip(".")
            yield from _nul_places(v, f"{path}.{k}".lstrip("."))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _nul_places(v, f"{path}[{i}]")


def _elements(version: models.PlanVersion, plan: Plan) -> list[models.Element]:
    """One row per ``plan.walk()`` node, in document order."""
    nodes = list(plan.walk())
    eids = {n.eid for n in nodes}
    return [
        models.Element(
            version=version,
            eid=node.eid,
            kind=type(node).__name__.lower(),
            parent_eid=_parent_eid(node.eid, eids),
            number=_number(node),
            ordinal=ordinal,
            text_zh=_text(node, "zh"),
            text_en=_text(node, "en"),
            line=node.line,
        )
        for ordinal, node in enumerate(nodes, start=1)
    ]


def _parent_eid(eid: str, eids: set[str]) -> str:
    """The nearest enclosing element: the longest proper ``__`` prefix that is an element."""
    parts = eid.split("__")
    for end in range(len(parts) - 1, 0, -1):
        candidate = "__".join(parts[:end])
        if candidate in eids:
            return candidate
    return ""


def _number(node: Node) -> str:
    number = getattr(node, "number", None)
    return "" if number is None else str(number)


def _text(node: Node, lang: str) -> str:
    texts = (getattr(node, name, None) for name in TEXT_FIELDS)
    return "\n".join(t[lang] for t in texts if isinstance(t, dict) and t.get(lang))


def _reference_links(version: models.PlanVersion, plan: Plan) -> list[models.ReferenceLink]:
    """One row per (output, scheme, code), in output order, duplicates dropped."""
    rows: list[models.ReferenceLink] = []
    for output in plan.all_outputs():
        for scheme, code in _references_of(output):
            rows.append(
                models.ReferenceLink(
                    version=version,
                    output_eid=output.eid,
                    output_number=output.number,
                    scheme=scheme,
                    code=code,
                )
            )
    return rows


def _references_of(output: Output) -> Iterable[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    for name, scheme in REFERENCE_FIELDS.items():
        for value in getattr(output.references, name):
            key = (str(scheme), str(value))
            if key not in seen:
                seen.add(key)
                yield key


# -- reading --------------------------------------------------------------------------


def list_versions(code: str | None = None) -> list[VersionInfo]:
    """Every stored version (of plan ``code`` if given), by plan code then number.

    An unknown ``code`` raises :class:`NotFoundError` listing the plans that exist.
    """
    versions = models.PlanVersion.objects.select_related("plan").order_by("plan__code", "number")
    if code is not None:
        if not models.Plan.objects.filter(code=code).exists():
            raise NotFoundError(f"no plan {code!r} in the store", where=code, expected=_inventory())
        versions = versions.filter(plan__code=code)
    rows = list(versions.defer("content"))
    counts = _counts([v.pk for v in rows])
    return [_info(v, counts.get(v.pk, {})) for v in rows]


_PARSED: dict[tuple[str, int, str], Plan] = {}
_PARSED_LOCK = threading.Lock()
_PARSED_MAX = 32


def load_version(ref: str | None = None) -> Plan:
    """The plan stored as version ``ref`` (see the module docstring for ref forms).

    Versions are immutable, so a parsed plan is kept in memory (keyed by plan, number and
    content hash; at most 32) and the same object is returned on the next call: callers
    must treat it as read-only (``model_copy(deep=True)`` to change a copy).
    """
    version = _resolve(ref, with_content=False)
    key = (version.plan.code, version.number, version.content_hash)
    with _PARSED_LOCK:
        cached = _PARSED.get(key)
    if cached is not None:
        return cached
    plan = _parse_content(models.PlanVersion.objects.select_related("plan").get(pk=version.pk))
    with _PARSED_LOCK:
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = plan
    return plan


def forget_parsed_plans() -> None:
    """Empty the in-memory cache of parsed versions (tests that rewrite rows need this)."""
    with _PARSED_LOCK:
        _PARSED.clear()


def search(
    query: str, ref: str | None = None, *, lang: str = "zh", limit: int = 50, offset: int = 0
) -> search_module.SearchResults:
    """Full-text search of version ``ref`` (see :mod:`actionplan.server.store.search`)."""
    version = _resolve(ref, with_content=False)
    return search_module.search_version(
        version, load_version(f"{version.plan.code}@{version.number}"), query, lang=lang, limit=limit, offset=offset
    )


def _parse_content(version: models.PlanVersion) -> Plan:
    where = f"{version.plan.code}@{version.number}"
    try:
        return Plan.model_validate(upgrade(json.loads(version.content), where=where))
    except (PydanticValidationError, ValueError) as exc:
        first = exc.errors()[0] if isinstance(exc, PydanticValidationError) else {"loc": (), "msg": str(exc)}
        field = ".".join(str(p) for p in first["loc"])
        raise StoreError(
            f"stored content cannot be read by this actionplan: {first['msg']} at {field or 'top level'}",
            where=where,
            expected=f"schema_version <= {CURRENT_SCHEMA}",
        ) from None


def version_info(ref: str | None = None) -> VersionInfo:
    """The :class:`VersionInfo` of version ``ref`` (see the module docstring)."""
    return _info(_resolve(ref, with_content=False))


def parse_ref(ref: str | None) -> tuple[str | None, int | None]:
    """Split a ref into ``(plan code or None, version number or None)``; None means "latest".

    >>> parse_ref("baap@3"), parse_ref("baap"), parse_ref("3"), parse_ref(None)
    (('baap', 3), ('baap', None), (None, 3), (None, None))
    """
    if ref is None:
        return None, None
    m = _REF.match(ref.strip())
    if not m:
        raise ValidationError(f"cannot read {ref!r} as a plan version", where="version", expected=_REF_FORMS)
    if m["number"]:
        return None, int(m["number"])
    return m["code"], int(m["at"]) if m["at"] else None


def _resolve(ref: str | None, *, with_content: bool) -> models.PlanVersion:
    code, number = parse_ref(ref)
    versions = models.PlanVersion.objects.select_related("plan")
    if not with_content:
        versions = versions.defer("content")
    if code is None:
        latest = versions.order_by("-imported_at", "-pk").first()
        if latest is None:
            raise NotFoundError(
                "the store holds no plan version yet",
                where=ref or "latest version",
                expected="a plan imported first (actionplan import FILE)",
            )
        code = latest.plan.code
    of_plan = versions.filter(plan__code=code)
    if number is None:
        found = of_plan.order_by("-number").first()
        what = f"no plan {code!r}"
    else:
        found = of_plan.filter(number=number).first()
        what = f"no version {number} of plan {code!r}"
    if found is None:
        raise NotFoundError(f"{what} in the store", where=ref, expected=_inventory())
    return found


def _inventory() -> str:
    """What exists, for error messages: ``one of baap@1..3, wtdc@1``."""
    rows = models.Plan.objects.annotate(n=Count("versions")).filter(n__gt=0).order_by("code").values_list("code", "n")
    refs = [f"{code}@1" if n == 1 else f"{code}@1..{n}" for code, n in rows]
    return "one of " + ", ".join(refs) if refs else "a plan imported first (actionplan import FILE)"


def _counts(version_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {pk: dict.fromkeys(COUNTED_KINDS.values(), 0) for pk in version_ids}
    rows = (
        models.Element.objects.filter(version_id__in=version_ids, kind__in=COUNTED_KINDS)
        .values_list("version_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for version_id, kind, n in rows:
        counts[version_id][COUNTED_KINDS[kind]] = n
    return counts


def _info(version: models.PlanVersion, counts: dict[str, int] | None = None) -> VersionInfo:
    if counts is None:
        counts = _counts([version.pk])[version.pk]
    return VersionInfo(
        plan_code=version.plan.code,
        number=version.number,
        content_hash=version.content_hash,
        imported_at=version.imported_at,
        source_name=version.source_name,
        source_format=version.source_format,
        counts=counts,
        note=version.note,
    )
