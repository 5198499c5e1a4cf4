"""The migration's report: every row of every kind accounted for, and every decision.

Each row read ends in exactly one status per kind, so the counts of a kind add up to
the rows read; skipped rows say why, rows kept in another form (a rating-only review)
say where, and mapping decisions (a rating mapped to the closest one, a class kept as
an additional tag ...) are listed once each. It also names eFiction's admins and
lists the review ratings kept (`EfictionReviewRatings`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from fanarchive.formats.efiction.records import TABLES, Archive

MIGRATED = "migrated"
ALREADY = "already migrated"
WOULD_MIGRATE = "would migrate"
SKIPPED = "skipped"
# Rows folded into something else (a chapter into its work, a rating into the mapping).
MAPPED = "mapped"


@dataclass
class Skipped:
    kind: str
    efiction_id: str
    reason: str


@dataclass
class Report:
    dry_run: bool = False
    read: Counter[str] = field(default_factory=Counter)
    outcomes: dict[str, Counter[str]] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    # Rows counted MAPPED that a reader may look for one by one, with where they went.
    mapped_rows: list[Skipped] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    # eFiction's admins: uid, penname, level, username (None if not migrated), staff.
    admins: list[dict[str, Any]] = field(default_factory=list)
    # Review ratings kept: kind, efiction_id, title, count, average, ratings, scale.
    review_ratings: list[dict[str, Any]] = field(default_factory=list)
    # eFiction's story hit counts this run added to the works' hit counts.
    hits: int = 0
    ignored_tables: dict[str, int] = field(default_factory=dict)
    _decided: set[str] = field(default_factory=set, repr=False)

    def count_read(self, archive: Archive) -> None:
        """The rows read of each table, and the rows the reader could not use (skipped)."""
        for table in TABLES:
            self.read[table] = len(getattr(archive, table))
        self.ignored_tables = dict(archive.ignored_tables)
        for kind, reason in archive.unreadable:
            self.read[kind] += 1
            self.skip(kind, "?", reason)

    def count(self, kind: str, status: str, n: int = 1) -> None:
        if self.dry_run and status == MIGRATED:
            status = WOULD_MIGRATE
        self.outcomes.setdefault(kind, Counter())[status] += n

    def skip(self, kind: str, efiction_id: object, reason: str) -> None:
        self.count(kind, SKIPPED)
        self.skipped.append(Skipped(kind, str(efiction_id), reason))

    def fold(self, kind: str, efiction_id: object, where: str) -> None:
        """A row kept in another form than its own (counted MAPPED), and where it went."""
        self.count(kind, MAPPED)
        self.mapped_rows.append(Skipped(kind, str(efiction_id), where))

    def decide(self, decision: str) -> None:
        """Note a mapping decision once, however many rows it applies to."""
        if decision not in self._decided:
            self._decided.add(decision)
            self.decisions.append(decision)

    def accounted(self, kind: str) -> int:
        return sum(self.outcomes.get(kind, Counter()).values())

    def unaccounted(self) -> dict[str, tuple[int, int]]:
        """Kinds whose outcomes do not add up to the rows read: (read, accounted)."""
        return {
            kind: (self.read[kind], self.accounted(kind))
            for kind in TABLES
            if self.read[kind] != self.accounted(kind)
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "counts": {
                kind: {"read": self.read[kind], **dict(self.outcomes.get(kind, Counter()))}
                for kind in TABLES
            },
            "skipped": [s.__dict__ for s in self.skipped],
            "mapped_rows": [s.__dict__ for s in self.mapped_rows],
            "decisions": list(self.decisions),
            "admins": list(self.admins),
            "review_ratings": list(self.review_ratings),
            "hits": self.hits,
            "ignored_tables": dict(self.ignored_tables),
        }

    def lines(self) -> list[str]:
        out = ["Dry run: nothing was written." if self.dry_run else "eFiction migration report"]
        out.append("")
        width = max(len(k) for k in TABLES)
        for kind in TABLES:
            outcomes = self.outcomes.get(kind, Counter())
            detail = ", ".join(f"{n} {status}" for status, n in sorted(outcomes.items()))
            out.append(f"  {kind:<{width}}  {self.read[kind]:>7} read: {detail or 'none'}")
        if self.hits:
            out.append(f"  Hits from eFiction added to the works' hit counts: {self.hits:,}.")
        for table, rows in sorted(self.ignored_tables.items()):
            out.append(f"  Table {table} ({rows} rows) is not part of the migration.")
        if self.review_ratings:
            ratings = sum(r["count"] for r in self.review_ratings)
            out.append(
                f"  Review ratings: {ratings} ratings of {len(self.review_ratings)} stories and "
                "series, kept in the admin's eFiction review ratings (comments have none)."
            )
        out += self._admin_lines()
        if self.decisions:
            out += ["", "Mapping decisions:"]
            out += [f"  - {d}" for d in self.decisions]
        if self.mapped_rows:
            out += ["", "Kept in another form:"]
            out += [f"  - {s.kind} {s.efiction_id}: {s.reason}" for s in self.mapped_rows]
        if self.skipped:
            out += ["", "Not migrated:"]
            out += [f"  - {s.kind} {s.efiction_id}: {s.reason}" for s in self.skipped]
        return out

    def _admin_lines(self) -> list[str]:
        if not self.admins:
            return []
        out = ["", "eFiction's admins:"]
        for a in self.admins:
            account = f" -> {a['username']}" if a["username"] else " (not migrated)"
            role = "made staff" if a["staff"] else "not staff here"
            if not a["level"]:
                role += " (not an admin on eFiction)"
            out.append(f"  - {a['penname']} (uid {a['uid']}, level {a['level']}){account}: {role}.")
        waiting = [a["penname"] for a in self.admins if a["username"] and not a["staff"]]
        if waiting:
            names = " ".join(f'"{name}"' for name in waiting)
            out.append(f"  To make them staff, run the migration again with --admins {names}")
        return out
