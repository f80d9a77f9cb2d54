"""The state the structure stages share: the block stream, a cursor, and what was used.

Each stage reads blocks through :class:`Context`, which remembers every source line that
ended up in the model. What is left at the end becomes ``Plan.not_understood``, so no
non-empty line can vanish without a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from actionplan.ingest.source import SourceBlock, SourceDocument
from actionplan.ingest.vocabulary import language_of
from actionplan.model import Block, Text, child


@dataclass
class Context:
    doc: SourceDocument
    pos: int = 0
    used: set[int] = field(default_factory=set)
    lang: str = "zh"

    # -- cursor ----------------------------------------------------------------------

    def peek(self, offset: int = 0) -> SourceBlock | None:
        i = self.pos + offset
        return self.doc.blocks[i] if i < len(self.doc.blocks) else None

    def take(self) -> SourceBlock:
        block = self.doc.blocks[self.pos]
        self.pos += 1
        self.use(block)
        return block

    def skip(self) -> SourceBlock:
        """Step over a block without using it (it will be reported as not understood)."""
        block = self.doc.blocks[self.pos]
        self.pos += 1
        return block

    def done(self) -> bool:
        return self.pos >= len(self.doc.blocks)

    def use(self, block: SourceBlock) -> None:
        self.used.update(block.lines())

    def use_line(self, line: int | None) -> None:
        if line is not None:
            self.used.add(line)

    # -- text ------------------------------------------------------------------------

    def text(self, s: str) -> Text:
        """A source string as a one-language text in the document's language."""
        s = s.strip()
        return {self.lang: s} if s else {}

    def detect_language(self) -> str:
        sample = "".join(b.text for b in self.doc.blocks[:200])
        self.lang = language_of(sample)
        return self.lang


class BlockNumberer:
    """Hands out ``para_N`` / ``item_N`` eids within one container, in order."""

    def __init__(self, parent: str):
        self.parent = parent
        self.counts: dict[str, int] = {}

    @classmethod
    def continuing(cls, parent: str, blocks: list[Block]) -> BlockNumberer:
        """A numberer that carries on after the blocks a container already holds."""
        n = cls(parent)
        for blk in blocks:
            n.counts[blk.kind] = n.counts.get(blk.kind, 0) + 1
        return n

    def block(self, ctx: Context, sb: SourceBlock, num: str | None = None, text: str | None = None) -> Block:
        kind = "item" if sb.kind == "item" else "para"
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return Block(
            eid=child(self.parent, kind, self.counts[kind]),
            kind=kind,
            level=sb.level if kind == "item" else 1,
            num=num,
            text=ctx.text(sb.text if text is None else text),
            line=sb.line,
        )
