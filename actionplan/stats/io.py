"""Reading and writing observations: tidy CSV, XLSX and SDMX-CSV.

Tidy CSV (and the first sheet of an XLSX workbook) has one observation per row with at
least the columns ``economy,year,indicator,value``; optional ``source``, ``notes``,
``flags`` (letters of :data:`actionplan.stats.data.FLAGS`, separated by ``;`` or spaces),
``unit`` and ``recorded_on`` (ISO date, the vintage).

SDMX-CSV (version 1: first column ``DATAFLOW``; version 2: ``STRUCTURE``,
``STRUCTURE_ID``, ``ACTION``) has ``REF_AREA`` (ISO3 or M49), ``TIME_PERIOD``,
``OBS_VALUE``, the indicator in ``INDICATOR``, ``SERIES`` or ``SERIES_CODE`` (an actionplan
code or the indicator's ITU code), and optional ``UNIT_MEASURE``, ``OBS_STATUS`` (SDMX code
list: A normal, E estimated, B break, P provisional, F forecast, U low reliability),
``COMMENT_OBS``, ``SOURCE_DETAIL`` and actionplan's own ``FLAGS`` and ``RECORDED_ON``.
Rows with an empty ``OBS_VALUE`` and status M, L or O (missing) are skipped.

A reader never stops at the first bad cell: it raises one
:class:`actionplan.errors.InputError` listing every problem as
``data.csv row 7, column value: expected a number, got "n/a"`` (rows count the header as
row 1, as a spreadsheet shows them). It checks the *form* of each cell; whether the
economy, indicator or value makes sense is :func:`actionplan.stats.data.validate`'s job.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from actionplan.errors import InputError, ValidationError
from actionplan.stats.data import (
    FLAG_NAMES,
    FLAGS,
    Dataset,
    IndicatorDef,
    Observation,
    Problem,
    load_catalogue,
    m49_to_iso3,
    validate,
)

Format = Literal["csv", "xlsx", "sdmx-csv"]

TIDY_REQUIRED = ("economy", "year", "indicator", "value")
TIDY_COLUMNS = ("economy", "year", "indicator", "value", "unit", "flags", "source", "notes", "recorded_on")
SDMX_DATAFLOW = "ITU:DF_ACTIONPLAN_ICT(1.0)"
SDMX_COLUMNS = (
    "DATAFLOW", "REF_AREA", "INDICATOR", "TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "OBS_STATUS",
    "FLAGS", "SOURCE_DETAIL", "COMMENT_OBS", "RECORDED_ON",
)
SDMX_INDICATOR_COLUMNS = ("INDICATOR", "SERIES", "SERIES_CODE")
SDMX_MISSING = frozenset({"M", "L", "O"})
"""SDMX ``OBS_STATUS`` codes of missing values (missing, not existing, not collected): such rows are skipped."""
FLAG_PRIORITY = "BEPFUI"
"""Which flag becomes SDMX ``OBS_STATUS`` when an observation has several."""

MAX_ROWS = 2_000_000
_YEAR = re.compile(r"(\d{4})(?:\.0+|-A1|-01-01|-12-31)?")
_NUMBER = re.compile(r"[-+]?[0-9][0-9,]*(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


class DataFileError(InputError):
    """A data file has problems; ``problems`` lists each as ``file row N, column C: message``."""

    def __init__(self, filename: str, problems: list[str]):
        self.problems = list(problems)
        self.filename = filename
        count = len(problems)
        shown = problems[:200]
        more = f"; and {count - len(shown)} more" if count > len(shown) else ""
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in {filename}: " + "; ".join(shown) + more)

    def __str__(self) -> str:
        return self.message


class _Rows:
    """Collects a file's problems while its rows are converted."""

    def __init__(self, filename: str):
        self.filename = filename
        self.problems: list[str] = []

    def add(self, row: int | None, column: str | None, message: str) -> None:
        place = self.filename
        if row is not None:
            place += f" row {row}"
        if column is not None:
            place += f", column {column}" if row is not None else f" column {column}"
        self.problems.append(f"{place}: {message}")

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataFileError(self.filename, self.problems)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _parse_flags(text: str) -> tuple[tuple[str, ...], list[str]]:
    flags: list[str] = []
    bad: list[str] = []
    for token in re.split(r"[;,|\s]+", text.strip()):
        if not token or token.upper() == "A":
            continue
        code = token.upper() if token.upper() in FLAGS else FLAG_NAMES.get(token.casefold())
        if code is None:
            bad.append(token)
        elif code not in flags:
            flags.append(code)
    return tuple(flags), bad


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _convert(
    rows: Iterable[tuple[int, dict[str, str]]],
    names: dict[str, str],
    rows_out: _Rows,
    recorded_on: date,
    sdmx: bool,
    catalogue: dict[str, IndicatorDef],
    default_source: str = "",
) -> list[Observation]:
    """Observations from ``(row number, {column: text})``; ``names`` maps roles to header names."""
    by_itu = {d.itu_code: d.code for d in catalogue.values() if d.itu_code}
    m49 = m49_to_iso3() if sdmx else {}
    out: list[Observation] = []
    dates: dict[str, date | None] = {}
    flag_cache: dict[str, tuple[tuple[str, ...], list[str]]] = {}
    for number, row in rows:
        if not any(row.values()):
            continue
        if sdmx and row.get(names["value"], "").casefold() in ("", "nan") and (
            row.get(names.get("status", ""), "").upper() in SDMX_MISSING
        ):
            continue  # SDMX marks a missing observation with an empty value and status M, L or O
        ok = True

        def need(role: str, row: dict[str, str] = row, number: int = number) -> str:
            nonlocal ok
            text = row.get(names[role], "")
            if not text:
                rows_out.add(number, names[role], "empty cell (a value is required)")
                ok = False
            return text

        economy = need("economy").upper()
        if sdmx and economy.isdigit():
            resolved = m49.get(economy.zfill(3))
            if resolved is None:
                rows_out.add(number, names["economy"], f"unknown M49 code {economy!r}")
                ok = False
            economy = resolved or economy
        year_text = need("year")
        year = 0
        if year_text:
            match = None if len(year_text) == 4 and year_text.isdigit() else _YEAR.fullmatch(year_text)
            if match is None and len(year_text) == 4 and year_text.isdigit():
                year = int(year_text)
            elif match:
                year = int(match.group(1))
            else:
                rows_out.add(number, names["year"], f'expected a four-digit year, got "{year_text}"')
                ok = False
        indicator = need("indicator")
        if sdmx and indicator not in catalogue:
            indicator = by_itu.get(indicator, indicator)
        value_text = need("value")
        value = math.nan
        if value_text:
            try:
                value = float(value_text)
            except ValueError:
                try:
                    value = float(value_text.replace(",", "")) if _NUMBER.fullmatch(value_text) else math.nan
                except ValueError:
                    value = math.nan
            if not math.isfinite(value):
                value = math.nan
                rows_out.add(number, names["value"], f'expected a number, got "{value_text}"')
                ok = False
        flags: tuple[str, ...] = ()
        for role in ("flags", "status"):
            if role in names and row.get(names[role]):
                text = row[names[role]]
                if text not in flag_cache:
                    flag_cache[text] = _parse_flags(text)
                parsed, bad = flag_cache[text]
                if bad:
                    rows_out.add(number, names[role], f"unknown flag {', '.join(repr(b) for b in bad)} "
                                 f"(known: {', '.join(f'{k} {v}' for k, v in FLAGS.items())})")
                    ok = False
                flags = parsed
                break
        vintage = recorded_on
        if "recorded_on" in names and row.get(names["recorded_on"]):
            text = row[names["recorded_on"]]
            if text not in dates:
                dates[text] = _parse_date(text)
            parsed_date = dates[text]
            if parsed_date is None:
                rows_out.add(number, names["recorded_on"],
                             f'expected a date YYYY-MM-DD, got "{row[names["recorded_on"]]}"')
                ok = False
            else:
                vintage = parsed_date
        if not ok:
            continue
        out.append(Observation(
            economy=economy,
            year=year,
            indicator=indicator,
            value=value,
            recorded_on=vintage,
            source=(row.get(names["source"]) or default_source) if "source" in names else default_source,
            notes=row.get(names.get("notes", ""), "") if "notes" in names else "",
            flags=flags,
            unit=(row.get(names["unit"]) or None) if "unit" in names else None,
            origin=f"{rows_out.filename} row {number}",
        ))
    return out


def _roles(header: Sequence[str], rows_out: _Rows) -> tuple[dict[str, str], bool] | None:
    """Which header names play which role, and whether the file is SDMX-CSV; None if unusable."""
    upper = {h.strip().upper(): h for h in header if h}
    if "OBS_VALUE" in upper or "REF_AREA" in upper:
        names: dict[str, str] = {}
        for role, column in (("economy", "REF_AREA"), ("year", "TIME_PERIOD"), ("value", "OBS_VALUE")):
            if column in upper:
                names[role] = upper[column]
            else:
                rows_out.add(None, column, "missing from the SDMX-CSV header")
        indicator = next((upper[c] for c in SDMX_INDICATOR_COLUMNS if c in upper), None)
        if indicator is None:
            rows_out.add(None, "INDICATOR", "missing from the SDMX-CSV header (or SERIES)")
        else:
            names["indicator"] = indicator
        for role, column in (("unit", "UNIT_MEASURE"), ("status", "OBS_STATUS"), ("flags", "FLAGS"),
                             ("source", "SOURCE_DETAIL"), ("notes", "COMMENT_OBS"), ("recorded_on", "RECORDED_ON")):
            if column in upper:
                names[role] = upper[column]
        return (names, True) if not rows_out.problems else None
    lower = {h.strip().lower(): h for h in header if h}
    missing = [c for c in TIDY_REQUIRED if c not in lower]
    for column in missing:
        rows_out.add(None, column, f"missing from the header (expected at least {','.join(TIDY_REQUIRED)}, "
                     "or SDMX-CSV columns REF_AREA, TIME_PERIOD, OBS_VALUE, INDICATOR)")
    if missing:
        return None
    return {c: lower[c] for c in TIDY_COLUMNS if c in lower}, False


def _table_rows(
    header: list[str], body: Iterable[tuple[int, Sequence[object]]], text: bool = False
) -> Iterable[tuple[int, dict[str, str]]]:
    columns = [(i, h) for i, h in enumerate(header) if h]
    width = len(header)
    for number, values in body:
        cells = [v.strip() for v in values] if text else [_cell(v) for v in values]  # type: ignore[attr-defined]
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        yield number, {h: cells[i] for i, h in columns}


def read_observations(
    path_or_bytes: str | Path | bytes,
    filename: str | None = None,
    recorded_on: date | None = None,
    catalogue: dict[str, IndicatorDef] | None = None,
    source: str = "",
) -> list[Observation]:
    """Observations from a tidy CSV, XLSX or SDMX-CSV file (detected from its content).

    ``filename`` names the file in messages (default: the path's name). Rows without a
    ``recorded_on`` cell get ``recorded_on`` (default: today); rows without a source get
    ``source``. SDMX indicator codes may be
    ITU codes from the catalogue and ``REF_AREA`` may be M49. Raises
    :class:`DataFileError` (an :class:`actionplan.errors.InputError`) listing every problem.
    """
    if isinstance(path_or_bytes, bytes):
        data = path_or_bytes
        name = filename or "data"
    else:
        path = Path(path_or_bytes)
        name = filename or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror}", where=str(path)) from exc
    vintage = recorded_on or date.today()
    catalogue = load_catalogue() if catalogue is None else catalogue
    rows_out = _Rows(name)
    xlsx = data[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx")
    if xlsx:
        header, body = _xlsx_table(data, name)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text (byte {exc.start})", where=name,
                             expected="a UTF-8 CSV or an XLSX workbook") from exc
        if not text.strip():
            raise InputError("the file is empty", where=name, expected="a header row and observations")
        sample = text[:4096]
        delimiter = ";" if sample.split("\n", 1)[0].count(";") > sample.split("\n", 1)[0].count(",") else ","
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        header = [h.strip() for h in next(reader, [])]
        body = ((number, values) for number, values in enumerate(reader, start=2))
    roles = _roles(header, rows_out)
    if roles is None:
        rows_out.raise_if_any()
        raise InputError("no usable header", where=name)
    names, sdmx = roles

    def limited() -> Iterable[tuple[int, dict[str, str]]]:
        for number, row in _table_rows(header, body, text=not xlsx):
            if number > MAX_ROWS + 1:
                rows_out.add(number, None, f"more than {MAX_ROWS} rows")
                return
            yield number, row

    observations = _convert(limited(), names, rows_out, vintage, sdmx, catalogue, source)
    rows_out.raise_if_any()
    return observations


def _xlsx_table(data: bytes, name: str) -> tuple[list[str], Iterable[tuple[int, Sequence[object]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise InputError(f"not a readable XLSX workbook ({type(exc).__name__})", where=name) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    first = next(rows, None)
    if first is None:
        raise InputError("the first sheet is empty", where=name, expected="a header row and observations")
    header = [_cell(h) for h in first]
    return header, ((number, values) for number, values in enumerate(rows, start=2))


def _number(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _tidy_row(obs: Observation) -> list[str]:
    return [obs.economy, str(obs.year), obs.indicator, _number(obs.value), obs.unit or "", ";".join(obs.flags),
            obs.source, obs.notes, obs.recorded_on.isoformat()]


def _sdmx_row(obs: Observation) -> list[str]:
    status = next((f for f in FLAG_PRIORITY if f in obs.flags), "A")
    return [SDMX_DATAFLOW, obs.economy, obs.indicator, str(obs.year), _number(obs.value), obs.unit or "", status,
            ";".join(obs.flags), obs.source, obs.notes, obs.recorded_on.isoformat()]


def write_observations(observations: Iterable[Observation], fmt: Format = "csv") -> bytes:
    """The observations as tidy CSV, XLSX or SDMX-CSV (v1) bytes; :func:`read_observations`
    reads each back to equal observations (every vintage, flags, notes and units kept).

    SDMX ``OBS_STATUS`` holds one code (the first of B, E, P, F, U, I present; A if none);
    the full set is in the ``FLAGS`` attribute column.
    """
    rows = list(observations)
    if fmt == "csv" or fmt == "sdmx-csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if fmt == "csv":
            writer.writerow(TIDY_COLUMNS)
            writer.writerows(_tidy_row(o) for o in rows)
        else:
            writer.writerow(SDMX_COLUMNS)
            writer.writerows(_sdmx_row(o) for o in rows)
        return buffer.getvalue().encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("observations")
        sheet.append(list(TIDY_COLUMNS))
        for o in rows:
            sheet.append([o.economy, o.year, o.indicator, o.value, o.unit or "", ";".join(o.flags), o.source,
                          o.notes, o.recorded_on.isoformat()])
        buffer_b = io.BytesIO()
        workbook.save(buffer_b)
        return buffer_b.getvalue()
    raise ValueError(f"unknown format {fmt!r} (expected csv, xlsx or sdmx-csv)")


class DataValidationError(ValidationError):
    """Observations were read but break the catalogue's rules; ``problems`` has every error."""

    def __init__(self, filename: str, problems: list[Problem]):
        self.problems = list(problems)
        shown = [str(p) for p in problems[:200]]
        more = f"; and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        count = len(problems)
        super().__init__(f"{count} error{'s' if count != 1 else ''} in {filename}: " + "; ".join(shown) + more)

    def __str__(self) -> str:
        return self.message


def import_observations(
    path_or_bytes: str | Path | bytes,
    filename: str | None = None,
    recorded_on: date | None = None,
    previous: Dataset | None = None,
    catalogue: dict[str, IndicatorDef] | None = None,
) -> tuple[list[Observation], list[Problem]]:
    """Read and validate a file, all or nothing: the observations and the warnings.

    Raises :class:`DataFileError` for cells that cannot be read and
    :class:`DataValidationError` (an :class:`actionplan.errors.ValidationError`) listing
    every validation error; warnings (implausible jumps against the batch itself and
    ``previous``) are returned for the caller to show.
    """
    catalogue = load_catalogue() if catalogue is None else catalogue
    name = filename or (Path(path_or_bytes).name if not isinstance(path_or_bytes, bytes) else "data")
    observations = read_observations(path_or_bytes, name, recorded_on, catalogue)
    problems = validate(observations, catalogue, previous)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DataValidationError(name, errors)
    return observations, [p for p in problems if p.severity == "warning"]
