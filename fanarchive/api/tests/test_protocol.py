"""The API's plumbing: problem details, rate limits, CORS, the schema and the docs page."""

from __future__ import annotations

import pytest
from django.test import Client

from config.env import ConfigError, parse_rate
from fanarchive.api.ratelimit import rate_limit_check
from fanarchive.api.tests.conftest import Archive, api_as
from fanarchive.core.testing import make_user

pytestmark = pytest.mark.django_db


def test_unknown_api_address_is_a_problem(client: Client) -> None:
    response = client.get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "urn:fanarchive:problem:not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "There is no such API endpoint.",
    }


def test_wrong_method_is_a_problem(client: Client) -> None:
    response = client.put("/api/v1/works")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    assert response.json()["type"] == "urn:fanarchive:problem:method-not-allowed"


def test_rate_limit_answers_429_with_retry_after(archive: Archive, settings) -> None:
    settings.API_RATE_LIMIT_REQUESTS = 3
    settings.API_RATE_LIMIT_WINDOW = 60
    guest = api_as(None)
    for _ in range(3):
        assert guest.get("/api/v1/works").status_code == 200
    limited = guest.get("/api/v1/works")
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["type"] == "urn:fanarchive:problem:rate-limited"
    # Another caller (a token) has a budget of its own.
    assert api_as(archive.other).get("/api/v1/works").status_code == 200


def test_rate_limit_window_resets(settings, db: None) -> None:
    settings.API_RATE_LIMIT_REQUESTS = 1
    settings.API_RATE_LIMIT_WINDOW = 10
    rate_limit_check("test-key", now=1000.0)
    with pytest.raises(Exception) as error:
        rate_limit_check("test-key", now=1004.0)
    assert getattr(error.value, "headers", {}) == {"Retry-After": "6"}
    rate_limit_check("test-key", now=1010.0)  # a new window


def test_rate_limit_setting_parses() -> None:
    assert parse_rate(None, (300, 300)) == (300, 300)
    assert parse_rate("600/60", (300, 300)) == (600, 60)
    for bad in ("fast", "0/10", "10/", "-1/5"):
        with pytest.raises(ConfigError):
            parse_rate(bad, (300, 300))


def test_cors_for_reads_only(archive: Archive, client: Client) -> None:
    origin = {"Origin": "https://reader.example"}
    read = client.get("/api/v1/works", headers=origin)
    assert read["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/works", headers={**origin, "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET"
    write_preflight = client.options(
        "/api/v1/works", headers={**origin, "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in write_preflight
    user = make_user("corswriter")
    written = api_as(user).post("/api/v1/works", {}, Origin="https://reader.example")
    assert "Access-Control-Allow-Origin" not in written
    # The site's own pages are not opened to other origins.
    assert "Access-Control-Allow-Origin" not in client.get("/works/", headers=origin)


def test_openapi_schema(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Fanarchive API"
    paths = schema["paths"]
    for path in (
        "/api/v1/works",
        "/api/v1/works/{work_id}",
        "/api/v1/works/{work_id}/chapters",
        "/api/v1/works/{work_id}/chapters/{chapter_id}",
        "/api/v1/tags/{tag_id}",
        "/api/v1/tags/autocomplete",
        "/api/v1/users/{username}",
        "/api/v1/tokens",
    ):
        assert path in paths
    errors = paths["/api/v1/works"]["get"]["responses"]["422"]["content"]
    assert list(errors) == ["application/problem+json"]
    assert schema["components"]["securitySchemes"]["ApiAuth"]["scheme"] == "bearer"


def test_docs_page_works_offline_under_the_csp(client: Client) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    csp = page["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # only src= scripts and a JSON data block
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert f"/static/{asset}" in html
        assert client.get(f"/static/{asset}").status_code == 200


def test_static_files_leave_out_what_the_docs_do_not_use() -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("ninja/swagger-ui-bundle.js")
    assert finders.find("ninja/redoc.standalone.js") is None
    assert finders.find("ninja/swagger-ui-bundle.js.map") is None
    assert finders.find("css/site.css")
    listed = {path for finder in finders.get_finders() for path, _ in finder.list([])}
    assert "ninja/swagger-ui.css" in listed
    assert not any(path.startswith("ninja/redoc") for path in listed)
