from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fanarchive.works.tag_count_services import tags_recount


class Command(BaseCommand):
    help = "Refresh every tag's use count (the order of autocomplete suggestions)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = tags_recount()
        self.stdout.write(f"Recounted the uses of {count} tags.")
