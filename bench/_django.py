"""The benchmarks' one way to start Django on a database of their own."""

from __future__ import annotations

import os
from pathlib import Path


def setup_django(
    data_dir: str | Path, database_url: str | None = None, *, redis: bool = False
) -> None:
    """Django on `data_dir` (SQLite there, unless `database_url`), migrated, with its cache
    table; REDIS_URL is dropped unless `redis`, so a bench never touches a live archive's
    cache or queue by accident."""
    os.environ["FANARCHIVE_DATA_DIR"] = str(data_dir)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    if not redis:
        os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Django is imported once the environment that configures it is set.
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
