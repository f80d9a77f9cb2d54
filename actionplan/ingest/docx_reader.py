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

Safety: any failure is an :class:`~actionplan.errors.InputError` naming the file, one line:
files over ``MAX_FILE_BYTES`` are refused before reading; the package must be a zip with
at most ``MAX_MEMBERS`` members, each declaring at most ``MAX_PART_BYTES`` uncompressed
(``MAX_TOTAL_BYTES`` together), and none over ``RATIO_MIN_BYTES`` compressed more than
``MAX_RATIO``:1; only the XML parts needed are read (``document.xml``, ``styles.xml``,
``numbering.xml``, relationships), each at most ``MAX_XML_BYTES``, stream-read under that
cap; XML is parsed without entity resolution, network or DTD loading, with libxml2's
default limits (depth 256, no huge text nodes), and a part holding a DOCTYPE or ENTITY
declaration is refused outright; at most ``MAX_PARAGRAPHS`` paragraphs are read.

Reads: the file's bytes / Writes: ``SourceDocument.blocks`` and ``nonempty_lines``.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from lxml import etree

from actionplan.errors import InputError
from actionplan.ingest.source import BlockKind, Cell, SourceBlock, SourceDocument, SourceText

MiB = 1024 * 1024
MAX_FILE_BYTES = 50 * MiB
"""Larger files are refused before reading: no plan is anywhere near this size."""
MAX_PART_BYTES = 64 * MiB
"""Largest uncompressed size of one package member."""
MAX_TOTAL_BYTES = 256 * MiB
"""Largest uncompressed size of all members together (declared) and of the parts read."""
MAX_RATIO = 200
"""Largest compression ratio of a member over ``RATIO_MIN_BYTES`` (zip bombs)."""
RATIO_MIN_BYTES = 1 * MiB
MAX_MEMBERS = 10_000
MAX_XML_BYTES = 16 * MiB
"""Largest XML part that is parsed: bounds parse time and tree memory (a plan's
``document.xml`` is about 1 MB; 16 MiB of the smallest elements is ~2.8 M nodes)."""
MAX_PARAGRAPHS = 50_000
"""Most paragraphs read (the seed plan has about 900)."""

EXPECTED = "a Word .docx file (Office Open XML)"
MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # "Strict Open XML"
)
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LIST_STYLE = re.compile(r"^list(?: bullet| number)?(?: (\d))?$", re.IGNORECASE)
_HEADING_STYLE = re.compile(r"^heading (\d)$", re.IGNORECASE)
_BULLETS = {  # symbol-font code points Word uses for bullets -> what they look like
    "\uf0b7": "•",
    "\uf0a7": "▪",
    "\uf06e": "■",
    "\uf0a8": "◆",
    "\uf0d8": "➢",
    "\uf076": "❖",
    "\uf0fc": "✓",
    "\uf02d": "-",
    "o": "○",
}


def read_docx(path: Path, data: bytes | None = None) -> SourceDocument:
    """Read a .docx file (or its bytes, named ``path``) into blocks with paragraph positions."""
    where = str(path)
    if data is None:
        data = _read_file(path, where)
    elif len(data) > MAX_FILE_BYTES:
        _too_big(len(data), where)
    if not data:
        _fail(where, "the file is empty")
    package = _Package(data, where)
    document = package.main_document()
    ns = document.tag.partition("}")[0] + "}"
    if ns[1:-1] not in MAIN_NAMESPACES:
        _fail(where, f"{package.main} is not a WordprocessingML document ({document.tag})")
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


# --- the package: size checks, zip, safe XML ------------------------------------------


def _fail(where: str, message: str, expected: str = EXPECTED) -> NoReturn:
    raise InputError(" ".join(message.split()), where=where, expected=expected)


def _too_big(size: int, where: str) -> NoReturn:
    _fail(
        where,
        f"the file is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES // MiB} MiB limit",
        expected=f"a Word .docx file of at most {MAX_FILE_BYTES // MiB} MiB",
    )


def _read_file(path: Path, where: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            _too_big(size, where)
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        _fail(where, f"cannot read the file ({exc.strerror or exc})")
    if len(data) > MAX_FILE_BYTES:  # it grew after stat()
        _too_big(len(data), where)
    return data


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)


class _Package:
    """The zip package with its members checked and its parts read under caps."""

    def __init__(self, data: bytes, where: str):
        self.where = where
        if data.startswith(_OLE_MAGIC):
            _fail(
                where,
                "this is an OLE compound file (an old binary .doc, or a password-"
                "protected document), not a .docx; save it as .docx without a password",
            )
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (*_ZIP_ERRORS, zipfile.LargeZipFile) as exc:
            _fail(
                where,
                f"not a readable zip package ({_first_line(exc)}); the file is not "
                "a .docx, or it is truncated or corrupt",
            )
        if len(infos) > MAX_MEMBERS:
            _fail(where, f"the package has {len(infos)} members, over the limit of {MAX_MEMBERS}")
        total = 0
        for info in infos:
            size, packed = info.file_size, info.compress_size
            if size > MAX_PART_BYTES:
                _fail(
                    where,
                    f"{info.filename} would unpack to {size / MiB:.0f} MiB, over the "
                    f"{MAX_PART_BYTES // MiB} MiB limit for one part; refusing it",
                )
            if size > RATIO_MIN_BYTES and size > MAX_RATIO * max(packed, 1):
                _fail(
                    where,
                    f"{info.filename} is compressed {size / max(packed, 1):.0f}:1, "
                    f"over the {MAX_RATIO}:1 limit (a zip bomb?); refusing it",
                )
            total += size
        if total > MAX_TOTAL_BYTES:
            _fail(
                where,
                f"the package would unpack to {total / MiB:.0f} MiB, over the {MAX_TOTAL_BYTES // MiB} MiB limit",
            )
        self.names = {info.filename for info in infos}
        self.read_total = 0
        self.main = self._main_name()
        self._rels: dict[str, str] | None = None

    def _main_name(self) -> str:
        """``word/document.xml``, or wherever ``_rels/.rels`` says the main part is."""
        if "_rels/.rels" in self.names:
            for rel in self._xml("_rels/.rels").iter(f"{_RELS}Relationship"):
                target = rel.get("Target", "").lstrip("/")
                if rel.get("Type", "").endswith("/officeDocument") and target in self.names:
                    return target
        return "word/document.xml"

    def main_document(self) -> etree._Element:
        if self.main not in self.names:
            _fail(self.where, f"the package has no {self.main}, so it is not a Word document")
        return self._xml(self.main)

    def part(self, kind: str) -> etree._Element | None:
        """The main document's ``styles`` or ``numbering`` part, if it has one."""
        if self._rels is None:
            self._rels = {}
            folder, base = posixpath.split(self.main)
            rels = posixpath.join(folder, "_rels", base + ".rels")
            if rels in self.names:
                for rel in self._xml(rels).iter(f"{_RELS}Relationship"):
                    kind_ = rel.get("Type", "").rpartition("/")[2]
                    target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
                    self._rels.setdefault(kind_, target.lstrip("/"))
        name = self._rels.get(kind, f"word/{kind}.xml")
        return self._xml(name) if name in self.names else None

    def _read(self, name: str) -> bytes:
        info = self.zip.getinfo(name)
        if info.file_size > MAX_XML_BYTES:
            _fail(
                self.where,
                f"{name} is {info.file_size / MiB:.0f} MiB of XML, over the "
                f"{MAX_XML_BYTES // MiB} MiB limit for a part that is parsed",
            )
        if info.flag_bits & 0x1:
            _fail(self.where, f"{name} is encrypted; save the document without a password")
        buf = bytearray()
        try:
            with self.zip.open(info) as f:
                while chunk := f.read(MiB):
                    buf += chunk
                    self.read_total += len(chunk)
                    if len(buf) > MAX_XML_BYTES or self.read_total > MAX_TOTAL_BYTES:
                        _fail(self.where, f"{name} unpacks to more than its limit; refusing it")
        except _ZIP_ERRORS as exc:
            _fail(
                self.where,
                f"{name} cannot be unpacked ({_first_line(exc)}); the file is truncated or corrupt",
            )
        return bytes(buf)

    def _xml(self, name: str) -> etree._Element:
        raw = self._read(name)
        if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
            self._refuse_dtd(name)
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        try:
            root = etree.fromstring(raw, parser)
        except etree.XMLSyntaxError as exc:
            _fail(self.where, f"{name} is not well-formed XML ({_first_line(exc)})")
        docinfo = root.getroottree().docinfo
        if getattr(docinfo, "doctype", "") or docinfo.internalDTD is not None:
            self._refuse_dtd(name)
        return root

    def _refuse_dtd(self, name: str) -> NoReturn:
        _fail(
            self.where,
            f"{name} contains a DTD/entity declaration, which Word never writes; refusing it",
        )


# --- styles and numbering ---------------------------------------------------------------


@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    outline: int | None = None
    num_id: str | None = None
    ilvl: int | None = None


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""


@dataclass
class _Num:
    key: str  # counters are shared per abstract numbering unless the start is overridden
    levels: dict[int, _Level] = field(default_factory=dict)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class _Styles:
    def __init__(self, ns: str, root: etree._Element | None):
        self.styles: dict[str, _Style] = {}
        self.default: str | None = None
        if root is None:
            return
        val = f"{ns}val"
        for el in root.iter(f"{ns}style"):
            if el.get(f"{ns}type") != "paragraph":
                continue
            sid = el.get(f"{ns}styleId", "")
            style = _Style()
            if (name := el.find(f"{ns}name")) is not None:
                style.name = name.get(val, "")
            if (based := el.find(f"{ns}basedOn")) is not None:
                style.based_on = based.get(val)
            if (ppr := el.find(f"{ns}pPr")) is not None:
                style.outline, style.num_id, style.ilvl = _outline_and_numbering(ns, ppr)
            self.styles[sid] = style
            if el.get(f"{ns}default") in ("1", "true", "on"):
                self.default = sid

    def chain(self, style_id: str | None) -> Iterator[_Style]:
        """The style and those it is based on, nearest first (cycles cut)."""
        seen: set[str] = set()
        sid = style_id if style_id in self.styles else self.default
        while sid and sid in self.styles and sid not in seen and len(seen) < 32:
            seen.add(sid)
            yield self.styles[sid]
            sid = self.styles[sid].based_on


def _outline_and_numbering(ns: str, ppr: etree._Element) -> tuple[int | None, str | None, int | None]:
    """A ``w:pPr``'s own outline level, numbering id and numbering level."""
    val = f"{ns}val"
    outline = ppr.find(f"{ns}outlineLvl")
    num_pr = ppr.find(f"{ns}numPr")
    num_id = ilvl = None
    if num_pr is not None:
        if (n := num_pr.find(f"{ns}numId")) is not None:
            num_id = n.get(val)
        if (i := num_pr.find(f"{ns}ilvl")) is not None:
            ilvl = _int(i.get(val))
    return (_int(outline.get(val)) if outline is not None else None), num_id, ilvl


class _Numbering:
    """Just enough of ``numbering.xml`` to show the bullet or number of a list paragraph."""

    def __init__(self, ns: str, root: etree._Element | None):
        self.nums: dict[str, _Num] = {}
        self.counters: dict[str, list[int | None]] = {}
        if root is None:
            return
        val = f"{ns}val"

        def levels(parent: etree._Element) -> dict[int, _Level]:
            out: dict[int, _Level] = {}
            for lvl in parent.findall(f"{ns}lvl"):
                level = _Level()
                if (start := lvl.find(f"{ns}start")) is not None:
                    level.start = _int(start.get(val)) or 0
                if (fmt := lvl.find(f"{ns}numFmt")) is not None:
                    level.fmt = fmt.get(val, "decimal")
                if (text := lvl.find(f"{ns}lvlText")) is not None:
                    level.text = text.get(val, "")
                out[_int(lvl.get(f"{ns}ilvl")) or 0] = level
            return out

        abstract = {a.get(f"{ns}abstractNumId", ""): levels(a) for a in root.findall(f"{ns}abstractNum")}
        for num in root.findall(f"{ns}num"):
            num_id = num.get(f"{ns}numId", "")
            aid = num.find(f"{ns}abstractNumId")
            key = aid.get(val, "") if aid is not None else ""
            lv = {k: _Level(v.start, v.fmt, v.text) for k, v in abstract.get(key, {}).items()}
            for override in num.findall(f"{ns}lvlOverride"):
                ilvl = _int(override.get(f"{ns}ilvl")) or 0
                for replaced in levels(override).values():
                    lv[ilvl] = replaced
                if (start := override.find(f"{ns}startOverride")) is not None:
                    lv.setdefault(ilvl, _Level()).start = _int(start.get(val)) or 0
                    key = f"num:{num_id}"
            self.nums[num_id] = _Num(f"abstract:{key}", lv)

    def marker(self, num_id: str, ilvl: int) -> str:
        """Advance the list's counter and return what Word shows (``""`` if not derivable)."""
        num = self.nums.get(num_id)
        if num is None or not 0 <= ilvl < 9:
            return ""
        counts = self.counters.setdefault(num.key, [None] * 9)
        level = num.levels.get(ilvl, _Level())
        current = counts[ilvl]
        counts[ilvl] = level.start if current is None else current + 1
        counts[ilvl + 1 :] = [None] * (8 - ilvl)
        if level.fmt == "bullet":
            text = level.text.strip()
            if text in _BULLETS:
                return _BULLETS[text]
            return "•" if text and "\ue000" <= text[0] <= "\uf8ff" else text
        out = []
        for part in re.split(r"(%[1-9])", level.text):
            if re.fullmatch(r"%[1-9]", part):
                k = int(part[1]) - 1
                ref = num.levels.get(k, _Level())
                count = counts[k]
                formatted = _format_number(ref.start if count is None else count, ref.fmt)
                if formatted is None:
                    return ""
                part = formatted
            out.append(part)
        return "".join(out).strip()


_CN_DIGITS = "零一二三四五六七八九"


def _format_number(n: int, fmt: str) -> str | None:
    if fmt in ("decimal", "decimalZero"):
        return f"{n:02d}" if fmt == "decimalZero" and n < 10 else str(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("lowerLetter", "upperLetter") and n > 0:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        roman = ""
        for value, sym in (
            (1000, "m"),
            (900, "cm"),
            (500, "d"),
            (400, "cd"),
            (100, "c"),
            (90, "xc"),
            (50, "l"),
            (40, "xl"),
            (10, "x"),
            (9, "ix"),
            (5, "v"),
            (4, "iv"),
            (1, "i"),
        ):
            count, n = divmod(n, value)
            roman += sym * count
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt in ("chineseCounting", "chineseCountingThousand") and 0 < n < 100:
        tens, ones = divmod(n, 10)
        head = ("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else ""
        return head + (_CN_DIGITS[ones] if ones else "")
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    return None


# --- the body -----------------------------------------------------------------------------


@dataclass
class _Para:
    line: int
    text: str
    kind: BlockKind = "para"
    level: int = 1
    marker: str = ""


class _BodyReader:
    """Walks the body in document order, numbering every paragraph it meets."""

    def __init__(
        self,
        ns: str,
        styles: etree._Element | None,
        numbering: etree._Element | None,
        where: str,
    ):
        self.where = where
        w = ns
        self.w = w
        self.styles = _Styles(w, styles)
        self.numbering = _Numbering(w, numbering)
        self.count = 0
        self.nonempty: dict[int, str] = {}
        self.tabs = {f"{w}tab", f"{w}ptab"}
        self.breaks = {f"{w}br", f"{w}cr"}
        self.texts = {f"{w}t", f"{_M}t"}
        self.skip = {
            f"{w}{t}"
            for t in (
                "del",
                "moveFrom",
                "pPr",
                "rPr",
                "delText",
                "instrText",
                "delInstrText",
                "sym",
                "drawing",
                "pict",
                "object",
                "txbxContent",
                "rt",
                "sdtPr",
                "sdtEndPr",
                "fldData",
                "footnoteReference",
                "endnoteReference",
                "commentReference",
            )
        } | {f"{_MC}AlternateContent"}

    def blocks(self, body: etree._Element) -> list[SourceBlock]:
        out: list[SourceBlock] = []
        for item in self._walk(body):
            if isinstance(item, SourceBlock):
                out.append(item)
            elif item.text:
                self.nonempty[item.line] = item.text
                out.append(SourceBlock(item.kind, item.text, item.line, item.level, item.marker))
        return out

    def _flow(self, container: etree._Element) -> Iterator[etree._Element]:
        """Paragraphs and tables of a container, content controls and custom XML unwrapped."""
        w = self.w
        for child in container:
            tag = child.tag
            if tag == f"{w}p" or tag == f"{w}tbl":
                yield child
            elif tag == f"{w}sdt":
                content = child.find(f"{w}sdtContent")
                if content is not None:
                    yield from self._flow(content)
            elif tag in (f"{w}customXml", f"{w}ins", f"{w}moveTo"):
                yield from self._flow(child)
            elif tag == f"{_MC}AlternateContent":
                chosen = child.find(f"{_MC}Fallback")
                if chosen is None:
                    chosen = child.find(f"{_MC}Choice")
                if chosen is not None:
                    yield from self._flow(chosen)

    def _walk(self, container: etree._Element) -> list[_Para | SourceBlock]:
        items: list[_Para | SourceBlock] = []
        carry: tuple[int, str] | None = None  # a paragraph whose mark was deleted
        for el in self._flow(container):
            if el.tag == f"{self.w}tbl":
                if carry is not None:  # a deleted mark cannot join a paragraph to a table
                    items.append(_Para(carry[0], carry[1].strip()))
                    carry = None
                table = self._table(el)
                if table is not None:
                    items.append(table)
                continue
            line, text = self._next_line(), self._text(el)
            if carry is not None:
                line, text, carry = carry[0], carry[1] + text, None
            if self._mark_deleted(el):
                carry = (line, text)
            else:
                items.append(self._para(el, line, text.strip()))
        if carry is not None:
            items.append(_Para(carry[0], carry[1].strip()))
        return items

    def _next_line(self) -> int:
        self.count += 1
        if self.count > MAX_PARAGRAPHS:
            _fail(self.where, f"more than {MAX_PARAGRAPHS} paragraphs; no plan is that long")
        return self.count

    def _mark_deleted(self, p: etree._Element) -> bool:
        rpr = p.find(f"{self.w}pPr/{self.w}rPr")
        return rpr is not None and (rpr.find(f"{self.w}del") is not None or rpr.find(f"{self.w}moveFrom") is not None)

    def _text(self, el: etree._Element) -> str:
        out: list[str] = []
        self._collect(el, out)
        return "".join(out)

    def _collect(self, el: etree._Element, out: list[str]) -> None:
        for child in el:
            tag = child.tag
            if tag in self.texts:
                out.append(child.text or "")
            elif tag in self.tabs:
                out.append("\t")
            elif tag in self.breaks:
                out.append("\n")
            elif tag == f"{self.w}noBreakHyphen":
                out.append("-")
            elif tag not in self.skip:
                self._collect(child, out)

    def _para(self, p: etree._Element, line: int, text: str) -> _Para:
        w, val = self.w, f"{self.w}val"
        ppr = p.find(f"{w}pPr")
        own_outline, num_id, ilvl = (None, None, None)
        style_id = None
        if ppr is not None:
            own_outline, num_id, ilvl = _outline_and_numbering(w, ppr)
            if (ps := ppr.find(f"{w}pStyle")) is not None:
                style_id = ps.get(val)
        chain = list(self.styles.chain(style_id))
        outline = own_outline
        if outline is None:
            outline = next((s.outline for s in chain if s.outline is not None), None)
        if outline is None:
            names = (_HEADING_STYLE.match(s.name) for s in chain)
            outline = next((int(m[1]) - 1 for m in names if m), None)
        if num_id is None or ilvl is None:  # numbering not set on the paragraph: its style's
            num_style = next((s for s in chain if s.num_id is not None), None)
            if num_style is not None:
                num_id = num_id if num_id is not None else num_style.num_id
                ilvl = ilvl if ilvl is not None else num_style.ilvl
        list_names = [m for m in (_LIST_STYLE.match(s.name) for s in chain) if m]
        numbered = num_id is not None and num_id != "0"
        marker = ""
        if numbered and num_id is not None:
            marker = self.numbering.marker(num_id, ilvl or 0)
        if outline is not None and 0 <= outline < 9:
            return _Para(line, text, "heading", outline + 1, marker)
        if numbered or (list_names and num_id != "0"):
            # "List Bullet 2" is a one-level list of its own (ilvl 0), drawn at level 2
            named = int(list_names[0][1]) if list_names and list_names[0][1] else 1
            level = ilvl + 1 if ilvl is not None else named
            return _Para(line, text, "item", min(max(level, 1), 9), marker)
        return _Para(line, text)

    def _children(self, parent: etree._Element, local: str) -> Iterator[etree._Element]:
        """Direct ``w:<local>`` children, looking through content controls and custom XML."""
        w = self.w
        for child in parent:
            if child.tag == f"{w}{local}":
                yield child
            elif child.tag == f"{w}sdt":
                content = child.find(f"{w}sdtContent")
                if content is not None:
                    yield from self._children(content, local)
            elif child.tag == f"{w}customXml":
                yield from self._children(child, local)

    def _table(self, tbl: etree._Element) -> SourceBlock | None:
        w = self.w
        first = self.count + 1
        rows: list[list[Cell]] = []
        for tr in self._children(tbl, "tr"):
            if tr.find(f"{w}trPr/{w}del") is not None:
                for tc in self._children(tr, "tc"):
                    self._skip(tc)
                continue
            row = []
            for tc in self._children(tr, "tc"):
                if tc.find(f"{w}tcPr/{w}cellDel") is not None:
                    self._skip(tc)
                else:
                    row.append(Cell(self._cell_lines(tc)))
            if row:
                rows.append(row)
        return SourceBlock("table", "", first, rows=rows) if rows else None

    def _cell_lines(self, tc: etree._Element) -> list[SourceText]:
        lines: list[SourceText] = []
        for item in self._walk(tc):
            if isinstance(item, SourceBlock):  # a nested table: flattened into this cell
                lines.extend(t for row in item.rows for cell in row for t in cell.lines)
            elif item.text:
                text = f"{item.marker}\t{item.text}" if item.marker else item.text
                self.nonempty[item.line] = text
                lines.append(SourceText(text, item.line))
        return lines

    def _skip(self, container: etree._Element) -> None:
        """Count the paragraphs of dropped (deleted) content the way ``_walk`` would."""
        for el in self._flow(container):
            if el.tag == f"{self.w}p":
                self._next_line()
                continue
            for tr in self._children(el, "tr"):
                for tc in self._children(tr, "tc"):
                    self._skip(tc)
