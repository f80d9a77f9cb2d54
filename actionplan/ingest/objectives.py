"""Stage: an objective heading and its outcomes table.

The table has one row per outcome: the outcome, its performance indicators (one per
``-`` bullet) and the outputs that serve it (``1.5 - title``). Columns are found by their
labels; when the labels are wrong (an editor wrote 输出成果 over the outcome column) the
standard order outcome | indicators | outputs is used and the printed labels are kept in
``Objective.table_header`` for the linter to report.
"""

from __future__ import annotations

from actionplan.ingest import vocabulary as V
from actionplan.ingest.context import Context
from actionplan.ingest.source import Cell, SourceBlock, SourceText
from actionplan.model import Heading, Indicator, Objective, Outcome, Text, child, objective_eid


def read_objective_heading(ctx: Context) -> Objective:
    """Reads: '部门目标 1 – 协调：…' / 'Objective 1 – …'. Writes: a new Objective."""
    b = ctx.take()
    m = V.OBJECTIVE.match(b.text)
    assert m is not None
    number = int(m["num"])
    return Objective(
        eid=objective_eid(number),
        number=number,
        title=ctx.text(m["title"]),
        heading=Heading(num=m["num"], text=ctx.text(b.text), line=b.line),
        line=b.line,
    )


def read_outcomes_table(ctx: Context, objective: Objective, table: SourceBlock) -> None:
    """Reads: the outcomes table. Writes: Objective.table_header, Objective.outcomes."""
    ctx.use(table)
    rows = table.rows
    if rows and _is_header(rows[0]):
        objective.table_header = [ctx.text(_join(c.lines)) for c in rows[0]]
        rows = rows[1:]
    cols = _column_order(objective.table_header)
    for k, row in enumerate(rows, 1):
        cells = [row[i] if i < len(row) else Cell() for i in cols]
        objective.outcomes.append(_outcome(ctx, objective, k, *cells))


def _is_header(row: list[Cell]) -> bool:
    return any(V.COL_INDICATORS.search(c.text) for c in row)


def _column_order(header: list[Text]) -> tuple[int, int, int]:
    """Indices of (outcome, indicators, outputs) from the labels, else 0, 1, 2."""
    labels = [next(iter(t.values()), "") for t in header]
    ind = next((i for i, s in enumerate(labels) if V.COL_INDICATORS.search(s)), None)
    out = next((i for i, s in enumerate(labels) if "产品" in s or "product" in s.lower()), None)
    rest = [i for i in range(len(labels)) if i not in (ind, out)]
    if ind is None or out is None or len(rest) != 1:
        return 0, 1, 2
    return rest[0], ind, out


def _outcome(ctx: Context, objective: Objective, k: int, outcome: Cell, indicators: Cell, outputs: Cell) -> Outcome:
    number = f"{objective.number}.{k}"
    eid = child(objective.eid, "outcome", number)
    result = Outcome(
        eid=eid,
        number=number,
        text=ctx.text(_join(outcome.lines)),
        line=outcome.line,
    )
    for n, group in enumerate(_bullets(indicators.lines), 1):
        result.indicators.append(
            Indicator(
                eid=child(eid, "ind", n),
                number=f"{number}.{n}",
                text=ctx.text(_join(group)),
                line=group[0].line,
            )
        )
    for group in _output_lines(outputs.lines):
        m = V.TABLE_OUTPUT.match(group[0].text)
        assert m is not None
        result.outputs.append(m["num"])
        label = _join([SourceText(m["title"], group[0].line), *group[1:]])
        if label:
            result.output_labels[m["num"]] = ctx.text(label)
    return result


def _bullets(lines: list[SourceText]) -> list[list[SourceText]]:
    """Group cell lines into indicators: a '-' bullet starts one, other lines continue it."""
    groups: list[list[SourceText]] = []
    for t in lines:
        m = V.INDICATOR_MARK.match(t.text)
        if m or not groups:
            groups.append([SourceText(t.text[m.end() :] if m else t.text, t.line)])
        else:
            groups[-1].append(t)
    return [g for g in groups if _join(g)]


def _output_lines(lines: list[SourceText]) -> list[list[SourceText]]:
    groups: list[list[SourceText]] = []
    for t in lines:
        if V.TABLE_OUTPUT.match(t.text):
            groups.append([t])
        elif groups:
            groups[-1].append(t)
    return groups


def _join(lines: list[SourceText]) -> str:
    """Join wrapped lines: no space between Chinese characters, one space otherwise."""
    out = ""
    for t in lines:
        s = t.text.strip()
        if not s:
            continue
        if out and not (V.LANG_ZH.search(out[-1]) or V.LANG_ZH.search(s[0])):
            out += " "
        out += s
    return out
