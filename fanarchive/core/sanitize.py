"""HTML sanitising to AO3's allowlist (see shared REFERENCE "HTML allowed in work text")."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3

ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "acronym",
        "address",
        "b",
        "big",
        "blockquote",
        "br",
        "caption",
        "center",
        "cite",
        "code",
        "col",
        "colgroup",
        "details",
        "figcaption",
        "figure",
        "dd",
        "del",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "tt",
        "u",
        "ul",
        "var",
    ]
)

# Dropped together with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = frozenset(
    [
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "svg",
        "math",
        "noscript",
        "object",
        "embed",
        "applet",
        "template",
        "textarea",
        "select",
        "button",
        "form",
        "input",
        "canvas",
        "audio",
        "video",
        "source",
        "track",
        "title",
        "head",
    ]
)

_GENERIC_ATTRIBUTES = {"align", "dir", "lang", "title", "class"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": _GENERIC_ATTRIBUTES,
    "a": {"href", "name"},
    "img": {"align", "alt", "border", "height", "src", "width"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "ol": {"start", "type"},
    "ul": {"type"},
    "table": {"border", "summary", "width"},
    "td": {"abbr", "axis", "colspan", "height", "rowspan", "width"},
    "th": {"abbr", "axis", "colspan", "height", "rowspan", "width", "scope"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "details": {"open"},
    "hr": {"align", "width"},
}
LINK_SCHEMES = {"http", "https", "mailto", "ftp"}
IMAGE_SCHEMES = {"http", "https"}
CLASS_NAME = re.compile(r"^[a-zA-Z][\w-]+$")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        names = [name for name in value.split() if CLASS_NAME.match(name)]
        return " ".join(names) or None
    if tag == "img" and attribute == "src":
        scheme = urlsplit(value.strip()).scheme.lower()
        return value if scheme in IMAGE_SCHEMES else None
    return value


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    url_schemes=LINK_SCHEMES,
    link_rel="nofollow",
    strip_comments=True,
)


# nh3 drops an href whose scheme is not allowed (javascript:, data: ...) but keeps the
# `a`, with the `rel` it adds to every anchor; an `a` with no href is no link, and `rel`
# without href is invalid HTML (epubcheck's RSC-005). Such an anchor is unwrapped, its
# text kept; a named anchor (`<a name>`, a footnote's target) stays, without the `rel`.
# nh3's output is regular: lower-case tags, double-quoted values, "<" and ">" escaped
# in text and values, so anchors can be found without parsing again.
_ANCHOR_TAG = re.compile(r"<a(\s[^>]*)?>|</a>")
_ATTRIBUTE = re.compile(r'\s([\w:.-]+)(?:="([^"]*)")?')


def _unwrap_anchors_without_target(html: str) -> str:
    if "<a " not in html and "<a>" not in html:
        return html
    out: list[str] = []
    position = 0
    # One entry per open anchor: whether its end tag goes with it.
    unwrapped: list[bool] = []
    for match in _ANCHOR_TAG.finditer(html):
        out.append(html[position : match.start()])
        position = match.end()
        if match.group(0) == "</a>":
            if not (unwrapped.pop() if unwrapped else False):
                out.append("</a>")
            continue
        attributes = _ATTRIBUTE.findall(match.group(1) or "")
        names = {name for name, _value in attributes}
        if "href" in names:
            out.append(match.group(0))
        elif "name" in names:
            kept = "".join(f' {name}="{value}"' for name, value in attributes if name != "rel")
            out.append(f"<a{kept}>")
        unwrapped.append("href" not in names and "name" not in names)
    out.append(html[position:])
    return "".join(out)


def sanitize_html(html: str) -> str:
    """Return `html` with only allowlisted elements, attributes and link schemes.

    An anchor left without a target is unwrapped (its text stays).
    """
    return _unwrap_anchors_without_target(_cleaner.clean(html))
