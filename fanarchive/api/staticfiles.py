"""Static files of the apps, leaving out what django-ninja ships but the API docs never use.

django-ninja brings ReDoc and source maps (about 6 MB before compression); compressing
them made `collectstatic` (and so `fanarchive serve`) minutes slower. The docs page
needs Swagger UI's bundle, its start script, its stylesheet (with the source map the
stylesheet names, which the manifest storage insists on) and the favicons.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.staticfiles.finders import AppDirectoriesFinder as DjangoAppDirectoriesFinder
from django.core.files.storage import Storage

NINJA_FILES = frozenset(
    {
        "ninja/swagger-ui-bundle.js",
        "ninja/swagger-ui-init.js",
        "ninja/swagger-ui.css",
        "ninja/swagger-ui.css.map",
        "ninja/favicon.png",
        "ninja/favicon.svg",
    }
)


def wanted(path: str) -> bool:
    path = path.replace("\\", "/")
    return not path.startswith("ninja/") or path in NINJA_FILES


class AppDirectoriesFinder(DjangoAppDirectoriesFinder):
    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, Storage]]:
        for path, storage in super().list(ignore_patterns):
            if wanted(path):
                yield path, storage

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        find_all = find_all or bool(kwargs.pop("all", False))
        if not wanted(path):
            return []  # "not found", as Django's finders say it
        parent: Any = super()
        return parent.find(path, find_all=find_all)
