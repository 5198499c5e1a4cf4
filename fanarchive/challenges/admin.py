"""Challenges in Django's admin: read-only. Tag sets, challenges and sign-ups are run on
the site, where the services check who may do what and keep the rules (windows, tag
limits, reveals, assignments) in step."""

from __future__ import annotations

from django.contrib import admin

from fanarchive.challenges.models import (
    Assignment,
    Challenge,
    Claim,
    Prompt,
    SignUp,
    TagNomination,
    TagRule,
    TagSet,
)
from fanarchive.core.admin import ReadOnlyAdmin, ReadOnlyInline


@admin.register(TagSet)
class TagSetAdmin(ReadOnlyAdmin[TagSet]):
    list_display = ("title", "nominations_open", "created_at")
    list_filter = ("nominations_open",)
    search_fields = ("title",)
    filter_horizontal = ("owners",)


@admin.register(TagNomination)
class TagNominationAdmin(ReadOnlyAdmin[TagNomination]):
    list_display = ("name", "tag_type", "tag_set", "user", "status", "created_at")
    list_filter = ("status", "tag_type")
    raw_id_fields = ("tag_set", "user", "tag")


class TagRuleInline(ReadOnlyInline[TagRule, Challenge]):
    model = TagRule
    fields = (
        "tag_type",
        "request_required",
        "request_allowed",
        "offer_required",
        "offer_allowed",
        "allow_any",
        "must_match",
        "restrict_to_tag_set",
    )
    readonly_fields = fields


@admin.register(Challenge)
class ChallengeAdmin(ReadOnlyAdmin[Challenge]):
    list_display = ("collection", "kind", "signup_open", "signups_close_at", "works_reveal_at")
    list_filter = ("kind", "signup_open")
    search_fields = ("collection__name", "collection__title")
    raw_id_fields = ("collection", "tag_set")
    inlines = (TagRuleInline,)


class PromptInline(ReadOnlyInline[Prompt, SignUp]):
    model = Prompt
    fields = ("role", "position", "title", "anonymous", "any_types")
    readonly_fields = fields


@admin.register(SignUp)
class SignUpAdmin(ReadOnlyAdmin[SignUp]):
    list_display = ("pseud", "challenge", "created_at", "updated_at")
    search_fields = ("user__username", "challenge__collection__name")
    raw_id_fields = ("challenge", "user", "pseud")
    inlines = (PromptInline,)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin[Assignment]):
    list_display = ("challenge", "giver", "recipient", "sent_at", "defaulted_at", "fulfilled_at")
    raw_id_fields = ("challenge", "giver", "recipient", "request", "offer", "pinch_hitter", "work")


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin[Claim]):
    list_display = ("prompt", "user", "created_at", "filled_at")
    raw_id_fields = ("prompt", "challenge", "user", "pseud", "work")
