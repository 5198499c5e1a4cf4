"""Tokens are made and revoked by their owners (api.services); the admin looks."""

from django.contrib import admin

from fanarchive.api.models import ApiToken
from fanarchive.core.admin import ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin[ApiToken]):
    list_display = ["name", "user", "prefix", "scope", "created_at", "last_used_at"]
    search_fields = ["name", "user__username", "prefix"]
