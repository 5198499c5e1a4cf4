"""Reader settings (R3): a guest's in a cookie the server reads, an account's with the
account; either way the first HTML of every page carries them on <html>."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import Preference
from fanarchive.accounts.reader_settings import (
    COOKIE_NAME,
    ReaderSettings,
    cookie_value,
    settings_from_cookie,
)
from fanarchive.accounts.reader_settings_services import reader_settings_save
from fanarchive.core.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

URL = reverse("accounts:reader_settings")


def chosen(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "theme": "sepia",
        "font": "readable",
        "font_size": "130",
        "line_width": "narrow",
        "line_spacing": "loose",
    }
    data.update(overrides)
    return data


def html_tag(client: Client, url: str = "/works/") -> str:
    page = client.get(url).content.decode()
    return page[page.index("<html") : page.index(">", page.index("<html")) + 1]


def test_defaults_add_nothing_to_the_page() -> None:
    assert html_tag(Client()) == '<html lang="en">'
    assert ReaderSettings().html_attributes() == {}


def test_a_guests_settings_go_into_a_cookie_and_onto_every_first_html() -> None:
    client = Client()
    response = client.post(URL, chosen())
    assert response.status_code == 302
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    tag = html_tag(client)
    for attribute in (
        'data-theme="sepia"',
        'data-font="readable"',
        'data-size="130"',
        'data-width="narrow"',
        'data-spacing="loose"',
    ):
        assert attribute in tag
    # Skins were unticked (an unticked box is absent from a form post).
    assert settings_from_cookie(cookie.value).show_work_skins is False
    page = client.get(URL).content.decode()
    assert '<option value="sepia" selected>' in page
    assert not Preference.objects.exists()


def test_a_tampered_cookie_falls_back_to_the_defaults() -> None:
    client = Client()
    client.cookies[COOKIE_NAME] = 'theme=dark"><script>alert(1)</script>&font_size=9999'
    tag = html_tag(client)
    assert tag == '<html lang="en">'
    assert settings_from_cookie("x" * 600) == ReaderSettings()


def test_bad_choices_are_refused_and_change_nothing() -> None:
    client = Client()
    response = client.post(URL, chosen(theme="neon"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert COOKIE_NAME not in response.cookies


def test_an_accounts_settings_are_kept_with_it_and_win_over_the_cookie() -> None:
    user = make_user()
    client = Client()
    client.cookies[COOKIE_NAME] = cookie_value(ReaderSettings(theme="contrast"))
    client.login(username=user.username, password=PASSWORD)
    client.post(URL, chosen(theme="dark", show_work_skins="on"))
    preference = Preference.objects.get(user=user)
    assert (preference.reader_theme, preference.reader_font_size) == ("dark", "130")
    assert preference.reader_show_work_skins is True
    tag = html_tag(client)
    assert 'data-theme="dark"' in tag and "contrast" not in tag
    # Another browser, logged in: the same settings.
    other = Client()
    other.login(username=user.username, password=PASSWORD)
    assert 'data-theme="dark"' in html_tag(other, reverse("news:list"))


def test_the_service_saves_every_setting() -> None:
    user = make_user()
    settings = ReaderSettings(theme="light", font="mono", show_work_skins=False)
    preference = reader_settings_save(user=user, settings=settings)
    preference.refresh_from_db()
    assert preference.reader_font == "mono" and preference.reader_show_work_skins is False
    reader_settings_save(user=user, settings=ReaderSettings())
    assert Preference.objects.get(user=user).reader_theme == "system"


def test_the_settings_page_is_linked_from_every_page_and_works_without_script() -> None:
    page = Client().get(URL).content.decode()
    assert page.count("<h1") == 1
    assert f'href="{URL}"' in Client().get("/works/").content.decode()
    assert '<label for="id_theme">Theme' in page
    assert "js/reader-settings" in page
