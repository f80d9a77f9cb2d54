"""CSV/XLSX import: every problem at once with row and column; templates round-trip."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from actionplan.errors import InputError
from actionplan.monitor.importing import read_records, template
from actionplan.monitor.records import ROW_MODELS, ParticipationRow

HEADER = (
    "event_key,person_key,sex,age_band,disability,country,organisation_type,completed,assessed,satisfaction,recorded_on"
)
GOOD = "EV1,p1,F,Y25T34,NPD,KEN,regulator,yes,no,5,2019-05-01"


def _csv(*lines: str, bom: bool = False) -> bytes:
    return (("\ufeff" if bom else "") + "\n".join(lines) + "\n").encode("utf-8")


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("bom", [True, False])
def test_a_good_csv_reads_with_or_without_bom(bom: bool) -> None:
    result = read_records(
        "participations",
        _csv(HEADER, GOOD, "", "EV1,p2,M,_U,_U,FRA,private,,,,2019-05-02", bom=bom),
        "participations.csv",
    )
    assert result.ok, result.messages()
    assert [r.person_key for r in result.rows] == ["p1", "p2"]  # type: ignore[attr-defined]
    assert result.row_numbers == [2, 4]
    first = result.rows[0]
    assert isinstance(first, ParticipationRow) and first.completed is True and first.satisfaction == 5


def test_every_csv_problem_is_reported_with_row_and_column() -> None:
    data = _csv(
        HEADER + ",colour",
        "EV1,p1,female,Y25T34,NPD,KEN,regulator,yes,no,5,2019-05-01,red",
        "EV1,p2,F,Y25T34,NPD,XXX,regulator,maybe,no,7,2019-13-01,",
        "EV1,p1,F,Y25T34,NPD,KEN,regulator,yes,no,4,2019-05-01,",
        "EV2,p3,F,Y25T34,NPD,KEN,regulator,yes,no,4,2019-05-01,",
        "EV3,p3,M,Y25T34,NPD,KEN,regulator,yes,no,4,2019-05-01,",
        ",p4,F,Y25T34,NPD,KEN,regulator,,,,2019-05-01,",
    )
    messages = read_records("participations", data, "participations.csv").messages()
    assert messages[0].startswith("participations.csv row 1, column colour: unknown column")
    assert 'participations.csv row 2, column sex: expected one of F, M, _U; got "female"' in messages
    assert any(m.startswith("participations.csv row 3, column country: expected an ISO 3166 alpha-3") for m in messages)
    assert 'participations.csv row 3, column completed: expected yes/no (true/false, 1/0); got "maybe"' in messages
    assert 'participations.csv row 3, column satisfaction: expected a whole number 1-5; got "7"' in messages
    assert 'participations.csv row 3, column recorded_on: expected a date YYYY-MM-DD; got "2019-13-01"' in messages
    assert any(m.startswith("participations.csv row 4, column person_key: duplicate of row 2") for m in messages)
    assert 'participations.csv row 6, column sex: person p3 has "F" in row 5; got "M"' in messages
    assert "participations.csv row 7, column event_key: expected a value" in messages
    assert len(messages) == 9


def test_missing_columns_are_reported_once_on_the_header() -> None:
    result = read_records("assistance", _csv("key,country,output", "A1,KEN,2.2", "A2,KEN,2.3"), "assistance.csv")
    assert result.messages() == [
        "assistance.csv row 1, column kind: required column missing",
        "assistance.csv row 1, column delivered_on: required column missing",
        "assistance.csv row 1, column recorded_on: required column missing",
    ]


def test_xlsx_problems_carry_the_spreadsheet_row_numbers() -> None:
    import datetime

    rows: list[list[object]] = [
        [
            "key",
            "kind",
            "title",
            "start_date",
            "end_date",
            "city",
            "country",
            "region",
            "online",
            "outputs",
            "recorded_on",
        ],
        [
            "E1",
            "training",
            "Course",
            datetime.datetime(2019, 5, 6),
            datetime.datetime(2019, 5, 8),
            "Nairobi",
            "KEN",
            "AFR",
            0,
            "3.3;2.1",
            datetime.datetime(2019, 5, 20),
        ],
        [None] * 11,
        ["E2", "seminar", "Talk", "2019-05-06", "next week", None, None, "MARS", "no", "3.3;9.9", "2019-05-20"],
        ["E1", "forum", "Again", "2019-06-06", "2019-06-06", None, None, None, "no", "1.1", "2019-06-20"],
    ]
    result = read_records("events", _xlsx(rows), "events.xlsx")
    messages = result.messages()
    assert (
        'events.xlsx row 4, column kind: expected one of workshop, forum, training, meeting, conference; got "seminar"'
        in messages
    )
    assert 'events.xlsx row 4, column end_date: expected a date YYYY-MM-DD; got "next week"' in messages
    assert 'events.xlsx row 4, column region: expected one of AFR, AMS, ARB, ASP, CIS, EUR; got "MARS"' in messages
    assert any(m.startswith("events.xlsx row 4, column outputs: expected plan outputs") for m in messages)
    assert any(m.startswith("events.xlsx row 5, column key: duplicate of row 2") for m in messages)
    assert len(messages) == 5
    assert len(result.rows) == 1 and result.rows[0].outputs == ["3.3", "2.1"]  # type: ignore[attr-defined]


def test_unreadable_files_raise_input_error() -> None:
    with pytest.raises(InputError, match=r"expected a \.csv or \.xlsx"):
        read_records("events", b"", "events.txt")
    with pytest.raises(InputError, match="not a readable XLSX"):
        read_records("events", b"not a zip", "events.xlsx")
    with pytest.raises(InputError, match="not UTF-8"):
        read_records("events", "key\n\xe9".encode("latin-1"), "events.csv")


@pytest.mark.parametrize("kind", list(ROW_MODELS))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_read_back_without_errors(kind: str, fmt: str) -> None:
    result = read_records(kind, template(kind, fmt), f"{kind}.{fmt}")  # type: ignore[arg-type]
    assert result.ok, result.messages()
    assert len(result.rows) == 1


def test_xlsx_template_lists_codes_in_chinese_and_english() -> None:
    book = load_workbook(io.BytesIO(template("participations", "xlsx")))
    assert book.sheetnames == ["participations", "codes"]
    codes = list(book["codes"].iter_rows(values_only=True))
    assert codes[0] == ("column", "code", "en", "zh")
    assert ("sex", "F", "Female", "女性") in codes
    assert ("disability", "PD", "Persons with disability", "残疾人") in codes
    assert template("events", "csv").startswith(b"\xef\xbb\xbfkey,kind,")


def test_imported_files_load_and_compute() -> None:
    """Templates-shaped files -> table rows -> SQLite -> the indicator they feed."""
    import sqlite3

    from actionplan.monitor.compute import compute
    from actionplan.monitor.definitions import bundled_indicator_set
    from actionplan.monitor.importing import to_tables
    from actionplan.monitor.schema import country_group_rows, create_tables, insert_rows

    events = _csv(
        "key,kind,title,start_date,end_date,city,country,region,online,outputs,recorded_on",
        "E1,training,A,2019-03-01,2019-03-02,Nairobi,KEN,AFR,no,3.3,2019-03-10",
        "E2,training,B,2019-06-01,2019-06-02,Nairobi,KEN,AFR,no,3.3,2019-06-10",
    )
    attendances = _csv(HEADER, GOOD, GOOD.replace("EV1", "E2").replace(",p1,", ",p1,"), GOOD.replace(",p1,", ",p2,"))
    rows = {
        "events": read_records("events", events, "events.csv").rows,
        "participations": read_records("participations", attendances.replace(b"EV1", b"E1"), "p.csv").rows,
    }
    tables, problems = to_tables(rows)
    assert problems == []
    assert len(tables["monitor_participant"]) == 2 and len(tables["monitor_participation"]) == 3
    cursor = sqlite3.connect(":memory:").cursor()
    create_tables(cursor)
    tables["monitor_country_group"] = country_group_rows()
    for name, table_rows in tables.items():
        insert_rows(cursor, "sqlite", name, table_rows)
    trained = bundled_indicator_set().get("3.3.1")
    assert trained is not None
    totals = {v.year: v.value for v in compute([trained], cursor, "sqlite") if not v.series}
    assert totals[2019] == 2.0  # p1 twice and p2 once: two persons
