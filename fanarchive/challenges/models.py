"""Challenges: gift exchanges and prompt memes, each run in one collection.

The tables only; the rules (windows, tag limits, matching, claims, reveals) live in the
services. Shared by both kinds: the tag set (the tags sign-ups may use, with
nominations), the per-type tag rules, sign-ups and their prompts (a gift exchange's
requests and offers; a prompt meme's prompts are requests).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from fanarchive.accounts.models import Pseud, User
from fanarchive.collections.models import Collection
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.models import Work

TITLE_MAX_LENGTH = 255
DESCRIPTION_MAX_LENGTH = 5000  # a tag set's or a challenge's texts, and a prompt's
PROMPT_TITLE_MAX_LENGTH = 255
PROMPT_URL_MAX_LENGTH = 1000
# The most prompts (requests or offers) a challenge may ask of one sign-up.
PROMPTS_MAX = 50
# The most tags of one type a challenge may allow in one prompt.
TAGS_PER_TYPE_MAX = 50


class TagSet(models.Model):
    """The tags a challenge's sign-ups may use; participants nominate, owners approve."""

    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    description = models.TextField(blank=True)  # sanitised HTML
    owners = models.ManyToManyField(User, related_name="owned_tag_sets")
    tags: models.ManyToManyField[Tag, TagSetTag] = models.ManyToManyField(
        Tag, through="TagSetTag", related_name="tag_sets"
    )
    nominations_open = models.BooleanField(default=False)
    # How many tags of each type one person may nominate (0: none of that type).
    fandom_nomination_limit = models.PositiveSmallIntegerField(default=0)
    character_nomination_limit = models.PositiveSmallIntegerField(default=0)
    relationship_nomination_limit = models.PositiveSmallIntegerField(default=0)
    freeform_nomination_limit = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class TagSetTag(models.Model):
    tag_set = models.ForeignKey(TagSet, on_delete=models.CASCADE, related_name="entries")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tag_set", "tag"], name="tag_set_tag_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.tag} in {self.tag_set}"


class NominationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class TagNomination(models.Model):
    """One person's nomination of a tag (by name) for a tag set."""

    tag_set = models.ForeignKey(TagSet, on_delete=models.CASCADE, related_name="nominations")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tag_nominations")
    tag_type = models.CharField(max_length=20, choices=TagType.choices)
    name = models.CharField(max_length=150)
    # The tag approved into the set (created on approval when it did not exist).
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(
        max_length=10, choices=NominationStatus.choices, default=NominationStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tag_type", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                "tag_set", "user", "tag_type", Lower("name"), name="tag_nomination_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.tag_type}) for {self.tag_set}"


class ChallengeKind(models.TextChoices):
    GIFT_EXCHANGE = "gift_exchange", _("Gift exchange")
    PROMPT_MEME = "prompt_meme", _("Prompt meme")


class Challenge(models.Model):
    """A gift exchange or a prompt meme; at most one per collection."""

    collection = models.OneToOneField(
        Collection, on_delete=models.CASCADE, related_name="challenge"
    )
    kind = models.CharField(max_length=20, choices=ChallengeKind.choices)
    tag_set = models.ForeignKey(
        TagSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="challenges"
    )
    signup_instructions = models.TextField(blank=True)  # sanitised HTML
    # Sign-ups are taken while open and between the dates (a missing date: no bound).
    signup_open = models.BooleanField(default=False)
    signups_open_at = models.DateTimeField(null=True, blank=True)
    signups_close_at = models.DateTimeField(null=True, blank=True)
    # How many requests (a prompt meme's prompts) and offers one sign-up has.
    requests_required = models.PositiveSmallIntegerField(default=1)
    requests_allowed = models.PositiveSmallIntegerField(default=1)
    offers_required = models.PositiveSmallIntegerField(default=1)
    offers_allowed = models.PositiveSmallIntegerField(default=1)
    # Gift exchange: when assignments are due; prompt meme: claims open or not.
    assignments_due_at = models.DateTimeField(null=True, blank=True)
    # Prompt meme: may prompts be posted anonymously; claims per prompt (0: unlimited).
    anonymous_prompts_allowed = models.BooleanField(default=True)
    claims_open = models.BooleanField(default=True)
    claims_per_prompt = models.PositiveSmallIntegerField(default=0)
    # The scheduled reveals (the collection's works, then its creators), and when done.
    works_reveal_at = models.DateTimeField(null=True, blank=True)
    authors_reveal_at = models.DateTimeField(null=True, blank=True)
    works_revealed_at = models.DateTimeField(null=True, blank=True)
    authors_revealed_at = models.DateTimeField(null=True, blank=True)
    # Gift exchange: when the assignments went out to the givers.
    assignments_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.collection}"


class TagRule(models.Model):
    """For one tag type of a challenge: how many tags a request and an offer need and may
    have, whether "any" is allowed, and how many a match must share (0: none)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="tag_rules")
    tag_type = models.CharField(max_length=20, choices=TagType.choices)
    request_required = models.PositiveSmallIntegerField(default=0)
    request_allowed = models.PositiveSmallIntegerField(default=0)
    offer_required = models.PositiveSmallIntegerField(default=0)
    offer_allowed = models.PositiveSmallIntegerField(default=0)
    allow_any = models.BooleanField(default=False)
    must_match = models.PositiveSmallIntegerField(default=0)
    # Only tags of the challenge's tag set (otherwise any canonical or new tag).
    restrict_to_tag_set = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "tag_type"], name="tag_rule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.tag_type} rule of {self.challenge}"


class SignUp(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="challenge_signups")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="signup_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.pseud} in {self.challenge}"


class PromptRole(models.TextChoices):
    REQUEST = "request", _("Request")
    OFFER = "offer", _("Offer")


class Prompt(models.Model):
    """A sign-up's request or offer; in a prompt meme, a prompt (a request)."""

    signup = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="prompts")
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="prompts")
    role = models.CharField(max_length=10, choices=PromptRole.choices)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=PROMPT_TITLE_MAX_LENGTH, blank=True)
    description = models.TextField(blank=True)  # sanitised HTML
    url = models.URLField(max_length=PROMPT_URL_MAX_LENGTH, blank=True)
    # Prompt memes: the prompter's name is hidden from everyone but the moderators.
    anonymous = models.BooleanField(default=False)
    tags: models.ManyToManyField[Tag, PromptTag] = models.ManyToManyField(
        Tag, through="PromptTag", related_name="+"
    )
    # Tag types for which this prompt says "any" (a list of TagType values).
    any_types = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signup", "role", "position", "id"]
        indexes = [models.Index(fields=["challenge", "role"], name="prompt_challenge_role")]

    def __str__(self) -> str:
        return self.title or f"{self.get_role_display()} {self.position + 1}"


class PromptTag(models.Model):
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="prompt_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prompt", "tag"], name="prompt_tag_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.tag} on {self.prompt}"


class MatchRun(models.Model):
    """The last generated set of potential assignments: its report for the moderators."""

    challenge = models.OneToOneField(Challenge, on_delete=models.CASCADE, related_name="match_run")
    created_at = models.DateTimeField(auto_now_add=True)
    # {"unmatched_givers": [{"signup": id, "name": str, "reasons": [str]}],
    #  "unmatched_recipients": [...], "total_quality": int, "possible_pairs": int}
    report = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Matching of {self.challenge}"


class Assignment(models.Model):
    """Who writes for whom. Drafts (not sent) are the moderators' to adjust; once sent,
    the giver (or the pinch hitter who took a defaulted one) sees it on their dashboard."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="assignments")
    # The giver's sign-up; null for a pinch-hit assignment with nobody from the sign-ups.
    giver = models.ForeignKey(
        SignUp, null=True, blank=True, on_delete=models.SET_NULL, related_name="gives"
    )
    recipient = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="receives")
    request = models.ForeignKey(
        Prompt, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offer = models.ForeignKey(
        Prompt, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quality = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    defaulted_at = models.DateTimeField(null=True, blank=True)
    pinch_hitter = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="pinch_hits"
    )
    pinch_hit_at = models.DateTimeField(null=True, blank=True)
    # The work that fulfils it, and when.
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    # When a giver withdrew their sign-up after the assignment was sent (it then waits
    # for a pinch hitter; the moderators see why).
    giver_withdrew_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "recipient"],
                condition=Q(defaulted_at__isnull=True) | Q(pinch_hitter__isnull=False),
                name="assignment_one_live_per_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"Assignment for {self.recipient}"


class Claim(models.Model):
    """A writer's claim of a prompt-meme prompt; filled by a work."""

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="claims")
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="prompt_claims")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="+")
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["prompt", "user"], name="claim_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} claims {self.prompt}"
