"""CSV and XLSX import of monitoring records, reporting every problem of a file at once.

A secretariat officer fixes a file in one pass only if the importer lists every problem: each
with the row number as the spreadsheet shows it (header = row 1), the column and what was
expected, e.g. ``participations.csv row 14, column sex: expected one of F, M, _U; got
"female"``. Besides cell problems the importer reports unknown and missing columns, keys
repeated within the file, and one person_key given different attributes in different rows.

:func:`template` gives the matching empty file (headers, one example row and, in XLSX, a
second sheet listing the codes in Chinese and English).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic import ValidationError as PydanticValidationError

from actionplan.errors import InputError
from actionplan.monitor.records import CODE_LISTS, COLUMN_CODES, KEYS, KIND_CODES, ROW_MODELS, Row

PERSON_COLUMNS = ("sex", "age_band", "disability", "country", "organisation_type")
"""Attributes of a person that must agree across all rows with the same person_key."""

MAX_BYTES = 200 * 1024 * 1024


class ImportIssue(BaseModel):
    """One problem: where (row as shown in the file, column) and what was expected."""

    file: str
    row: int | None = None
    column: str | None = None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f", column {self.column}" if self.row is not None else f" column {self.column}"
        return f"{where}: {self.message}"


class ImportResult(BaseModel):
    """The valid rows (with their file row numbers) and every problem found."""

    kind: str
    rows: list[Row] = Field(default_factory=list)
    row_numbers: list[int] = Field(default_factory=list)
    errors: list[ImportIssue] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def messages(self) -> list[str]:
        return [str(e) for e in self.errors]


def _fmt(filename: str) -> Literal["csv", "xlsx"]:
    name = filename.lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xlsx"):
        return "xlsx"
    raise InputError("expected a .csv or .xlsx file", where=filename)


def _csv_rows(data: bytes, filename: str) -> Iterator[list[Any]]:
    """CSV rows as text cells; UTF-8 with or without a byte-order mark."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", where=filename, expected="a UTF-8 CSV") from exc
    yield from csv.reader(io.StringIO(text, newline=""))


def _xlsx_rows(data: bytes, filename: str) -> Iterator[list[Any]]:
    """Rows of the first sheet as cell values (dates stay dates, numbers stay numbers)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt file
        raise InputError(f"not a readable XLSX workbook ({type(exc).__name__})", where=filename) from exc
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        book.close()


def _blank_row(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _got(value: Any) -> str:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _header(cells: list[Any], model: type[Row], issue: Any) -> list[str | None]:
    """Column names by position; unknown, repeated and missing columns become issues."""
    fields = model.model_fields
    names: list[str | None] = []
    for cell in cells:
        name = str(cell).strip().lower() if cell is not None else ""
        if not name:
            names.append(None)
        elif name not in fields:
            issue(1, name, f"unknown column; expected one of {', '.join(fields)}")
            names.append(None)
        elif name in names:
            issue(1, name, "column appears twice")
            names.append(None)
        else:
            names.append(name)
    for name, info in fields.items():
        if info.is_required() and name not in names:
            issue(1, name, "required column missing")
    return names


def _cell_issues(error: PydanticValidationError, raw: dict[str, Any]) -> list[tuple[str, str]]:
    """(column, message) per pydantic error, with the value found."""
    out = []
    for item in error.errors():
        column = str(item["loc"][0]) if item["loc"] else ""
        if column not in raw:
            continue  # a missing column is reported once, on the header
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "missing" or raw.get(column) in (None, ""):
            out.append((column, "expected a value" if message == "Field required" else message))
        else:
            out.append((column, f"{message}; got {_got(raw.get(column))}"))
    return out


def read_records(kind: str, data: bytes, filename: str) -> ImportResult:
    """Read and check every row of a CSV/XLSX file of ``kind`` (see records.ROW_MODELS)."""
    if kind not in ROW_MODELS:
        raise InputError(f"unknown record kind {kind!r}", where=filename, expected=", ".join(ROW_MODELS))
    if len(data) > MAX_BYTES:
        raise InputError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB", where=filename)
    model = ROW_MODELS[kind]
    result = ImportResult(kind=kind)

    def issue(row: int | None, column: str | None, message: str) -> None:
        result.errors.append(ImportIssue(file=filename, row=row, column=column, message=message))

    reader = _csv_rows(data, filename) if _fmt(filename) == "csv" else _xlsx_rows(data, filename)
    header = next(reader, None)
    if header is None or _blank_row(header):
        issue(1, None, f"no header row; expected columns {', '.join(model.model_fields)}")
        return result
    names = _header(header, model, issue)
    seen: dict[tuple[Any, ...], int] = {}
    people: dict[str, tuple[int, dict[str, Any]]] = {}
    for number, cells in enumerate(reader, start=2):
        if _blank_row(cells):
            continue
        raw = {n: c for n, c in zip(names, cells, strict=False) if n is not None}
        raw = {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items()}
        if len(cells) > len(names) and not _blank_row(cells[len(names) :]):
            issue(number, None, f"{len(cells)} cells but the header has {len(names)} columns")
        _check_row(kind, model, raw, number, result, issue, seen, people)
    return result


def _check_row(
    kind: str,
    model: type[Row],
    raw: dict[str, Any],
    number: int,
    result: ImportResult,
    issue: Any,
    seen: dict[tuple[Any, ...], int],
    people: dict[str, tuple[int, dict[str, Any]]],
) -> None:
    """Validate one row; then its key must be new and its person must agree with earlier rows."""
    key = tuple(_key_text(raw.get(k)) for k in KEYS[kind])
    duplicate = seen.get(key) if any(key) else None
    if duplicate is not None:
        shown = ", ".join(f"{k}={_got(v) if v else 'empty'}" for k, v in zip(KEYS[kind], key, strict=True))
        issue(
            number,
            KEYS[kind][1] if kind == "participations" else KEYS[kind][0],
            f"duplicate of row {duplicate} ({shown}); expected each once per file",
        )
    seen.setdefault(key, number)
    present = {k: v for k, v in raw.items() if not (v is None or v == "") or model.model_fields[k].is_required()}
    try:
        row = model.model_validate(present)
    except PydanticValidationError as exc:
        for column, message in _cell_issues(exc, raw):
            issue(number, column, message)
        return
    if duplicate is not None:
        return
    values = row.model_dump()
    if kind == "participations" and _person_conflicts(values, number, issue, people):
        return
    result.rows.append(row)
    result.row_numbers.append(number)


def _key_text(value: Any) -> str:
    """A key cell as comparable text (a date cell and its ISO text compare equal)."""
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _person_conflicts(
    values: dict[str, Any],
    number: int,
    issue: Any,
    people: dict[str, tuple[int, dict[str, Any]]],
) -> bool:
    """True (with issues) when this row gives its person other attributes than an earlier row."""
    person = values["person_key"]
    attributes = {c: values[c] for c in PERSON_COLUMNS}
    if person not in people:
        people[person] = (number, attributes)
        return False
    first, known = people[person]
    conflicts = [c for c in PERSON_COLUMNS if known[c] != attributes[c]]
    for column in conflicts:
        issue(
            number, column, f"person {person} has {_got(known[column])} in row {first}; got {_got(attributes[column])}"
        )
    return bool(conflicts)


# -- templates ----------------------------------------------------------------------------------

EXAMPLES: dict[str, dict[str, Any]] = {
    "events": {
        "key": "EV-2019-001",
        "kind": "training",
        "title": "Spectrum management course",
        "start_date": datetime.date(2019, 5, 6),
        "end_date": datetime.date(2019, 5, 10),
        "city": "Nairobi",
        "country": "KEN",
        "region": "AFR",
        "online": "no",
        "outputs": "2.1;3.3",
        "recorded_on": datetime.date(2019, 5, 20),
    },
    "participations": {
        "event_key": "EV-2019-001",
        "person_key": "p-7f3a9c",
        "sex": "F",
        "age_band": "Y25T34",
        "disability": "NPD",
        "country": "KEN",
        "organisation_type": "regulator",
        "completed": "yes",
        "assessed": "yes",
        "satisfaction": 5,
        "recorded_on": datetime.date(2019, 5, 20),
    },
    "assistance": {
        "key": "AS-2019-014",
        "country": "VUT",
        "output": "2.3",
        "kind": "early_warning",
        "delivered_on": datetime.date(2019, 9, 2),
        "description": "Early-warning system design",
        "recorded_on": datetime.date(2019, 9, 30),
    },
    "publications": {
        "key": "PU-2019-003",
        "kind": "guideline",
        "title": "Guidelines on spectrum pricing",
        "output": "2.1",
        "due_on": datetime.date(2019, 6, 30),
        "released_on": datetime.date(2019, 6, 21),
        "recorded_on": datetime.date(2019, 7, 1),
    },
    "publication_use": {
        "publication_key": "PU-2019-003",
        "year": 2019,
        "month": 7,
        "downloads": 420,
        "page_views": 1830,
        "users": 910,
    },
    "partnerships": {
        "key": "PT-2019-002",
        "partner": "Example Foundation",
        "partner_type": "foundation",
        "output": "1.6",
        "signed_on": datetime.date(2019, 3, 12),
        "cash_chf": 250000,
        "in_kind_chf": 50000,
        "recorded_on": datetime.date(2019, 3, 20),
    },
    "milestones": {
        "indicator": "3.2.1",
        "year": 2019,
        "achieved": "yes",
        "level": "",
        "due_on": datetime.date(2019, 12, 15),
        "achieved_on": datetime.date(2019, 12, 10),
        "evidence": "WTI database released",
        "recorded_on": datetime.date(2019, 12, 20),
    },
}
"""One valid example row per kind (the templates' second line)."""


def code_lists_for(kind: str) -> dict[str, str]:
    """Column -> code list name for the coded columns of ``kind``."""
    columns = ROW_MODELS[kind].model_fields
    out = {c: COLUMN_CODES[c] for c in columns if c in COLUMN_CODES}
    if "kind" in columns and kind in KIND_CODES:
        out["kind"] = KIND_CODES[kind]
    return out


def _cell_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def template(kind: str, fmt: Literal["csv", "xlsx"] = "csv") -> bytes:
    """An import template: header, one example row; XLSX adds a 'codes' sheet (zh + en)."""
    if kind not in ROW_MODELS:
        raise InputError(f"unknown record kind {kind!r}", expected=", ".join(ROW_MODELS))
    columns = list(ROW_MODELS[kind].model_fields)
    example = EXAMPLES[kind]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerow([_cell_text(example.get(c, "")) for c in columns])
        return buffer.getvalue().encode("utf-8-sig")
    return _xlsx_template(kind, columns, example)


def _xlsx_template(kind: str, columns: list[str], example: dict[str, Any]) -> bytes:
    """The XLSX template: the records sheet, then the codes sheet."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = kind
    sheet.append(columns)
    sheet.append([example.get(c, "") for c in columns])
    codes = book.create_sheet("codes")
    codes.append(["column", "code", "en", "zh"])
    for column, list_name in code_lists_for(kind).items():
        for code, label in CODE_LISTS[list_name].items():
            codes.append([column, code, label["en"], label["zh"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- from import rows to table rows ------------------------------------------------------------


def to_tables(rows_by_kind: dict[str, list[Row]]) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """Table rows (ids assigned from 1) from imported rows, resolving event, person and publication keys.

    For loading a set of files into an empty database (tests, demos, benchmarks); the web
    application upserts into its models instead. Returns the rows and the problems found
    across files (a participation naming an event no file holds, and the like).
    """
    tables: dict[str, list[dict[str, Any]]] = {}
    problems: list[str] = []
    events = _keyed(tables, "monitor_event", rows_by_kind.get("events", []), exclude={"outputs"})
    for row in rows_by_kind.get("events", []):
        for output in row.outputs:  # type: ignore[attr-defined]
            _append(tables, "monitor_event_output", {"event_id": events[row.key], "output": output})  # type: ignore[attr-defined]
    people: dict[str, int] = {}
    for row in rows_by_kind.get("participations", []):
        values = row.model_dump()
        event = events.get(values["event_key"])
        if event is None:
            problems.append(f"participations: event_key {values['event_key']!r} is in no events file")
            continue
        person = people.get(values["person_key"])
        if person is None:
            person_row = {"person_key": values["person_key"], **{c: values[c] for c in PERSON_COLUMNS}}
            person = people[values["person_key"]] = _append(tables, "monitor_participant", person_row)
        attendance = {k: values[k] for k in ("completed", "assessed", "satisfaction", "recorded_on")}
        _append(tables, "monitor_participation", {"event_id": event, "participant_id": person, **attendance})
    for kind, table in (("assistance", "monitor_assistance"), ("partnerships", "monitor_partnership")):
        _keyed(tables, table, rows_by_kind.get(kind, []))
    milestones = rows_by_kind.get("milestones", [])
    for row in milestones:
        _append(tables, "monitor_milestone", row.model_dump())
    publications = _keyed(tables, "monitor_publication", rows_by_kind.get("publications", []))
    for row in rows_by_kind.get("publication_use", []):
        values = row.model_dump()
        key = values.pop("publication_key")
        if key not in publications:
            problems.append(f"publication_use: publication_key {key!r} is in no publications file")
            continue
        _append(tables, "monitor_publication_use", {"publication_id": publications[key], **values})
    return tables, problems


def _append(tables: dict[str, list[dict[str, Any]]], table: str, row: dict[str, Any]) -> int:
    """Add a row with the next id of its table; returns the id."""
    rows = tables.setdefault(table, [])
    row = {"id": len(rows) + 1, **row}
    rows.append(row)
    return int(row["id"])


def _keyed(
    tables: dict[str, list[dict[str, Any]]], table: str, rows: list[Row], exclude: set[str] | None = None
) -> dict[str, int]:
    """Rows with a ``key`` column, returning key -> id."""
    ids = {}
    for row in rows:
        values = row.model_dump(exclude=exclude)
        ids[values["key"]] = _append(tables, table, values)
    return ids
