"""Approving a year locks its figures: later corrections change the dashboard, never the snapshot."""

from __future__ import annotations

import io

import pytest
from docx import Document

from actionplan.errors import StoreError
from actionplan.server.audit.models import AuditEntry
from actionplan.server.monitor import figures, models
from actionplan.server.monitor.imports import import_file
from actionplan.server.monitor.reports import render_report, report_data


def _total(values: list, indicator: str, year: int) -> float | None:
    return next(v.value for v in values if v.indicator == indicator and v.year == year and not v.dims and not v.series)


def test_approved_year_is_locked_and_audited(demo: dict[str, int]) -> None:
    before = AuditEntry.objects.count()
    snap = figures.approve(2019, note="test")
    assert AuditEntry.objects.count() > before
    assert AuditEntry.objects.filter(object_type__icontains="snapshot").exists()
    with pytest.raises(StoreError):
        figures.approve(2019)
    row = models.Snapshot.objects.get(year=2019)
    with pytest.raises(StoreError):
        row.save()
    with pytest.raises(StoreError):
        models.Snapshot.objects.filter(year=2019).update(note="changed")
    assert figures.approved(2019).content_hash == snap.content_hash


def test_later_record_edits_do_not_change_an_approved_year(demo: dict[str, int]) -> None:
    figures.approve(2019)
    locked = _total(figures.approved(2019).values, "2.2.3", 2019)
    extra = "key,country,output,kind,delivered_on,description,recorded_on\n" + "".join(
        f"LATE-{n},{c},2.2,policy_advice,2019-05-0{n},late entry,2022-02-01\n"
        for n, c in enumerate(("NER", "TCD", "MLI", "BFA"), start=1)
    )
    import_file("assistance", extra.encode(), "late.csv")
    live = _total(figures.live_values(figures.definitions(), dims=("",)), "2.2.3", 2019)
    assert live is not None and locked is not None and live > locked
    assert _total(figures.approved(2019).values, "2.2.3", 2019) == locked
    assert _total(report_data(2019).rows() and figures.approved(2019).values, "2.2.3", 2019) == locked


def test_report_numbers_are_the_snapshot_numbers(demo: dict[str, int]) -> None:
    figures.approve(2020)
    data = report_data(2020)
    snap = figures.approved(2020)
    rows = {r.id: r for r in data.rows()}
    for p in snap.progress:
        if p.year == 2020:
            assert rows[p.indicator].actual == p.actual
            assert rows[p.indicator].target == p.target
    body, kind = render_report(2020, "en", "docx")
    assert kind.endswith("document")
    doc = Document(io.BytesIO(body))
    cells = " ".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    shown = [r for r in data.rows() if r.actual is not None and r.actual >= 10 and r.actual == int(r.actual)]
    assert shown
    for r in shown[:10]:
        assert f"{int(r.actual):,}" in cells or str(int(r.actual)) in cells


def test_only_plan_years_can_be_approved(demo: dict[str, int]) -> None:
    from actionplan.errors import ValidationError

    with pytest.raises(ValidationError):
        figures.approve(2030)
