"""Forms parse what the browser sent; the services decide whether it is allowed.

Most fields are optional here on purpose: the services give the messages for
missing or wrong values, so the site, the CLI and any API say the same thing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fanarchive.accounts import login_services
from fanarchive.accounts.language_selectors import in_language_of
from fanarchive.accounts.models import EmailFrequency, Preference, Pseud
from fanarchive.accounts.services import (
    ABOUT_MAX,
    PSEUD_DESCRIPTION_MAX,
    PSEUD_MAX,
    USERNAME_MAX,
    USERNAME_MIN,
)
from fanarchive.core.addresses import client_address
from fanarchive.core.ratelimit import RateLimited
from fanarchive.core.translation import lazy_format

UNCONFIRMED_MESSAGE = _("Please confirm your e-mail address first: we sent you a link.")
LOGIN_NAME_MAX = 254  # the longest e-mail address
DEACTIVATED_MESSAGE = _(
    "This account has been deactivated. Please contact the archive's administrators."
)


class RegisterForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        required=False,
        help_text=lazy_format(
            _(
                "%(min)s to %(max)s letters, numbers or underscores. "
                "It is also the name of your first pseud."
            ),
            min=USERNAME_MIN,
            max=USERNAME_MAX,
        ),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.CharField(
        label=_("E-mail address"),
        required=False,
        help_text=_("We never show it to anyone."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        help_text=password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirm password"),
        required=False,
        strip=False,
        help_text=_("Type the same password again."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    terms = forms.BooleanField(
        label=_("I am at least 13 years old and agree to the Terms of Service"),
        required=False,
    )
    invitation = forms.CharField(
        label=_("Invitation code"),
        required=False,
        max_length=64,
        help_text=_("The code at the end of the link in your invitation."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )

    def __init__(self, *args: Any, invitations: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not invitations:  # open sign-up (settings.INVITATIONS = "off")
            del self.fields["invitation"]


class LoginForm(AuthenticationForm):
    """Log in with user name or e-mail; unconfirmed accounts are told to confirm.

    The backend lets inactive accounts with the right password through to here,
    so they learn what to do instead of hearing that their password is wrong.
    Failed log-ins are counted and then refused for a while (`login_services`):
    `throttled` then holds the refusal, which the view answers with 429.
    """

    throttled: RateLimited | None = None

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter a correct user name or e-mail address and password. "
            "The password is case-sensitive."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name or e-mail")
        # Django sets max_length after the field is built, so nothing checks it: a name
        # of 100,000 characters would reach the database's LIKE.
        self.fields["username"].validators.append(MaxLengthValidator(LOGIN_NAME_MAX))
        self.fields["username"].widget.attrs["autocapitalize"] = "none"

    def clean(self) -> dict[str, Any]:
        identifier = self.cleaned_data.get("username")
        if not identifier or not self.cleaned_data.get("password"):
            return super().clean()  # nothing is checked: nothing to count
        address = client_address(self.request) if self.request is not None else "unknown"
        self._throttle_check(identifier, address)
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                login_services.login_failure_record(identifier=identifier, address=address)
            raise
        # Failures counted while the password was being checked (requests at once) count.
        self._throttle_check(identifier, address)
        return cleaned

    def _throttle_check(self, identifier: str, address: str) -> None:
        try:
            login_services.login_throttle_check(identifier=identifier, address=address)
        except RateLimited as limited:
            self.throttled = limited
            self.user_cache = None
            raise forms.ValidationError(str(limited), code="throttled") from None

    def confirm_login_allowed(self, user: Any) -> None:
        if not user.is_active:
            # An account that has never logged in is waiting for its confirmation link;
            # one that has was switched off by an administrator.
            if user.last_login is None:
                raise forms.ValidationError(UNCONFIRMED_MESSAGE, code="unconfirmed")
            raise forms.ValidationError(DEACTIVATED_MESSAGE, code="inactive")


class ResendConfirmationForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ProfileForm(forms.Form):
    about = forms.CharField(
        label=_("About me"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=lazy_format(
            _("Plain text, up to %(max)s characters. Blank lines start a new paragraph."),
            max=f"{ABOUT_MAX:,}",
        ),
    )


class PseudForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        required=False,
        help_text=lazy_format(
            _(
                "1 to %(max)s letters, numbers, spaces, underscores or hyphens. "
                "It must be different from your other pseuds."
            ),
            max=PSEUD_MAX,
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=lazy_format(
            _("Optional, plain text, up to %(max)s characters."),
            max=f"{PSEUD_DESCRIPTION_MAX:,}",
        ),
    )
    make_default = forms.BooleanField(label=_("Make this my default pseud"), required=False)

    def __init__(self, *args: Any, pseud: Pseud | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if pseud is not None and pseud.is_default:
            # Already the default: the way to move it is to make another pseud the default.
            del self.fields["make_default"]

    @staticmethod
    def initial_for(pseud: Pseud) -> dict[str, Any]:
        return {"name": pseud.name, "description": pseud.description}


def _model_boolean(name: str) -> forms.BooleanField:
    """A checkbox labelled like the Preference field it edits."""
    field = Preference._meta.get_field(name)
    if not isinstance(field, models.BooleanField):
        raise TypeError(f"Preference.{name} is not a yes/no field")
    return forms.BooleanField(label=field.verbose_name, help_text=field.help_text, required=False)


def _model_frequency(name: str) -> forms.ChoiceField:
    """A choice of e-mail frequency labelled like the Preference field it edits."""
    field = Preference._meta.get_field(name)
    if not isinstance(field, models.CharField):
        raise TypeError(f"Preference.{name} is not a choice")
    return forms.ChoiceField(
        label=field.verbose_name, choices=EmailFrequency.choices, required=False
    )


class PreferencesForm(forms.Form):
    view_adult = _model_boolean("view_adult")
    hide_warnings = _model_boolean("hide_warnings")
    hide_freeform = _model_boolean("hide_freeform")
    keep_history = _model_boolean("keep_history")
    use_marked_for_later = _model_boolean("use_marked_for_later")
    accept_cocreator_invitations = _model_boolean("accept_cocreator_invitations")
    refuse_gifts = _model_boolean("refuse_gifts")
    email_comments = _model_frequency("email_comments")
    email_replies = _model_frequency("email_replies")
    email_kudos = _model_frequency("email_kudos")
    email_subscriptions = _model_frequency("email_subscriptions")
    email_collections = _model_frequency("email_collections")
    # Bounds checked by the service (preferences_update), which says them.
    reading_speed = forms.IntegerField(
        label=Preference._meta.get_field("reading_speed").verbose_name,
        help_text=Preference._meta.get_field("reading_speed").help_text,
        required=False,
    )

    # The interface's language; "" follows the browser (accounts.language_services checks).
    language = forms.ChoiceField(
        label=_("Language"),
        choices=lambda: [("", _("The browser's language")), *settings.LANGUAGES],
        required=False,
    )

    READING = (
        "view_adult",
        "hide_warnings",
        "hide_freeform",
        "keep_history",
        "use_marked_for_later",
        "reading_speed",
        "language",
    )
    WRITING = ("accept_cocreator_invitations", "refuse_gifts")
    EMAIL = (
        "email_comments",
        "email_replies",
        "email_kudos",
        "email_subscriptions",
        "email_collections",
    )

    def email_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.EMAIL]

    def email_choices(self) -> dict[str, str]:
        """The chosen frequencies; a field left out of the form keeps its saved value."""
        return {name: self.cleaned_data[name] for name in self.EMAIL if self.cleaned_data[name]}

    def reading_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.READING]

    def writing_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.WRITING]

    @staticmethod
    def initial_for(preference: Preference) -> dict[str, Any]:
        return {
            "view_adult": preference.view_adult,
            "hide_warnings": preference.hide_warnings,
            "hide_freeform": preference.hide_freeform,
            "accept_cocreator_invitations": preference.accept_cocreator_invitations,
            "refuse_gifts": preference.refuse_gifts,
            "keep_history": preference.keep_history,
            "use_marked_for_later": preference.use_marked_for_later,
            "reading_speed": preference.reading_speed,
            "language": preference.language,
            **{name: getattr(preference, name) for name in PreferencesForm.EMAIL},
        }


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        required=False,
        max_length=64,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}
        ),
    )


class PasswordAgainForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        required=False,
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TwoFactorConfirmForm(TwoFactorCodeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("The six digits your authenticator app shows now.")


# -- invitations and changes of name and address ----------------------------------------

# The honeypot's name: a field people never see (hidden by the stylesheet) that bots fill.
HONEYPOT = "website"


class InviteRequestForm(forms.Form):
    email = forms.CharField(
        label=_("Your e-mail address"),
        required=False,
        max_length=254,
        help_text=_("We mail your invitation here, and use it for nothing else."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_bot(self) -> bool:
        """The honeypot was filled in: a person never sees that field."""
        return bool(str(self.data.get(HONEYPOT, "")).strip())


class InviteStatusForm(forms.Form):
    email = forms.CharField(
        label=_("The e-mail address you joined with"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class InvitationSendForm(forms.Form):
    invitation = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    email = forms.CharField(
        label=_("Send it to"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class InvitationsSendToQueueForm(forms.Form):
    count = forms.IntegerField(label=_("How many people from the queue"), min_value=1)


class InvitationsGiveForm(forms.Form):
    count = forms.IntegerField(label=_("Invitations for each account"), min_value=1)
    username = forms.CharField(
        label=_("To the account"),
        required=False,
        max_length=150,
        help_text=_("Leave it empty to give every active account the invitations."),
    )


class UsernameChangeForm(PasswordAgainForm):
    username = forms.CharField(
        label=_("New user name"),
        required=False,
        max_length=USERNAME_MAX,
        help_text=lazy_format(
            _(
                "%(min)s to %(max)s letters, numbers or underscores. You can change "
                "it once a week. Your default pseud takes the new name when it had the old one."
            ),
            min=USERNAME_MIN,
            max=USERNAME_MAX,
        ),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    field_order = ["username", "password"]


class EmailChangeForm(PasswordAgainForm):
    email = forms.CharField(
        label=_("New e-mail address"),
        required=False,
        max_length=254,
        help_text=_("We mail a link to it; the change happens when you follow the link."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["email", "password"]


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, with each account's mail written in that account's language."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        with in_language_of(context.get("user")):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )
