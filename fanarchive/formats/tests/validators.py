"""Validators for the download formats, for tests: each returns the problems it found.

- EPUB: Debian's epubcheck, every book in one JVM (`EpubCheckMany.java`, run by Java's
  single-file source launcher), since starting Java costs a second or two per book.
- HTML: the WHATWG parsing rules (tinyhtml5, WeasyPrint's own HTML parser) with no
  parse error, and no link without a target (`a` without `href`, the RSC-005 of EPUBs).
- XHTML (the EPUB's content documents): lxml's XML parser, strict (no recovery).
- PDF: what a reader does to open one: the header, `startxref`, the cross-reference
  table or stream, every object where it says, and a page tree with pages.
- Text: UTF-8 without control characters.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path
from typing import Any

from lxml import etree
from tinyhtml5.parser import HTMLParser

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
_LAUNCHER = Path(__file__).with_name("EpubCheckMany.java")
_STRICT_XML = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)


def epubcheck_jar() -> Path | None:
    program = shutil.which("epubcheck")
    for candidate in (Path(program).resolve() if program else None, EPUBCHECK_JAR):
        if candidate is not None and candidate.exists():
            return candidate
    return None


def epubcheck_many(paths: list[Path]) -> list[str]:
    """epubcheck's errors and warnings for every book, from one Java process."""
    jar, java = epubcheck_jar(), shutil.which("java")
    if jar is None or java is None:
        return ["epubcheck is not installed (Debian package epubcheck: `make epubcheck`)."]
    result = subprocess.run(
        [java, "-Xss1024k", "-cp", str(jar), str(_LAUNCHER), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = (result.stdout + result.stderr).splitlines()
    problems = [line for line in report if line.startswith(("ERROR", "WARNING", "FATAL"))]
    checked = sum(line.startswith("Checking ") for line in report)
    if checked != len(paths):
        problems.append(f"epubcheck checked {checked} of {len(paths)} books:\n" + "\n".join(report))
    if result.returncode != 0 and not problems:
        problems.append("epubcheck failed:\n" + "\n".join(report))
    return problems


def _links_without_target(root: Any, namespace: str) -> list[str]:
    """`a` elements without `href` (lxml or ElementTree elements)."""
    return [
        f'a link without a target: "{"".join(a.itertext())[:80]}" {dict(a.attrib)}'
        for a in root.iter(f"{{{namespace}}}a")
        if a.get("href") is None
    ]


def html_problems(data: bytes) -> list[str]:
    parser = HTMLParser()
    root = parser.parse(data.decode("utf-8"))
    problems = [
        f"HTML parse error at line {line}, column {column}: {code} {details or ''}"
        for (line, column), code, details in parser.errors
    ]
    return problems + _links_without_target(root, "http://www.w3.org/1999/xhtml")


def xhtml_problems(data: bytes, name: str) -> list[str]:
    try:
        root = etree.fromstring(data, _STRICT_XML)
    except etree.XMLSyntaxError as error:
        return [f"{name}: not well-formed XML: {error}"]
    return [f"{name}: {p}" for p in _links_without_target(root, "http://www.w3.org/1999/xhtml")]


def epub_member_problems(data: bytes) -> list[str]:
    """Each XHTML document of an EPUB, parsed strictly as XML."""
    book = zipfile.ZipFile(io.BytesIO(data))
    return [
        problem
        for name in book.namelist()
        if name.endswith(".xhtml")
        for problem in xhtml_problems(book.read(name), name)
    ]


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_problems(data: bytes) -> list[str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return [f"not UTF-8: {error}"]
    return ["holds a control character"] if _CONTROL.search(text) else []


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_OBJECT_AT = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
_STREAM = re.compile(rb"stream\r?\n")


def _stream_at(data: bytes, offset: int) -> tuple[bytes, bytes]:
    """The dictionary and the (inflated) stream of the object at `offset`."""
    start = _STREAM.search(data, offset)
    if start is None:
        raise ValueError(f"no stream in the object at {offset}")
    dictionary = data[offset : start.start()]
    length = re.search(rb"/Length\s+(\d+)", dictionary)
    if length is None:
        raise ValueError(f"a stream without a direct /Length at {offset}")
    raw = data[start.end() : start.end() + int(length.group(1))]
    return dictionary, zlib.decompress(raw) if b"/FlateDecode" in dictionary else raw


def _xref_offsets(data: bytes, offset: int) -> tuple[list[int], list[bytes]]:
    """Offsets of the objects stored directly, and the inflated object streams."""
    if data.startswith(b"xref", offset):
        offsets = [int(m.group(1)) for m in re.finditer(rb"(\d{10}) \d{5} n", data[offset:])]
        return offsets, []
    if not _OBJECT_AT.match(data, offset):
        raise ValueError(f"startxref points at {data[offset : offset + 20]!r}")
    dictionary, table = _stream_at(data, offset)
    found_widths = re.search(rb"/W\s*\[\s*([\d\s]+)\]", dictionary)
    if found_widths is None:
        raise ValueError("a cross-reference stream without /W")
    widths = [int(w) for w in found_widths.group(1).split()]
    size = sum(widths)
    offsets, streams = [], set()
    for row in range(len(table) // size):
        fields, position = [], row * size
        for width in widths:
            fields.append(int.from_bytes(table[position : position + width], "big"))
            position += width
        kind = fields[0] if widths[0] else 1
        if kind == 1:
            offsets.append(fields[1])
        elif kind == 2:
            streams.add(fields[1])
    compressed = []
    for number in streams:
        found = re.search(rb"(?<!\d)%d 0 obj" % number, data)
        if found is None:
            raise ValueError(f"object stream {number} is missing")
        compressed.append(_stream_at(data, found.start())[1])
    return offsets, compressed


def pdf_problems(data: bytes) -> list[str]:
    if not data.startswith(b"%PDF-1."):
        return ["no PDF header"]
    end = _STARTXREF.search(data[-64:])
    if end is None:
        return ["no startxref and %%EOF at the end"]
    try:
        offsets, compressed = _xref_offsets(data, int(end.group(1)))
    except (ValueError, zlib.error) as error:
        return [f"the cross-reference section cannot be read: {error}"]
    problems = [f"no object at offset {o}" for o in offsets if not _OBJECT_AT.match(data, o)]
    counts = [
        int(m.group(1))
        for body in (data, *compressed)
        for m in re.finditer(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", body)
    ]
    counts += [
        int(m.group(1))
        for body in (data, *compressed)
        for m in re.finditer(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", body)
    ]
    if not counts or max(counts) < 1:
        problems.append("no page tree with pages")
    return problems
