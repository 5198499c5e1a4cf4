"""Sanitised work HTML to XHTML that EPUB 3 readers and epubcheck accept.

The archive keeps AO3's allowlist, which has elements and attributes HTML5 made
obsolete (center, big, tt, align=...). They become classes; links that lead
nowhere inside the book (relative ones, named anchors, anchors without a target) and
remote images (not allowed in EPUB) are turned into plain text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.html
from django.utils.translation import gettext as _
from lxml import etree

_RENAME = {"center": ("div", "center"), "big": ("span", "big"), "tt": ("code", "")}
_RENAME_PLAIN = {"strike": "s", "acronym": "abbr"}
_OBSOLETE = {
    "*": {"align"},
    "table": {"border", "summary", "width"},
    "td": {"abbr", "axis", "height", "width"},
    "th": {"axis", "height", "width"},
    "col": {"width"},
    "colgroup": {"width"},
    "hr": {"width"},
    "img": {"border", "align"},
    "a": {"name"},
    "ul": {"type"},
}
_LINK_SCHEMES = {"http", "https", "mailto", "ftp"}
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _add_class(element: lxml.html.HtmlElement, name: str) -> None:
    current = element.get("class", "")
    element.set("class", f"{current} {name}".strip())


def _clean(element: lxml.html.HtmlElement) -> None:
    tag = element.tag
    if tag in _RENAME:
        element.tag, css = _RENAME[tag]
        if css:
            _add_class(element, css)
    elif tag in _RENAME_PLAIN:
        element.tag = _RENAME_PLAIN[tag]
    align = element.get("align")
    if align and re.fullmatch(r"[a-z]+", align.lower()):
        _add_class(element, f"align-{align.lower()}")
    for attribute in _OBSOLETE["*"] | _OBSOLETE.get(str(tag), set()):
        element.attrib.pop(attribute, None)
    if tag == "img":
        for size in ("width", "height"):
            if not (element.get(size) or "").isdigit():
                element.attrib.pop(size, None)
    if tag == "a":
        href = element.get("href")
        if href is not None and urlsplit(href.strip()).scheme.lower() not in _LINK_SCHEMES:
            del element.attrib["href"]


def _drop_remote_images(root: lxml.html.HtmlElement) -> None:
    for image in list(root.iter("img")):
        alt = image.get("alt") or ""
        replacement = lxml.html.Element("span")
        replacement.set("class", "image")
        replacement.text = (
            _("[image: %(description)s]") % {"description": alt} if alt else _("[image]")
        )
        replacement.tail = image.tail
        image.getparent().replace(image, replacement)


def _unwrap_anchors_without_target(root: lxml.html.HtmlElement) -> None:
    """An `a` left without href (a relative link, a named anchor, or text stored before
    the sanitiser unwrapped emptied anchors) is no link: its text stays, the tag goes,
    since EPUB requires href on `a` (epubcheck's RSC-005)."""
    for anchor in [a for a in root.iter("a") if a.get("href") is None]:
        anchor.drop_tag()


def to_xhtml(fragment: str) -> str:
    """An HTML fragment as well-formed XHTML for an EPUB content document."""
    fragment = _NOT_XML.sub("", fragment)
    if not fragment.strip():
        return ""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    _drop_remote_images(root)
    for element in root.iter():
        if isinstance(element.tag, str):
            _clean(element)
    _unwrap_anchors_without_target(root)
    parts = [escape_text(root.text or "")]
    for child in root:
        parts.append(etree.tostring(child, method="xml", encoding="unicode", with_tail=True))
    return "".join(parts)


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
