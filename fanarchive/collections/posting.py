"""The posting form's "Post to collections" field, heard from the works services
(`works.events.WorkCollections`): the work is put in exactly the collections named.

New names are added through `item_services.collection_item_add` (closed collections,
moderation, unrevealed and anonymous flags: its rules); names left out take the work out of
those collections (as on AO3). Only items the creators chose count: a moderator's
invitation not yet answered is neither shown in the field nor removed by it. Any refusal is
raised keyed "collections", inside the posting transaction, so the whole post rolls back.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from fanarchive.accounts.models import User
from fanarchive.collections.item_services import collection_item_add, collection_item_remove
from fanarchive.collections.models import Approval, Collection, CollectionItem
from fanarchive.works.models import Work

NAME_SHOWN = 60  # characters of an unknown name repeated in the message


def _chosen_items(work: Work) -> list[CollectionItem]:
    return list(
        CollectionItem.objects.filter(work=work, user_approval=Approval.APPROVED)
        .select_related("collection")
        .order_by("collection__name")
    )


class CollectionPosting:
    def collections_chosen(self, *, user: User, work: Work, names: Sequence[str]) -> None:
        wanted = {name.casefold(): name for name in names if name}
        found: dict[str, Collection] = {}
        for key, name in wanted.items():
            collection = Collection.objects.filter(name__iexact=name).first()
            if collection is None:
                shown = name if len(name) <= NAME_SHOWN else name[:NAME_SHOWN] + "…"
                raise ValidationError(
                    {"collections": [_('There is no collection "%(shown)s".') % {"shown": shown}]}
                )
            found[key] = collection
        present = {item.collection.name.casefold(): item for item in _chosen_items(work)}
        pending = CollectionItem.objects.filter(work=work).values_list(
            "collection__name", flat=True
        )
        elsewhere = {name.casefold() for name in pending} - set(present)
        try:
            for key, item in present.items():
                if key not in wanted:
                    collection_item_remove(user=user, item=item)
            for key, collection in found.items():
                if key not in present and key not in elsewhere:
                    collection_item_add(user=user, collection=collection, work=work)
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise ValidationError({"collections": messages}) from error

    def collections_of(self, *, work: Work) -> list[str]:
        return [item.collection.name for item in _chosen_items(work)]
