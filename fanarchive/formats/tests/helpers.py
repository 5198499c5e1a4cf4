"""Fixtures written by hand or generated: invented, safe-for-work text only.

EPUB, AO3 and FanFicFare files are built here in code rather than kept as
binaries, so every byte of every fixture can be read in this file.
"""

from __future__ import annotations

import io
import zipfile

FLATTENED = (
    "The lantern swung above the harbour as Mira counted the boats coming home. The wind "
    "had turned an hour ago and the water was the colour of slate. \u201cSeven,\u201d she "
    "said. \u201cThere should be eight.\u201d \u201cEight?\u201d Tomas asked from the "
    "steps. \u201cAre you sure?\u201d She did not answer. She lifted the lantern higher and "
    "watched the mouth of the bay, where the rocks broke the swell into white lace. The "
    "gulls had gone quiet. Somewhere below, a rope creaked against a post. \u201cI counted "
    "them out this morning,\u201d she said at last. \u201cEight went out.\u201d \u2605 "
    "By midnight the harbour was empty of voices. Tomas had gone down to the boathouse to "
    "fetch the long lamp, and Mira sat alone on the sea wall with her knees drawn up. The "
    "tide was turning. She could hear it in the shingle, a long breath in and out. "
    "\u201cCome on,\u201d she whispered. \u201cCome on, come home.\u201d \u2605 The eighth "
    "boat came in at dawn with a torn sail and three tired fishermen. Nobody said much. "
    "Mira put the lantern out and went to bed. Notes: Thank you for reading! This story "
    "was written for a prompt about lighthouses."
)


def make_zip(members: dict[str, bytes], *, epub: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if epub:
            archive.writestr(
                zipfile.ZipInfo("mimetype"), "application/epub+zip", zipfile.ZIP_STORED
            )
        for name, data in members.items():
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


CONTAINER = b"""<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf"
  media-type="application/oebps-package+xml"/></rootfiles>
</container>"""


def xhtml(title: str, body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head>'
        f"<title>{title}</title></head><body>{body}</body></html>"
    ).encode()


def make_epub(
    *,
    chapters: list[tuple[str, str]],
    title: str = "The Salt Road",
    author: str = "Wren Hollow",
    extra_docs: list[tuple[str, bytes]] | None = None,
    extra_metadata: str = "",
    spine_extra: list[str] | None = None,
    leave_out: str = "",
) -> bytes:
    """A small EPUB 2-style book with an NCX, like many tools write."""
    docs = list(extra_docs or [])
    for n, (heading, body) in enumerate(chapters, start=1):
        docs.append((f"chapter{n}.xhtml", xhtml(heading, f"<h2>{heading}</h2>{body}")))
    manifest = "".join(
        f'<item id="d{n}" href="{name}" media-type="application/xhtml+xml"/>'
        for n, (name, _data) in enumerate(docs)
    )
    spine = "".join(f'<itemref idref="d{n}"/>' for n in range(len(docs)))
    spine += "".join(f'<itemref idref="{idref}"/>' for idref in spine_extra or [])
    points = "".join(
        f'<navPoint id="p{n}"><navLabel><text>{heading}</text></navLabel>'
        f'<content src="chapter{n}.xhtml"/></navPoint>'
        for n, (heading, _body) in enumerate(chapters, start=1)
    )
    opf = f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator><dc:language>en</dc:language>
<dc:identifier id="id">urn:uuid:00000000-0000-4000-8000-000000000001</dc:identifier>
<dc:description>A courier carries salt across the hills.</dc:description>
<dc:subject>Road Trip</dc:subject>{extra_metadata}
</metadata>
<manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>{manifest}</manifest>
<spine toc="ncx">{spine}</spine>
</package>"""
    ncx = f"""<?xml version="1.0" encoding="utf-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
<navMap>{points}</navMap></ncx>"""
    members = {"META-INF/container.xml": CONTAINER, "OEBPS/content.opf": opf.encode()}
    members["OEBPS/toc.ncx"] = ncx.encode()
    for name, data in docs:
        if name != leave_out:
            members[f"OEBPS/{name}"] = data
    return make_zip(members, epub=True)


PARAGRAPHS = (
    "<p>The road climbed out of the valley in long switchbacks, and the mule took each one "
    "as if it were a personal insult.</p><p>\u201cNot far now,\u201d Ash told it. The mule "
    "did not believe him.</p>"
)


def make_fanficfare_epub(chapters: list[tuple[str, str]] | None = None) -> bytes:
    title_page = xhtml(
        "The Salt Road",
        '<h3><a href="https://example.org/s/1">The Salt Road</a> by '
        '<a class="authorurl" href="https://example.org/u/2">Wren Hollow</a></h3>'
        "<div><b>Category:</b> Hill Country Chronicles<br/>"
        "<b>Genre:</b> Adventure, Friendship<br/>"
        "<b>Language:</b> English<br/>"
        "<b>Characters:</b> Ash Fenn, Mara Quill<br/>"
        "<b>Relationships:</b> Ash Fenn &amp; Mara Quill<br/>"
        "<b>Status:</b> Completed<br/>"
        "<b>Rating:</b> Teen And Up Audiences<br/>"
        "<b>Warnings:</b> No Archive Warnings Apply<br/>"
        "<b>Series:</b> Salt and Stone [2]<br/>"
        "<b>Summary:</b> A courier carries <i>salt</i> across the hills.<br/></div>",
    )
    return make_epub(
        chapters=chapters
        or [("Chapter 1: The Valley", PARAGRAPHS), ("Chapter 2: The Pass", PARAGRAPHS)],
        extra_docs=[("title_page.xhtml", title_page)],
        extra_metadata="<dc:contributor>FanFicFare [https://example.org/FanFicFare]</dc:contributor>",
    )


AO3_HTML = """<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>The Night Ferry</title>
<style>body { color: black; }</style></head>
<body>
<div id="preface">
  <p class="message"><b>Archive of Our Own</b></p>
  <div class="meta">
    <dl class="tags">
      <dt>Rating:</dt><dd><a href="/tags/1">Teen And Up Audiences</a></dd>
      <dt>Archive Warning:</dt><dd><a href="/tags/2">No Archive Warnings Apply</a></dd>
      <dt>Category:</dt><dd><a href="/tags/3">F/F</a>, <a href="/tags/4">Gen</a></dd>
      <dt>Fandom:</dt><dd><a href="/tags/5">River Ports</a></dd>
      <dt>Relationship:</dt><dd><a href="/tags/6">Ines/Odile</a></dd>
      <dt>Character:</dt><dd><a href="/tags/7">Ines</a>, <a href="/tags/8">Odile</a></dd>
      <dt>Additional Tags:</dt><dd><a href="/tags/9">Slow Burn</a>,
        <a href="/tags/10">Boats</a></dd>
      <dt>Language:</dt><dd>English</dd>
      <dt>Series:</dt><dd>Part 2 of <a href="/series/1">River Nights</a></dd>
      <dt>Stats:</dt><dd>Published: 2024-01-02 Words: 120 Chapters: 2/2</dd>
    </dl>
    <h1>The Night Ferry</h1>
    <div class="byline">by <a rel="author" href="/users/pilot">pilot_fish</a></div>
    <p>Summary</p><blockquote class="userstuff">
      <p>Two ferry pilots and one long night.</p></blockquote>
    <p>Notes</p><blockquote class="userstuff"><p>Written for a river prompt.</p></blockquote>
  </div>
</div>
<div id="chapters" class="userstuff">
  <div class="meta group"><h2 class="heading">Chapter 1: Departure</h2>
    <p>Chapter Notes</p><blockquote class="userstuff"><p>The first half.</p></blockquote></div>
  <div class="userstuff"><p>The ferry left at nine, its horn low over the water.</p>
    <hr class="scene-break"><p>Odile took the wheel at midnight.</p></div>
  <div class="meta group"><p>Chapter End Notes</p>
    <blockquote class="userstuff"><p>More soon.</p></blockquote></div>
  <div class="meta group"><h2 class="heading">Chapter 2: Arrival</h2></div>
  <div class="userstuff"><p>They reached the far bank as the sky went grey.</p></div>
</div>
<div id="afterword"><div class="meta"><p>End Notes</p>
  <blockquote class="userstuff"><p>Thanks for reading.</p></blockquote></div>
<p class="message">Please drop by the archive and comment to let the creator know
if you enjoyed their work!</p></div>
</body></html>
"""
