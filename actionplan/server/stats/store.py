"""The statistics store: the only module that reads or writes the ``stats`` tables.

Call :func:`actionplan.server.bootstrap.setup` first when used outside a request (the CLI
does, through ``actionplan.cli.common.store()``).

Writing (secretariat only, ``user=None`` being the command line's operator)
    :func:`import_observations` stores a file's observations, all or nothing;
    :func:`load_sample` stores the shipped SYNTHETIC sample once;
    :func:`save_framework` stores a new edition of an index framework.
Reading
    :func:`dataset` (the data as they stood on a date), :func:`observations`,
    :func:`summary`, :func:`catalogue`, :func:`indicator_counts`, :func:`batches`,
    :func:`export`, :func:`check_file`, :func:`frameworks`, :func:`framework`,
    :func:`editions`.

Indices computed on these data (rankings, uncertainty, comparisons, profiles) are in
:mod:`.results`. Datasets are cached in the process (:mod:`.cache`), keyed by the data's
state (:func:`state`: the latest batch, the last edited definition) and the vintage asked
for (:func:`effective`), so no page ever shows older data, and several server processes
stay consistent.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, Literal

import yaml
from django.db import IntegrityError, connection, transaction

from actionplan.errors import InputError, NotFoundError, StoreError, ValidationError
from actionplan.server.accounts.permissions import require_records
from actionplan.server.audit import api as audit
from actionplan.server.stats import models as m
from actionplan.server.stats.cache import cached as _cached
from actionplan.server.stats.cache import clear_caches as clear_caches
from actionplan.stats.data import Dataset, IndicatorDef, Observation, Problem, load_catalogue, validate
from actionplan.stats.framework import Framework, framework_from_dict, load_framework, shipped_frameworks
from actionplan.stats.io import DataFileError, read_observations, write_observations

Format = Literal["csv", "xlsx", "sdmx-csv"]
FORMATS: tuple[str, ...] = ("csv", "xlsx", "sdmx-csv")
SAMPLE_FILE = "sample.csv"
NAME_PATTERN = r"^[a-z0-9][a-z0-9_.-]{1,63}$"


# -- records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchInfo:
    """One import as stored: the file, its vintage date, who imported it, its warnings."""

    id: int
    filename: str
    sha256: str
    format: str
    rows: int
    unchanged: int
    recorded_on: date
    imported_at: datetime
    imported_by: str
    warnings: list[dict[str, Any]]
    sample: bool


@dataclass(frozen=True)
class FrameworkInfo:
    """A framework the pages and the API offer: shipped (edition 0) or written in the store."""

    name: str
    edition: int
    bundled: bool
    content: str
    framework: Framework
    created_by: str = ""
    created_at: datetime | None = None
    note: str = ""

    @property
    def title(self) -> str:
        return self.framework.name

    @property
    def key(self) -> str:
        """``name#edition``: what a cached result was computed with."""
        return f"{self.name}#{self.edition}"


@dataclass(frozen=True)
class Summary:
    """What the store holds: counts, the years and vintages, and whether it is the sample."""

    observations: int
    economies: int
    indicators: int
    years: list[int]
    vintages: list[date]
    batches: int
    sample_loaded: bool
    only_sample: bool


def state() -> tuple[Any, ...]:
    """The data's state: the latest batch (id and time) and the definitions' last edit.

    Part of every cache key, so an import or an edited definition gives fresh results.
    """
    last = m.ImportBatch.objects.order_by("-id").values_list("id", "imported_at").first()
    edited = m.IndicatorDefinition.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    return (last[0], last[1].isoformat()) if last else (0, ""), edited.isoformat() if edited else ""


# -- definitions -----------------------------------------------------------------------------


def _definition_row(d: IndicatorDef) -> m.IndicatorDefinition:
    return m.IndicatorDefinition(
        code=d.code, name_zh=d.name.get("zh", ""), name_en=d.name.get("en", ""), unit=d.unit,
        itu_code=d.itu_code or "", definition_en=d.definition.get("en", ""),
        definition_zh=d.definition.get("zh", ""), source=d.source, min_value=d.min, max_value=d.max,
        higher_is_better=d.higher_is_better,
    )


def ensure_definitions() -> int:
    """Add a row for every catalogue indicator not yet in the store; the number added.

    Rows already there are left as the secretariat edited them.
    """
    have = set(m.IndicatorDefinition.objects.values_list("code", flat=True))
    new = [_definition_row(d) for code, d in sorted(load_catalogue().items()) if code not in have]
    m.IndicatorDefinition.objects.bulk_create(new)
    return len(new)


def catalogue() -> dict[str, IndicatorDef]:
    """The indicator definitions in force: the shipped catalogue overlaid with the stored rows."""
    out = load_catalogue()
    for row in m.IndicatorDefinition.objects.all():
        base = out.get(row.code)
        extra = base.model_extra if base is not None and base.model_extra else {}
        out[row.code] = IndicatorDef(
            code=row.code, name={"zh": row.name_zh, "en": row.name_en}, unit=row.unit,
            itu_code=row.itu_code or None,
            definition={k: v for k, v in (("en", row.definition_en), ("zh", row.definition_zh)) if v},
            source=row.source, min=row.min_value, max=row.max_value, higher_is_better=row.higher_is_better,
            **extra,
        )
    return out


# -- reading the data ------------------------------------------------------------------------


def _observation(row: tuple[Any, ...]) -> Observation:
    economy, year, indicator, value, recorded_on, source, notes, flags, unit, batch = row
    return Observation(
        economy=economy, year=year, indicator=indicator, value=value, recorded_on=recorded_on, source=source,
        notes=notes, flags=tuple(f for f in flags.split(";") if f), unit=unit or None, origin=f"batch {batch}",
    )


def _load(as_of: date | None) -> Dataset:
    rows = m.Observation.objects.order_by().values_list(
        "economy", "year", "indicator", "value", "recorded_on", "source", "notes", "flags", "unit", "batch_id")
    if as_of is not None:
        rows = rows.filter(recorded_on__lte=as_of)
    return Dataset((_observation(r) for r in rows.iterator(chunk_size=5000)), catalogue())


def vintages() -> list[date]:
    """The distinct vintage dates stored, oldest first."""
    return _cached(("vintages", state()), lambda: sorted(
        m.Observation.objects.order_by().values_list("recorded_on", flat=True).distinct()))


def effective(as_of: date | None) -> date | None:
    """The vintage date the data as of ``as_of`` are those of: None when that is the latest.

    Every date between two vintages gives the same data, so results are cached once per
    vintage rather than once per date asked for (``date.min`` before the first vintage).
    """
    if as_of is None:
        return None
    found = vintages()
    if not found or as_of >= found[-1]:
        return None
    index = bisect.bisect_right(found, as_of)
    return found[index - 1] if index else date.min


def dataset(as_of: date | None = None) -> Dataset:
    """Every stored vintage recorded on or before ``as_of`` (all of them without it).

    ``Dataset.matrix`` and ``Dataset.series`` read the latest of these vintages, so this
    is the data as they stood on ``as_of``. Cached per data state.
    """
    as_of = effective(as_of)
    return _cached(("dataset", state(), as_of), lambda: _load(as_of))


def observations(
    economy: str | None = None,
    indicator: str | None = None,
    year: int | None = None,
    as_of: date | None = None,
    all_vintages: bool = False,
) -> list[Observation]:
    """Observations matching the filters, as they stood on ``as_of`` (one per economy/indicator/year),
    or every vintage with ``all_vintages``; ordered by indicator, economy, year, vintage."""
    as_of = effective(as_of)
    data = dataset(as_of)
    chosen = data.observations if all_vintages else _latest(data, as_of)
    found = [o for o in chosen
             if (economy is None or o.economy == economy.upper())
             and (indicator is None or o.indicator == indicator)
             and (year is None or o.year == year)]
    found.sort(key=lambda o: (o.indicator, o.economy, o.year, o.recorded_on))
    return found


def _latest(data: Dataset, as_of: date | None) -> tuple[Observation, ...]:
    return _cached(("latest", state(), as_of), lambda: data.latest().observations)


def summary(as_of: date | None = None) -> Summary:
    """Counts of what the store holds (as of a date), and whether it is the synthetic sample."""
    as_of = effective(as_of)
    def build() -> Summary:
        data = dataset(as_of)
        kinds = list(m.ImportBatch.objects.values_list("sample", flat=True))
        return Summary(
            observations=len(data), economies=len(data.economies()), indicators=len(data.indicators()),
            years=data.years(), vintages=data.vintages(), batches=len(kinds), sample_loaded=any(kinds),
            only_sample=bool(kinds) and all(kinds),
        )

    return _cached(("summary", state(), as_of), build)


def indicator_counts(as_of: date | None = None) -> list[dict[str, Any]]:
    """Per catalogue indicator: its definition, the values stored (latest vintages), economies and years."""
    as_of = effective(as_of)
    return _cached(("counts", state(), as_of), lambda: _counts(as_of))


def _counts(as_of: date | None) -> list[dict[str, Any]]:
    data = dataset(as_of)
    counts: dict[str, list[Observation]] = {}
    for obs in _latest(data, as_of):
        counts.setdefault(obs.indicator, []).append(obs)
    vintages: dict[str, int] = {}
    for obs in data.observations:
        vintages[obs.indicator] = vintages.get(obs.indicator, 0) + 1
    out = []
    for code, definition in sorted(data.catalogue.items()):
        found = counts.get(code, [])
        years = sorted({o.year for o in found})
        out.append({
            "code": code, "definition": definition, "values": len(found), "vintages": vintages.get(code, 0),
            "economies": len({o.economy for o in found}),
            "first_year": years[0] if years else None, "last_year": years[-1] if years else None,
        })
    return out


def batches() -> list[BatchInfo]:
    """Every import, newest first."""
    return [_batch_info(b) for b in m.ImportBatch.objects.order_by("-id")]


def _batch_info(b: m.ImportBatch) -> BatchInfo:
    return BatchInfo(
        id=b.pk, filename=b.filename, sha256=b.sha256, format=b.format, rows=b.rows, unchanged=b.unchanged,
        recorded_on=b.recorded_on, imported_at=b.imported_at, imported_by=b.imported_by,
        warnings=list(b.warnings or []), sample=b.sample,
    )


def export(fmt: Format = "csv", as_of: date | None = None) -> bytes:
    """The observations as a file: every vintage without ``as_of``, the state on that date with it.

    Every vintage re-imports to the same store (:func:`import_observations` keeps each
    row's ``recorded_on``).
    """
    as_of = effective(as_of)
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}", where="format", expected=", ".join(FORMATS))
    data = dataset(as_of)
    chosen = data.observations if as_of is None else _latest(data, as_of)
    rows = sorted(chosen, key=lambda o: (o.indicator, o.economy, o.year, o.recorded_on))
    return write_observations(rows, fmt)


# -- writing the data ------------------------------------------------------------------------


def file_format(data: bytes) -> str:
    """``xlsx``, ``sdmx-csv`` or ``csv``, from the content (as the reader decides)."""
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    head = data[:4096].decode("utf-8", errors="replace").split("\n", 1)[0].upper()
    return "sdmx-csv" if "OBS_VALUE" in head or "REF_AREA" in head else "csv"


def check_file(data: bytes, filename: str, recorded_on: date | None = None) -> tuple[list[Observation], list[Problem]]:
    """Read and validate a file against the store without writing: its observations and every problem.

    Problems are the reader's (raised as :class:`~actionplan.stats.io.DataFileError`),
    :func:`actionplan.stats.data.validate`'s errors and warnings (jumps against the stored
    data too), and ``conflicting-vintage`` errors: a value for an
    economy/indicator/year/date already stored with another value.
    """
    if not data:
        raise InputError("the file is empty", where=filename, expected="a header row and observations")
    cat = catalogue()
    try:
        found = read_observations(data, filename, recorded_on, cat)
    except DataFileError as exc:
        every = exc.problems + _problems_of_other_rows(data, exc, recorded_on)
        raise DataFileError(exc.filename, sorted(every, key=_row_number)) from None
    stored = dataset(None)
    problems = validate(found, cat, stored)
    problems[0:0] = _conflicts(found, stored)
    return found, problems


def _row_number(problem: str) -> int:
    """The row a problem names (0 for the header or the whole file): problems are listed in row order."""
    found = re.search(r" row (\d+)", problem)
    return int(found.group(1)) if found else 0


def _problems_of_other_rows(data: bytes, exc: DataFileError, recorded_on: date | None) -> list[str]:
    """Validation errors of the rows the reader could read, so that one report lists every problem.

    The rows the reader refused are blanked (rows keep their numbers) and the file is read
    again; nothing is added when the file cannot be re-read (a bad header, a broken workbook).
    """
    bad = {int(n) for n in re.findall(r" row (\d+)", " ".join(exc.problems))}
    try:
        rows = _table(data)
    except (InputError, UnicodeDecodeError, csv.Error):
        return []
    if not bad or not rows:
        return []
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for number, row in enumerate(rows, start=1):
        writer.writerow([] if number in bad else row)
    cat = catalogue()
    as_text = f"{exc.filename}#csv"  # read as CSV whatever the original's suffix
    try:
        found = read_observations(buffer.getvalue().encode("utf-8"), as_text, recorded_on, cat)
    except InputError:
        return []
    stored = dataset(None)
    problems = _conflicts(found, stored) + validate(found, cat, stored)
    return [str(p).replace(as_text, exc.filename) for p in problems if p.severity == "error"]


def _table(data: bytes) -> list[list[str]]:
    """A CSV file or an XLSX workbook's first sheet as rows of cell texts (header first)."""
    from actionplan.stats.io import _cell

    if data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many types for corrupt files
            raise InputError("not a readable workbook") from exc
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    return list(csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ","))


def _conflicts(found: list[Observation], stored: Dataset) -> list[Problem]:
    index = {(*o.key, o.recorded_on): o for o in stored.observations}
    out = []
    for obs in found:
        old = index.get((*obs.key, obs.recorded_on))
        if old is not None and old.value != obs.value:
            out.append(Problem(
                severity="error", rule="conflicting-vintage", where=f"{obs.origin}, column value",
                message=f"{obs.economy} {obs.indicator} {obs.year} recorded on {obs.recorded_on} is already stored "
                        f"as {old.value:g}; give the revision a later recorded_on date",
                economy=obs.economy, year=obs.year, indicator=obs.indicator))
    return out


def _new_rows(found: list[Observation], stored: Dataset) -> tuple[list[Observation], int]:
    """The observations to store, and how many are already stored unchanged.

    A value equal to the vintage stored for the same date, or to the latest vintage
    before it (same value, flags, source, notes), adds nothing to the record.
    """
    history: dict[tuple[str, str, int], list[Observation]] = {}
    for obs in stored.observations:
        history.setdefault(obs.key, []).append(obs)
    fresh: list[Observation] = []
    seen: set[tuple[Any, ...]] = set()
    unchanged = 0
    for obs in found:
        vintage = (*obs.key, obs.recorded_on)
        earlier = [o for o in history.get(obs.key, []) if o.recorded_on <= obs.recorded_on]
        before = max(earlier, key=lambda o: o.recorded_on) if earlier else None
        if vintage in seen or (before is not None and _same(before, obs)):
            unchanged += 1
            continue
        seen.add(vintage)
        fresh.append(obs)
    return fresh, unchanged


def _same(a: Observation, b: Observation) -> bool:
    return (a.value, tuple(a.flags), a.source, a.notes) == (b.value, tuple(b.flags), b.source, b.notes)


def import_observations(
    data: bytes,
    filename: str,
    user: Any,
    recorded_on: date | None = None,
    *,
    sample: bool = False,
    note: str = "",
) -> BatchInfo:
    """Store a file's observations (tidy CSV, XLSX or SDMX-CSV) as one batch, all or nothing.

    ``recorded_on`` is the vintage of rows without their own ``recorded_on`` cell (default:
    today). Any error (reader, validation, a conflicting vintage) raises
    :class:`~actionplan.stats.io.DataFileError` listing every problem with its row and
    column, and nothing is stored. Warnings (implausible jumps) are stored on the batch
    and returned. Values already stored unchanged are counted, not stored again. One
    audit entry records the batch. Secretariat only (``user=None``: the command line).
    """
    require_records(user, "import ICT statistics")
    vintage = recorded_on or date.today()
    with transaction.atomic():
        ensure_definitions()
        found, problems = check_file(data, filename, vintage)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise DataFileError(filename, [str(p) for p in errors])
        fresh, unchanged = _new_rows(found, dataset(None))
        warnings = [p.model_dump(exclude_none=True) for p in problems if p.severity == "warning"]
        batch = m.ImportBatch.objects.create(
            filename=filename, sha256=hashlib.sha256(data).hexdigest(), format=file_format(data), rows=len(fresh),
            unchanged=unchanged, recorded_on=vintage, imported_by=audit.actor_name(user) or audit.current_actor(),
            warnings=warnings, sample=sample, note=note,
        )
        try:
            _insert(fresh, batch.pk)
        except IntegrityError as exc:  # another import stored the same vintage meanwhile
            raise StoreError("an observation of this file was stored by another import meanwhile",
                             where=filename, expected="the import tried again") from exc
        audit.record(user, "import", "stats.importbatch", str(batch.pk), None, {
            "filename": filename, "sha256": batch.sha256, "format": batch.format, "rows": batch.rows,
            "unchanged": unchanged, "recorded_on": vintage, "warnings": len(warnings), "sample": sample,
        })
    return _batch_info(batch)


INSERT_COLUMNS = ("batch_id", "economy", "year", "indicator", "value", "source", "notes", "flags", "unit",
                  "recorded_on")


def _insert(rows: list[Observation], batch_id: int) -> None:
    """Insert observations with one prepared statement (``executemany``).

    Ten times faster than ``bulk_create`` for the 57,000 rows of the sample, which Django
    would convert value by value; the rows are plain values checked by the reader and
    :func:`~actionplan.stats.data.validate`. Like ``bulk_create`` it sends no signals:
    the batch's audit entry covers them.
    """
    table = m.Observation._meta.db_table
    columns = ", ".join(connection.ops.quote_name(c) for c in INSERT_COLUMNS)
    marks = ", ".join(["%s"] * len(INSERT_COLUMNS))
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) VALUES ({marks})"
    values = [(batch_id, o.economy, o.year, o.indicator, o.value, o.source, o.notes, ";".join(o.flags), o.unit or "",
               o.recorded_on) for o in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(values), 5000):
            cursor.executemany(sql, values[start:start + 5000])


def sample_bytes(economies: Iterable[str] | None = None) -> bytes:
    """The shipped SYNTHETIC sample file, optionally only some economies' rows (tests)."""
    from actionplan.stats.sample import sample_path

    data = sample_path().read_bytes()
    if economies is None:
        return data
    keep = {e.upper() for e in economies}
    lines = data.decode("utf-8").splitlines(keepends=True)
    return (lines[0] + "".join(line for line in lines[1:] if line.split(",", 1)[0] in keep)).encode("utf-8")


def load_sample(user: Any = None, economies: Iterable[str] | None = None) -> tuple[BatchInfo, bool]:
    """Store the SYNTHETIC sample unless a sample batch is stored: ``(batch, created)``.

    Idempotent: when the sample is already loaded, its batch and ``False``. The data are
    labelled as synthetic (their source, the batch's ``sample`` flag, a notice on every
    statistics page). ``economies`` limits it to those (faster tests).
    """
    existing = m.ImportBatch.objects.filter(sample=True).order_by("id").first()
    if existing is not None:
        return _batch_info(existing), False
    from actionplan.stats.sample import SOURCE

    data = sample_bytes(economies)
    info = import_observations(_with_source(data, SOURCE), SAMPLE_FILE, user, sample=True,
                               note="SYNTHETIC sample data shipped with actionplan: not real statistics")
    return info, True


def _with_source(data: bytes, source: str) -> bytes:
    """The sample leaves ``source`` out to stay small: put it back in every row."""
    lines = data.decode("utf-8").splitlines()
    quoted = '"' + source.replace('"', '""') + '"'
    return ("\n".join([lines[0] + ",source", *(f"{line},{quoted}" for line in lines[1:])]) + "\n").encode("utf-8")


# -- frameworks ------------------------------------------------------------------------------


@cache
def _bundled(name: str) -> FrameworkInfo:
    fw = load_framework(name)
    return FrameworkInfo(name=name, edition=0, bundled=True, content=_bundled_text(name), framework=fw)


def _bundled_text(name: str) -> str:
    from actionplan.stats.framework import FRAMEWORKS_DIR

    return (FRAMEWORKS_DIR / f"{name}.yaml").read_text(encoding="utf-8")


def _parse(name: str, text: str) -> Framework:
    """A framework from YAML text; its id is the name it is stored under. Errors name the field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}: line {mark.line + 1}" if mark else name
        raise InputError(f"not valid YAML ({getattr(exc, 'problem', None) or 'syntax error'})", where=where) from None
    if isinstance(data, dict):
        data = {**data, "id": name}
    return framework_from_dict(data, name)


def _stored_info(row: m.Framework) -> FrameworkInfo:
    return _cached(("framework", row.pk), lambda: FrameworkInfo(
        name=row.name, edition=row.edition, bundled=False, content=row.content,
        framework=_parse(row.name, row.content), created_by=row.created_by, created_at=row.created_at,
        note=row.note))


def frameworks() -> list[FrameworkInfo]:
    """The shipped frameworks, then the latest edition of each one written in the store."""
    out = [_bundled(name) for name in shipped_frameworks()]
    latest: dict[str, m.Framework] = {}
    for row in m.Framework.objects.order_by("name", "edition"):
        latest[row.name] = row
    return out + [_stored_info(row) for row in latest.values()]


def framework(name: str, edition: int | None = None) -> FrameworkInfo:
    """One framework by name (the latest edition, or ``edition``); NotFoundError otherwise."""
    if name in shipped_frameworks() and not edition:
        return _bundled(name)
    rows = m.Framework.objects.filter(name=name)
    row = rows.filter(edition=edition).first() if edition else rows.order_by("-edition").first()
    if row is None:
        known = [f.name for f in frameworks()]
        raise NotFoundError(f"no framework {name!r}" + (f" edition {edition}" if edition else ""),
                            where="framework", expected=", ".join(known))
    return _stored_info(row)


def editions(name: str) -> list[FrameworkInfo]:
    """Every stored edition of a framework, oldest first (empty for a shipped one)."""
    return [_stored_info(row) for row in m.Framework.objects.filter(name=name).order_by("edition")]


def save_framework(name: str, yaml_text: str, user: Any, note: str = "") -> FrameworkInfo:
    """Store ``yaml_text`` as the next edition of framework ``name`` (its id becomes ``name``).

    The text is validated by the core loader first; every problem is raised at once as a
    :class:`~actionplan.errors.ValidationError` naming the field (``nodes[1].weights: ...``).
    The shipped frameworks' names are reserved: save a changed copy under a new name
    (``idi-2017-proposed``). Secretariat only.
    """
    require_records(user, "add or edit index frameworks")
    if not re.fullmatch(NAME_PATTERN, name or ""):
        raise ValidationError(f"{name!r} is not a framework name", where="name",
                              expected="2-64 lowercase letters, digits, '-', '_' or '.', e.g. idi-2017-proposed")
    if name in shipped_frameworks():
        raise ValidationError(f"{name!r} is a shipped framework and cannot be changed", where="name",
                              expected="a new name for the changed copy, e.g. idi-2017-proposed")
    _parse(name, yaml_text)
    with transaction.atomic():
        last = m.Framework.objects.filter(name=name).order_by("-edition").values_list("edition", flat=True).first()
        row = m.Framework.objects.create(
            name=name, edition=(last or 0) + 1, content=yaml_text, note=note,
            created_by=audit.actor_name(user) or audit.current_actor())
    return _stored_info(row)
