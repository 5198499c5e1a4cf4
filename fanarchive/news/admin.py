"""The news app in Django's admin: every save and delete goes through the services (which
check staff and write the audit entry), as on the site. The four site pages are fixed:
they are edited, never added or deleted here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from fanarchive.news import services
from fanarchive.news.models import NewsComment, NewsPost, SiteBanner, SitePage


def _check(form: forms.ModelForm[Any], check: Callable[[], None]) -> None:
    """The service's messages on the admin's form (its text field is `source`)."""
    try:
        check()
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error("source" if field in ("body", "text") else field, errors)


class SitePageForm(forms.ModelForm[SitePage]):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check(
            self,
            lambda: services.site_page_check(
                title=data.get("title") or "", body=data.get("source") or ""
            ),
        )
        return data


class NewsPostForm(forms.ModelForm[NewsPost]):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check(
            self,
            lambda: services.news_post_check(
                title=data.get("title") or "", body=data.get("source") or ""
            ),
        )
        return data


class SiteBannerForm(forms.ModelForm[SiteBanner]):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check(
            self,
            lambda: services.banner_check(
                text=data.get("source") or "", active=bool(data.get("active"))
            ),
        )
        return data


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin[SitePage]):
    form = SitePageForm
    list_display = ("title", "slug", "updated_at", "updated_by")
    fields = ("slug", "title", "source", "updated_at", "updated_by")
    readonly_fields = ("slug", "updated_at", "updated_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: SitePage, form: ModelForm[SitePage], change: bool
    ) -> None:
        saved = services.site_page_edit(
            user=request.user,
            page=obj,
            title=obj.title,
            body=obj.source,
        )
        obj.body, obj.updated_at, obj.updated_by = saved.body, saved.updated_at, saved.updated_by


@admin.register(NewsPost)
class NewsPostAdmin(admin.ModelAdmin[NewsPost]):
    form = NewsPostForm
    list_display = ("title", "published_at", "author", "comments_enabled")
    fields = ("title", "source", "comments_enabled", "published_at", "author", "updated_at")
    readonly_fields = ("published_at", "author", "updated_at")

    def save_model(
        self, request: HttpRequest, obj: NewsPost, form: ModelForm[NewsPost], change: bool
    ) -> None:
        user: Any = request.user
        if change:
            saved = services.news_post_edit(
                user=user,
                post=obj,
                title=obj.title,
                body=obj.source,
                comments_enabled=obj.comments_enabled,
                publish=obj.published_at is not None,
            )
        else:
            saved = services.news_post_create(
                user=user,
                title=obj.title,
                body=obj.source,
                comments_enabled=obj.comments_enabled,
                publish=True,
            )
        obj.pk = saved.pk
        obj.body, obj.published_at, obj.author = saved.body, saved.published_at, saved.author
        obj.created_at, obj.updated_at = saved.created_at, saved.updated_at

    def delete_model(self, request: HttpRequest, obj: NewsPost) -> None:
        services.news_post_delete(user=request.user, post=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[NewsPost]) -> None:
        for post in queryset:
            self.delete_model(request, post)


@admin.register(NewsComment)
class NewsCommentAdmin(admin.ModelAdmin[NewsComment]):
    """Comments are read here and deleted through the service; never written here."""

    list_display = ("__str__", "user", "created_at", "deleted")
    list_filter = ("deleted",)
    fields = ("post", "user", "parent", "source", "created_at", "deleted")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: NewsComment) -> None:
        services.news_comment_delete(user=request.user, comment=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[NewsComment]) -> None:
        for comment in queryset:
            self.delete_model(request, comment)


@admin.register(SiteBanner)
class SiteBannerAdmin(admin.ModelAdmin[SiteBanner]):
    """The one banner (also at /admin-banner/)."""

    form = SiteBannerForm

    list_display = ("__str__", "active", "updated_at", "updated_by")
    fields = ("source", "active", "version", "updated_at", "updated_by")
    readonly_fields = ("version", "updated_at", "updated_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not SiteBanner.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: SiteBanner, form: ModelForm[SiteBanner], change: bool
    ) -> None:
        saved = services.banner_set(
            user=request.user,
            text=obj.source,
            active=obj.active,
        )
        obj.pk, obj.text, obj.version = saved.pk, saved.text, saved.version
        obj.updated_at, obj.updated_by = saved.updated_at, saved.updated_by
