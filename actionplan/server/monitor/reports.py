"""The annual implementation report of an approved year, in each language and format.

Built from the year's :class:`~actionplan.server.monitor.models.Snapshot` only (the figures
as approved, with the definitions they were computed by), and the plan version those
definitions belong to.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from actionplan.errors import InputError
from actionplan.files import write_atomic
from actionplan.monitor.report import ReportData, SnapshotInfo, build_report
from actionplan.render import monitor_report
from actionplan.server.monitor.figures import approved
from actionplan.server.store import api as store

FORMATS = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
LANGS = ("zh", "en")


def report_data(year: int) -> ReportData:
    """The report's content for approved ``year`` (raises NotFoundError when it is not approved)."""
    snap = approved(year)
    plan = store.load_version(snap.definitions_label.split(" #", 1)[0])
    info = SnapshotInfo(
        id=f"{year} ({snap.definitions_label})",
        year=year,
        locked=True,
        approved_by=snap.approved_by,
        approved_at=snap.approved_at.isoformat(timespec="minutes"),
        sha256=snap.content_hash,
        note=snap.note,
    )
    return build_report(plan, snap.definitions, snap.values, snap.progress, snap.quality, year, info)


def render_report(year: int, lang: str, fmt: str) -> tuple[bytes, str]:
    """(file content, media type) of the report of ``year`` in ``lang`` as ``fmt``."""
    if lang not in LANGS:
        raise InputError(f"no report language {lang!r}", where="lang", expected="zh or en")
    if fmt not in FORMATS:
        raise InputError(f"no report format {fmt!r}", where="format", expected="html, docx or pdf")
    snap = approved(year)
    cached = _cache_path(snap.content_hash, year, lang, fmt)
    if cached.exists():
        return cached.read_bytes(), FORMATS[fmt]
    body = RENDERERS[fmt](report_data(year), lang)
    cached.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(cached, body)
    return body, FORMATS[fmt]


def _html(data: ReportData, lang: str) -> bytes:
    return monitor_report.report_html(data, lang).encode("utf-8")


RENDERERS: dict[str, Callable[[ReportData, str], bytes]] = {
    "html": _html,
    "docx": monitor_report.report_docx,
    "pdf": monitor_report.report_pdf,
}
"""Format -> renderer. A report draws about 160 charts (a minute of work), so each file is
rendered once per snapshot and kept: an approved snapshot never changes, nor do its reports."""


def _cache_path(snapshot_hash: str, year: int, lang: str, fmt: str) -> Path:
    return Path(settings.HOME) / "reports" / f"report-{year}-{snapshot_hash[:16]}-{lang}.{fmt}"
