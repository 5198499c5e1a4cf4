"""Small helpers over lxml.html for the HTML and EPUB importers."""

from __future__ import annotations

import re

import lxml.html
from django.utils.translation import gettext as _
from lxml import etree

from fanarchive.formats.decode import decode_text
from fanarchive.formats.errors import ImportFailed
from fanarchive.formats.importers import reflow

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding=["']([\w-]+)""", re.IGNORECASE)
# Dropped before anything is read out of a page: never content.
_NEVER_CONTENT = ("script", "style", "noscript", "template", "iframe", "object", "embed")


def declared_charset(data: bytes) -> str | None:
    match = _XML_ENCODING.search(data[:1024]) or _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def parse_document(data: bytes, name: str) -> lxml.html.HtmlElement:
    """A page's tree, with scripts and styles gone; ImportFailed when it is not HTML."""
    text = decode_text(data, name, declared=declared_charset(data))
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ImportFailed(
            name, _("is not readable HTML (%(error)s).") % {"error": error}
        ) from None
    # Removed with what they hold, their tail text kept. Comments outside the root
    # element (one before <html>, as browsers save pages) are not in its tree at all.
    etree.strip_elements(root, *_NEVER_CONTENT, etree.Comment, with_tail=False)
    return root


def local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def classes(element: lxml.html.HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


def text_of(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def inner_html(element: lxml.html.HtmlElement) -> str:
    """The markup inside `element`, as HTML."""
    parts = [element.text or ""]
    for child in element:
        parts.append(lxml.html.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).strip()


def body_of(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    body = root.find(".//body")
    return body if body is not None else root


# Elements that may hold a scene-break marker by themselves, and the formatting the
# marker may be wrapped in (<p align="center"><b>* * *</b></p>).
_BREAK_HOLDERS = ("p", "div", "center", "h1", "h2", "h3", "h4", "h5", "h6")
_FORMATTING = {"b", "i", "em", "strong", "span", "font", "small", "big", "u", "s", "strike"}
_FORMATTING |= {"sup", "sub", "tt", "code", "br"}
SCENE_BREAK_CLASS = "scene-break"


def mark_scene_breaks(root: lxml.html.HtmlElement) -> None:
    """A paragraph holding only a scene-break marker (centred or not; the markers are
    the plain-text importer's, `reflow.BREAK_LINE`) becomes <hr class="scene-break">."""
    for element in list(root.iter(*_BREAK_HOLDERS)):
        parent = element.getparent()
        if parent is None or not reflow.is_break_line(element.text_content()):
            continue
        if any(local(d) not in _FORMATTING for d in element.iterdescendants()):
            continue
        rule = lxml.html.Element("hr")
        rule.set("class", SCENE_BREAK_CLASS)
        rule.tail = element.tail
        parent.replace(element, rule)
