"""Reading an EPUB (2 or 3): the package document, the spine and the navigation."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote

import lxml.html
from django.utils.translation import gettext as _
from lxml import etree

from fanarchive.formats.errors import ImportFailed
from fanarchive.formats.importers import htmltools
from fanarchive.formats.importers.base import Source
from fanarchive.formats.importers.zipsafe import SafeZip
from fanarchive.formats.parsed import Metadata, SeriesPart, split_tags

_XML = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)
NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}


@dataclass
class Document:
    href: str
    root: lxml.html.HtmlElement
    properties: set[str] = field(default_factory=set)
    linear: bool = True


@dataclass
class Book:
    name: str
    meta: Metadata
    documents: list[Document]
    nav_titles: dict[str, str]
    package: str
    nav_href: str | None = None


def _xml(data: bytes, label: str) -> etree._Element:
    try:
        return etree.fromstring(data, _XML)
    except etree.XMLSyntaxError as error:
        raise ImportFailed(
            label,
            _("is not well-formed XML (%(error)s).") % {"error": error.msg},
            line=error.lineno,
        ) from None


def _join(base: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(base, unquote(href.split("#", 1)[0])))


def _metadata(opf: etree._Element) -> Metadata:
    meta = Metadata()

    def texts(path: str) -> list[str]:
        return [" ".join("".join(e.itertext()).split()) for e in opf.iterfind(path, NS)]

    meta.title = (texts(".//dc:title") or [""])[0]
    meta.creators = [name for name in texts(".//dc:creator") if name]
    descriptions = ["".join(e.itertext()).strip() for e in opf.iterfind(".//dc:description", NS)]
    meta.summary = descriptions[0] if descriptions else ""
    meta.language = (texts(".//dc:language") or [""])[0]
    meta.freeforms = [t for s in texts(".//dc:subject") for t in split_tags(s)]
    series = index = None
    for element in opf.iterfind(".//opf:meta", NS):
        name, prop = element.get("name"), element.get("property")
        if name == "calibre:series":
            series = element.get("content")
        elif name == "calibre:series_index":
            index = element.get("content")
        elif prop == "belongs-to-collection" and element.text:
            series = element.text.strip()
        elif prop == "group-position" and element.text:
            index = element.text.strip()
    if series:
        try:
            part = int(float(index)) if index else None
        except ValueError:
            part = None
        meta.series = [SeriesPart(title=series, part=part)]
    return meta


def _nav_titles(zf: SafeZip, base: str, href: str, label: str) -> dict[str, str]:
    root = htmltools.parse_document(zf.read(href), label)
    titles: dict[str, str] = {}
    for nav in root.iter("nav"):
        kind = nav.get("epub:type") or nav.get("{http://www.idpf.org/2007/ops}type") or "toc"
        if "toc" not in kind:
            continue
        for link in nav.iter("a"):
            target = _join(posixpath.dirname(href), link.get("href") or "")
            titles.setdefault(target, htmltools.text_of(link))
    return titles


def _ncx_titles(zf: SafeZip, href: str, label: str) -> dict[str, str]:
    root = _xml(zf.read(href), f"{label}:{href}")
    titles: dict[str, str] = {}
    for point in root.iterfind(".//ncx:navPoint", NS):
        text = point.find("ncx:navLabel/ncx:text", NS)
        content = point.find("ncx:content", NS)
        if text is not None and content is not None:
            target = _join(posixpath.dirname(href), content.get("src") or "")
            titles.setdefault(target, " ".join("".join(text.itertext()).split()))
    return titles


@lru_cache(maxsize=4)
def open_book(source: Source) -> Book:
    name = source.name
    zf = SafeZip(source.data, name)
    if not zf.has("META-INF/container.xml"):
        raise ImportFailed(name, _("is not an EPUB: it has no META-INF/container.xml."))
    container = _xml(zf.read("META-INF/container.xml"), f"{name}:META-INF/container.xml")
    rootfile = container.find(".//c:rootfile", NS)
    opf_path = rootfile.get("full-path") if rootfile is not None else None
    if not opf_path or not zf.has(opf_path):
        raise ImportFailed(
            name,
            _("names a package document (%(path)s) that is not in the file.") % {"path": opf_path},
        )
    package_bytes = zf.read(opf_path)
    opf = _xml(package_bytes, f"{name}:{opf_path}")
    base = posixpath.dirname(opf_path)
    manifest: dict[str, tuple[str, str, set[str]]] = {}
    for item in opf.iterfind(".//opf:manifest/opf:item", NS):
        href = _join(base, item.get("href") or "")
        props = set((item.get("properties") or "").split())
        manifest[item.get("id") or ""] = (href, item.get("media-type") or "", props)
    spine = opf.find(".//opf:spine", NS)
    if spine is None:
        raise ImportFailed(
            name,
            _("has no spine in %(path)s, so its chapters cannot be found.") % {"path": opf_path},
        )
    documents: list[Document] = []
    for itemref in spine.iterfind("opf:itemref", NS):
        idref = itemref.get("idref") or ""
        if idref not in manifest:
            raise ImportFailed(
                name,
                _('the spine names "%(idref)s", which the manifest does not list.')
                % {"idref": idref},
            )
        href, _media, props = manifest[idref]
        if not zf.has(href):
            raise ImportFailed(
                name, _("the spine names %(href)s, which is not in the file.") % {"href": href}
            )
        root = htmltools.parse_document(zf.read(href), f"{name}:{href}")
        documents.append(Document(href, root, props, itemref.get("linear") != "no"))
    if not documents:
        raise ImportFailed(name, _("has an empty spine: there are no chapters to import."))
    nav_href = next((h for h, _m, p in manifest.values() if "nav" in p), None)
    titles: dict[str, str] = {}
    if nav_href and zf.has(nav_href):
        titles = _nav_titles(zf, base, nav_href, f"{name}:{nav_href}")
    toc = spine.get("toc")
    if not titles and toc in manifest and zf.has(manifest[toc][0]):
        titles = _ncx_titles(zf, manifest[toc][0], name)
    return Book(
        name=name,
        meta=_metadata(opf),
        documents=documents,
        nav_titles=titles,
        package=package_bytes.decode("utf-8", "replace"),
        nav_href=nav_href,
    )


def is_epub(source: Source) -> bool:
    return source.is_zip and (b"application/epub+zip" in source.head or source.extension == ".epub")


def book_for_sniffing(source: Source) -> Book | None:
    """The EPUB when `source` is one that opens, else None: importers sniff with this."""
    if not is_epub(source):
        return None
    try:
        return open_book(source)
    except ImportFailed:
        return None
