"""What stops a migration before it writes anything: options that do not fit the archive.

The command calls these after reading the archive; each returns the message of a
refusal (the command's error, with the option that helps), or None.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fanarchive.formats.efiction import records as r


def missing_texts(archive: r.Archive, stories_dir: Path | None) -> str | None:
    """Chapters whose text is in the stories folder when no folder was given.

    Refused when eFiction kept texts in files (`store = files`) or the archive does not
    say: migrating would skip those chapters (often every story). An archive that kept
    texts in the database (`store = mysql`) goes on, its empty chapters reported.
    """
    if stories_dir is not None:
        return None
    empty = sum(1 for c in archive.chapters.values() if not c.storytext.strip())
    store = archive.site.store
    if not empty or store == "mysql":
        return None
    why = (
        "eFiction kept story texts in files (store = files)"
        if store == "files"
        else "the archive's settings do not say where texts are kept"
    )
    folder = archive.site.storiespath or "stories"
    return (
        f"{empty} of {len(archive.chapters)} chapters have no text in the database: {why}. "
        f'Give eFiction\'s stories folder ("{folder}", with <uid>/<chapid>.txt files) with '
        "--stories DIR, or --skip-missing-texts to migrate without those chapters."
    )


def unknown_admins(archive: r.Archive, names: Sequence[str]) -> str | None:
    """Names given to --admins that are no pen name of the archive."""
    unknown = [name for name in names if archive.author_named(name) is None]
    if not unknown:
        return None
    admins = ", ".join(a.penname for a in archive.admins()) or "none"
    listed = ", ".join(f'"{name}"' for name in unknown)
    verb = "is not a pen name" if len(unknown) == 1 else "are not pen names"
    return f"{listed} {verb} of this archive (--admins). eFiction's admins: {admins}."
