"""The neutral block stream every reader produces and every structure stage consumes.

Readers (plain text, DOCX, ...) turn a file into a :class:`SourceDocument`: an ordered
list of :class:`SourceBlock` (paragraph, list item, heading, table), each with the source
position it came from. The structure stages never see the file format, so one pipeline
understands a plan whether it came from Word or from Word's plain-text export.

Positions are 1-based "lines": real line numbers for text input, paragraph ordinals
(counting table-cell paragraphs) for DOCX. ``SourceDocument.unit`` says which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["para", "item", "heading", "table"]


@dataclass
class SourceText:
    """One line (or one Word paragraph) of text with its position."""

    text: str
    line: int


@dataclass
class Cell:
    """A table cell: its lines (paragraphs) in order."""

    lines: list[SourceText] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(t.text for t in self.lines).strip()

    @property
    def line(self) -> int | None:
        return self.lines[0].line if self.lines else None


@dataclass
class SourceBlock:
    """A paragraph, list item, heading or table of the source.

    ``level`` is the nesting level of a list item, or the outline level of a heading
    (1 = top). A ``heading`` is only produced when the source itself says so (a Word
    heading style or outline level); plain text yields paragraphs and the stages decide.
    ``marker`` keeps a bullet or number the reader stripped (``•``, ``○``, ``1、``).
    """

    kind: BlockKind
    text: str = ""
    line: int = 0
    level: int = 1
    marker: str = ""
    rows: list[list[Cell]] = field(default_factory=list)

    def lines(self) -> list[int]:
        """Every source position this block covers (for the nothing-is-lost check)."""
        if self.kind != "table":
            return [self.line]
        return [t.line for row in self.rows for cell in row for t in cell.lines]


@dataclass
class SourceDocument:
    """A file read into blocks, plus what is needed to name positions in errors."""

    name: str
    format: Literal["text", "docx"]
    sha256: str
    blocks: list[SourceBlock]
    unit: Literal["line", "paragraph"] = "line"
    nonempty_lines: dict[int, str] = field(default_factory=dict)

    def where(self, line: int | None) -> str:
        """``file:line`` (or ``file:paragraph N``) for messages."""
        if line is None:
            return self.name
        return f"{self.name}:{line}" if self.unit == "line" else f"{self.name}:¶{line}"
