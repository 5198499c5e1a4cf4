"""Work skins: the allowlist sanitiser (hostile CSS), the creator's skin page, and the
skin on the reading pages only for readers who show skins, never in downloads."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.reader_settings import COOKIE_NAME, ReaderSettings, cookie_value
from fanarchive.accounts.reader_settings_services import reader_settings_save
from fanarchive.core.testing import PASSWORD, make_user, make_work
from fanarchive.portability.export_selectors import preferences_record, work_record
from fanarchive.works.models import Work
from fanarchive.works.skin_css import SKIN_MAX_CHARS, skin_clean
from fanarchive.works.skin_services import work_skin_set

SKIN = ".text-message { color: #1a4d8f; border: 1px solid #1a4d8f; padding: .5em; }"


# -- the sanitiser -------------------------------------------------------------------------


def test_allowed_rules_are_kept_and_scoped_to_the_work() -> None:
    result = skin_clean(
        SKIN + " #workskin p em, .letter > p { font-style: italic; max-width: 30em }"
    )
    assert result.ok
    assert result.css.startswith("#workskin .text-message {\n  color: #1a4d8f;")
    assert "#workskin p em, #workskin .letter > p {" in result.css
    assert "max-width: 30em;" in result.css


@pytest.mark.parametrize(
    ("css", "named"),
    [
        ("p { color: url(https://example.org/x) }", "url() is not allowed"),
        (r"p { color: \75 rl(https://example.org/x) }", "url() is not allowed"),
        (r"p { color: u\72l(x) }", "url() is not allowed"),
        ('@import "https://example.org/evil.css"; p { color: red }', "@import"),
        ("@font-face { font-family: x; src: url(x) }", "@font-face"),
        ("@media screen { body { color: red } }", "@media"),
        ("p { color: expression(alert(1)) }", "expression() is not allowed"),
        ("p { position: fixed; top: 0 }", "“position”"),
        ("p { z-index: 99 }", "“z-index”"),
        ("p { behavior: url(x.htc) }", "“behavior”"),
        ("p { -moz-binding: url(x.xml) }", "“-moz-binding”"),
        ("p { pos/* hidden */ition: absolute }", "could not be read"),
        ("p { display: flex }", "display may only be"),
        ("p { width: 2000px }", "widths must be in em"),
        ("p { margin-top: -40em }", "negative margins"),
        ("</style><script>alert(1)</script>", "</style>"),
        ('p { font-family: "</style><script>x</script>" }', "</style>"),
        (r"p\3a hover, body { color: red }", "the selector"),
        ("p::before { color: red }", "the selector"),
    ],
)
def test_hostile_css_is_refused_and_named(css: str, named: str) -> None:
    result = skin_clean(css)
    assert not result.ok
    assert any(named in problem for problem in result.problems), result.problems
    for forbidden in ("url(", "@", "<", "\\", "position", "expression"):
        assert forbidden not in result.css


def test_a_comment_cannot_hide_a_rule() -> None:
    # The comment is dropped by the parser: the second rule is read as it is, and scoped.
    result = skin_clean("p { color: red; /* } body { display: none */ }")
    assert result.ok and result.css == "#workskin p {\n  color: red;\n}\n"


def test_huge_input_is_refused_quickly() -> None:
    result = skin_clean("p{color:red}" * (SKIN_MAX_CHARS // 10))
    assert not result.ok and "the most is" in result.problems[0] and result.css == ""
    assert not skin_clean("p{color:red}\n" * 201 + "").ok


# -- the service and the pages --------------------------------------------------------------


@pytest.mark.django_db
def test_bad_css_saves_nothing_and_says_what_to_remove() -> None:
    work = make_work()
    writer = work.creatorships.get().pseud.user
    work_skin_set(user=writer, work=work, css=SKIN)
    with pytest.raises(ValidationError) as refused:
        work_skin_set(user=writer, work=work, css=SKIN + " p { position: fixed }")
    assert "“position”" in str(refused.value)
    assert Work.objects.get(pk=work.pk).skin_css.startswith("#workskin .text-message")
    with pytest.raises(PermissionDenied):
        work_skin_set(user=make_user(), work=work, css=SKIN)
    work_skin_set(user=writer, work=work, css="")
    assert Work.objects.get(pk=work.pk).skin_css == ""


@pytest.mark.django_db
def test_the_creator_sets_a_skin_on_its_page() -> None:
    work = make_work()
    writer = work.creatorships.get().pseud.user
    client = Client()
    client.login(username=writer.username, password=PASSWORD)
    url = reverse("works:skin_edit", args=[work.pk])
    assert f'href="{url}"' in client.get(work.get_absolute_url()).content.decode()
    refused = client.post(url, {"skin_css": "p { background-image: url(x) }"})
    assert refused.status_code == 400
    assert "background-image" in refused.content.decode()
    assert Work.objects.get(pk=work.pk).skin_css == ""
    assert client.post(url, {"skin_css": SKIN}).status_code == 302
    assert "#workskin .text-message" in Work.objects.get(pk=work.pk).skin_css
    # Someone else may not.
    other = Client()
    other.login(username=make_user().username, password=PASSWORD)
    assert other.post(url, {"skin_css": ""}).status_code == 403


@pytest.mark.django_db
def test_readers_get_the_skin_only_when_they_show_skins_and_never_in_downloads() -> None:
    work = make_work()
    writer = work.creatorships.get().pseud.user
    work_skin_set(user=writer, work=work, css=SKIN)
    stylesheet = reverse("works:skin", args=[work.pk])

    guest = Client()
    page = guest.get(work.get_absolute_url())
    body = page.content.decode()
    assert f'<link rel="stylesheet" href="{stylesheet}?v=' in body
    assert '<div id="workskin">' in body
    # Served from this site as a stylesheet: no inline style, the CSP stays strict.
    assert "style-src 'self'" in page["Content-Security-Policy"]
    assert "<style" not in body
    served = guest.get(stylesheet)
    assert served["Content-Type"].startswith("text/css")
    assert served.content.decode() == Work.objects.get(pk=work.pk).skin_css

    guest.cookies[COOKIE_NAME] = cookie_value(ReaderSettings(show_work_skins=False))
    assert stylesheet not in guest.get(work.get_absolute_url()).content.decode()

    reader = make_user()
    reader_settings_save(user=reader, settings=ReaderSettings(show_work_skins=False))
    logged_in = Client()
    logged_in.login(username=reader.username, password=PASSWORD)
    chapter = work.chapters.get()
    assert stylesheet not in logged_in.get(chapter.get_absolute_url()).content.decode()

    for fmt in ("html", "txt"):
        download = guest.get(reverse("formats:download", args=[work.pk, fmt]))
        assert download.status_code == 200
        content = b"".join(download.streaming_content)  # type: ignore[attr-defined]
        assert b"Chapter 1 ends here" in content
        assert b"text-message" not in content and b"workskin" not in content


@pytest.mark.django_db
def test_the_skin_is_as_private_as_its_work() -> None:
    draft = make_work(post=False)
    work_skin_set(user=draft.creatorships.get().pseud.user, work=draft, css=SKIN)
    assert Client().get(reverse("works:skin", args=[draft.pk])).status_code == 404
    plain = make_work()
    assert Client().get(reverse("works:skin", args=[plain.pk])).status_code == 404


@pytest.mark.django_db
def test_the_api_gives_the_skin_as_a_field_never_in_the_text() -> None:
    work = make_work()
    work_skin_set(user=work.creatorships.get().pseud.user, work=work, css=SKIN)
    api = Client()
    detail = api.get(f"/api/v1/works/{work.pk}").json()
    assert detail["skin_css"] == Work.objects.get(pk=work.pk).skin_css
    chapters = api.get(f"/api/v1/works/{work.pk}/chapters").content
    assert b"text-message" not in chapters and b"workskin" not in chapters


@pytest.mark.django_db
def test_the_data_export_carries_the_skin_and_the_reader_settings() -> None:
    work = make_work()
    writer = work.creatorships.get().pseud.user
    work_skin_set(user=writer, work=work, css=SKIN)
    reader_settings_save(user=writer, settings=ReaderSettings(theme="sepia"))
    work = Work.objects.get(pk=work.pk)
    assert work_record(writer, work)["skin_css"].startswith("#workskin .text-message")
    assert preferences_record(writer)["preferences"]["reader_theme"] == "sepia"
