"""Web benchmark: concurrent readers on output, matrix and search pages, beside a static-file ceiling.

    make bench-web        (or: .venv/bin/python benchmarks/web.py [--clients 50] [--seconds 30] [--threads 8])

What it does, all on loopback, stopping by itself:

1. imports the bundled Buenos Aires plan into a fresh temporary SQLite store and starts
   ``actionplan serve --threads 8`` on a free port (``--database-url postgresql://…``
   benchmarks a PostgreSQL store instead; the import is a no-op if the plan is there);
2. fetches every page of the mix once (each must answer 200) and saves it as a static
   HTML file, then serves those files with Python's ``http.server`` on another port: the
   ceiling, the same bytes with no Django, no database and no template behind them
   (threaded, as ``python -m http.server``, but speaking HTTP/1.1 with keep-alive, with
   TCP_NODELAY and with a listen backlog of 128 instead of 5, so that 50 clients measure
   the server rather than one-second SYN retries or delayed ACKs);
3. against each server in turn, ``--clients`` concurrent clients (threads, each with its
   own keep-alive connection) request the pages of the mix for ``--seconds`` seconds, each
   client walking the list from its own starting point;
4. prints one Rich table: requests, requests/s, p50 and p99 latency and errors (non-200
   answers and failed requests) per page type and server, and exits 1 if there were any.

The mix is every output page (``/outputs/<n>/``, all 17), the matrix pages (``/trace/``,
``/trace/sdg/9/``) and searches (``/search/?q=…``, Chinese and English queries): 25
URLs, so outputs take 17/25 of the requests. Only the HTML pages are measured, not the
scripts, styles and charts' data they load. ``http.server`` ignores query strings, so the
static copy of each search page is saved under its own file name. The load generator runs
on the same machine as the server, so on a small machine it shares the cores with it: the
figures compare the two servers under the same conditions rather than measure a deployment.
Each run is bounded: ``--seconds`` per server, at most ``--max-requests`` requests per
server, and ``--timeout`` seconds per request.
"""

from __future__ import annotations

import argparse
import functools
import http.client
import http.server
import itertools
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
from rich.console import Console
from rich.table import Table

from actionplan.data.plans import bundled_plan
from actionplan.ingest import parse_file

SEARCHES = ["跨多国陆缆", "宽带", "频谱管理", "broadband", "spectrum management", "emergency"]
MATRICES = ["/trace/", "/trace/sdg/9/"]
START_SECONDS = 90

console = Console()


@dataclass(frozen=True)
class Target:
    kind: str
    """``output``, ``matrix`` or ``search``."""
    path: str
    """Path (and query) on the application server."""
    static_path: str
    """Path of the saved copy on the static server."""


def page_mix() -> list[Target]:
    """Every output page of the bundled plan, the matrix pages and the searches."""
    numbers = [o.number for o in parse_file(bundled_plan()).all_outputs()]
    targets = [Target("output", f"/outputs/{n}/", f"/outputs/{n}/") for n in numbers]
    targets += [Target("matrix", p, p) for p in MATRICES]
    targets += [Target("search", f"/search/?q={quote(q)}", f"/search/q{i}.html") for i, q in enumerate(SEARCHES)]
    return targets


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(proc: subprocess.Popen[bytes], url: str, what: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with {proc.returncode} before answering at {url}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{what} did not answer at {url} within {START_SECONDS}s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall

    def log_message(self, format: str, *args: object) -> None:
        pass


class StaticServer(http.server.ThreadingHTTPServer):
    request_queue_size = 128


def serve_static(directory: str, port: int) -> None:
    """The ceiling's server: the files under ``directory`` on 127.0.0.1:``port``, until killed."""
    handler = functools.partial(StaticHandler, directory=directory)
    with StaticServer(("127.0.0.1", port), handler) as httpd:
        httpd.serve_forever()


def save_static(base: str, targets: list[Target], root: Path) -> None:
    """Fetch each page once from the application (it must answer 200) and save it under ``root``."""
    with httpx.Client(base_url=base, timeout=60) as client:
        for t in targets:
            r = client.get(t.path)
            if r.status_code != 200:
                raise SystemExit(f"GET {t.path} answered {r.status_code}: the page mix must be served before timing")
            rel = urlsplit(t.static_path).path.lstrip("/")
            dest = root / (rel + "index.html" if rel.endswith("/") else rel)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(r.content)


@dataclass
class Results:
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    first_error: dict[str, str] = field(default_factory=dict)


def drive(
    base: str, paths: list[tuple[str, str]], clients: int, seconds: float, max_requests: int, timeout: float
) -> Results:
    """``clients`` concurrent clients request ``paths`` ((kind, path) pairs) for ``seconds``.

    Each client is a thread with its own keep-alive connection (``http.client``), so the
    clients hold ``clients`` connections, like a pool of that size. (An ``httpx.AsyncClient``
    with a pool of 50 was tried first: on two cores it spent the whole CPU in its pool and
    could not drive more than ~60 requests/s even against static files.)
    """
    host, port = urlsplit(base).hostname or "127.0.0.1", urlsplit(base).port or 80
    per_client = [Results() for _ in range(clients)]
    budget = itertools.count()
    start = time.perf_counter()
    deadline = start + seconds

    def reader(k: int) -> None:
        res = per_client[k]
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        i = k * len(paths) // clients
        while time.perf_counter() < deadline and next(budget) < max_requests:
            kind, path = paths[i % len(paths)]
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok, why = response.status == 200, f"HTTP {response.status} for {path}"
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=timeout)
                ok, why = False, f"{type(exc).__name__} for {path}: {exc}"
            if ok:
                res.latencies[kind].append(time.perf_counter() - t0)
            else:
                res.errors[kind] += 1
                res.first_error.setdefault(kind, why)
        conn.close()

    threads = [threading.Thread(target=reader, args=(k,), daemon=True) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + timeout + 10)
    results = Results(seconds=time.perf_counter() - start)
    for res in per_client:
        for kind, lat in res.latencies.items():
            results.latencies[kind].extend(lat)
        for kind, n in res.errors.items():
            results.errors[kind] += n
        for kind, why in res.first_error.items():
            results.first_error.setdefault(kind, why)
    return results


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank ``q`` percentile (0 < q <= 100) of ``values``."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def report(runs: dict[str, Results], clients: int, seconds: float, threads: int) -> Table:
    table = Table(
        title=f"Web benchmark: {clients} concurrent clients, {seconds:g} s per server (latency in ms)",
        caption=f"actionplan: `actionplan serve --threads {threads}`; static: the same pages saved as HTML files",
    )
    for col in ("server", "pages", "requests", "req/s", "p50", "p99", "errors"):
        table.add_column(col, justify="left" if col in ("server", "pages") else "right")
    for server, res in runs.items():
        kinds = sorted(set(res.latencies) | set(res.errors))
        rows = [(k, res.latencies.get(k, []), res.errors.get(k, 0)) for k in kinds]
        everything = [x for k in kinds for x in res.latencies.get(k, [])]
        rows.append(("all", everything, sum(res.errors.values())))
        for kind, lat, errors in rows:
            done = len(lat) + errors
            table.add_row(
                server,
                kind,
                str(done),
                f"{done / res.seconds:.1f}" if res.seconds else "-",
                f"{percentile(lat, 50) * 1000:.1f}" if lat else "-",
                f"{percentile(lat, 99) * 1000:.1f}" if lat else "-",
                str(errors),
                end_section=kind == "all",
            )
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--seconds", type=float, default=30, help="seconds of load per server (default 30)")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads of `actionplan serve` (default 8)")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="cap on requests per server")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before a request counts as an error")
    parser.add_argument("--database-url", help="benchmark this store (e.g. postgresql://…) instead of a new SQLite one")
    parser.add_argument(
        "--servers", nargs="+", choices=["app", "static"], default=["app", "static"], help="which servers to load"
    )
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0:
        parser.error("--clients and --seconds must be positive")

    targets = page_mix()
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="actionplan-bench-web-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ACTIONPLAN_DATABASE")}
        env["ACTIONPLAN_HOME"] = str(Path(tmp) / "home")
        if args.database_url:
            env["ACTIONPLAN_DATABASE_URL"] = args.database_url
        cli = [sys.executable, "-m", "actionplan.cli"]
        try:
            console.print("importing the bundled plan into a fresh store …")
            subprocess.run([*cli, "import", str(bundled_plan())], env=env, check=True, capture_output=True)
            app_port, static_port = free_port(), free_port()
            serve = [*cli, "serve", "--port", str(app_port), "--threads", str(args.threads)]
            procs.append(subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            app_url = f"http://127.0.0.1:{app_port}"
            wait_until_up(procs[-1], app_url + "/", "actionplan serve")

            static_root = Path(tmp) / "static"
            console.print(f"saving {len(targets)} pages as static files …")
            save_static(app_url, targets, static_root)
            static = [sys.executable, __file__, "--serve-static", str(static_root), str(static_port)]
            procs.append(subprocess.Popen(static, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            static_url = f"http://127.0.0.1:{static_port}"
            wait_until_up(procs[-1], static_url + targets[0].static_path, "the static server")

            servers = {
                "app": ("actionplan", app_url, [(t.kind, t.path) for t in targets]),
                "static": ("static", static_url, [(t.kind, t.static_path) for t in targets]),
            }
            runs: dict[str, Results] = {}
            for key in args.servers:
                name, base, paths = servers[key]
                console.print(f"{name}: {args.clients} clients for {args.seconds:g}s …")
                runs[name] = drive(base, paths, args.clients, args.seconds, args.max_requests, args.timeout)
                for kind, why in runs[name].first_error.items():
                    console.print(f"  [yellow]first {kind} error:[/] {why}", highlight=False)
        finally:
            for proc in reversed(procs):
                stop(proc)
    console.print(report(runs, args.clients, args.seconds, args.threads))
    return 1 if any(sum(r.errors.values()) for r in runs.values()) else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve-static"]:
        serve_static(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(main())
