"""`{% work_skin_stylesheet work %}`: the <link> to a work's skin, for readers who show
skins (accounts reader settings); nothing for the others or for a work without one."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from fanarchive.accounts.reader_settings_selectors import reader_settings_for
from fanarchive.works.models import Work
from fanarchive.works.skin_services import skin_version

register = template.Library()


@register.simple_tag(takes_context=True)
def work_skin_stylesheet(context: dict[str, Any], work: Work) -> SafeString | str:
    request = context.get("request")
    if not work.skin_css or request is None or not reader_settings_for(request).show_work_skins:
        return ""
    return format_html(
        '<link rel="stylesheet" href="{}?v={}">',
        reverse("works:skin", args=[work.pk]),
        skin_version(work.skin_css),
    )
