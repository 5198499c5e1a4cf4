"""Sign-up, logging in and out, passwords, and editing one's profile and pseuds.

Thin: parse with a form, call one service or selector, render. Account pages that show
data of a higher layer live in that layer and join the "accounts" URL namespace in
config/urls.py: the profile and pseud pages (works listed with the reader's mutes) in
discovery.profile_views, the pseuds and drafts pages in works.profile_views, the
preferences page (it clears reading history) in engagement.preference_views.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _

from fanarchive.accounts import (
    invitation_selectors,
    profile_services,
    selectors,
    services,
    two_factor_selectors,
)
from fanarchive.accounts.forms import (
    LoginForm,
    PasswordResetForm,
    ProfileForm,
    PseudForm,
    RegisterForm,
    ResendConfirmationForm,
)
from fanarchive.accounts.language_views import account_language_remember
from fanarchive.accounts.models import User
from fanarchive.accounts.two_factor_views import pending_start
from fanarchive.core.addresses import client_address
from fanarchive.core.ratelimit import RateLimited
from fanarchive.core.views import authenticated_user, form_error_from, posted


def site_url(request: HttpRequest) -> str:
    """This site's address as the browser used it, for links in e-mail."""
    return request.build_absolute_uri("/")


def log_in(request: HttpRequest, user: User) -> None:
    """Log in an account that just proved itself (signed up, or followed its link)."""
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])


# -- signing up and confirming ------------------------------------------------


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        messages.info(request, _("You already have an account and are logged in."))
        return redirect("accounts:profile", request.user.get_username())
    required = invitation_selectors.invitations_required()
    form = RegisterForm(
        posted(request),
        invitations=required,
        initial={"invitation": request.GET.get("invitation", "")[:64]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_register(
                username=data["username"],
                email=data["email"],
                password1=data["password1"],
                password2=data["password2"],
                terms=data["terms"],
                site_url=site_url(request),
                invitation=data.get("invitation") or "",
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            if user.is_active:
                log_in(request, user)
                messages.success(
                    request,
                    _("Welcome, %(username)s! Your account is ready and you are logged in.")
                    % {"username": user.username},
                )
                return redirect(user)
            messages.success(
                request,
                _(
                    "Almost done! We sent a confirmation link to %(email)s. "
                    "Follow it to activate your account; until then you cannot log in."
                )
                % {"email": user.email},
            )
            return redirect("accounts:login")
    return render(
        request, "registration/signup.html", {"form": form, "invitations_required": required}
    )


def confirm_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = services.user_confirm_email(uidb64=uidb64, token=token)
    except ValidationError as error:
        if error.code == "already_confirmed":
            messages.info(request, " ".join(error.messages))
            return redirect("accounts:login")
        return render(
            request,
            "registration/confirm_email_failed.html",
            {"message": " ".join(error.messages)},
            status=400,
        )
    log_in(request, user)
    messages.success(
        request,
        _("Thank you for confirming your e-mail address, %(username)s. Welcome!")
        % {"username": user.username},
    )
    return redirect(user)


def confirm_email_resend(request: HttpRequest) -> HttpResponse:
    form = ResendConfirmationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.confirmation_resend(
                email=form.cleaned_data["email"], site_url=site_url(request)
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(
                request,
                _(
                    "If an account is waiting for confirmation at that address, "
                    "we sent it a new link. Please check your e-mail."
                ),
            )
            return redirect("accounts:login")
    return render(request, "registration/confirm_email_resend.html", {"form": form})


# -- logging in and out, passwords (Django's views, our templates) ------------


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if two_factor_selectors.two_factor_enabled(user):
            # The right password: the code page logs in (two_factor_views).
            pending_start(self.request, user, self.get_success_url())
            return redirect("accounts:two_factor_login")
        response = super().form_valid(form)
        account_language_remember(self.request, response, user)
        messages.success(self.request, _("Successfully logged in."))
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if form.throttled is not None:  # too many failed log-ins (login_services)
            response.status_code = 429
            response["Retry-After"] = str(form.throttled.retry_after)
        return response


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The Django admin's log-in page (installed by AccountsConfig.ready): the site's."""
    target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    return auth_views.redirect_to_login(target)


class LogoutView(auth_views.LogoutView):
    """POST only (Django's own rule since 5.0): a link or an image cannot log anyone out."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have logged out."))
        return response


password_change = auth_views.PasswordChangeView.as_view(
    template_name="registration/change_password.html",
    success_url=reverse_lazy("accounts:password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="registration/change_password_done.html",
)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm  # the mail in the account's language
    template_name = "registration/reset_password.html"
    email_template_name = "registration/reset_password_email.txt"
    subject_template_name = "registration/reset_password_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.password_reset_client_check(client_address=client_address(request))
        except RateLimited as limited:
            response = render(
                request,
                "registration/reset_password_limited.html",
                {"message": str(limited)},
                status=429,
            )
            response["Retry-After"] = str(limited.retry_after)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        if not services.password_reset_may_mail(email=form.cleaned_data["email"]):
            # The page a sent mail gets: the limit must not tell who has an account.
            return redirect(self.get_success_url())
        self.extra_email_context = {"site_title": settings.SITE_NAME}
        return super().form_valid(form)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/reset_password_sent.html",
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="registration/reset_password_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/reset_password_complete.html",
)


# -- profile ------------------------------------------------------------------


@login_required
def profile_edit(request: HttpRequest, username: str) -> HttpResponse:
    owner = selectors.own_account(request.user, username)
    form = ProfileForm(posted(request), initial={"about": owner.about})
    if request.method == "POST" and form.is_valid():
        try:
            profile_services.profile_update(
                user=authenticated_user(request), owner=owner, about=form.cleaned_data["about"]
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("Your profile was updated."))
            return redirect(owner)
    return render(request, "accounts/profile_edit.html", {"form": form, "owner": owner})


# -- pseuds -------------------------------------------------------------------


@login_required
def pseud_new(request: HttpRequest, username: str) -> HttpResponse:
    owner = selectors.own_account(request.user, username)
    form = PseudForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = profile_services.pseud_create(
                user=authenticated_user(request),
                owner=owner,
                name=data["name"],
                description=data["description"],
                make_default=data["make_default"],
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("Pseud %(name)s was created.") % {"name": created.name})
            return redirect("accounts:pseuds", owner.username)
    return render(request, "accounts/pseud_form.html", {"form": form, "owner": owner})


@login_required
def pseud_edit(request: HttpRequest, username: str, name: str) -> HttpResponse:
    owner = selectors.own_account(request.user, username)
    found = selectors.pseud_get(owner, name)
    form = PseudForm(posted(request), pseud=found, initial=PseudForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile_services.pseud_update(
                user=authenticated_user(request),
                pseud=found,
                name=data["name"],
                description=data["description"],
                make_default=data.get("make_default", False),
            )
        except ValidationError as error:
            form_error_from(form, error)
            found.refresh_from_db()
        else:
            messages.success(request, _("Pseud %(name)s was updated.") % {"name": found.name})
            return redirect("accounts:pseuds", owner.username)
    return render(
        request, "accounts/pseud_form.html", {"form": form, "owner": owner, "pseud": found}
    )
