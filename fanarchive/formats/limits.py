"""Limits on what an import may read, so a hostile file cannot exhaust the server.

They are documented in README.md ("Importing and downloading works").
"""

MAX_FILE_BYTES = 20 * 1024 * 1024
"""One file (a text, an HTML page, an EPUB, or one member of a zip archive)."""

MAX_ARCHIVE_BYTES = 100 * 1024 * 1024
"""Everything inside one zip archive or EPUB, uncompressed."""

MAX_COMPRESSION_RATIO = 100
"""A zip member that inflates more than this is taken for a zip bomb."""

MAX_ARCHIVE_MEMBERS = 5_000
"""Files inside one zip archive or EPUB."""
