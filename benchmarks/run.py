"""Benchmark: parse, lint and store the source plan and synthetic plans 10x and 100x its size.

    make bench            (or: .venv/bin/python benchmarks/run.py [--sizes 1 10 100] [--repeat 3])

The synthetic plans repeat the source's objectives section with objectives and outputs
renumbered (objective 5 is a copy of objective 1, and so on), so every stage does the work
it would do on a real, larger plan. Each stage is timed (best of --repeat runs) and the
cost per source line is printed: if it stays flat as the size grows, cost grows linearly.
The store stage writes into one fresh temporary SQLite database, each run as a new plan.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from actionplan.data.plans import bundled_plan
from actionplan.ingest import parse_bytes
from actionplan.lint import lint_plan

OBJECTIVE = re.compile(r"^(部门目标|目标)\s*(\d+)", re.M)
OUTPUT_HEADING = re.compile(r"^(输出成果|输出)(\d+)\.(\d+)\s*$", re.M)
TABLE_OUTPUT = re.compile(r"^(\t?)(\d+)\.(\d+)(\s*[-–])", re.M)
REF_NUMBERS = re.compile(r"(输出成果|输出|成果)(\d+)\.(\d+)")


def synthetic(text: str, factor: int) -> str:
    """The source with its objectives section repeated ``factor`` times, renumbered."""
    start = OBJECTIVE.search(text)
    end = text.rindex("______________")
    assert start
    head, body, tail = text[: start.start()], text[start.start() : end], text[end:]
    copies = []
    for k in range(factor):
        shift = 4 * k

        def renum(m: re.Match[str], shift: int = shift) -> str:
            return f"{m[1]}{int(m[2]) + shift}"

        def renum_out(m: re.Match[str], shift: int = shift) -> str:
            return f"{m[1]}{int(m[2]) + shift}.{m[3]}" + (m[4] if m.lastindex and m.lastindex >= 4 else "")

        part = OBJECTIVE.sub(renum, body)
        part = OUTPUT_HEADING.sub(lambda m, s=shift: f"{m[1]}{int(m[2]) + s}.{m[3]}", part)
        part = TABLE_OUTPUT.sub(renum_out, part)
        part = REF_NUMBERS.sub(lambda m, s=shift: f"{m[1]}{int(m[2]) + s}.{m[3]}", part)
        copies.append(part)
    return head + "".join(copies) + tail


def best(func, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t)
    return min(times), result


def store_seconds(plan, repeat: int, tag: str) -> float:  # type: ignore[no-untyped-def]
    """Best time to store ``plan`` as a new version; each run stores it under a fresh plan
    code, so every run really writes (an identical import would be a no-op)."""
    from actionplan.server.store import api

    results = []
    for i in range(repeat):
        copy = plan.model_copy(update={"code": f"bench-{tag}-{i}"})
        t = time.perf_counter()
        _, created = api.import_plan(copy)
        results.append(time.perf_counter() - t)
        assert created
    return min(results)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-store", action="store_true", help="skip the store stage")
    args = ap.parse_args()
    console = Console(width=150)
    source = bundled_plan().read_text(encoding="utf-8")
    table = Table(title=f"actionplan benchmark: parse, lint, store (best of {args.repeat})")
    for col in (
        "size",
        "lines",
        "outputs",
        "parse s",
        "lint s",
        "store s",
        "parse µs/line",
        "lint µs/line",
        "store µs/line",
    ):
        table.add_column(col, justify="right")
    base: dict[str, float] = {}
    tmp = tempfile.TemporaryDirectory()
    if not args.no_store:  # one fresh SQLite database for the whole run
        from actionplan.server import bootstrap

        bootstrap.setup(f"sqlite:///{tmp.name}/bench.sqlite3")
    with console.status("benchmarking…"):
        lint_plan(parse_bytes(source.encode("utf-8"), Path("warm-up.txt")))  # load registries, compile patterns
        for factor in args.sizes:
            text = synthetic(source, factor) if factor > 1 else source
            data = text.encode("utf-8")
            lines = text.count("\n") + 1
            t_parse, plan = best(lambda d=data: parse_bytes(d, Path("bench.txt")), args.repeat)
            t_lint, _ = best(lambda p=plan: lint_plan(p), args.repeat)
            t_store = float("nan") if args.no_store else store_seconds(plan, args.repeat, f"{factor}x")
            per = {k: v / lines * 1e6 for k, v in (("parse", t_parse), ("lint", t_lint), ("store", t_store))}
            base = base or per
            table.add_row(
                f"{factor}x",
                f"{lines:,}",
                str(len(plan.all_outputs())),  # type: ignore[attr-defined]
                f"{t_parse:.3f}",
                f"{t_lint:.3f}",
                f"{t_store:.3f}",
                *(f"{per[k]:.1f} ({per[k] / base[k]:.2f}x)" for k in ("parse", "lint", "store")),
            )
    console.print(table)
    console.print("µs/line in brackets is relative to the 1x run: ~1.0x at every size means linear growth.")


if __name__ == "__main__":
    sys.exit(main())
