"""`make screenshots` (tools/screenshots.py): its core writes a real PNG of a served page.

The whole command (a demo archive, 20 screenshots) takes a minute, so this runs the
part that photographs, on a tiny archive: the posting form, logged in through the
login form, on a phone in the dark theme.
"""

from __future__ import annotations

import importlib.util
import struct
import sys
from pathlib import Path
from types import ModuleType

import pytest

from fanarchive.core.testing import PASSWORD, make_user, make_work
from fanarchive.works.tests.test_browser import require_chromium

pytestmark = pytest.mark.browser

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "screenshots.py"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def load_script() -> ModuleType:
    """tools/ is not a package: load the script by its path, as `make screenshots` runs it."""
    spec = importlib.util.spec_from_file_location("screenshots_tool", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_capture_writes_a_full_page_png_of_the_posting_form_logged_in(
    live_server, tmp_path, monkeypatch
):
    require_chromium()
    # Playwright's sync API runs an event loop in this thread; the ORM stays synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    screenshots = load_script()
    writer = make_user("harbour_painter")
    make_work(writer, title="Gulls Over the Slate Roofs")

    written = screenshots.capture(
        live_server.url,
        [screenshots.Shot("posting-form", "/works/new/", logged_in=True)],
        tmp_path / "shots",
        login=screenshots.Login("harbour_painter", PASSWORD),
        sizes=[screenshots.PHONE],
        themes=["dark"],
    )

    expected = tmp_path / "shots" / "posting-form-phone-dark.png"
    assert written == [expected]
    width, height = png_size(expected)
    # Full page: the whole form, far taller than the phone's screen.
    assert width == screenshots.PHONE.width and height > screenshots.PHONE.height
