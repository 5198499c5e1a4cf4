"""Migrating a whole eFiction 3.x archive: dump or live database, plus its stories folder.

`dump.py` streams a MySQL dump without a server, `live.py` reads a live database
with PyMySQL; both give `(table, row)` pairs of raw values to `schema.py`, which
turns them into the records of `records.py` (whose `TABLES` names the tables read).
`mapper.py` runs the stages of `stages/` in order (authors, tags, stories, series,
engagement), each a function of the shared `context.MigrationContext`, keyed by
eFiction ids in `EfictionMapping`, filling the `report.py` report.
"""
