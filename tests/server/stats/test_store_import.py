"""Importing observations: all or nothing, every problem listed, warnings kept, vintages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from actionplan.errors import InputError
from actionplan.server.accounts.permissions import Forbidden
from tests.server.stats.conftest import csv_bytes


def _store() -> Any:
    from actionplan.server.stats import store

    return store


def test_import_stores_a_batch_and_its_observations(db: None) -> None:
    """A valid file is stored as one batch; each row becomes an observation of that vintage."""
    store = _store()
    data = csv_bytes("CHN,2022,internet_users_pct,73.7,,", "CHN,2023,internet_users_pct,77.5,E,ITU estimate")
    info = store.import_observations(data, "chn.csv", None, recorded_on=date(2024, 3, 1))
    assert (info.rows, info.unchanged, info.format, info.recorded_on) == (2, 0, "csv", date(2024, 3, 1))
    found = store.observations(economy="CHN")
    assert [(o.year, o.value, o.flags, o.notes) for o in found] == [
        (2022, 73.7, (), ""), (2023, 77.5, ("E",), "ITU estimate")]
    assert all(o.recorded_on == date(2024, 3, 1) for o in found)


def test_import_with_errors_stores_nothing_and_lists_every_problem(db: None) -> None:
    """One bad row refuses the whole file; the message names each row and column."""
    from actionplan.server.stats.models import ImportBatch, Observation

    store = _store()
    data = csv_bytes(
        "CHN,2023,internet_users_pct,77.5,,",
        "XXX,2023,internet_users_pct,50,,",
        "CHN,2023,no_such_indicator,1,,",
        "BRA,2023,internet_users_pct,140,,",
    )
    with pytest.raises(InputError) as caught:
        store.import_observations(data, "bad.csv", None)
    problems = caught.value.problems  # type: ignore[attr-defined]
    assert len(problems) == 3
    assert any("bad.csv row 3, column economy" in p and "XXX" in p for p in problems)
    assert any("bad.csv row 4, column indicator" in p for p in problems)
    assert any("bad.csv row 5, column value" in p and "140" in p for p in problems)
    assert Observation.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_unreadable_cells_are_listed_with_row_and_column(db: None) -> None:
    """The reader's problems (a word where a number belongs, a bad year) come back together."""
    store = _store()
    data = csv_bytes("CHN,2023,internet_users_pct,n/a,,", "CHN,20x3,internet_users_pct,3,,")
    with pytest.raises(InputError) as caught:
        store.import_observations(data, "cells.csv", None)
    text = str(caught.value)
    assert "cells.csv row 2, column value" in text and "cells.csv row 3, column year" in text


def test_jumps_are_warnings_stored_on_the_batch(db: None) -> None:
    """A value far from the previous year's is stored, and the batch keeps the warning."""
    store = _store()
    store.import_observations(csv_bytes("KEN,2022,internet_users_pct,30,,"), "a.csv", None, date(2023, 1, 1))
    info = store.import_observations(csv_bytes("KEN,2023,internet_users_pct,70,,"), "b.csv", None, date(2024, 1, 1))
    assert info.rows == 1
    assert [w["rule"] for w in info.warnings] == ["jump"]
    assert "b.csv row 2" in info.warnings[0]["where"]
    assert store.batches()[0].warnings == info.warnings


def test_revisions_are_new_vintages_and_as_of_gives_the_old_values(db: None) -> None:
    """A re-import with a revised value on a later date adds a vintage; the data as of the first
    date still show the first value, and values unchanged are not stored again."""
    from actionplan.server.stats.models import Observation

    store = _store()
    first = csv_bytes("GHA,2022,internet_users_pct,58,,", "GHA,2022,mobile_cellular_per100,120,,")
    store.import_observations(first, "v1.csv", None, date(2023, 6, 30))
    second = csv_bytes("GHA,2022,internet_users_pct,60.5,,revised", "GHA,2022,mobile_cellular_per100,120,,")
    info = store.import_observations(second, "v2.csv", None, date(2024, 6, 30))
    assert (info.rows, info.unchanged) == (1, 1)
    assert Observation.objects.filter(economy="GHA", indicator="internet_users_pct").count() == 2
    assert store.dataset(date(2023, 12, 31)).series("GHA", "internet_users_pct") == {2022: 58.0}
    assert store.dataset().series("GHA", "internet_users_pct") == {2022: 60.5}
    assert store.dataset(date(2023, 1, 1)).series("GHA", "internet_users_pct") == {}
    vintages = store.observations(economy="GHA", indicator="internet_users_pct", all_vintages=True)
    assert [(o.value, o.recorded_on) for o in vintages] == [(58.0, date(2023, 6, 30)), (60.5, date(2024, 6, 30))]


def test_a_different_value_for_a_stored_vintage_is_refused(db: None) -> None:
    """The same economy/indicator/year/date cannot get a second value: a revision needs a later date."""
    store = _store()
    store.import_observations(csv_bytes("GHA,2022,internet_users_pct,58,,"), "v1.csv", None, date(2023, 6, 30))
    with pytest.raises(InputError, match="already stored"):
        store.import_observations(csv_bytes("GHA,2022,internet_users_pct,59,,"), "v1b.csv", None, date(2023, 6, 30))


def test_observations_are_immutable(db: None) -> None:
    """Stored observations refuse updates and deletes (a correction is a new vintage)."""
    from actionplan.errors import StoreError
    from actionplan.server.stats.models import Observation

    _store().import_observations(csv_bytes("GHA,2022,internet_users_pct,58,,"), "v1.csv", None)
    row = Observation.objects.get()
    row.value = 1
    with pytest.raises(StoreError):
        row.save()
    with pytest.raises(StoreError):
        Observation.objects.all().delete()


def test_import_needs_the_secretariat(db: None, delegate: Any, secretariat: Any) -> None:
    """A delegate may not import; a secretariat editor may, and the batch names them."""
    store = _store()
    data = csv_bytes("CHN,2023,internet_users_pct,77.5,,")
    with pytest.raises(Forbidden):
        store.import_observations(data, "chn.csv", delegate)
    assert store.import_observations(data, "chn.csv", secretariat).imported_by == "sec"


def test_import_writes_one_audit_entry_per_batch(db: None) -> None:
    """The batch is recorded in the audit trail with its file's hash and counts."""
    import hashlib

    from actionplan.server.audit.models import AuditEntry

    data = csv_bytes("CHN,2022,internet_users_pct,73.7,,", "CHN,2023,internet_users_pct,77.5,,")
    info = _store().import_observations(data, "chn.csv", None)
    entries = AuditEntry.objects.filter(object_type="stats.importbatch")
    assert [(e.action, e.object_id) for e in entries] == [("import", str(info.id))]
    assert hashlib.sha256(data).hexdigest() in entries[0].after


def test_xlsx_and_sdmx_exports_round_trip(db: None) -> None:
    """Every vintage exported as CSV, XLSX or SDMX-CSV reads back to the same observations."""
    from actionplan.stats.io import read_observations

    store = _store()
    store.import_observations(csv_bytes("GHA,2022,internet_users_pct,58,E,"), "v1.csv", None, date(2023, 6, 30))
    store.import_observations(csv_bytes("GHA,2022,internet_users_pct,60.5,,rev"), "v2.csv", None, date(2024, 6, 30))
    expected = store.observations(all_vintages=True)
    for fmt in ("csv", "xlsx", "sdmx-csv"):
        back = read_observations(store.export(fmt), f"out.{fmt}")
        assert sorted(back, key=lambda o: o.recorded_on) == expected, fmt
    as_of = read_observations(store.export("csv", date(2023, 12, 31)), "old.csv")
    assert [o.value for o in as_of] == [58.0]


def test_load_sample_is_idempotent(db: None) -> None:
    """The sample loads once, marked as the sample; a second call says it is already there."""
    store = _store()
    info, created = store.load_sample(economies=("CHN", "BRA"))
    again, created_again = store.load_sample(economies=("CHN", "BRA"))
    assert created and not created_again and again.id == info.id
    assert info.sample and info.rows > 0
    summary = store.summary()
    assert summary.only_sample and summary.economies == 2
    assert all(o.source.startswith("SYNTHETIC") for o in store.observations(economy="CHN"))


def test_unreadable_and_invalid_rows_are_reported_together(db: None) -> None:
    """Cells the reader refuses and values validation refuses come back in one list, in row order."""
    store = _store()
    data = csv_bytes("KEN,2023,internet_users_pct,148.5,,", "XKX,2023,internet_users_pct,40,,",
                     "KEN,20x3,mobile_broadband_per100,n/a,,", "KEN,2023,mobile_broadband_per100,71.2,Z,")
    with pytest.raises(InputError) as caught:
        store.import_observations(data, "mixed.csv", None)
    rows = [p.split(",")[0] for p in caught.value.problems]  # type: ignore[attr-defined]
    assert rows == ["mixed.csv row 2", "mixed.csv row 3", "mixed.csv row 4", "mixed.csv row 4", "mixed.csv row 5"]


def _xlsx(rows: list[list[object]]) -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_and_sdmx_files_import(db: None) -> None:
    """The first sheet of a workbook and an SDMX-CSV file (M49 area, ITU series code) import alike."""
    store = _store()
    book = _xlsx([["economy", "year", "indicator", "value", "flags"], ["CHN", 2023, "internet_users_pct", 77.5, "E"]])
    info = store.import_observations(book, "chn.xlsx", None, date(2024, 3, 1))
    assert (info.format, info.rows) == ("xlsx", 1)
    sdmx = (b"DATAFLOW,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"
            b"ITU:DF(1.0),076,internet_users_pct,2023,84.2,E\n")
    info = store.import_observations(sdmx, "bra.csv", None, date(2024, 3, 1))
    assert (info.format, info.rows) == ("sdmx-csv", 1)
    assert [(o.economy, o.value, o.flags) for o in store.observations(indicator="internet_users_pct")] == [
        ("BRA", 84.2, ("E",)), ("CHN", 77.5, ("E",))]


def test_xlsx_errors_name_rows_and_columns_too(db: None) -> None:
    """A workbook's bad cells and invalid values are listed together, rows numbered as Excel shows them."""
    store = _store()
    book = _xlsx([["economy", "year", "indicator", "value"], ["CHN", 2023, "internet_users_pct", "lots"],
                  ["ZZZ", 2023, "internet_users_pct", 5]])
    with pytest.raises(InputError) as caught:
        store.import_observations(book, "bad.xlsx", None)
    problems = caught.value.problems  # type: ignore[attr-defined]
    assert [p.split(":")[0] for p in problems] == ["bad.xlsx row 2, column value", "bad.xlsx row 3, column economy"]
