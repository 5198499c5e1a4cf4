"""What moderators and people in moderation write: reports, reasons, appeals.

One cleaner for all of them, so every such text is stored the same way (control
characters removed, trimmed) under the same limit, with the same messages.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fanarchive.core.text import clean_text

# Long enough for a report with quotes and links, short enough to read in the queue.
TEXT_LIMIT = 5000
# Marked for translation here, translated when refused (`required` may be any message).
REASON_REQUIRED = gettext_noop("Please give the reason: the person is shown it.")


def moderation_text(
    text: str, *, field: str = "reason", required: str | None = REASON_REQUIRED
) -> str:
    """`text` cleaned and checked; `required` is the message when it is empty (None: may be)."""
    cleaned = clean_text(text).strip()
    if not cleaned and required is not None:
        raise ValidationError({field: [_(required)]})
    if len(cleaned) > TEXT_LIMIT:
        raise ValidationError(
            {
                field: [
                    _("Please keep it under %(max)s characters (%(length)s now).")
                    % {"max": f"{TEXT_LIMIT:,}", "length": f"{len(cleaned):,}"}
                ]
            }
        )
    return cleaned
