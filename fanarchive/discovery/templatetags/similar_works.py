"""`{% similar_works work %}`: the work page's "More like this" (templates/works/detail.html).

The work page is engagement's (`reading_views`), which may not import discovery; a
template may load any app's tags, so the list is rendered here, from
`discovery.similar.similar_works`, for the page's reader and their adult-content consent.
"""

from __future__ import annotations

from typing import Any

from django import template

from fanarchive.discovery.similar import similar_works as similar_works_for
from fanarchive.works.age_gate import age_gate_context
from fanarchive.works.models import Work

register = template.Library()


@register.inclusion_tag("discovery/_similar_works.html", takes_context=True)
def similar_works(context: template.Context, work: Work) -> dict[str, Any]:
    request = context.get("request")
    if request is None or not work.posted or work.hidden_by_admin or work.unrevealed:
        # Only a listed work has neighbours worth offering (a draft's page is its creators').
        return {"works": []}
    works = similar_works_for(user=request.user, work_id=work.pk, reader=age_gate_context(request))
    # The blurbs read the request for the reader's folds and bylines.
    return {"works": works, "request": request}
