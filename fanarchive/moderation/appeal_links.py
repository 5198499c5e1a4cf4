"""The appeal link sent with a decision: signed, so the person it is about can appeal
without logging in (a suspended account cannot log in, and must still be able to appeal
its suspension once)."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.moderation.models import Report

_SALT = "fanarchive.moderation.appeal"
# Long enough to appeal a long suspension; the appeal itself is allowed once.
VALID_FOR_SECONDS = 60 * 60 * 24 * 90


def appeal_path(report: Report) -> str:
    """The appeal page, with a key naming the report and the person it is about."""
    path = reverse("moderation:appeal", args=[report.reference])
    if report.subject_id is None:
        return path
    key = signing.dumps({"r": report.reference, "u": report.subject_id}, salt=_SALT)
    return f"{path}?key={key}"


def appellant_from_key(reference: str, key: str) -> User | None:
    """The person a signed appeal link was sent to, if the key is good for this report."""
    try:
        data = signing.loads(key, salt=_SALT, max_age=VALID_FOR_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("r") != reference.strip().upper():
        return None
    user_id = data.get("u")
    if not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()
