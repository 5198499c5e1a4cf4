"""Stored text cleaned of control characters, for the data migrations that do it.

The services clean what comes in (`core.text.clean_text` and `clean_line`); rows
written before they did get the same treatment from `clean_rows`, on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import count
from typing import Any

from django.db import IntegrityError, models, transaction

from fanarchive.core.text import clean_line, clean_text

Derive = Callable[[dict[str, str]], dict[str, Any]]


def clean_rows(
    model: type[models.Model],
    *,
    lines: Sequence[str] = (),
    texts: Sequence[str] = (),
    unique: str | None = None,
    derive: Derive | None = None,
    line_cleaner: Callable[[str], str] = clean_line,
) -> list[int]:
    """Clean these fields in every row of `model` (a migration's historical model): the
    one-line `lines` with `clean_line`, stripped as the services store them, the
    multi-line `texts` with `clean_text`. Returns the pks of the rows that changed.

    Only rows that change are written, one `update()` by pk each. `unique` names a line
    field under a case-insensitive unique constraint (tag and pseud names): a cleaned
    value that is empty or taken gets the row's pk added. `derive` gives the fields
    computed from cleaned ones (a tag's folded name); `line_cleaner` replaces
    `clean_line` where the service does more (tag names collapse their spaces).
    """
    fields = [*lines, *texts]
    manager = model._default_manager
    changed = []
    # In pk order, updating as we go: PostgreSQL's cursor reads a snapshot, SQLite's
    # walks the rowids, which an update of other columns does not move; meeting a row
    # again would do no harm anyway, as cleaning twice changes nothing.
    rows = manager.order_by("pk").values_list("pk", *fields).iterator(chunk_size=500)
    for pk, *values in rows:
        updates = {}
        for name, value in zip(fields, values, strict=True):
            if value is None:
                continue
            cleaned = line_cleaner(value) if name in lines else clean_text(value)
            if cleaned != value:
                # Stripped only when fixed, so no other row is written for it.
                updates[name] = cleaned.strip() if name in lines else cleaned
        if not updates:
            continue
        if unique is not None and unique in updates:
            _update_unique(model, pk, updates, unique=unique, derive=derive or _nothing)
        else:
            manager.filter(pk=pk).update(**updates, **(derive or _nothing)(updates))
        changed.append(pk)
    return changed


def _nothing(updates: dict[str, str]) -> dict[str, Any]:
    return {}


def _update_unique(
    model: type[models.Model], pk: int, updates: dict[str, str], *, unique: str, derive: Derive
) -> None:
    """Write `updates`, adding the pk to the unique name while another row has it."""
    for candidate in _candidates(model, pk, updates[unique], field=unique):
        values = {**updates, unique: candidate}
        try:
            # A savepoint: the database says best whether the name is taken (its own
            # case folding), and the migration's transaction goes on after a refusal.
            with transaction.atomic():
                model._default_manager.filter(pk=pk).update(**values, **derive(values))
        except IntegrityError:
            continue
        return


def _candidates(model: type[models.Model], pk: int, name: str, *, field: str) -> Iterator[str]:
    max_length = getattr(model._meta.get_field(field), "max_length", None) or len(name) + 20
    if name:
        yield name
    for n in count(1):
        suffix = f" {pk}" if n == 1 else f" {pk} {n}"
        yield (name[: max_length - len(suffix)] + suffix).strip()
