"""`core.translation.lazy_format`: module-level texts with values stay lazy."""

from __future__ import annotations

import json

from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy

from fanarchive.accounts.forms import PseudForm, RegisterForm
from fanarchive.api.errors import problem_response
from fanarchive.core.translation import lazy_format


def _language_message() -> str:
    return f"{translation.get_language()}: %(count)s"


def test_lazy_format_fills_in_each_time_in_the_active_language() -> None:
    text = lazy_format(lazy(_language_message, str)(), count=3)
    with translation.override("en"):
        assert str(text) == "en: 3"
    with translation.override("es"):
        assert str(text) == "es: 3"


def test_form_help_texts_keep_their_english_with_the_limits_filled_in() -> None:
    with translation.override("en"):
        assert str(RegisterForm().fields["username"].help_text) == (
            "3 to 40 letters, numbers or underscores. It is also the name of your first pseud."
        )
        assert str(PseudForm().fields["description"].help_text) == (
            "Optional, plain text, up to 500 characters."
        )


def test_a_lazy_problem_detail_reaches_the_json_as_text() -> None:
    response = problem_response(
        422,
        gettext_lazy("Some fields need attention: see errors."),
        errors={"name": [gettext_lazy("This field cannot be null.")]},
    )
    body = json.loads(response.content)
    assert body["detail"] == "Some fields need attention: see errors."
    assert body["errors"] == {"name": ["This field cannot be null."]}
