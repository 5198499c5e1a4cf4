"""Saving an account's reader settings (a guest's live in a cookie the view sets)."""

from __future__ import annotations

from dataclasses import asdict

from fanarchive.accounts.models import Preference, User
from fanarchive.accounts.reader_settings import ReaderSettings


def reader_settings_save(*, user: User, settings: ReaderSettings) -> Preference:
    """Keep `settings` with `user`'s account; from now on they win over any cookie."""
    columns = {f"reader_{name}": value for name, value in asdict(settings).items()}
    preference, _ = Preference.objects.update_or_create(user=user, defaults=columns)
    return preference
