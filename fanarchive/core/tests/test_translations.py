"""Interface translations (issue 18): the Spanish catalogue is complete and compiled, a page
follows the browser's language or the footer's chooser (a guest's cookie, an account's
preference brought back at its next log-in anywhere), dates and mail follow it, and the
API's errors too. docs/translating.md is the translators' side."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext

from fanarchive.accounts.emails import send_confirmation_email
from fanarchive.accounts.language_services import account_language_set
from fanarchive.accounts.models import Preference, User
from fanarchive.core.testing import PASSWORD, make_user

CATALOGUES = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"
PO = CATALOGUES / "django.po"
# Every Spanish catalogue: the templates' and Python's (django), the scripts' (djangojs).
POS = [PO, CATALOGUES / "djangojs.po"]
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")
CHOOSER = reverse("accounts:language")
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """A request activates its language for the rest of the thread (as Django does): give
    the tests that follow the site's default back."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


def spanish(msgid: str) -> str:
    with translation.override("es"):
        return gettext(msgid)


def html_lang(response: Any) -> str:
    found = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert found, "no <html lang>"
    return found.group(1)


# -- the catalogue ---------------------------------------------------------------------


@pytest.mark.parametrize("path", POS, ids=lambda path: path.name)
def test_the_spanish_catalogue_is_complete_and_keeps_every_placeholder(path: Path) -> None:
    po = polib.pofile(str(path))
    assert po.metadata.get("Language") == "es"
    assert not po.metadata_is_fuzzy, "msgfmt ignores a fuzzy header (plural forms, charset)"
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            forms = [entry.msgstr_plural.get(n, "") for n in sorted(entry.msgstr_plural)]
            if not forms or not all(forms):
                problems.append(f"untranslated plural: {entry.msgid!r}")
            # Every plural form keeps the English plural's placeholders; the singular may
            # leave the number out ("una obra") but adds none.
            elif any(placeholders(f) != placeholders(entry.msgid_plural) for f in forms[1:]):
                problems.append(f"plural placeholders differ: {entry.msgid!r}")
            elif not set(placeholders(forms[0])) <= set(placeholders(entry.msgid_plural)):
                problems.append(f"singular placeholders differ: {entry.msgid!r}")
        elif not entry.msgstr:
            problems.append(f"untranslated: {entry.msgid!r}")
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            problems.append(f"placeholders differ: {entry.msgid!r}")
    assert not problems, (
        f"{len(problems)} entries of {path.name} need work (make messages, then "
        "tools/fill_translations.py):\n" + "\n".join(problems[:50])
    )


@pytest.mark.parametrize("path", POS, ids=lambda path: path.name)
def test_the_compiled_catalogue_is_the_po_files(path: Path) -> None:
    """The .mo Django reads holds exactly the .po's translations: `make messages` ran."""
    po = polib.pofile(str(path))
    mo = polib.mofile(str(path.with_suffix(".mo")))

    def translations(catalogue: Any) -> dict[tuple[str, str], object]:
        found: dict[tuple[str, str], object] = {}
        for entry in catalogue:
            if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
                continue
            value: object = (
                tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
                if entry.msgid_plural
                else entry.msgstr
            )
            if value and (not isinstance(value, tuple) or all(value)):
                found[(entry.msgctxt or "", entry.msgid)] = value
        return found

    assert translations(mo) == translations(po), "run `make messages` to compile the .po"


# -- pages -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_browser_asking_for_spanish_gets_spanish_pages() -> None:
    response = Client().get("/works/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9,en;q=0.5")
    assert response.status_code == 200
    assert html_lang(response) == "es"
    assert response["Content-Language"] == "es"
    vary = {part.strip().lower() for part in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary, "a cache must keep the languages apart"
    page = response.content.decode()
    for msgid in ("Skip to content", "Language", "Change language"):
        assert spanish(msgid) != msgid, f"{msgid!r} has no Spanish translation"
        assert spanish(msgid) in page
    assert "Change language" not in page

    english = Client().get("/works/", HTTP_ACCEPT_LANGUAGE="en-GB,en")
    assert html_lang(english) == "en"
    assert "Change language" in english.content.decode()
    # A language the archive does not have falls back to English.
    assert html_lang(Client().get("/works/", HTTP_ACCEPT_LANGUAGE="tlh")) == "en"


@pytest.mark.django_db
def test_dates_follow_the_language() -> None:
    user = make_user("fechas")
    User.objects.filter(pk=user.pk).update(
        date_joined=datetime.datetime(2026, 1, 15, 12, 0, tzinfo=datetime.UTC)
    )
    profile = reverse("accounts:profile", args=[user.username])
    english = Client().get(profile, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish_page = Client().get(profile, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "15 Jan 2026" in english
    assert "15 ene 2026" in spanish_page
    assert "Jan 2026" not in spanish_page


def test_the_date_formats_keep_the_english_look_and_have_spanish_equivalents() -> None:
    when = datetime.datetime(2026, 3, 7, 9, 5, tzinfo=datetime.UTC)
    with translation.override("en"):
        assert formats.date_format(when) == "7 Mar 2026"
        assert formats.date_format(when, "DATETIME_FORMAT") == "7 Mar 2026 09:05"
    with translation.override("es"):
        assert formats.date_format(when) == "7 mar 2026"
        assert formats.date_format(when, "DATETIME_FORMAT") == "7 mar 2026 09:05"


# -- the chooser -----------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_has_a_chooser_that_works_without_script() -> None:
    page = Client().get("/works/").content.decode()
    form = page[page.index('<form class="language-chooser"') :]
    form = form[: form.index("</form>")]
    assert f'action="{CHOOSER}"' in form and 'method="post"' in form
    assert '<label for="footer-language">Language</label>' in form
    assert '<select id="footer-language" name="language">' in form
    assert '<option value="es" lang="es">Español</option>' in form
    assert 'value="en" lang="en" selected' in form
    assert '<button type="submit">Change language</button>' in form
    # A guest's page carries no token: the browser's headers vouch for it (core/csrf.py).
    assert 'name="csrfmiddlewaretoken"' not in form


@pytest.mark.django_db
def test_a_guests_choice_is_kept_in_a_cookie() -> None:
    client = Client()
    response = client.post(CHOOSER, {"language": "es", "next": "/works/?page=2"})
    assert response.status_code == 302
    assert response["Location"] == "/works/?page=2"
    assert response.cookies[COOKIE].value == "es"
    assert response.cookies[COOKIE]["samesite"] == "Lax"
    # The cookie wins over the browser's own language.
    page = client.get("/works/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(page) == "es"
    # Back to English.
    client.post(CHOOSER, {"language": "en", "next": "/works/"})
    assert html_lang(client.get("/works/", HTTP_ACCEPT_LANGUAGE="es")) == "en"


@pytest.mark.django_db
def test_bad_choices_and_other_sites_change_nothing() -> None:
    client = Client()
    response = client.post(CHOOSER, {"language": "xx", "next": "/works/"}, follow=True)
    assert COOKIE not in client.cookies
    assert "Choose one of the languages offered." in response.content.decode()
    response = client.post(CHOOSER, {"language": "es", "next": "https://elsewhere.example/"})
    assert response["Location"] == "/"
    response = client.post(CHOOSER, {"language": "es", "next": "//elsewhere.example/x"})
    assert response["Location"] == "/"
    assert client.get(CHOOSER).status_code == 405


@pytest.mark.django_db
def test_an_accounts_choice_is_saved_and_comes_back_at_its_next_log_in() -> None:
    user = make_user("lectora")
    first = Client()
    first.login(username=user.username, password=PASSWORD)
    first.post(CHOOSER, {"language": "es", "next": "/works/"})
    assert Preference.objects.get(user=user).language == "es"

    # Another browser, which asks for English: the log-in brings the account's language.
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(other.get("/works/")) == "en"
    response = other.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "es"
    assert html_lang(other.get("/works/")) == "es"


@pytest.mark.django_db
def test_an_account_without_a_choice_keeps_the_browsers_language_at_log_in() -> None:
    user = make_user("sinidioma")
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert COOKIE not in response.cookies
    assert html_lang(client.get("/works/")) == "es"


@pytest.mark.django_db
def test_the_preferences_page_chooses_the_language_too() -> None:
    user = make_user("preferencias")
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    url = reverse("accounts:preferences", args=[user.username])
    page = client.get(url).content.decode()
    assert 'name="language"' in page
    data = {"reading_speed": "200", "keep_history": "on", "language": "es"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert Preference.objects.get(user=user).language == "es"
    assert response.cookies[COOKIE].value == "es"
    assert html_lang(client.get(url)) == "es"

    # Hostile input: a language the archive does not have changes nothing.
    response = client.post(url, {**data, "language": "../../etc"})
    assert response.status_code == 200
    assert Preference.objects.get(user=user).language == "es"

    # "" follows the browser again.
    response = client.post(url, {**data, "language": ""})
    assert Preference.objects.get(user=user).language == ""
    assert response.cookies[COOKIE].value == ""  # deleted
    assert html_lang(client.get(url, HTTP_ACCEPT_LANGUAGE="en")) == "en"


# -- mail and the API ------------------------------------------------------------------


@pytest.mark.django_db
def test_mail_goes_out_in_the_recipients_language() -> None:
    reader = make_user("correo", is_active=False)
    account_language_set(user=reader, language="es")
    english_reader = make_user("mail", is_active=False)
    mail.outbox.clear()
    with translation.override("en"):  # whoever triggers the mail reads English
        send_confirmation_email(user=reader, site_url="http://testserver")
        send_confirmation_email(user=english_reader, site_url="http://testserver")
    spanish_mail, english_mail = mail.outbox
    hello = "Hello %(username)s,"
    assert spanish(hello) != hello
    assert spanish(hello) % {"username": "correo"} in spanish_mail.body
    assert "Hello mail," in english_mail.body
    assert translation.get_language() == "en"


@pytest.mark.django_db
def test_api_errors_follow_accept_language() -> None:
    path = "/api/v1/works/987654321"
    english = Client().get(path, HTTP_ACCEPT_LANGUAGE="en")
    spanish_response = Client().get(path, HTTP_ACCEPT_LANGUAGE="es")
    assert english.status_code == spanish_response.status_code == 404
    detail = english.json()["detail"]
    assert spanish(detail) != detail, f"{detail!r} has no Spanish translation"
    assert spanish_response.json()["detail"] == spanish(detail)
    assert spanish_response["Content-Language"] == "es"


@pytest.mark.django_db
def test_a_password_reset_mail_is_in_the_accounts_language() -> None:
    reader = make_user("olvido", email="olvido@example.com")
    account_language_set(user=reader, language="es")
    mail.outbox.clear()
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("accounts:password_reset"), {"email": "olvido@example.com"}
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    subject = "Reset your password at %(site_title)s"
    assert spanish(subject) != subject
    assert message.subject.startswith(spanish(subject).split("%(")[0])
    assert spanish("Hello %(username)s,") % {"username": "olvido"} in message.body


# -- the scripts' catalogue ------------------------------------------------------------

CATALOGUE = reverse("javascript-catalog")


@pytest.mark.django_db
def test_the_scripts_catalogue_answers_in_the_readers_language_and_is_cached() -> None:
    from django.core.cache import cache

    cache.clear()
    for _round in range(2):  # the second round is served from the cache: still apart
        spanish_response = Client().get(CATALOGUE, HTTP_ACCEPT_LANGUAGE="es")
        english = Client().get(CATALOGUE, HTTP_ACCEPT_LANGUAGE="en")
        chosen = Client()
        chosen.cookies[COOKIE] = "es"
        by_cookie = chosen.get(CATALOGUE, HTTP_ACCEPT_LANGUAGE="en")
        for response in (spanish_response, english, by_cookie):
            assert response.status_code == 200
            assert response["Content-Type"].startswith("text/javascript")
            vary = {part.strip().lower() for part in response["Vary"].split(",")}
            assert {"accept-language", "cookie"} <= vary
            assert "max-age=" in response["Cache-Control"]
        assert spanish_response["Content-Language"] == "es"
        assert english["Content-Language"] == "en"
        script = spanish_response.content.decode()
        # The editor's toolbar, the autosave's notices and their placeholders.
        assert '"Bold": "Negrita"' in script
        assert '"Draft autosaved at %(time)s.": "Borrador guardado' in script
        assert "interpolate" in script and "ngettext" in script
        assert by_cookie.content == spanish_response.content
        assert "Negrita" not in english.content.decode()
    # The address may name the language (base.html's does): it wins over the browser's.
    named = Client().get(f"{CATALOGUE}?language=es", HTTP_ACCEPT_LANGUAGE="en")
    assert named["Content-Language"] == "es"
    assert named.content == spanish_response.content
    unknown = Client().get(f"{CATALOGUE}?language=tlh", HTTP_ACCEPT_LANGUAGE="es")
    assert unknown.content == spanish_response.content
    assert Client().get(f"{CATALOGUE}?language=en", HTTP_ACCEPT_LANGUAGE="es").content == (
        english.content
    )
    # Every page loads it, in its own language, before its other scripts (deferred
    # scripts run in order).
    page = Client().get("/works/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    catalogue_tag = f'<script src="{CATALOGUE}?language=es" defer></script>'
    assert catalogue_tag in page
    assert page.index(catalogue_tag) < page.index("tag-autocomplete.js")
