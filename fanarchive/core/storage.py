from __future__ import annotations

from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


# whitenoise ships no type hints, so its class is Any to mypy.
class StaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """Hashed, compressed static files after collectstatic; plain names before it.

    Tests and a fresh checkout have not run collectstatic, so an asset missing
    from the manifest gets its plain URL (served by whitenoise from the app's
    static folder) instead of failing the page.
    """

    manifest_strict = False

    def url(self, name: str | None, force: bool = False) -> str:
        try:
            url: str = super().url(name, force)
            return url
        except ValueError:
            return FileSystemStorage.url(self, name)
