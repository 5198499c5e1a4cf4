"""Small helpers over lxml.html for the HTML and EPUB importers."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from fanarchive.formats.decode import decode_text
from fanarchive.formats.errors import ImportFailed

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
        raise ImportFailed(name, f"is not readable HTML ({error}).") from None
    for element in root.iter(*_NEVER_CONTENT):
        element.drop_tree()
    for comment in root.xpath("//comment()"):
        comment.drop_tree()
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
