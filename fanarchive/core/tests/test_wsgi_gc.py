"""The web workers' garbage collection (config/wsgi.py): after the response, not inside it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from django.test import Client

import config.wsgi  # noqa: F401 (connects the collection to request_finished)

pytestmark = pytest.mark.django_db


@pytest.fixture
def collections() -> Iterator[list[tuple[str, int]]]:
    seen: list[tuple[str, int]] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(("collection", info["generation"]))

    gc.callbacks.append(record)
    yield seen
    gc.callbacks.remove(record)


def test_a_requests_garbage_is_collected_once_its_response_is_closed(collections) -> None:
    thresholds = gc.get_threshold()
    response = Client().get("/works/")
    # The test client closes the response (sending request_finished) before returning it.
    assert response.status_code == 200
    assert ("collection", 1) in collections
    assert thresholds[0] == 20_000  # and young collections are rare inside a request
