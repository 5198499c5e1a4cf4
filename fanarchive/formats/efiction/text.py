"""eFiction's text made ready for the posting service.

eFiction took HTML (a short allowlist, or TinyMCE), and many writers typed plain text
whose paragraphs are only line breaks, or `<br><br>`, with a scene break typed as
`<center>* * *</center>`. Whether a text has paragraphs, and what its `<br>` stand for,
are the posting service's own rules (`core.text.is_paragraphed`, `breaks_as_lines`).
Text without them is turned into paragraphs the way the plain-text importer does it
(blank lines; every line when there is no blank line at all; runs that lost their
breaks rebuilt; scene-break lines, centred or not, as breaks); the posting service
then sanitises the HTML to the archive's allowlist.
"""

from __future__ import annotations

from fanarchive.core.text import breaks_as_lines, is_html_scene_break, is_paragraphed
from fanarchive.formats.importers import reflow
from fanarchive.formats.importers.textwork import blocks_of


def story_html(text: str) -> str:
    """Chapter text as HTML the posting service takes (`TextFormat.HTML`)."""
    text = text.strip()
    if not text or is_paragraphed(text):
        return text
    text = breaks_as_lines(text)
    # A marker in tags (`<center>* * *</center>`) is a scene-break line like a bare one.
    lines = (reflow.SCENE_BREAK if is_html_scene_break(x) else x for x in text.split("\n"))
    return "\n\n".join(blocks_of("\n".join(lines)))


def notes_html(text: str) -> str:
    """Summaries and notes: `<br><br>` runs become paragraph breaks; the service does the rest."""
    text = text.strip()
    if not text or is_paragraphed(text):
        return text
    return breaks_as_lines(text)
