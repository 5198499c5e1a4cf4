"""schemathesis against the live schema: no server errors, no response outside the schema.

Every operation of /api/v1/openapi.json gets generated requests (a fixed seed and a
few examples each, so CI stays quick) against an archive holding works of every
visibility, as a guest and with a read-write token.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from fanarchive.api.services import token_create
from fanarchive.api.tests.conftest import Archive

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Loaded at collection: the schema is made from the code, without the database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """Requests go to the WSGI app directly: keep the test's connection (and transaction)
    open after each, as Django's test client does, instead of closing it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(archive: Archive, settings: Any) -> str:
    settings.API_RATE_LIMIT_REQUESTS = 1_000_000
    _, secret = token_create(
        user=archive.creator, owner=archive.creator, name="schemathesis", scope="write"
    )
    return secret


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=8,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: Any, token: str, keep_connection: None) -> None:
    # The WSGI transport hands over the body as sent: ask for it uncompressed (a real
    # client would undo the gzip the site applies to JSON).
    plain = {"Accept-Encoding": "identity"}
    case.call_and_validate(headers=plain, checks=CHECKS)
    case.call_and_validate(headers={**plain, "Authorization": f"Bearer {token}"}, checks=CHECKS)
