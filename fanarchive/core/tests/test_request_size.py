"""A legal chapter fits in the posting form's body, and a body too big gets a clear page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from config import settings as settings_module
from fanarchive.tags.fixed import GENERAL, NO_WARNINGS
from fanarchive.tags.services import TAG_NAME_MAX
from fanarchive.works import limits
from fanarchive.works.inputs import MARKUP_ALLOWANCE
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db

# Lines of an invented story, in Chinese and Japanese, repeated to length.
CJK_LINES = (
    "灯笼在港口上空摇晃，米拉数着回家的船。",
    "「七艘」と彼女は言った。「八艘あるはずなのに」",
    "潮水退去，码头上只剩下绳索和海鸥的影子。",
    "灯台守は夜明けまで窓辺に座り、海を見ていた。",
)


def cjk_text(length: int) -> str:
    paragraph = "".join(CJK_LINES * 3)  # no spaces between sentences in either language
    return "\n\n".join([paragraph] * (length // len(paragraph) + 1))[:length]


def posting_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "rating": GENERAL,
        "warnings": [NO_WARNINGS],
        "fandoms": "Harbour Tales",
        "characters": "Mira Vale",
        "title": "灯台守の夜",
        "language": "en",
        "chapter_title": "第一章",
        "text_format": "plain",
        "text": "The lantern swung above the harbour.",
        "post": "1",
    }
    data.update(overrides)
    return data


def post_as_a_browser(client: Client, url: str, data: dict[str, Any]) -> Any:
    """A page's form as browsers send it: form-encoded, every non-ASCII byte as %XX."""
    body = urlencode(data, doseq=True)
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


def test_a_300000_character_cjk_chapter_posts_through_the_form(user_client: Client) -> None:
    text = cjk_text(300_000)
    assert len(urlencode(posting_form(text=text), doseq=True)) > 2_621_440  # Django's default
    response = post_as_a_browser(user_client, reverse("works:new"), posting_form(text=text))
    assert response.status_code == 302, response.content[:500]
    work = Work.objects.get(title="灯台守の夜")
    assert response["Location"] == work.get_absolute_url()
    assert len(work.chapters.get().source) == len(text.strip())


def largest_legal_form_bytes() -> int:
    """The form-encoded size of the posting form filled to every limit with 4-byte
    characters (each byte "%XX" in the body): the chapter, title, notes and summaries
    with all the markup they may have, and every tag at its longest."""
    escaped = 4 * 3
    characters = (
        limits.CHAPTER_TEXT_MAX
        + limits.TITLE_MAX
        + limits.CHAPTER_TITLE_MAX
        + MARKUP_ALLOWANCE * (2 * limits.SUMMARY_MAX + 4 * limits.NOTES_MAX)
        + limits.USER_TAGS_MAX * (TAG_NAME_MAX + 1)
    )
    small_fields = len(urlencode(posting_form(text="", title="", chapter_title=""), doseq=True))
    return characters * escaped + small_fields


def test_the_body_limit_holds_the_largest_legal_posting_form() -> None:
    # Settings cannot import the modules that hold these (they load models): the same.
    assert settings_module.MARKUP_ALLOWANCE == MARKUP_ALLOWANCE
    assert settings_module.TAG_NAME_MAX == TAG_NAME_MAX
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    needed = largest_legal_form_bytes()
    # ...and not much more than that: it is still a limit.
    assert needed <= limit < 2 * needed


def test_a_body_over_the_limit_gets_the_archive_s_page_saying_what_was_too_big(
    user_client: Client,
) -> None:
    too_long = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = post_as_a_browser(user_client, reverse("works:new"), posting_form(text=too_long))
    assert response.status_code == 413
    page = response.content.decode()
    assert "What you sent is too large" in page
    megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_000_000
    assert f"{megabytes:.1f} MB" in page
    assert f"{limits.CHAPTER_TEXT_MAX:,} characters" in page
    assert 'id="main"' in page and "Fanarchive" in page  # the site's own layout
    assert not Work.objects.exists()


def test_too_many_fields_get_the_archive_s_page(client: Client) -> None:
    fields = {f"field{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = post_as_a_browser(client, reverse("accounts:login"), fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert "too many fields" in page and 'id="main"' in page
