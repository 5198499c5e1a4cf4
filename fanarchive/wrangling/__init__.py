"""Wrangling: synonyms, merges, metatags, fandom links, the assistant, wranglers and their pages.

The tags and the wrangling records are the tags app's models; wrangling reads and
rewrites the works filed under them, so it sits above works (docs/architecture.md,
Layers).
"""
