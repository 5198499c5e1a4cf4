"""The site header's links for people with a role: wranglers to their fandoms, admins to
the admin site (`{% header_roles user as roles %}` in templates/base.html)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.contrib.auth.models import AnonymousUser

from fanarchive.accounts.models import User
from fanarchive.tags.selectors import is_admin, is_wrangler

register = template.Library()


@dataclass(frozen=True)
class HeaderRoles:
    wrangler: bool
    admin: bool


@register.simple_tag
def header_roles(user: User | AnonymousUser) -> HeaderRoles:
    """What the header links to beyond every account's pages (one query for a wrangler's
    group; none for guests)."""
    if not user.is_authenticated:
        return HeaderRoles(wrangler=False, admin=False)
    return HeaderRoles(wrangler=is_wrangler(user), admin=is_admin(user))
