"""The site's four fixed pages, with placeholder texts the operator replaces."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from fanarchive.core.text import render

HOW_TO_REPLACE = (
    "<p><strong>This is a placeholder.</strong> The people who run this archive have not "
    "written this page yet. An administrator replaces this text on the page's "
    "<em>Edit</em> link (shown to staff), at <code>/about/{slug}/edit/</code>, or in the "
    "admin pages under <em>News and site pages &rsaquo; Site pages</em>.</p>"
)

PAGES = [
    (
        "terms",
        "Terms of Service",
        "<p>These terms say what you agree to when you use this archive: who may have an "
        "account, what you may post, and what the archive may do with what you post.</p>",
    ),
    (
        "privacy",
        "Privacy Policy",
        "<p>This policy says what this archive records about you (your account, what you "
        "post, your addresses in the server's logs), why, for how long, and who can see it.</p>",
    ),
    (
        "content-policy",
        "Content Policy",
        "<p>This policy says what may be posted here, how works must be rated and tagged, "
        "and what happens to works and comments that break the rules.</p>",
    ),
    (
        "faq",
        "Frequently Asked Questions",
        "<p>Answers to common questions about posting, tagging, comments, kudos, bookmarks "
        "and accounts on this archive.</p>",
    ),
]


def create_pages(apps: Any, schema_editor: Any) -> None:
    SitePage = apps.get_model("news", "SitePage")
    for slug, title, summary in PAGES:
        source = summary + "\n" + HOW_TO_REPLACE.format(slug=slug)
        SitePage.objects.get_or_create(
            slug=slug,
            defaults={"title": title, "source": source, "body": render(source, "html")},
        )


def remove_pages(apps: Any, schema_editor: Any) -> None:
    apps.get_model("news", "SitePage").objects.filter(
        slug__in=[slug for slug, _, _ in PAGES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]

    operations = [migrations.RunPython(create_pages, remove_pages)]
