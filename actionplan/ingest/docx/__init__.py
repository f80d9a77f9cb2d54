"""Read a Word ``.docx`` file into the neutral block stream (:class:`SourceDocument`).

The package is opened with :mod:`zipfile` and its XML parsed with lxml directly (not
python-docx), so that every byte read and every parser option is under our control.

What becomes what (``word/document.xml``, body order):

- ``w:p`` is a ``heading`` when its own outline level, or its style's (following the
  ``basedOn`` chain), is 0-8 (``level`` = outline level + 1; a style named ``heading N``
  without an outline level also counts); otherwise an ``item`` when it is numbered
  (``w:numPr``, its own or its style's; ``numId`` 0 switches numbering off) or has a
  ``List``/``List Bullet``/``List Number`` style (``level`` = ``ilvl`` + 1, or the ``N`` of
  ``List Bullet N``); otherwise a ``para``. ``marker`` is the bullet or the number Word
  would show, derived from ``word/numbering.xml`` when cheap (decimal, letters, roman,
  Chinese counting, circled digits), else ``""``.
- ``w:tbl`` is a ``table``; each cell's non-empty paragraphs become its ``SourceText``
  lines. A numbered paragraph in a cell keeps its marker as ``marker + "\\t" + text`` (the
  form of Word's plain-text export), since a cell line has no marker field. Paragraphs of
  nested tables are flattened, in order, into the enclosing cell's lines.
- Content controls (``w:sdt``) and custom XML are unwrapped. Text boxes, drawings,
  headers, footers, footnotes and comments are not read.
- Text is the concatenation of ``w:t``; ``w:tab``/``w:ptab`` give ``"\\t"``, ``w:br``/``w:cr``
  ``"\\n"``; field instructions, ruby (phonetic) text and ``w:sym`` are skipped. Each
  paragraph's text is stripped; empty paragraphs produce no block and no cell line.

Tracked changes: the *accepted* view. ``w:ins`` and ``w:moveTo`` content is read;
``w:del``/``w:delText`` and ``w:moveFrom`` are skipped; a deleted paragraph mark
(``w:pPr/w:rPr/w:del`` or ``moveFrom``) joins the paragraph to the next one with no
separator, as Word does (pandoc inserts a space there); deleted table rows and cells are
dropped. Importing the changes themselves as amendments is a later stage's job.

Positions (``SourceDocument.unit == "paragraph"``): ``line`` is the 1-based ordinal of the
``w:p`` element in document order, counting **every** paragraph of the body's flow --
empty ones, those inside tables and nested tables, those inside deleted rows or entirely
deleted -- but not text-box paragraphs. Positions are therefore the same in the accepted
and in any other view of the same file. A table's ``line`` is the ordinal of its first
paragraph; paragraphs joined by a deleted mark take the first one's ordinal (and the
last one's properties, whose mark survives). ``nonempty_lines`` maps the ordinal of every
paragraph that yields text (body or cell) to exactly that text.

Safety: any failure is an :class:`~actionplan.errors.InputError` naming the file, one line.
The caps on the package and its XML are in :mod:`.package`; at most ``MAX_PARAGRAPHS``
(:mod:`.body`) paragraphs are read.

Layout: :mod:`.package` opens the zip and parses its parts safely, :mod:`.styles` resolves
styles and numbering, :mod:`.body` walks the body; :func:`read_docx` joins them.

Reads: the file's bytes / Writes: ``SourceDocument.blocks`` and ``nonempty_lines``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from actionplan.ingest.docx.body import _BodyReader
from actionplan.ingest.docx.package import _fail, open_document
from actionplan.ingest.source import SourceDocument

__all__ = ["read_docx"]


def read_docx(path: Path, data: bytes | None = None) -> SourceDocument:
    """Read a .docx file (or its bytes, named ``path``) into blocks with paragraph positions."""
    package, document, ns, where, data = open_document(path, data)
    body = document.find(f"{ns}body")
    reader = _BodyReader(ns, package.part("styles"), package.part("numbering"), where)
    try:
        blocks = reader.blocks(body) if body is not None else []
    except RecursionError:
        _fail(where, f"{package.main} nests tables or fields too deeply to read")
    return SourceDocument(
        name=where,
        format="docx",
        sha256=hashlib.sha256(data).hexdigest(),
        blocks=blocks,
        unit="paragraph",
        nonempty_lines=reader.nonempty,
    )
