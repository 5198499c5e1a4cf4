from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fanarchive.accounts import reader_settings


class UserManager(DjangoUserManager["User"]):
    """`User.objects.create_user` / `create_superuser` (Django's createsuperuser, the
    shell) make accounts through `services.user_create`, the one way in: the account
    gets its default pseud and preferences and the sign-up's checks of name and e-mail
    (not of the password's strength: createsuperuser asks about that itself)."""

    # Historical models in migrations get Django's plain manager, not this service.
    use_in_migrations = False

    def _create_user(
        self, username: str, email: str | None, password: str | None, **extra_fields: Any
    ) -> User:
        flags = {
            name: bool(extra_fields.pop(name))
            for name in ("is_active", "is_staff", "is_superuser")
            if name in extra_fields
        }
        if extra_fields:
            raise TypeError(
                f"Accounts are made with a user name, e-mail and password only, "
                f"not {', '.join(sorted(extra_fields))}."
            )
        return services.user_create(
            username=username or "",
            email=email or "",
            password=password,
            check_password_strength=False,
            **flags,
        )

    async def _acreate_user(
        self, username: str, email: str | None, password: str | None, **extra_fields: Any
    ) -> User:
        return await sync_to_async(self._create_user)(username, email, password, **extra_fields)


class User(AbstractUser):
    """An account. Works are never posted by a user directly, only under one of their pseuds."""

    objects = UserManager()  # type: ignore[misc]

    about = models.TextField("about me", blank=True)
    # A moderator's suspension (moderation app): login and API tokens are refused until
    # then; `suspended_permanently` for good. Written only by the moderation services.
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspended_permanently = models.BooleanField(default=False)
    suspension_reason = models.TextField(blank=True)
    # When an admin or an outside verification provider confirmed this person is an
    # adult (the "age-verified" age-gate policy, settings.FANARCHIVE_AGE_GATE).
    age_verified_at = models.DateTimeField(null=True, blank=True)
    # When the account's owner confirmed "I am 18 or over" (the "adults" age-gate policy).
    adult_confirmed_at = models.DateTimeField(null=True, blank=True)
    # When the owner last changed their user name (change_services: once a week at most).
    username_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_unique_ci"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", args=[self.username])

    @property
    def default_pseud(self) -> Pseud:
        return self.pseuds.get(is_default=True)


class Pseud(models.Model):
    """A name a user writes under; every account has a default one named after it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pseuds")
    name = models.CharField(max_length=40)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="pseud_name_unique_per_user"),
        ]

    def __str__(self) -> str:
        return self.byline

    def get_absolute_url(self) -> str:
        return reverse("accounts:pseud", args=[self.user.username, self.name])

    @property
    def byline(self) -> str:
        """AO3's byline: the pseud, with the account name when they differ."""
        if self.name.lower() == self.user.username.lower():
            return self.name
        return f"{self.name} ({self.user.username})"


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("At once")
    DAILY = "daily", _("In a daily digest")
    OFF = "off", _("Never")


class Preference(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="preference")
    view_adult = models.BooleanField(
        _("Show me adult content without checking"),
        default=False,
        help_text=_("Skip the warning page before works rated Not Rated, Mature or Explicit."),
    )
    hide_warnings = models.BooleanField(
        _("Hide warnings (you can still choose to show them)"), default=False
    )
    hide_freeform = models.BooleanField(
        _("Hide additional tags (you can still choose to show them)"), default=False
    )
    accept_cocreator_invitations = models.BooleanField(
        _("Accept co-creator invitations automatically"),
        default=False,
        help_text=_("Other writers can add your pseuds to their works without asking you first."),
    )
    refuse_gifts = models.BooleanField(
        _("Do not accept gifts"),
        default=False,
        help_text=_("Nobody can give you a work as a gift."),
    )
    # E-mail about inbox notices, per kind: at once, in one daily digest, or never.
    email_comments = models.CharField(
        _("E-mail me about comments on my works"),
        max_length=10,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATE,
    )
    email_replies = models.CharField(
        _("E-mail me about replies to my comments"),
        max_length=10,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATE,
    )
    email_kudos = models.CharField(
        _("E-mail me about kudos on my works"),
        max_length=10,
        choices=EmailFrequency.choices,
        default=EmailFrequency.DAILY,
    )
    email_subscriptions = models.CharField(
        _("E-mail me about my subscriptions"),
        max_length=10,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATE,
    )
    email_collections = models.CharField(
        _("E-mail me about collections and challenges (invitations, assignments, reveals)"),
        max_length=10,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATE,
    )
    keep_history = models.BooleanField(
        _("Keep my reading history"),
        default=True,
        help_text=_("Remember the works you read. Turning it off stops recording."),
    )
    use_marked_for_later = models.BooleanField(
        _('Use "Marked for later"'),
        default=True,
        help_text=_("Offer a Mark for later button on works. Turning it off clears your marks."),
    )
    # Bounds kept by accounts.reading_time (MIN/MAX_WORDS_PER_MINUTE) and checked on save.
    reading_speed = models.PositiveSmallIntegerField(
        _("Reading speed (words per minute)"),
        default=200,
        help_text=_("Used to estimate reading times on works: between 50 and 1500."),
    )
    reading_list_public = models.BooleanField(
        _("Show my reading list to everyone"),
        default=False,
        help_text=_("Others then see the works on it that they may see themselves."),
    )
    # Reader settings (accounts.reader_settings: the choices, and the cookie guests use).
    reader_theme = models.CharField(
        _("Theme"), max_length=12, choices=reader_settings.THEMES, default="system"
    )
    reader_font = models.CharField(
        _("Font"), max_length=12, choices=reader_settings.FONTS, default="default"
    )
    reader_font_size = models.CharField(
        _("Text size"), max_length=4, choices=reader_settings.FONT_SIZES, default="100"
    )
    reader_line_width = models.CharField(
        _("Line width"), max_length=8, choices=reader_settings.LINE_WIDTHS, default="normal"
    )
    reader_line_spacing = models.CharField(
        _("Line spacing"), max_length=8, choices=reader_settings.LINE_SPACINGS, default="normal"
    )
    reader_show_work_skins = models.BooleanField(_("Show creators' work skins"), default=True)
    # The interface's language (a code of settings.LANGUAGES), "" for the browser's own;
    # checked by accounts.language_services, put in the language cookie at log-in.
    language = models.CharField("Language", max_length=10, blank=True, default="")

    def __str__(self) -> str:
        return f"Preferences of {self.user}"


class Block(models.Model):
    """`blocker` does not want to hear from `blocked`: no gifts, co-creator invitations,
    comments, replies or kudos. Kept with the accounts (the table keeps the name it was
    created with in the engagement app), as works and engagement both ask about it."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "engagement_block"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique_pair"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocks {self.blocked}"


class SpentVerificationToken(models.Model):
    """An age-verification provider's token already used (`age_services.
    age_verified_by_provider`): the unique digest refuses a replay, even of a callback
    arriving twice at once. Rows older than a token may live are pruned as new ones come."""

    digest = models.CharField(max_length=64, unique=True)
    spent_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.digest[:12]} at {self.spent_at:%Y-%m-%d %H:%M}"


class TwoFactor(models.Model):
    """An account's authenticator app (TOTP, RFC 6238: 6 digits every 30 seconds).

    `secret` is the shared key in base32, kept in the clear: the server must compute
    the codes, and it is shown only while setting up. Two-factor log-in is on once
    `confirmed_at` is set (a code from the app was entered). `last_counter` is the
    30-second step of the last code accepted: a code is never accepted twice.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor")
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_counter = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        state = "on" if self.confirmed_at else "being set up"
        return f"Two-factor log-in of {self.user}: {state}"


class RecoveryCode(models.Model):
    """One of the ten codes that log in once without the app; only a salted SHA-256
    digest is kept ("sha256$salt$hex"), the code itself is shown once."""

    two_factor = models.ForeignKey(
        TwoFactor, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    digest = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Recovery code of {self.two_factor.user}{' (used)' if self.used_at else ''}"


class InviteRequest(models.Model):
    """Someone waiting in the invitation queue (settings.INVITATIONS = "required").

    The queue is served oldest first (`invitation_services.invitations_send_to_queue`);
    `invited_at` is set, and `invitation` names what was mailed, once served."""

    email = models.EmailField(max_length=254)
    created_at = models.DateTimeField(db_index=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    invitation = models.OneToOneField(
        "Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="request"
    )
    # The interface's language when they joined (a code of settings.LANGUAGES, "" for the
    # site's default): their invitation is written in it. They have no account to ask.
    language = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="inviterequest_email_unique_ci"),
        ]

    def __str__(self) -> str:
        state = "invited" if self.invited_at else "waiting"
        return f"Queue entry {self.pk} ({state})"


class Invitation(models.Model):
    """One sign-up. `creator` is the user given it to share, or None for the archive's
    own (sent from the queue by an admin). AO3's invitations do not expire; one is spent
    by the account made with it (`used_by`, `used_at`)."""

    token = models.CharField(max_length=64, unique=True)
    creator = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    sent_to = models.EmailField(max_length=254, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    used_by = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="invited_with"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        state = "used" if self.used_at else "unused"
        return f"Invitation {self.pk} ({state})"


# The manager's service, imported last: it imports the models above.
from fanarchive.accounts import services  # noqa: E402
