"""Saving a reader's preferences (`preference_services`); what turning history or
"Marked for later" off clears is in test_history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from fanarchive.accounts.models import Preference, User
from fanarchive.engagement.preference_services import preferences_update

pytestmark = pytest.mark.django_db


def test_preferences_update(user: User) -> None:
    preferences_update(
        user=user, owner=user, view_adult=True, hide_warnings=True, hide_freeform=False
    )
    preference = Preference.objects.get(user=user)
    assert (preference.view_adult, preference.hide_warnings, preference.hide_freeform) == (
        True,
        True,
        False,
    )


def test_preferences_update_creates_missing_preferences(user: User) -> None:
    Preference.objects.filter(user=user).delete()
    preferences_update(
        user=user, owner=user, view_adult=False, hide_warnings=False, hide_freeform=True
    )
    assert Preference.objects.get(user=user).hide_freeform


def test_preferences_update_of_someone_else_is_refused(user: User, other_user: User) -> None:
    with pytest.raises(PermissionDenied):
        preferences_update(
            user=other_user, owner=user, view_adult=True, hide_warnings=True, hide_freeform=True
        )
    assert not Preference.objects.get(user=user).view_adult


def test_writing_preferences_are_saved_and_left_alone_when_not_given(user: User) -> None:
    preference = preferences_update(
        user=user,
        owner=user,
        view_adult=False,
        hide_warnings=False,
        hide_freeform=False,
        accept_cocreator_invitations=True,
        refuse_gifts=True,
    )
    assert preference.accept_cocreator_invitations and preference.refuse_gifts
    preference = preferences_update(
        user=user, owner=user, view_adult=True, hide_warnings=False, hide_freeform=False
    )
    assert preference.accept_cocreator_invitations and preference.refuse_gifts
