"""Reading and writing observations as tidy CSV, XLSX and SDMX-CSV (actionplan.stats.io)."""

from __future__ import annotations

from datetime import date

import pytest

from actionplan.errors import InputError
from actionplan.stats.data import Observation
from actionplan.stats.io import DataFileError, read_observations, write_observations

OBSERVATIONS = [
    Observation(economy="CHN", year=2023, indicator="internet_users_pct", value=77.5,
                recorded_on=date(2024, 6, 30), flags=("E", "B"), notes='a note, with "quotes"', source="NBS"),
    Observation(economy="CHN", year=2023, indicator="internet_users_pct", value=77.6,
                recorded_on=date(2025, 6, 30), source="NBS"),
    Observation(economy="FRA", year=2022, indicator="intl_bandwidth_per_user", value=1 / 3,
                recorded_on=date(2024, 6, 30), unit="bit/s"),
    Observation(economy="WLD", year=2015, indicator="mobile_cellular_per100", value=1e-7,
                recorded_on=date(2016, 1, 1), flags=("P",), notes="中文注释"),
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sdmx-csv"])
def test_write_then_read_gives_the_same_observations(fmt: str) -> None:
    """Every format keeps values exactly, every vintage, flags, notes, sources and units."""
    data = write_observations(OBSERVATIONS, fmt)  # type: ignore[arg-type]
    back = read_observations(data, f"export.{fmt}")
    assert back == OBSERVATIONS
    assert back[0].origin == f"export.{fmt} row 2"


def test_read_reports_every_problem_with_row_and_column() -> None:
    """All bad cells are reported together, each with its row and column."""
    text = (
        "economy,year,indicator,value,flags,recorded_on\n"
        "CHN,2023,internet_users_pct,77,,\n"
        "CHN,20x3,internet_users_pct,n/a,,\n"
        ",2023,internet_users_pct,5,Z,\n"
        "FRA,2023,internet_users_pct,5,E,yesterday\n"
    )
    with pytest.raises(DataFileError) as info:
        read_observations(text.encode(), "data.csv")
    assert info.value.problems == [
        'data.csv row 3, column year: expected a four-digit year, got "20x3"',
        'data.csv row 3, column value: expected a number, got "n/a"',
        "data.csv row 4, column economy: empty cell (a value is required)",
        "data.csv row 4, column flags: unknown flag 'Z' (known: E estimate, B break in series, P provisional, "
        "F forecast, U low reliability, I imputed by the index (never stored from a source))",
        'data.csv row 5, column recorded_on: expected a date YYYY-MM-DD, got "yesterday"',
    ]
    assert isinstance(info.value, InputError)
    assert str(info.value).startswith("5 problems in data.csv: data.csv row 3, column year")


def test_read_names_missing_columns() -> None:
    with pytest.raises(DataFileError) as info:
        read_observations(b"economy,year,value\nCHN,2023,5\n", "data.csv")
    assert info.value.problems[0].startswith("data.csv column indicator: missing from the header")


def test_read_sdmx_csv_with_m49_areas_itu_codes_and_status() -> None:
    """SDMX-CSV from elsewhere: M49 REF_AREA, an ITU series code, OBS_STATUS E, SDMX-CSV 2.0 columns."""
    text = (
        "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS\n"
        "dataflow,ITU:DF(1.0),I,156,i99H,2022,75.6,%,E\n"
        "dataflow,ITU:DF(1.0),I,FRA,i99H,2022,85.3,%,A\n"
        "dataflow,ITU:DF(1.0),I,DEU,i99H,2022,,%,M\n"
    )
    back = read_observations(text.encode(), "sdmx.csv", recorded_on=date(2024, 2, 1))
    assert [(o.economy, o.indicator, o.year, o.value, o.flags, o.unit, o.recorded_on) for o in back] == [
        ("CHN", "internet_users_pct", 2022, 75.6, ("E",), "%", date(2024, 2, 1)),
        ("FRA", "internet_users_pct", 2022, 85.3, (), "%", date(2024, 2, 1)),
    ]


def test_read_xlsx_reports_row_and_column() -> None:
    from io import BytesIO

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["economy", "year", "indicator", "value"])
    sheet.append(["CHN", 2023, "internet_users_pct", 77.5])
    sheet.append(["CHN", 2022, "internet_users_pct", "n/a"])
    buffer = BytesIO()
    workbook.save(buffer)
    with pytest.raises(DataFileError) as info:
        read_observations(buffer.getvalue(), "book.xlsx")
    assert info.value.problems == ['book.xlsx row 3, column value: expected a number, got "n/a"']


def test_read_rejects_empty_and_non_utf8_files() -> None:
    with pytest.raises(InputError, match="empty"):
        read_observations(b"", "x.csv")
    with pytest.raises(InputError, match="UTF-8"):
        read_observations(b"\xff\xfe\x00economy", "x.csv")
    with pytest.raises(InputError, match="XLSX"):
        read_observations(b"PK\x03\x04garbage", "x.xlsx")


def test_import_is_all_or_nothing_and_returns_warnings() -> None:
    """Validation errors stop the whole import, each named; warnings come back with the rows."""
    from actionplan.stats.io import DataValidationError, import_observations

    bad = b"economy,year,indicator,value\nCHN,2023,internet_users_pct,120\nXXX,2023,internet_users_pct,5\n"
    with pytest.raises(DataValidationError) as info:
        import_observations(bad, "data.csv")
    assert [p.where for p in info.value.problems] == ["data.csv row 2, column value", "data.csv row 3, column economy"]
    good = b"economy,year,indicator,value\nCHN,2022,internet_users_pct,40\nCHN,2023,internet_users_pct,75\n"
    observations, warnings = import_observations(good, "data.csv")
    assert len(observations) == 2 and [w.rule for w in warnings] == ["jump"]
