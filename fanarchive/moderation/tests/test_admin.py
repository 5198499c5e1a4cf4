"""Hiding a work and suspending an account through Django's admin pages does exactly what
the moderation queue does: the same fields, the same catalogue change, the same audit
entry. The audit log, reports and appeals are read-only there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.core.models import AuditEntry
from fanarchive.core.testing import make_user, make_work
from fanarchive.moderation.action_services import report_resolve
from fanarchive.moderation.suspension_services import user_suspend
from fanarchive.moderation.tests.helpers import make_moderator, report_work
from fanarchive.works.catalogue_models import CatalogueChange
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db

AUDIT_FIELDS = ("action", "target_type", "reason", "before", "after")


def form_data(client: Client, url: str) -> dict[str, Any]:
    """The admin change form's current values, as the browser would post them back."""
    response = client.get(url)
    assert response.status_code == 200
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False or field.disabled:
                continue
            key = form.add_prefix(name)
            if isinstance(value, dt.datetime):  # Django's split date and time widget
                data[f"{key}_0"], data[f"{key}_1"] = f"{value:%Y-%m-%d}", f"{value:%H:%M:%S}"
            else:
                data[key] = value
    return data


def shape(entry: AuditEntry, *, ids: dict[int, str]) -> tuple[Any, ...]:
    """An audit entry with the things' own ids and dates put aside."""
    after = {k: ids.get(v, v) if isinstance(v, int) else v for k, v in entry.after.items()}
    return (
        entry.action,
        entry.target_type,
        entry.reason,
        entry.before,
        after,
        entry.subject is not None,
    )


@pytest.fixture
def admin_client(client: Client) -> Client:
    admin = make_user("site_admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_hiding_a_work_in_the_admin_is_what_the_queue_does(admin_client, user, other_user):
    by_queue = make_work(user, title="Queue Hidden")
    by_admin = make_work(user, title="Admin Hidden")
    changes_before = CatalogueChange.objects.count()
    report_resolve(
        moderator=make_moderator("mod_x"),
        report=report_work(by_queue, reporter=other_user),
        resolution="hide",
        reason="Spam links.",
    )
    queue_changes = CatalogueChange.objects.count() - changes_before
    url = reverse("admin:works_work_change", args=[by_admin.pk])
    data = form_data(admin_client, url)
    data.update({"hidden_by_admin": "on", "hidden_reason": "Spam links."})
    changes_before = CatalogueChange.objects.count()
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CatalogueChange.objects.count() - changes_before == queue_changes == 1
    queue_work, admin_work = Work.objects.get(pk=by_queue.pk), Work.objects.get(pk=by_admin.pk)
    assert (
        (queue_work.hidden_by_admin, queue_work.hidden_reason)
        == (admin_work.hidden_by_admin, admin_work.hidden_reason)
        == (True, "Spam links.")
    )
    queue_entry = AuditEntry.objects.get(action="work.hide", target_id=by_queue.pk)
    admin_entry = AuditEntry.objects.get(action="work.hide", target_id=by_admin.pk)
    assert shape(queue_entry, ids={}) == shape(admin_entry, ids={})
    assert admin_entry.actor is not None and admin_entry.actor.username == "site_admin"
    assert "Admin Hidden" not in Client().get(reverse("works:list")).content.decode()


def test_suspending_in_the_admin_is_what_the_queue_does(admin_client, user, other_user):
    third = make_user("third_writer")
    queue_work = make_work(user)
    admin_work = make_work(third)
    report_resolve(
        moderator=make_moderator("mod_y"),
        report=report_work(queue_work, reporter=other_user),
        resolution="suspend",
        reason="Spam.",
        suspend_days=5,
        hide_their_works=True,
    )
    url = reverse("admin:accounts_user_change", args=[third.pk])
    data = form_data(admin_client, url)
    data.update({"suspend_days": "5", "suspend_reason": "Spam.", "hide_works": "on"})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    third.refresh_from_db()
    for person in (user, third):
        assert person.suspension_reason == "Spam." and not person.suspended_permanently
    assert abs((user.suspended_until - third.suspended_until).total_seconds()) < 60
    assert Work.objects.get(pk=admin_work.pk).hidden_by_admin
    assert Work.objects.get(pk=queue_work.pk).hidden_by_admin
    queue_entry = AuditEntry.objects.get(action="user.suspend", target_id=user.pk)
    admin_entry = AuditEntry.objects.get(action="user.suspend", target_id=third.pk)

    def without_dates(entry: AuditEntry) -> tuple[Any, ...]:
        after = {**entry.after, "suspended_until": bool(entry.after["suspended_until"])}
        after["hidden_work_ids"] = len(after["hidden_work_ids"])
        return (entry.action, entry.target_type, entry.reason, entry.before, after)

    assert without_dates(queue_entry) == without_dates(admin_entry)
    hides = AuditEntry.objects.filter(action="work.hide")
    assert {e.target_id for e in hides} == {queue_work.pk, admin_work.pk}


def test_a_refused_suspension_in_the_admin_says_why_and_changes_nothing(admin_client, user):
    url = reverse("admin:accounts_user_change", args=[user.pk])
    data = form_data(admin_client, url)
    data.update({"suspend_days": "5", "suspend_reason": ""})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Please give the reason" in response.content.decode()
    user.refresh_from_db()
    assert user.suspended_until is None
    data.update({"suspend_days": "5", "suspend_reason": "x", "lift_suspension": "on"})
    assert "not both" in admin_client.post(url, data).content.decode()


def test_lifting_in_the_admin(admin_client, user):
    user_suspend(moderator=make_moderator("mod_z"), user=user, reason="Spam.", forever=True)
    url = reverse("admin:accounts_user_change", args=[user.pk])
    data = form_data(admin_client, url)
    data.update({"lift_suspension": "on", "suspend_reason": "Appeal accepted."})
    assert admin_client.post(url, data).status_code == 302
    user.refresh_from_db()
    assert not user.suspended_permanently
    assert AuditEntry.objects.get(action="user.unsuspend").reason == "Appeal accepted."


def test_the_audit_log_reports_and_appeals_are_read_only(admin_client, user, other_user):
    report = report_work(make_work(user), reporter=other_user)
    report_resolve(
        moderator=make_moderator("mod_r"), report=report, resolution="warn", reason="Tag."
    )
    entry = AuditEntry.objects.first()
    assert entry is not None
    for name, pk in (("core_auditentry", entry.pk), ("moderation_report", report.pk)):
        assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
        page = admin_client.get(reverse(f"admin:{name}_change", args=[pk]))
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
        assert admin_client.get(reverse(f"admin:{name}_delete", args=[pk])).status_code == 403
    assert admin_client.get(reverse("admin:moderation_appeal_changelist")).status_code == 200
