"""Text written in Python (services, selectors, the API, feeds, inbox notices) comes out in
the reader's language through the real stack; English stays the default."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fanarchive.accounts.models import Preference, User
from fanarchive.challenges.signup_services import _count_error
from fanarchive.core.testing import PASSWORD, make_user, make_work
from fanarchive.engagement.kudos_services import kudos_give

pytestmark = pytest.mark.django_db

SPANISH = "es"


def _logged_in(user: User, language: str = "") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language) if language else Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_kudos_given_twice_is_refused_in_spanish() -> None:
    work = make_work()
    reader = make_user()
    client = _logged_in(reader, SPANISH)
    url = reverse("engagement:kudos", args=[work.pk])
    client.post(url)
    again = client.post(url, follow=True)
    assert "Ya dejaste kudos aquí. :)" in again.content.decode()
    english = _logged_in(reader).post(url, follow=True)
    assert "You have already left kudos here. :)" in english.content.decode()


def test_a_refused_work_skin_is_explained_in_spanish() -> None:
    work = make_work()
    writer = work.creatorships.get().pseud.user
    url = reverse("works:skin_edit", args=[work.pk])
    refused = _logged_in(writer, SPANISH).post(url, {"skin_css": "p { color: url(x) }"})
    body = refused.content.decode()
    assert refused.status_code == 400
    assert "El skin de la obra no se guardó" in body
    assert "En “color”, url() no está permitido." in body
    english = _logged_in(writer).post(url, {"skin_css": "p { color: url(x) }"})
    assert "The work skin was not saved" in english.content.decode()


def test_an_api_problem_has_a_spanish_title_and_detail() -> None:
    missing = Client(HTTP_ACCEPT_LANGUAGE=SPANISH).get("/api/v1/users/nobody-here")
    problem = missing.json()
    assert missing.status_code == 404
    assert problem["title"] == "No encontrado"
    assert problem["detail"] == "No existe ese usuario."
    assert problem["type"] == "urn:fanarchive:problem:not-found"  # codes stay as they are
    assert Client().get("/api/v1/users/nobody-here").json()["title"] == "Not Found"


def test_a_feed_title_is_in_spanish() -> None:
    make_work()
    url = reverse("discovery:works_feed")
    spanish = Client(HTTP_ACCEPT_LANGUAGE=SPANISH).get(url, {"q": "lantern"}).content.decode()
    assert "Obras que coinciden con “lantern”" in spanish
    assert "Works matching “lantern”" in Client().get(url, {"q": "lantern"}).content.decode()


def test_a_challenge_sign_up_count_error_is_in_spanish() -> None:
    with translation.override("es"):
        assert _count_error("offer", 1, 1, 3) == "Puedes dar como máximo 1 oferta; diste 3."
        assert _count_error("prompt", 0, 0, 2) == "Este desafío no admite propuestas."
    assert _count_error("request", 2, 3, 0) == "Please give at least 2 requests; you gave 0."


def test_a_notice_is_written_in_its_recipients_language() -> None:
    spanish_writer, english_writer = make_user(), make_user()
    Preference.objects.update_or_create(user=spanish_writer, defaults={"language": "es"})
    work = make_work(spanish_writer, title="El faro")
    other = make_work(english_writer, title="The Lighthouse")
    reader = make_user("marina")
    # Whoever leaves the kudos, and in whatever language, each writer reads their own.
    with translation.override("en"):
        kudos_give(work=work, user=reader)
    with translation.override("es"):
        kudos_give(work=other, user=reader)
    inbox = reverse("social:inbox")
    spanish = _logged_in(spanish_writer).get(inbox).content.decode()
    assert "marina dejó kudos en &quot;El faro&quot;" in spanish
    english = _logged_in(english_writer).get(inbox).content.decode()
    assert "marina left kudos on &quot;The Lighthouse&quot;" in english


def test_a_search_syntax_error_is_explained_in_spanish() -> None:
    url = "/works/?q=" + "NOT"
    spanish = Client(HTTP_ACCEPT_LANGUAGE=SPANISH).get(url).content.decode()
    assert "NOT necesita una palabra o una frase detrás." in spanish
    english = Client().get(url).content.decode()
    assert "NOT needs a word or phrase after it." in english


def test_a_search_field_error_keeps_the_field_name_in_one_spanish_sentence() -> None:
    url = "/works/?q=" + "colour:red"
    spanish = Client(HTTP_ACCEPT_LANGUAGE=SPANISH).get(url).content.decode()
    assert "no es un campo de búsqueda; usa title: o creator:." in spanish
    assert "colour:" in spanish


def test_a_non_moderator_is_refused_in_one_spanish_sentence() -> None:
    reader = make_user()
    url = reverse("moderation:queue")
    refused = _logged_in(reader, SPANISH).get(url)
    assert refused.status_code == 403
    assert "Solo los moderadores y administradores pueden ver la cola de moderación." in (
        refused.content.decode()
    )
    english = _logged_in(reader).get(url)
    assert "Only moderators and administrators can see the moderation queue." in (
        english.content.decode()
    )


def test_an_import_notice_is_in_spanish() -> None:
    writer = make_user()
    story = b"Title: The Keeper\nFandom: Harbour Lights\n\nThe lantern swung above the harbour.\n"

    def review(client: Client) -> str:
        upload = SimpleUploadedFile("keeper.txt", story, content_type="text/plain")
        response = client.post(reverse("formats:import"), {"file": upload})
        assert response.status_code == 200
        return response.content.decode()

    spanish = review(_logged_in(writer, SPANISH))
    assert "No se indicó ninguna clasificación: clasificada como Not Rated." in spanish
    english = review(_logged_in(writer))
    assert "No rating given: rated Not Rated." in english
