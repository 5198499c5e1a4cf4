"""eFiction's text made ready for the posting service.

eFiction took HTML (a short allowlist, or TinyMCE), and many writers typed plain text
whose paragraphs are only line breaks, or `<br><br>`. Text without block markup is
turned into paragraphs the way the plain-text importer does it (blank lines; every
line when there is no blank line at all; runs that lost their breaks rebuilt); the
posting service then sanitises the HTML to the archive's allowlist.
"""

from __future__ import annotations

import re

from fanarchive.formats.importers import reflow
from fanarchive.formats.importers.textwork import blocks_of

_BLOCK = re.compile(r"<(?:p|div|blockquote|ul|ol|table|h[1-6]|pre)\b", re.I)
_BR_RUN = re.compile(r"(?:\s*<br\s*/?>\s*){2,}", re.I)
_BR = re.compile(r"\s*<br\s*/?>[ \t]*\n?", re.I)


def story_html(text: str) -> str:
    """Chapter text as HTML the posting service takes (`TextFormat.HTML`)."""
    text = text.strip()
    if not text or _BLOCK.search(text):
        return text
    text = _BR_RUN.sub("\n\n", text)
    text = _BR.sub("\n", text)
    blocks = blocks_of(text)
    return "\n\n".join(reflow.SCENE_BREAK if b == reflow.SCENE_BREAK else b for b in blocks)


def notes_html(text: str) -> str:
    """Summaries and notes: `<br><br>` runs become paragraph breaks; the service does the rest."""
    text = text.strip()
    if not text or _BLOCK.search(text):
        return text
    return _BR.sub("\n", _BR_RUN.sub("\n\n", text))
