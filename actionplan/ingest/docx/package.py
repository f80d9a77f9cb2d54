"""The ``.docx`` package as untrusted input: the zip, its members and its XML parts.

A Word file is a zip of XML written by whoever sent it, so it can be a zip bomb, a
truncated download, an old binary ``.doc`` or XML that asks for entities and DTDs. This
module is the one place that touches the file's bytes, so that every cap and every parser
option that keeps such a file from exhausting memory or reaching the network can be
checked in one place, and every refusal is the same one-line error naming the file.

Safety: any failure is an :class:`~actionplan.errors.InputError` naming the file, one line:
files over ``MAX_FILE_BYTES`` are refused before reading; the package must be a zip with
at most ``MAX_MEMBERS`` members, each declaring at most ``MAX_PART_BYTES`` uncompressed
(``MAX_TOTAL_BYTES`` together), and none over ``RATIO_MIN_BYTES`` compressed more than
``MAX_RATIO``:1; only the XML parts needed are read (``document.xml``, ``styles.xml``,
``numbering.xml``, relationships), each at most ``MAX_XML_BYTES``, stream-read under that
cap; XML is parsed without entity resolution, network or DTD loading, with libxml2's
default limits (depth 256, no huge text nodes), and a part holding a DOCTYPE or ENTITY
declaration is refused outright. (The paragraph cap, ``MAX_PARAGRAPHS``, is in :mod:`.body`.)
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple, NoReturn

from lxml import etree

from actionplan.errors import InputError

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

EXPECTED = "a Word .docx file (Office Open XML)"
MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # "Strict Open XML"
)
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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


class OpenedDocument(NamedTuple):
    """A checked Word package and its main document part: what every DOCX reader starts from."""

    package: _Package
    document: etree._Element
    ns: str
    where: str
    data: bytes


def open_document(path: Path, data: bytes | None = None) -> OpenedDocument:
    """Open a .docx (or its bytes, named ``path``) with the size, zip and XML safeguards.

    The plan importer and the tracked-changes reader both start here, so a file refused by
    one is refused by the other with the same message.
    """
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
    return OpenedDocument(package, document, ns, where, data)
