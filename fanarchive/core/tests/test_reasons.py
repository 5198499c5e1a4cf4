"""The one cleaner for reports, moderators' reasons and appeals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from fanarchive.core.reasons import REASON_REQUIRED, TEXT_LIMIT, moderation_text


def test_cleans_control_characters_and_trims() -> None:
    assert moderation_text("  spam\x00 link\x07 ") == "spam link"


def test_empty_is_refused_with_the_given_message_and_field() -> None:
    with pytest.raises(ValidationError) as caught:
        moderation_text("  \x00 ")
    assert caught.value.message_dict == {"reason": [REASON_REQUIRED]}
    with pytest.raises(ValidationError) as caught:
        moderation_text("", field="text", required="Please tell us what is wrong.")
    assert caught.value.message_dict == {"text": ["Please tell us what is wrong."]}


def test_empty_is_allowed_when_not_required() -> None:
    assert moderation_text(" ", required=None) == ""


def test_over_the_limit_is_refused_with_the_length() -> None:
    assert moderation_text("a" * TEXT_LIMIT) == "a" * TEXT_LIMIT
    with pytest.raises(ValidationError) as caught:
        moderation_text("a" * (TEXT_LIMIT + 1), required=None)
    assert caught.value.message_dict["reason"] == [
        f"Please keep it under {TEXT_LIMIT:,} characters ({TEXT_LIMIT + 1:,} now)."
    ]
