"""Benchmark: the redline of the whole plan with 200 generated amendments, HTML and Word.

    make bench-redline    (or: .venv/bin/python benchmarks/redline.py [--amendments 200] [--seed 7] [--repeat 3])

The amendments are generated deterministically (``--seed``) over the bundled base plan:
word-level edits of texts spread over the whole plan (substitutions, insertions and
deletions, computed from edits as a delegate makes them), new list items and paragraph
deletions. Timed (best of ``--repeat``): our HTML redline and our tracked-changes DOCX,
and, in the same run, python-redlines (its Docxodus engine, a .NET comparer shipped in the
``python-redlines-docxodus`` wheel) comparing the base DOCX with the consolidated DOCX.
Both Word files are then read back with every change accepted; the benchmark prints
whether they accept to the same paragraphs (and to the consolidated plan's).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from rich.table import Table

from actionplan.amend import Amendment, Contribution, apply_amendments, bundled_base_path
from actionplan.amend.author import amendments_from_edit, editable_texts, element_deletion, new_element
from actionplan.amend.wordrevisions import accepted_paragraphs, read_revisions
from actionplan.ingest import parse_file
from actionplan.model import Block, Plan
from actionplan.model.plan import WorkArea
from actionplan.render.docx import render_docx
from actionplan.render.redline import render_redline_html
from actionplan.render.redline_docx import render_redline_docx

T = TypeVar("T")
WORDS = ["数字", "宽带", "包容性", "可持续", "合作", "能力建设", "网络安全", "创新", "评估"]


def generate(base: Plan, count: int, seed: int) -> list[Amendment]:
    """``count`` amendments that touch distinct elements (so none collide)."""
    rng = random.Random(seed)
    texts = [t for t in editable_texts(base, base.language) if len(t.text) >= 12 and t.field == "text"]
    rng.shuffle(texts)
    areas = [n for n in base.walk() if isinstance(n, WorkArea) and n.items]
    found: list[Amendment] = []
    used: set[str] = set()
    for t in texts:
        if len(found) >= count:
            break
        if t.eid in used:
            continue
        used.add(t.eid)
        roll = rng.random()
        if roll < 0.05 and isinstance(_node(base, t.eid), Block):
            found.append(element_deletion(base, t.eid, id=f"G{len(found) + 1}"))
            continue
        found += amendments_from_edit(
            base, t.eid, t.field, base.language, _edit(t.text, rng), prefix="G", start=len(found) + 1
        )
    for area in areas:
        if len(found) >= count:
            break
        last = area.items[-1]
        if last.eid not in used:
            text = "".join(rng.sample(WORDS, 3)) + "。"
            found.append(
                new_element(
                    base, area.eid, "items", last.eid, text, base.language, id=f"G{len(found) + 1}", kind="item"
                )
            )
    return found[:count]


def _node(plan: Plan, eid: str) -> object:
    return next(n for n in plan.walk() if n.eid == eid)


def _edit(text: str, rng: random.Random) -> str:
    """One to three edits at random places: replace, insert or delete a few characters."""
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(0, max(1, len(text) - 4))
        kind = rng.choice(["replace", "insert", "delete"])
        word = rng.choice(WORDS)
        if kind == "replace":
            text = text[:at] + word + text[at + 2 :]
        elif kind == "insert":
            text = text[:at] + word + text[at:]
        else:
            text = text[:at] + text[at + 3 :]
    return text


def best(repeat: int, func: Callable[[], T]) -> tuple[float, T]:
    times = []
    result: T | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    assert result is not None
    return min(times), result


def accepted(data: bytes, folder: Path, name: str) -> list[str]:
    path = folder / name
    path.write_bytes(data)
    return [p.strip() for p in accepted_paragraphs(read_revisions(path)) if p.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--amendments", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    console = Console()
    base = parse_file(bundled_base_path())
    amendments = generate(base, args.amendments, args.seed)
    contribution = Contribution(document="BENCH", base="baap@1", sponsors=["CHN"], amendments=amendments)
    consolidated = apply_amendments(base, amendments)
    rows: list[tuple[str, float, int]] = []
    t_html, html = best(args.repeat, lambda: render_redline_html(base, contribution))
    rows.append(("actionplan redline HTML", t_html, len(html.encode("utf-8"))))
    t_docx, ours = best(args.repeat, lambda: render_redline_docx(base, contribution))
    rows.append(("actionplan redline DOCX (tracked changes)", t_docx, len(ours)))
    original, modified = render_docx(base), render_docx(consolidated)
    theirs: bytes | None = None
    try:
        from python_redlines.engines import DocxodusEngine

        engine = DocxodusEngine()
        t_theirs, result = best(args.repeat, lambda: engine.run_redline("BENCH", original, modified))
        theirs = result[0]
        rows.append(("python-redlines (Docxodus) compare", t_theirs, len(theirs)))
    except ImportError:
        console.print("[yellow]python-redlines is not installed: pip install -e '.[bench]'[/]")
    table = Table(title=f"Redline of the whole plan, {len(amendments)} amendments (best of {args.repeat})")
    for col in ("what", "seconds", "bytes"):
        table.add_column(col, justify="right" if col != "what" else "left")
    for what, seconds, size in rows:
        table.add_row(what, f"{seconds:.3f}", f"{size:,}")
    console.print(table)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        expected = accepted(modified, folder, "consolidated.docx")
        ours_text = accepted(ours, folder, "ours.docx")
        console.print(f"ours accepts to the consolidated plan: {ours_text == expected} ({len(ours_text)} paragraphs)")
        if theirs is not None:
            theirs_text = accepted(theirs, folder, "theirs.docx")
            console.print(f"python-redlines accepts to the consolidated plan: {theirs_text == expected}")
            same = ours_text == theirs_text
            console.print(f"both accept to the same text: {same}")
            if not same:
                diff = [k for k, (a, b) in enumerate(zip(ours_text, theirs_text, strict=False)) if a != b]
                console.print(f"  first differing paragraphs: {diff[:5]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
