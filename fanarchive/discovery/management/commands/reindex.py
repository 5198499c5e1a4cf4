"""`fanarchive reindex`: rebuild the catalogue index (and, with --search, the search documents)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from fanarchive.discovery.index import live, store
from fanarchive.works.catalogue_services import search_documents_rebuild
from fanarchive.works.models import Work


class Command(BaseCommand):
    help = "Rebuild the catalogue index from the database and save it for every process to load."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--search",
            action="store_true",
            help="also rewrite every work's full-text search document (slow on big archives)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # No tqdm monitor thread: the build forks its readers only from a process with no
        # other thread (`discovery.index.parallel`), and the bars move often enough.
        tqdm.monitor_interval = 0
        total = Work.objects.count()
        if options["search"]:
            work_ids = list(Work.objects.order_by("id").values_list("id", flat=True))
            with tqdm(total=total, desc="search documents", unit="work") as bar:
                search_documents_rebuild(work_ids=work_ids, progress=bar.update)
        with tqdm(total=total, desc="catalogue index", unit="work") as bar:
            catalogue = live.rebuild(progress=bar.update)
        self.stdout.write(
            f"Indexed {catalogue.stats()['works']:,} works and {catalogue.stats()['tags']:,} tags "
            f"in {catalogue.build_seconds:.1f} s, up to change {catalogue.applied}; "
            f"saved to {store.index_path()}."
        )
