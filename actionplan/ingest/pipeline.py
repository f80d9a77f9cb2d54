"""One pipeline per source format, all ending in the same structure stages.

    read (text | docx)  ->  preface  ->  plan head  ->  chapters  ->  objectives & outputs
        ->  notes  ->  not-understood report  ->  plan identity  ->  shipped translations

Our own YAML/JSON exports are read straight back into the model (they *are* the model),
which is what makes ``export`` and ``parse`` round-trip exactly.
"""

from __future__ import annotations

import re
from pathlib import Path

from actionplan.errors import InputError, NotAPlanError
from actionplan.ingest import vocabulary as V
from actionplan.ingest.context import BlockNumberer, Context
from actionplan.ingest.front import read_chapters, read_plan_head, read_preface
from actionplan.ingest.objectives import read_objective_heading, read_outcomes_table
from actionplan.ingest.outputs import read_output
from actionplan.ingest.source import SourceDocument
from actionplan.ingest.structured import read_mapping, validate
from actionplan.ingest.text_reader import MAX_BYTES, read_text
from actionplan.ingest.translations import apply_shipped_translations
from actionplan.model import Plan, SourceInfo, SourceLine, Translation
from actionplan.model.schema import upgrade

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # legacy .doc: the DOCX reader explains it cannot read it
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
MODEL_SUFFIXES = {".json", ".yaml", ".yml"}

KNOWN_PLANS = {
    "布宜诺斯艾利斯行动计划": "baap",
    "Buenos Aires Action Plan": "baap",
    "基加利行动计划": "kap",
    "Kigali Action Plan": "kap",
    "迪拜行动计划": "dap",
    "Dubai Action Plan": "dap",
}


def parse_file(path: Path, *, translations: bool = True) -> Plan:
    """Read any supported plan document into the model, storing nothing."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:  # refuse before reading a byte
            raise InputError(
                f"file is {size / 1e6:.1f} MB, over the {MAX_BYTES // 2**20} MiB limit",
                where=str(path),
                expected="an action-plan document of at most 50 MiB",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", where=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory", where=str(path), expected="a file") from None
    return parse_bytes(data, path, translations=translations)


def parse_bytes(data: bytes, path: Path, *, translations: bool = True) -> Plan:
    suffix = path.suffix.lower()
    if suffix in MODEL_SUFFIXES:
        return load_model(data, path)
    if suffix in (".docx", ".doc") or data[:2] == b"PK" or data[:4] == OLE_SIGNATURE:
        from actionplan.ingest.docx_reader import read_docx

        doc = read_docx(path, data)
    elif suffix in TEXT_SUFFIXES or suffix not in MODEL_SUFFIXES:
        doc = read_text(path, data)
    plan = parse_document(doc)
    if translations:
        apply_shipped_translations(plan)
    return plan


def load_model(data: bytes, path: Path) -> Plan:
    """Our own JSON/YAML export back into the model, with errors naming the line or field."""
    expected = "an actionplan JSON/YAML export"
    raw = read_mapping(path, data, expected=expected)
    return validate(Plan, upgrade(raw, where=str(path)), path, expected=expected)


def parse_document(doc: SourceDocument) -> Plan:
    """The structure stages over a block stream from any reader."""
    ctx = Context(doc)
    ctx.detect_language()
    plan = Plan(code="", title={}, language=ctx.lang)
    plan.translations[ctx.lang] = Translation(official=True, note="the language of the source document")
    plan.preface = read_preface(ctx)
    read_plan_head(ctx, plan)
    plan.introduction = read_chapters(ctx, plan)
    _read_objectives(ctx, plan)
    _read_notes(ctx, plan)
    if not plan.objectives:
        raise NotAPlanError(
            "no objectives found: this does not look like an action plan",
            where=doc.name,
            expected="headings such as '部门目标 1 – …' or 'Objective 1 – …' followed by an outcomes table",
        )
    plan.not_understood = [
        SourceLine(line=n, text=t) for n, t in sorted(doc.nonempty_lines.items()) if n not in ctx.used
    ]
    _identify(plan, doc)
    return plan


def _read_objectives(ctx: Context, plan: Plan) -> None:
    objective = None
    while (b := ctx.peek()) is not None and not V.SEPARATOR.match(b.text):
        if b.kind in ("para", "heading") and V.OBJECTIVE.match(b.text):
            objective = read_objective_heading(ctx)
            plan.objectives.append(objective)
            if (t := ctx.peek()) is not None and t.kind == "table":
                read_outcomes_table(ctx, objective, ctx.take())
        elif objective is not None and b.kind in ("para", "heading") and V.OUTPUT.match(b.text):
            objective.outputs.append(read_output(ctx, objective))
        else:
            ctx.skip()


def _read_notes(ctx: Context, plan: Plan) -> None:
    """Footnotes after a separator line ('______') are kept as notes."""
    numberer = BlockNumberer("notes")
    while not ctx.done():
        b = ctx.take()
        if b.kind == "table":
            continue
        plan.notes.append(numberer.block(ctx, b))


def _identify(plan: Plan, doc: SourceDocument) -> None:
    """Plan code, period and source info, from the title and the text."""
    title = next(iter(plan.title.values()), "")
    plan.code = next((c for name, c in KNOWN_PLANS.items() if name in title), "") or _slug(title) or "plan"
    years = re.search(r"(20\d\d)\s*[-–—至]\s*(20\d\d)", " ".join(doc.nonempty_lines.values()))
    plan.period = f"{years[1]}-{years[2]}" if years else None
    plan.source = SourceInfo(name=Path(doc.name).name, format=doc.format, sha256=doc.sha256)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40]
