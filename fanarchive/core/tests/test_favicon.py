"""The site's icon: named by every page, and where browsers look for it unasked."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_every_page_names_the_icon_and_favicon_ico_leads_to_it(client):
    page = client.get("/works/").content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert icon is not None
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == icon.group(1)
    served = client.get(icon.group(1))
    assert served.status_code == 200
    assert b"<svg" in b"".join(served.streaming_content)
