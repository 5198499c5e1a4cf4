"""The "Post a new work" link of an assignment or a claim: the posting form opens with
the collection, the recipient as a gift and the request's tags filled in (the fields
`works.views.work_new` takes from the address), so posting the work puts it in the
collection as a gift, as on AO3."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from fanarchive.accounts.models import Pseud
from fanarchive.challenges.models import Prompt
from fanarchive.collections.models import Collection
from fanarchive.tags.models import TagType

# Posting-form field of each tag type a request may carry.
FIELD_OF_TYPE: dict[str, str] = {
    TagType.FANDOM: "fandoms",
    TagType.RELATIONSHIP: "relationships",
    TagType.CHARACTER: "characters",
    TagType.FREEFORM: "freeforms",
}


def new_work_url(
    collection: Collection, *, gift_to: Pseud | None = None, prompt: Prompt | None = None
) -> str:
    values: dict[str, str] = {"collections": collection.name}
    if gift_to is not None:
        values["gifts"] = gift_to.byline
    if prompt is not None:
        names: dict[str, list[str]] = {}
        for tag in prompt.tags.all():
            field = FIELD_OF_TYPE.get(tag.type)
            if field is not None:
                names.setdefault(field, []).append(tag.name)
        values.update({field: ", ".join(sorted(found)) for field, found in names.items()})
    return f"{reverse('works:new')}?{urlencode(values)}"
