"""News posts with their comments, the site's own pages and the site banner.

Written only by `news.services` (each change by staff leaves an audit entry); read by
`news.selectors`. Texts keep what was typed (`source`) and the sanitised HTML shown
(`body`, `text`), as chapters do.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class SitePage(models.Model):
    """Terms of Service, Privacy, Content Policy, FAQ: fixed pages (a data migration
    makes them) that staff edit at /about/<slug>/edit/ or in the admin."""

    slug = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=200)
    source = models.TextField(blank=True)
    body = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("slug",)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:page", args=[self.slug])


class NewsPost(models.Model):
    """An admin post (AO3's "News"): a draft until `published_at` is set."""

    title = models.CharField(max_length=200)
    source = models.TextField()
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    comments_enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ("-published_at", "-id")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:post", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class NewsComment(models.Model):
    """A comment on a news post, or a reply to one (one level, as AO3's threads start)."""

    post = models.ForeignKey(NewsPost, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    source = models.TextField(blank=True)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # A deleted comment loses its text; it stays as "(Previous comment deleted.)" while
    # replies hang from it.
    deleted = models.BooleanField(default=False)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.post}"


class SiteBanner(models.Model):
    """The notice at the top of every page. One row at most is active; `version` grows
    with every edit, so a reader who hid one version sees the next."""

    source = models.TextField(blank=True)
    text = models.TextField(blank=True)
    active = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["active"],
                condition=models.Q(active=True),
                name="news_one_active_banner",
            )
        ]

    def __str__(self) -> str:
        return f"Site banner (version {self.version})"
