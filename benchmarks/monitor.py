"""Benchmark: indicator computation over a million participants on SQLite, PostgreSQL and DuckDB.

    make bench-monitor    (or: .venv/bin/python benchmarks/monitor.py [--participants 1000000]
                           [--events 50000] [--dims "" sex region group] [--postgres URL | --no-postgres]
                           [--keep DIR] [--quick])
    make bench-monitor BENCH_ARGS=--quick     (a smoke run: 50,000 participants, 2,500 events)

Not a timed test: it prints figures. The deterministic demo generator
(``actionplan.monitor.demo.stream``, ``--seed``) produces the monitoring records once:
``--participants`` distinct people (each attends 1-6 events, so there are about 2.1 times
as many participation rows; the count is printed), ``--events`` events, and assistance,
publications and partnerships in the demo's proportions to the events (1.5, 0.3 and 0.3
per event unless given). The rows stream, in batches of ``--batch``, into three fresh
databases at once, so generation happens once and no engine waits for another's data:

- SQLite: a file in a temporary directory (``--keep DIR`` puts it and DuckDB's there and keeps
  them, for EXPLAIN), ``executemany`` (``schema.insert_rows``), one transaction;
- PostgreSQL: a schema of its own (dropped at the end) on ``--postgres`` URL, else
  ``$ACTIONPLAN_TEST_POSTGRES_URL``, else a throwaway server started with
  ``scripts/start-postgres`` in ``/tmp/actionplan-bench-pg`` on port 54339 (``$ACTIONPLAN_PG_DIR``
  and ``$ACTIONPLAN_PG_PORT`` override; stopped again at the end); loaded with ``COPY``
  (psycopg's ``cursor.copy``); skipped with the reason when there is no server;
- DuckDB: a file in a temporary directory, loaded through ``schema.insert_rows`` (CSV batches
  and ``COPY``), the reference the others are held to.

The tables are created without their secondary indexes; after loading, each engine gets the
same indexes (``schema.INDEXES``) and ``ANALYZE``. Load time (the engine's own insert calls)
and index time are printed apart from generation time and from computation.

Computation: ``compute()`` of all bundled indicator definitions for the plan years, once per
disaggregation in ``--dims`` ("" is the totals), each engine in a fresh child process run
one after the other (so no engine competes with another for the CPUs or inherits its
caches). Printed per engine: seconds per disaggregation and in all, the number of values,
and the child's peak resident memory above what it used before computing (Linux's VmHWM,
reset through /proc/self/clear_refs; ``ru_maxrss`` elsewhere). SQLite and DuckDB compute
inside that process, so their memory is in the figure; PostgreSQL computes in its server
processes, whose memory is NOT in it (the figure is then the client's: fetched rows and
Value objects). Finally the three sorted Value lists are compared and the benchmark prints
whether they agree, with the first differing value if not.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from actionplan.monitor import demo
from actionplan.monitor.compute import compute
from actionplan.monitor.definitions import bundled_indicator_set
from actionplan.monitor.schema import TABLES, Dialect, ddl, insert_rows
from actionplan.monitor.values import Value

ROOT = Path(__file__).resolve().parent.parent
PRIMARY = ("monitor_event", "monitor_participant", "monitor_assistance", "monitor_publication", "monitor_partnership")
"""The tables whose rows the progress bar counts (the others follow from these)."""
PG_SCHEMA = f"bench_monitor_{os.getpid()}"
MB = 1024 * 1024


# -- memory -------------------------------------------------------------------------------------


def _status_kb(field_name: str) -> int | None:
    """A ``/proc/self/status`` figure in kB (VmRSS, VmHWM), None off Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False when not possible."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


class PeakMemory:
    """Peak resident memory of this process above its level at ``start()``, in bytes."""

    def __init__(self) -> None:
        self.reset = False
        self.before = 0

    def start(self) -> None:
        self.reset = _reset_peak()
        if self.reset:
            self.before = (_status_kb("VmRSS") or 0) * 1024
        else:
            self.before = _maxrss()

    def delta(self) -> tuple[int, int]:
        """(peak above the start, absolute peak), bytes."""
        peak = (_status_kb("VmHWM") or 0) * 1024 if self.reset else _maxrss()
        return max(0, peak - self.before), peak


def _maxrss() -> int:
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage if sys.platform == "darwin" else usage * 1024


# -- engines -----------------------------------------------------------------------------------


@dataclass
class Engine:
    """One database being loaded: its connection, what it took, where its data lives."""

    name: str
    dialect: Dialect
    target: str
    connection: Any
    cursor: Any
    load_seconds: float = 0.0
    index_seconds: float = 0.0
    size_bytes: int | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def insert(self, table: str, chunk: list[dict[str, Any]]) -> None:
        start = time.perf_counter()
        if self.dialect == "postgresql":
            columns = [name for name, _ in TABLES[table]]
            with self.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in chunk:
                    copy.write_row([row.get(c) for c in columns])
        else:
            insert_rows(self.cursor, self.dialect, table, chunk, batch=len(chunk))
        self.load_seconds += time.perf_counter() - start
        self.counts[table] = self.counts.get(table, 0) + len(chunk)

    def finish_load(self) -> None:
        """Commit the data, then create the secondary indexes and gather statistics."""
        start = time.perf_counter()
        if self.dialect != "duckdb":
            self.connection.commit()
        self.load_seconds += time.perf_counter() - start
        start = time.perf_counter()
        for statement in ddl(self.dialect):
            if statement.startswith("CREATE INDEX"):
                self.cursor.execute(statement)
        self.cursor.execute("ANALYZE")
        if self.dialect != "duckdb":
            self.connection.commit()
        self.index_seconds = time.perf_counter() - start
        if self.dialect == "postgresql":
            self.cursor.execute(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'",
                [PG_SCHEMA],
            )
            self.size_bytes = int(self.cursor.fetchone()[0] or 0)
            self.connection.commit()
            self.connection.close()
        else:
            if self.dialect == "duckdb":
                self.cursor.execute("CHECKPOINT")
            self.connection.close()
            self.size_bytes = Path(self.target).stat().st_size


def _create_tables(cursor: Any, dialect: Dialect) -> None:
    for statement in ddl(dialect):
        if statement.startswith("CREATE TABLE"):
            cursor.execute(statement)


def sqlite_engine(folder: Path) -> Engine:
    path = str(folder / "monitor.sqlite3")
    connection = sqlite3.connect(path)
    cursor = connection.cursor()
    _create_tables(cursor, "sqlite")
    return Engine("SQLite", "sqlite", path, connection, cursor)


def duckdb_engine(folder: Path) -> Engine:
    import duckdb

    path = str(folder / "monitor.duckdb")
    connection = duckdb.connect(path)
    cursor = connection.cursor()
    _create_tables(cursor, "duckdb")
    return Engine("DuckDB", "duckdb", path, connection, cursor)


def postgres_engine(url: str) -> Engine:
    import psycopg

    connection = psycopg.connect(url)
    cursor = connection.cursor()
    cursor.execute(f"CREATE SCHEMA {PG_SCHEMA}")
    cursor.execute(f"SET search_path TO {PG_SCHEMA}")
    _create_tables(cursor, "postgresql")
    connection.commit()
    return Engine("PostgreSQL", "postgresql", url, connection, cursor)


def drop_postgres_schema(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")


@contextmanager
def postgres_url(given: str | None, console: Console) -> Iterator[tuple[str | None, str]]:
    """(URL or None, how it was found or why there is none); stops a server started here."""
    url = given or os.environ.get("ACTIONPLAN_TEST_POSTGRES_URL")
    if url:
        yield url, "given" if given else "$ACTIONPLAN_TEST_POSTGRES_URL"
        return
    if os.name != "posix" or os.geteuid() != 0:
        yield None, "no --postgres URL and not root, so scripts/start-postgres cannot start one"
        return
    env = dict(os.environ)
    env.setdefault("ACTIONPLAN_PG_DIR", "/tmp/actionplan-bench-pg")
    env.setdefault("ACTIONPLAN_PG_PORT", "54339")
    env.setdefault("ACTIONPLAN_PG_DB", "actionplan_bench")
    script = str(ROOT / "scripts" / "start-postgres")
    with console.status("starting PostgreSQL (scripts/start-postgres)…"):
        done = subprocess.run([script], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
        yield None, f"scripts/start-postgres failed: {reason}"
        return
    started = "starting on" in done.stderr
    try:
        yield done.stdout.strip(), f"scripts/start-postgres in {env['ACTIONPLAN_PG_DIR']}"
    finally:
        if started:
            subprocess.run([script, "--stop"], env=env, capture_output=True, check=False)


# -- generation and loading ------------------------------------------------------------------


def load_all(
    engines: Sequence[Engine], stream: Iterator[tuple[str, dict[str, Any]]], batch: int, progress: Progress, total: int
) -> float:
    """Stream rows into every engine in per-table batches; returns the wall time of the whole pass."""
    task = progress.add_task("generate + load", total=total)
    pending: dict[str, list[dict[str, Any]]] = {}
    start = time.perf_counter()
    seen = 0
    for table, row in stream:
        chunk = pending.setdefault(table, [])
        chunk.append(row)
        if table in PRIMARY:
            seen += 1
            if seen % 5000 == 0:
                progress.update(task, completed=seen)
        if len(chunk) >= batch:
            for engine in engines:
                engine.insert(table, chunk)
            pending[table] = []
    for table, chunk in pending.items():
        if chunk:
            for engine in engines:
                engine.insert(table, chunk)
    progress.update(task, completed=total)
    index_task = progress.add_task("commit, indexes, ANALYZE", total=len(engines))
    for engine in engines:
        engine.finish_load()
        progress.advance(index_task)
    return time.perf_counter() - start


# -- computation (in a child process per engine) ----------------------------------------------


def child(engine: str, target: str, schema: str, out: str, dims: list[str], years: list[int]) -> int:
    """Compute every bundled definition for each ``dims`` entry; JSON lines to stdout, values to ``out``."""
    definitions = bundled_indicator_set().indicators
    dialect: Dialect
    connection: Any
    if engine == "sqlite":
        dialect, connection = "sqlite", sqlite3.connect(target)
        cursor = connection.cursor()
    elif engine == "duckdb":
        import duckdb

        dialect, connection = "duckdb", duckdb.connect(target, read_only=True)
        cursor = connection.cursor()
    else:
        import psycopg

        dialect, connection = "postgresql", psycopg.connect(target)
        cursor = connection.cursor()
        cursor.execute(f"SET search_path TO {schema}")
    memory = PeakMemory()
    memory.start()
    values: list[Value] = []
    for spec in dims:
        start = time.perf_counter()
        found = compute(definitions, cursor, dialect, years, (spec,))
        seconds = time.perf_counter() - start
        values += found
        print(json.dumps({"dims": spec, "seconds": seconds, "values": len(found)}), flush=True)
    above, peak = memory.delta()
    print(json.dumps({"peak_above": above, "peak": peak, "definitions": len(definitions)}), flush=True)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump([v.model_dump() for v in values], handle)
    connection.close()
    return 0


@dataclass
class Computed:
    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    peak_above: int = 0
    peak: int = 0
    definitions: int = 0
    values: list[Value] = field(default_factory=list)
    error: str = ""


def run_child(engine: Engine, folder: Path, dims: list[str], years: list[int], advance: Callable[[], None]) -> Computed:
    out = folder / f"values-{engine.dialect}.json"
    command = [
        sys.executable,
        __file__,
        "--child",
        engine.dialect,
        engine.target,
        PG_SCHEMA,
        str(out),
        "--dims",
        *dims,
        "--years",
        *map(str, years),
    ]
    result = Computed()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        for line in proc.stdout:
            item = json.loads(line)
            if "dims" in item:
                result.seconds[item["dims"]] = item["seconds"]
                result.counts[item["dims"]] = item["values"]
                advance()
            else:
                result.peak_above, result.peak = item["peak_above"], item["peak"]
                result.definitions = item["definitions"]
        error = proc.stderr.read()
    if proc.returncode != 0:
        result.error = (error.strip().splitlines() or ["failed"])[-1]
        return result
    result.values = [Value(**v) for v in json.loads(out.read_text(encoding="utf-8"))]
    return result


# -- comparison ---------------------------------------------------------------------------------


def _show(v: Value | None) -> str:
    if v is None:
        return "missing"
    return f"value={v.value!r} numerator={v.numerator!r} denominator={v.denominator!r}"


def first_difference(reference: list[Value], other: list[Value]) -> str | None:
    """None when the lists are equal, else a description of the first difference."""
    ref = {v.key(): v for v in reference}
    oth = {v.key(): v for v in other}
    for key in sorted(ref.keys() | oth.keys()):
        a, b = ref.get(key), oth.get(key)
        if a != b:
            indicator, series, year, dims = key
            where = f"{indicator}{'/' + series if series else ''} {year} {dict(dims) or 'total'}"
            return f"{where}: reference {_show(a)}; this engine {_show(b)}"
    if len(reference) != len(other):
        return f"{len(reference)} values against {len(other)} (duplicate keys)"
    return None


# -- main -----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--assistance", type=int, help="default: 1.5 per event")
    parser.add_argument("--publications", type=int, help="default: 0.3 per event")
    parser.add_argument("--partnerships", type=int, help="default: 0.3 per event")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 50,000 participants, 2,500 events")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--dims", nargs="+", default=["", "sex", "region", "group"], help='"" is the totals')
    parser.add_argument("--years", type=int, nargs="+", default=[2018, 2019, 2020, 2021])
    parser.add_argument("--batch", type=int, default=50_000, help="rows per insert batch")
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL to use (a schema of its own, dropped after)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite and DuckDB only")
    parser.add_argument("--keep", metavar="DIR", help="write the SQLite and DuckDB files to DIR and keep them")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        engine, target, schema, out = args.child
        return child(engine, target, schema, out, args.dims, args.years)
    if args.quick:
        args.participants, args.events = 50_000, 2_500
    assistance = args.assistance if args.assistance is not None else args.events * 3 // 2
    publications = args.publications if args.publications is not None else args.events * 3 // 10
    partnerships = args.partnerships if args.partnerships is not None else args.events * 3 // 10
    console = Console(width=150)
    dims = list(args.dims)
    with ExitStack() as stack:
        if args.keep:
            folder = Path(args.keep)
            folder.mkdir(parents=True, exist_ok=True)
            for old in ("monitor.sqlite3", "monitor.duckdb", "monitor.duckdb.wal"):
                (folder / old).unlink(missing_ok=True)
        else:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-monitor-")))
        engines = [sqlite_engine(folder)]
        pg_note = "skipped: --no-postgres"
        if not args.no_postgres:
            url, how = stack.enter_context(postgres_url(args.postgres, console))
            if url is None:
                pg_note = f"skipped: {how}"
            else:
                try:
                    engines.append(postgres_engine(url))
                    stack.callback(drop_postgres_schema, url)
                    pg_note = f"{how}; schema {PG_SCHEMA} (dropped at the end)"
                except Exception as error:  # any connection failure means: skip it
                    pg_note = f"skipped: cannot use {url}: {error}".splitlines()[0]
        try:
            engines.append(duckdb_engine(folder))
        except ImportError:
            console.print("[red]DuckDB is not installed: it is the reference, so nothing can be compared[/]")
            return 1
        console.print(f"PostgreSQL: {pg_note}")
        memory = PeakMemory()
        memory.start()
        stream = demo.stream(args.seed, args.events, args.participants, assistance, publications, partnerships)
        total = args.events + args.participants + assistance + publications + partnerships
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as progress:
            wall = load_all(engines, stream, args.batch, progress, total)
            load_peak, _ = memory.delta()
            results: dict[str, Computed] = {}
            for engine in engines:
                task = progress.add_task(f"compute on {engine.name}", total=len(dims))
                results[engine.name] = run_child(engine, folder, dims, args.years, partial(progress.advance, task))
        counts = engines[0].counts
        generation = wall - sum(e.load_seconds + e.index_seconds for e in engines)
        rows = Table(title=f"Generated rows (seed {args.seed})")
        rows.add_column("table")
        rows.add_column("rows", justify="right")
        for name in TABLES:
            rows.add_row(name, f"{counts.get(name, 0):,}")
        console.print(rows)
        console.print(
            f"{args.participants:,} distinct participants, {counts.get('monitor_participation', 0):,} participations "
            f"({counts.get('monitor_participation', 0) / max(1, args.participants):.2f} per person), "
            f"{args.events:,} events. Generation (Python, once for all engines): {generation:.1f} s; "
            f"loading process peak memory above its start: {load_peak / MB:,.0f} MB (all engines' loaders together)."
        )
        definitions = next((r.definitions for r in results.values() if r.definitions), 0)
        labels = [f"{d or 'totals'} s" for d in dims]
        table = Table(
            title=f"compute() of {definitions} bundled definitions, years {args.years[0]}-{args.years[-1]}, "
            f"{counts.get('monitor_participation', 0):,} participations"
        )
        for col in ("engine", "load s", "index s", "size MB", *labels, "compute s", "values", "peak MB", "note"):
            table.add_column(col, justify="left" if col in ("engine", "note") else "right")
        reference = results[engines[-1].name]
        agreement: list[str] = []
        for engine in engines:
            result = results[engine.name]
            if result.error:
                note = f"failed: {result.error}"
            elif engine.dialect == "duckdb":
                note = "reference"
            else:
                diff = first_difference(reference.values, result.values)
                note = "agrees" if diff is None else "DISAGREES"
                if diff is not None:
                    agreement.append(f"{engine.name} differs from DuckDB, first at {diff}")
            if engine.dialect == "postgresql":
                note += "; server memory not counted"
            table.add_row(
                engine.name,
                f"{engine.load_seconds:.1f}",
                f"{engine.index_seconds:.1f}",
                f"{(engine.size_bytes or 0) / MB:,.0f}",
                *(f"{result.seconds[d]:.2f}" if d in result.seconds else "-" for d in dims),
                f"{sum(result.seconds.values()):.2f}",
                f"{len(result.values):,}",
                f"{result.peak_above / MB:,.0f}",
                note,
            )
        console.print(table)
        console.print(
            "load s: the engine's own insert calls and commit (SQLite executemany, PostgreSQL COPY, "
            "DuckDB CSV + COPY); "
            "index s: the secondary indexes and ANALYZE; peak MB: the computing process's peak resident memory "
            "above its level before computing."
        )
        ok = not agreement and all(not r.error for r in results.values())
        if ok:
            console.print(f"All {len(engines)} engines give the same {len(reference.values):,} values.")
        for line in agreement:
            console.print(f"[red]{line}[/]")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
