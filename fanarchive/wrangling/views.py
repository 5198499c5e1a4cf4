"""Wrangling pages, the tag page's relations, and the autocomplete endpoint.

Thin views: forms parse, services write (and check permission), selectors read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from fanarchive.accounts.models import User
from fanarchive.core.views import authenticated_user, form_error_from, paginate, posted
from fanarchive.tags import selectors
from fanarchive.tags.models import FREE_TYPES, Tag, TagType
from fanarchive.works.selectors import search_documents_waiting
from fanarchive.wrangling import services as wrangling_services
from fanarchive.wrangling import wrangler_services
from fanarchive.wrangling.forms import (
    CanonicalForm,
    FandomForm,
    MassWrangleForm,
    MergeForm,
    MetatagForm,
    QueueForm,
    RenameForm,
    SubtagForm,
    SuggestionForm,
    SynonymForm,
    TagIdForm,
    UnwrangleableForm,
)
from fanarchive.wrangling.selectors import unwrangled_tags
from fanarchive.wrangling.suggestion_selectors import (
    TagSuggestion,
    suggestions_for_tag,
    suggestions_for_tags,
)

# -- public -------------------------------------------------------------------


_WHOLE_NUMBER = re.compile(r"[0-9]{1,19}")


@require_GET
def autocomplete(request: HttpRequest) -> JsonResponse:
    """GET ?type=character&q=mir&fandom=<id>&fandom_name=<name>: matching tags as JSON.

    A fandom that is not a tag id (not a whole number, or beyond what the database holds)
    is refused with 400 and a message, rather than read as no limit at all."""
    tag_type = request.GET.get("type", "")
    given = [value for value in request.GET.getlist("fandom") if value != ""]
    if not all(_WHOLE_NUMBER.fullmatch(v) and int(v) <= selectors.TAG_ID_MAX for v in given):
        return JsonResponse({"error": "fandom must be a tag id (a whole number)."}, status=400)
    fandom_ids = [int(value) for value in given]
    fandom_ids += selectors.fandom_ids_named(request.GET.getlist("fandom_name")[:20])
    tags = selectors.autocomplete_tags(
        tag_type=tag_type, query=request.GET.get("q", "")[:100], fandom_ids=fandom_ids
    )
    response = JsonResponse(
        {
            "results": [
                {"id": t.pk, "name": t.name, "canonical": t.canonical, "uses": t.use_count}
                for t in tags
            ]
        }
    )
    response["Cache-Control"] = "public, max-age=60"
    return response


# -- wranglers ----------------------------------------------------------------


def _wrangler(request: HttpRequest) -> User:
    user = authenticated_user(request)
    if not selectors.is_wrangler(user):
        raise PermissionDenied(gettext("Only wranglers can wrangle tags."))
    return user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _wrangler(request)
    return render(
        request,
        "tags/wrangling/home.html",
        {
            "search_backlog": search_documents_waiting(),
            "fandoms": selectors.wrangler_fandoms(user),
            "types": FREE_TYPES,
            "is_admin": selectors.is_admin(user),
        },
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The unwrangled tags of a type (in a fandom), with uses, suggestions and mass wrangling."""
    _wrangler(request)
    choice = QueueForm(request.GET)
    choice.is_valid()
    tag_type = choice.cleaned_data.get("type") or TagType.CHARACTER
    fandom_id = choice.cleaned_data.get("fandom")
    fandom = get_object_or_404(Tag, pk=fandom_id, type=TagType.FANDOM) if fandom_id else None
    page = paginate(request, unwrangled_tags(fandom=fandom, tag_type=tag_type))
    rows = _rows_with_suggestions(page)
    form = MassWrangleForm(tag_type=tag_type, choices=[tag for tag, _ in rows])
    return _render_queue(request, tag_type, fandom, page, rows, form)


def _rows_with_suggestions(page: Page[Tag]) -> list[tuple[Tag, list[TagSuggestion]]]:
    """The page's tags, each with the assistant's three best suggestions."""
    tags = list(page.object_list)
    suggestions = suggestions_for_tags(tags)
    return [(tag, suggestions[tag.pk][:3]) for tag in tags]


def _render_queue(
    request: HttpRequest,
    tag_type: str,
    fandom: Tag | None,
    page: Page[Tag],
    rows: list[tuple[Tag, list[TagSuggestion]]],
    form: Any,
) -> HttpResponse:
    query = f"type={tag_type}" + (f"&fandom={fandom.pk}" if fandom else "")
    return render(
        request,
        "tags/wrangling/queue.html",
        {
            "search_backlog": search_documents_waiting(),
            "tag_type": TagType(tag_type),
            "types": FREE_TYPES,
            "fandom": fandom,
            "page": page,
            "rows": rows,
            "form": form,
            "query": query,
            "here": request.get_full_path(),
        },
    )


@login_required
@require_POST
def mass_wrangle(request: HttpRequest) -> HttpResponse:
    user = _wrangler(request)
    tag_type = request.POST.get("type", "")
    if tag_type not in {t.value for t in FREE_TYPES}:
        tag_type = TagType.CHARACTER
    fandom_id = request.POST.get("fandom", "")
    fandom = (
        get_object_or_404(Tag, pk=int(fandom_id), type=TagType.FANDOM)
        if fandom_id.isdigit()
        else None
    )
    form = MassWrangleForm(request.POST, tag_type=tag_type, choices=[])
    if form.is_valid():
        data = form.cleaned_data
        tags = list(Tag.objects.filter(pk__in=data["tags"]).order_by("name"))
        try:
            count = wrangler_services.tags_mass_wrangle(
                user=user, tags=tags, action=data["action"], target=data["target_tag"]
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)s tag wrangled.", "%(count)s tags wrangled.", count)
                % {"count": count},
            )
            url = reverse("wrangling:queue") + f"?type={tag_type}"
            return redirect(url + (f"&fandom={fandom.pk}" if fandom else ""))
    page = paginate(request, unwrangled_tags(fandom=fandom, tag_type=tag_type))
    rows = _rows_with_suggestions(page)
    form.fields["tags"].choices = [(tag.pk, tag.name) for tag, _ in rows]  # type: ignore[attr-defined]
    return _render_queue(request, tag_type, fandom, page, rows, form)


def _safe_next(request: HttpRequest, url: str, fallback: str) -> str:
    ok = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and ok else fallback


@login_required
@require_POST
def suggestion_decide(request: HttpRequest) -> HttpResponse:
    """Accept (make a synonym) or reject (remember, never suggest again) one suggestion."""
    user = _wrangler(request)
    form = SuggestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("That suggestion could not be read; nothing was changed."))
        return redirect("wrangling:home")
    data = form.cleaned_data
    tag = get_object_or_404(Tag, pk=data["tag"])
    target = get_object_or_404(Tag, pk=data["target"])
    try:
        if data["decision"] == "accept":
            wrangler_services.suggestion_accept(user=user, tag=tag, target=target)
            messages.success(
                request,
                gettext("%(tag_name)s is now a synonym of %(target_name)s.")
                % {"tag_name": tag.name, "target_name": target.name},
            )
        else:
            wrangler_services.suggestion_reject(user=user, tag=tag, target=target)
            messages.success(
                request,
                gettext("%(target_name)s will not be suggested for %(tag_name)s again.")
                % {"target_name": target.name, "tag_name": tag.name},
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    fallback = reverse("wrangling:tag_edit", args=[tag.pk])
    return redirect(_safe_next(request, data.get("next") or "", fallback))


# -- a tag's edit page --------------------------------------------------------


def _edit_forms(tag: Tag, data: Any = None, action: str = "") -> dict[str, forms.Form]:
    """The edit page's forms; only the submitted one is bound."""

    def bound(name: str) -> Any:
        return data if action == name else None

    return {
        "canonical": CanonicalForm(
            bound("canonical"), initial={"canonical": tag.canonical}, prefix="canonical"
        ),
        "unwrangleable": UnwrangleableForm(
            bound("unwrangleable"),
            initial={"unwrangleable": tag.unwrangleable},
            prefix="unwrangleable",
        ),
        "synonym": SynonymForm(bound("synonym"), tag_type=tag.type, prefix="synonym"),
        "merge": MergeForm(bound("merge"), tag_type=tag.type, prefix="merge"),
        "metatag": MetatagForm(bound("metatag"), tag_type=tag.type, prefix="metatag"),
        "subtag": SubtagForm(bound("subtag"), tag_type=tag.type, prefix="subtag"),
        "fandom": FandomForm(bound("fandom"), prefix="fandom"),
        "rename": RenameForm(bound("rename"), initial={"name": tag.name}, prefix="rename"),
    }


def _other(data: Any) -> Tag:
    form = TagIdForm(data)
    if not form.is_valid():
        raise ValidationError(gettext("Choose the tag to remove."))
    return get_object_or_404(Tag, pk=form.cleaned_data["other"])


def _handlers(
    user: User, tag: Tag, forms_: dict[str, Any], data: Any
) -> dict[str, Callable[[], object]]:
    def value(name: str, field: str) -> Any:
        return forms_[name].cleaned_data.get(field)

    return {
        "canonical": lambda: wrangling_services.tag_set_canonical(
            user=user, tag=tag, canonical=bool(value("canonical", "canonical"))
        ),
        "unwrangleable": lambda: wrangling_services.tag_set_unwrangleable(
            user=user, tag=tag, unwrangleable=bool(value("unwrangleable", "unwrangleable"))
        ),
        "synonym": lambda: wrangling_services.tag_make_synonym(
            user=user, tag=tag, canonical=_required(forms_["synonym"], "synonym_of")
        ),
        "merge": lambda: wrangling_services.tag_merge(
            user=user, tag=tag, into=_required(forms_["merge"], "into")
        ),
        "metatag": lambda: wrangling_services.tag_add_metatag(
            user=user, tag=tag, metatag=_required(forms_["metatag"], "metatag")
        ),
        "subtag": lambda: wrangling_services.tag_add_metatag(
            user=user, tag=_required(forms_["subtag"], "subtag"), metatag=tag
        ),
        "fandom": lambda: wrangling_services.tag_link_fandom(
            user=user, tag=tag, fandom=_required(forms_["fandom"], "fandom")
        ),
        "rename": lambda: wrangling_services.tag_rename(
            user=user, tag=tag, name=value("rename", "name") or ""
        ),
        "remove_synonym": lambda: wrangling_services.tag_remove_synonym(user=user, tag=tag),
        "remove_metatag": lambda: wrangling_services.tag_remove_metatag(
            user=user, tag=tag, metatag=_other(data)
        ),
        "remove_subtag": lambda: wrangling_services.tag_remove_metatag(
            user=user, tag=_other(data), metatag=tag
        ),
        "unlink_fandom": lambda: wrangling_services.tag_unlink_fandom(
            user=user, tag=tag, fandom=_other(data)
        ),
    }


def _required(form: forms.Form, field: str) -> Tag:
    tag: Tag | None = form.cleaned_data.get(field)
    if tag is None:
        raise ValidationError({field: gettext("Name a tag.")})
    return tag


@login_required
def tag_edit(request: HttpRequest, tag_id: int) -> HttpResponse:
    tag = get_object_or_404(Tag.objects.select_related("synonym_of"), pk=tag_id)
    user = authenticated_user(request)
    if not selectors.can_wrangle(user, tag):
        raise PermissionDenied(gettext("You cannot wrangle this tag."))
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms_ = _edit_forms(tag, posted(request), action)
    if request.method == "POST":
        handlers = _handlers(user, tag, forms_, request.POST)
        form = forms_.get(action)
        if action not in handlers:
            messages.error(request, gettext("Choose something to change; nothing was changed."))
        elif form is None or form.is_valid():
            try:
                handlers[action]()
            except ValidationError as error:
                if form is not None:
                    form_error_from(form, error)
                else:
                    for message in error.messages:
                        messages.error(request, message)
            else:
                messages.success(request, gettext("%(name)s: saved.") % {"name": tag.name})
                return redirect("wrangling:tag_edit", tag.pk)
        tag.refresh_from_db()
    return render(
        request,
        "tags/wrangling/edit.html",
        {
            "search_backlog": search_documents_waiting(),
            "tag": tag,
            "forms": forms_,
            "relations": selectors.tag_relations(tag),
            "suggestions": suggestions_for_tag(tag),
            "log": selectors.wrangling_log(tag=tag)[:20],
            "here": request.get_full_path(),
        },
    )


@login_required
def log(request: HttpRequest) -> HttpResponse:
    _wrangler(request)
    tag_id = request.GET.get("tag", "")
    tag = get_object_or_404(Tag, pk=int(tag_id)) if tag_id.isdigit() else None
    page = paginate(request, selectors.wrangling_log(tag=tag))
    return render(
        request,
        "tags/wrangling/log.html",
        {
            "search_backlog": search_documents_waiting(),
            "page": page,
            "tag": tag,
            "query": f"tag={tag.pk}" if tag else "",
        },
    )
