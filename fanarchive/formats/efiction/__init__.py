"""Migrating a whole eFiction 3.x archive: dump or live database, plus its stories folder.

`dump.py` streams a MySQL dump without a server, `live.py` reads a live database
with PyMySQL; both give `(table, row)` pairs of raw values to `schema.py`, which
turns them into the records of `records.py`. `mapper.py` writes them through the
services, stage by stage, keyed by eFiction ids in `EfictionMapping`, and fills the
`report.py` report. `engagement_stage.py` writes reviews, favourites and hits through
the engagement services.
"""
