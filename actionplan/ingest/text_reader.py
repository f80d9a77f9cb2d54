"""Read Word's plain-text export (the form of the source document) into blocks.

What Word's export does, and how it is undone here:

- tables become tab-led cells: a line starting with a tab starts a cell, following lines
  without a tab continue it, and a blank line followed by a line without a tab ends the
  table. Rows are not marked, so the column count is taken from the header row (the cells
  before the first blank line) and the cells are cut into rows of that width;
- bullets become ``•``/``·``/``○``/``-`` plus a tab or spaces (``○`` is the second level);
- bookmarks become ``[bookmark: name]`` markers, which carry no text and are dropped.

Reads: the file's bytes / Writes: ``SourceDocument.blocks`` and ``nonempty_lines``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from actionplan.errors import InputError
from actionplan.ingest.source import Cell, SourceBlock, SourceDocument, SourceText

MAX_BYTES = 50 * 1024 * 1024
"""Larger inputs are refused before decoding: no plan is anywhere near this size."""

_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_BULLET = re.compile(r"^(?P<marker>[•·○◦▪■□●\-–])(?:\t|\s+)(?P<text>\S.*)$")
_SECOND_LEVEL = {"○", "◦", "▪", "□"}


def decode_text(data: bytes, name: str) -> str:
    """Bytes to text with errors that say where and why the file is not plain UTF-8 text."""
    if len(data) > MAX_BYTES:
        raise InputError(
            f"file is {len(data) / 1e6:.1f} MB, over the {MAX_BYTES // 2**20} MiB limit",
            where=name,
            expected="an action-plan document of at most 50 MiB",
        )
    if not data.strip():
        raise InputError("file is empty", where=name, expected="the text of an action plan")
    if b"\x00" in data[:65536]:
        raise InputError(
            "file contains NUL bytes: it is binary, not text",
            where=name,
            expected="UTF-8 plain text, or a .docx file with the .docx extension",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"invalid UTF-8 at byte {exc.start}",
            where=f"{name}:{line}",
            expected="UTF-8 plain text",
        ) from None


def read_text(path: Path, data: bytes | None = None) -> SourceDocument:
    """Read a plain-text plan (UTF-8) into a block stream with line numbers."""
    raw = path.read_bytes() if data is None else data
    text = decode_text(raw, str(path))
    lines = [_BOOKMARK.sub("", ln).rstrip("\r") for ln in text.split("\n")]
    doc = SourceDocument(
        name=str(path),
        format="text",
        sha256=hashlib.sha256(raw).hexdigest(),
        blocks=[],
        nonempty_lines={i: ln.strip() for i, ln in enumerate(lines, 1) if ln.strip()},
    )
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif line.startswith("\t"):
            block, i = _read_table(lines, i)
            doc.blocks.append(block)
        else:
            doc.blocks.append(_read_line(line.strip(), i + 1))
            i += 1
    return doc


def _read_line(text: str, lineno: int) -> SourceBlock:
    m = _BULLET.match(text)
    if m:
        level = 2 if m["marker"] in _SECOND_LEVEL else 1
        return SourceBlock("item", m["text"].strip(), lineno, level=level, marker=m["marker"])
    return SourceBlock("para", text, lineno)


def _read_table(lines: list[str], start: int) -> tuple[SourceBlock, int]:
    """Collect tab-led cells from ``start``; return the table and the index after it."""
    cells: list[Cell] = []
    header_width = 0
    blank_seen = False
    i = start
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t"):
            cells.append(Cell([SourceText(line[1:].strip(), i + 1)]))
        elif not line.strip():
            if not blank_seen:
                header_width = len(cells)
            blank_seen = True
            i += 1
            continue
        elif _continues_cell(lines, i):
            cells[-1].lines.append(SourceText(line.strip(), i + 1))
        else:
            break
        i += 1
    width = max(header_width or len(cells), 1)
    for cell in cells:  # an empty cell keeps its position but holds no text line
        cell.lines = [t for t in cell.lines if t.text]
    rows = [cells[k : k + width] for k in range(0, len(cells), width)]
    return SourceBlock("table", "", start + 1, rows=rows), i


def _continues_cell(lines: list[str], i: int) -> bool:
    """A line without a tab continues a cell only if no blank line separates them."""
    return i > 0 and bool(lines[i - 1].strip())
