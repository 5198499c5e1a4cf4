"""Pages and feeds carry a validator and answer a conditional request with 304; text is
gzipped for clients that accept it, downloads are not compressed twice."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client

from fanarchive.core.testing import make_user, make_work

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/works/", "/works/feed.atom"])
def test_an_unchanged_page_or_feed_answers_a_conditional_request_with_304(path):
    writer = make_user("etag_writer")
    make_work(writer, title="The Lantern Ledger")
    browser = Client()
    first = browser.get(path)
    assert first.status_code == 200
    etag = first["ETag"]
    again = browser.get(path, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_a_page_kept_from_before_the_csrf_secret_changed_is_sent_again():
    """Its forms carry a token of the old secret, which would be refused."""
    work = make_work(make_user("etag_csrf_writer"), title="The Old Key")
    browser = Client()
    browser.force_login(make_user("etag_csrf_reader"))
    etag = browser.get(f"/works/{work.pk}/")["ETag"]
    browser.cookies["csrftoken"] = "x" * 32  # a log-in, say, rotated it
    response = browser.get(f"/works/{work.pk}/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_a_change_to_the_listing_gives_a_new_validator():
    writer = make_user("etag_changer")
    make_work(writer, title="The First Beacon")
    browser = Client()
    etag = browser.get("/works/")["ETag"]
    make_work(writer, title="The Second Beacon")
    changed = browser.get("/works/", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert "The Second Beacon" in changed.content.decode()
    assert changed["ETag"] != etag


def test_a_guests_page_does_not_depend_on_a_csrf_cookie():
    """A guest's page has no token (core/csrf.py): a CSRF cookie left by an earlier log-in
    changes nothing, so every guest's validator is the same."""
    work = make_work(make_user("etag_guest_writer"), title="The Open Door")
    etag = Client().get(f"/works/{work.pk}/")["ETag"]
    browser = Client()
    browser.cookies["csrftoken"] = "x" * 32
    response = browser.get(f"/works/{work.pk}/", headers={"if-none-match": etag})
    assert response.status_code == 304


@pytest.mark.parametrize("logged_in", [False, True], ids=["guest", "logged-in"])
def test_a_work_page_is_validated_too(logged_in):
    work = make_work(make_user("etag_page_writer"), title="The Quiet Pier")
    browser = Client()
    if logged_in:
        browser.force_login(make_user("etag_page_reader"))
    first = browser.get(f"/works/{work.pk}/")
    assert first.status_code == 200
    # The kudos form's token: a logged-in reader's, masked afresh at each render.
    assert ('name="csrfmiddlewaretoken"' in first.content.decode()) == logged_in
    again = browser.get(f"/works/{work.pk}/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_pages_are_gzipped_for_clients_that_accept_it():
    make_work(make_user("gzip_writer"), title="The Salt Almanac")
    plain = Client().get("/works/")
    packed = Client().get("/works/", headers={"accept-encoding": "gzip"})
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert "The Salt Almanac" in gzip.decompress(packed.content).decode()
    assert len(packed.content) < len(plain.content) / 2
    # The validator of a compressed page is weak (the bytes differ, the page does not).
    assert packed["ETag"].startswith("W/")


def test_downloads_are_not_compressed_again():
    work = make_work(make_user("gzip_download_writer"), title="The Packed Trunk")
    response = Client().get(f"/downloads/{work.pk}/epub/", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/epub+zip"
    assert "Content-Encoding" not in response
    body = response.getvalue()
    assert body[:2] == b"PK"


def test_the_api_json_is_gzipped_and_validated():
    make_work(make_user("api_gzip_writer"), title="The Harbour Index")
    browser = Client()
    first = browser.get("/api/v1/works", headers={"accept-encoding": "gzip"})
    assert first.status_code == 200
    assert first["Content-Encoding"] == "gzip"
    assert "The Harbour Index" in gzip.decompress(first.content).decode()
    again = browser.get(
        "/api/v1/works", headers={"accept-encoding": "gzip", "if-none-match": first["ETag"]}
    )
    assert again.status_code == 304
