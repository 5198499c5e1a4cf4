"""No Django admin page writes a model behind the services' back (the lint rule of
"One way down", as a test: it asks each registered admin what it allows, which needs the
database some admins look at).

`tools/lint_writes.py` finds writes in our code; this finds the writes Django's admin makes
by itself. For every registered ModelAdmin, as a superuser would meet it:
- if it can add or change a row and its form has a field one may edit, `save_model` must be
  our own (calling a service, which audits), not one that hands over to Django's;
- if that form edits a many-to-many field (a user's groups), `save_related` must be ours;
- if it can delete, `delete_model` and `delete_queryset` (the bulk action) must be ours;
- an inline that can add, change or delete needs our own `save_formset` or `save_related`.
Read-only admins (`core.admin.ReadOnlyAdmin`) pass by having no permission to write.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from django.contrib import admin
from django.test import RequestFactory

from fanarchive.accounts.models import User

pytestmark = pytest.mark.django_db


# Admin pages of other packages that show no rows of ours (django-rq's queue dashboard).
NOT_OURS = {"django_rq"}


def _ours(admin_object: object, method: str) -> bool:
    """Whether `method` is ours all the way: an override that hands over to Django's own
    (`super().save_model(...)`) still lets Django write the row."""
    for klass in type(admin_object).__mro__:
        if method not in klass.__dict__:
            continue
        if klass.__module__.startswith("django."):
            return False
        if f"super().{method}(" not in inspect.getsource(klass.__dict__[method]):
            return True
    return False


def problems(site: admin.AdminSite = admin.site) -> list[str]:
    """One line per admin page that could write by itself."""
    request = RequestFactory().get("/admin/")
    request.user = User(username="lint", is_staff=True, is_superuser=True, is_active=True)
    found = []
    for model, model_admin in site._registry.items():
        if model._meta.app_label in NOT_OURS:
            continue
        name = f"{type(model_admin).__module__}.{type(model_admin).__qualname__} ({model.__name__})"
        writes = model_admin.has_add_permission(request) or model_admin.has_change_permission(
            request
        )
        if (
            writes
            and _editable_fields(model_admin, request)
            and not _ours(model_admin, "save_model")
        ):
            found.append(f"{name}: saves with Django's save_model; call a service instead")
        many = {f.name for f in model._meta.many_to_many} & _editable_fields(model_admin, request)
        if writes and many and not _ours(model_admin, "save_related"):
            found.append(
                f"{name}: saves {', '.join(sorted(many))} with Django's save_related; "
                "call a service instead"
            )
        if model_admin.has_delete_permission(request):
            for method in ("delete_model", "delete_queryset"):
                if not _ours(model_admin, method):
                    found.append(f"{name}: deletes with Django's {method}; call a service instead")
        for inline in model_admin.get_inline_instances(request, None):
            inline_writes = (
                inline.has_add_permission(request, None)
                or inline.has_change_permission(request, None)
                or inline.has_delete_permission(request, None)
            )
            if inline_writes and not (
                _ours(model_admin, "save_formset") or _ours(model_admin, "save_related")
            ):
                found.append(f"{name}: its inline {type(inline).__name__} writes by itself")
    return found


def _editable_fields(model_admin: Any, request: Any) -> set[str]:
    """The fields one may edit on the add form or on an existing row's form."""
    editable: set[str] = set()
    for obj in (None, model_admin.model()):
        fields = set(model_admin.get_fields(request, obj))
        editable |= fields - set(model_admin.get_readonly_fields(request, obj))
    return editable


def test_every_admin_page_writes_through_the_services() -> None:
    assert problems() == []


def test_the_rule_finds_an_admin_that_writes_by_itself() -> None:
    class Careless(admin.ModelAdmin):
        pass

    site = admin.AdminSite(name="careless")
    site.register(User, Careless)
    found = problems(site)
    assert any("save_model" in line for line in found)
    assert any("delete_queryset" in line for line in found)
    assert any("groups" in line and "save_related" in line for line in found)
