from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import AllowAllUsersModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from fanarchive.accounts.limits import ORPHAN_USERNAME
from fanarchive.accounts.models import User
from fanarchive.accounts.moderators import is_suspended, suspension_message


class UsernameOrEmailBackend(AllowAllUsersModelBackend):
    """Log in with the user name (any case) or the e-mail address.

    Inactive users are let through to the login form, which then tells them to
    confirm their address instead of claiming the password was wrong. A suspended
    account with the right password is refused with a `ValidationError` saying until
    when and why: `django.contrib.auth.authenticate` lets it through (it stops only on
    PermissionDenied) to the login form's clean(), which shows it as the form's error.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        field = "email__iexact" if "@" in username else "username__iexact"
        user = User.objects.filter(**{field: username}).order_by("id").first()
        if user is None:
            User().set_password(password)  # same time as a real check: no user enumeration
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            if is_suspended(user):
                raise ValidationError(suspension_message(user), code="suspended")
            return user
        return None

    def user_can_authenticate(self, user: Any) -> bool:
        # The orphan account holds works nobody owns any more: nobody logs in to it,
        # even if someone gave it a password.
        if getattr(user, "username", "").lower() == ORPHAN_USERNAME:
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id: int) -> User | None:
        # Letting inactive users reach the login form must not keep a
        # deactivated account's existing sessions alive. A suspended account's sessions
        # end on their next request the same way (the row is read anyway: no extra query).
        user = super().get_user(user_id)
        if user is None or not user.is_active or user.username.lower() == ORPHAN_USERNAME:
            return None
        if is_suspended(user):
            return None
        return user
