"""The accounts app's pages in the "accounts" URL namespace.

config/urls.py composes the namespace: the profile and pseud pages are
discovery.profile_urls, the pseuds and drafts pages works.profile_urls, the
preferences page engagement.profile_urls.
"""

from django.urls import path

from fanarchive.accounts import (
    change_views,
    invitation_views,
    language_views,
    reader_settings_views,
    two_factor_views,
    views,
)

urlpatterns = [
    path("signup/", views.register, name="register"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    # Reader settings, for guests (a cookie) and accounts alike.
    path("settings/reading/", reader_settings_views.reader_settings, name="reader_settings"),
    # The footer's language chooser (a cookie, and the account's preference).
    path("settings/language/", language_views.language_choose, name="language"),
    path("login/two-factor/", two_factor_views.two_factor_login, name="two_factor_login"),
    # The invitation queue, and the admins' page of invitations.
    path("invitations/request/", invitation_views.invite_request, name="invite_request"),
    path("invitations/status/", invitation_views.invite_status, name="invite_status"),
    path(
        "admin-tools/invitations/",
        invitation_views.admin_invitations,
        name="admin_invitations",
    ),
    # The link mailed to a new e-mail address.
    path(
        "email-change/<str:token>/",
        change_views.email_change_confirm,
        name="email_change_confirm",
    ),
    # Fixed /users/... addresses come before /users/<username>/...; the names they use
    # ("confirm", "password") are reserved user names, and "new" a reserved pseud name.
    path("users/confirm/resend/", views.confirm_email_resend, name="confirm_email_resend"),
    path("users/confirm/<uidb64>/<token>/", views.confirm_email, name="confirm_email"),
    path("users/password/change/", views.password_change, name="password_change"),
    path("users/password/change/done/", views.password_change_done, name="password_change_done"),
    path("users/password/reset/", views.password_reset, name="password_reset"),
    path("users/password/reset/done/", views.password_reset_done, name="password_reset_done"),
    path(
        "users/password/reset/complete/",
        views.password_reset_complete,
        name="password_reset_complete",
    ),
    path(
        "users/password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("users/<str:username>/profile/edit/", views.profile_edit, name="profile_edit"),
    path("users/<str:username>/two-factor/", two_factor_views.two_factor_status, name="two_factor"),
    path(
        "users/<str:username>/two-factor/begin/",
        two_factor_views.two_factor_begin,
        name="two_factor_begin",
    ),
    path(
        "users/<str:username>/two-factor/setup/",
        two_factor_views.two_factor_setup,
        name="two_factor_setup",
    ),
    path(
        "users/<str:username>/two-factor/disable/",
        two_factor_views.two_factor_disable,
        name="two_factor_disable",
    ),
    path(
        "users/<str:username>/two-factor/recovery-codes/",
        two_factor_views.recovery_codes_regenerate,
        name="two_factor_recovery_codes",
    ),
    path(
        "users/<str:username>/invitations/",
        invitation_views.user_invitations,
        name="invitations",
    ),
    path(
        "users/<str:username>/change-username/",
        change_views.username_change,
        name="username_change",
    ),
    path("users/<str:username>/change-email/", change_views.email_change, name="email_change"),
    path("users/<str:username>/pseuds/new/", views.pseud_new, name="pseud_new"),
    path("users/<str:username>/pseuds/<str:name>/edit/", views.pseud_edit, name="pseud_edit"),
]
