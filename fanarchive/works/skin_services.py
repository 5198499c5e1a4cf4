"""Setting a work's skin (AO3's work skins, kept per work: a textarea on the work's skin
page rather than a separate skin object, which is simpler and enough for one work)."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fanarchive.accounts.models import User
from fanarchive.works.models import Work
from fanarchive.works.selectors import require_creator
from fanarchive.works.skin_css import skin_clean, skin_problems_message


def work_skin_set(*, user: User, work: Work, css: str) -> Work:
    """Keep `css` as `work`'s skin once every rule in it passes the allowlist; refuse the
    whole skin otherwise, naming what must go, so nothing half-checked is ever saved.
    An empty `css` removes the skin."""
    require_creator(user, work, to=_("change its skin"))
    result = skin_clean(css)
    if not result.ok:
        raise ValidationError({"skin_css": skin_problems_message(result.problems)})
    work.skin_css = result.css
    work.save(update_fields=["skin_css"])
    return work


def skin_version(css: str) -> str:
    """A short digest of the skin for its stylesheet address, so a changed skin is fetched
    anew while an unchanged one stays cached."""
    return hashlib.sha256(css.encode()).hexdigest()[:12]
