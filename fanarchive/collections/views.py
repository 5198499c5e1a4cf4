"""The collections pages. Thin views: the rules are the services' and selectors'."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fanarchive.accounts.models import Pseud, User
from fanarchive.collections import item_services, selectors, services
from fanarchive.collections.forms import (
    CollectionChoiceForm,
    CollectionForm,
    ParticipantAddForm,
    ParticipantRoleForm,
    WorkInviteForm,
)
from fanarchive.collections.models import (
    Approval,
    Collection,
    CollectionItem,
    CollectionParticipant,
    ParticipantRole,
)
from fanarchive.core.views import authenticated_user, form_error_from, paginate, posted
from fanarchive.works.models import Work
from fanarchive.works.selectors import access_work, byline_for, require_creator

EDITABLE_FIELDS = (
    "name",
    "title",
    "header_text",
    "description",
    "rules",
    "closed",
    "moderated",
    "unrevealed",
    "anonymous",
)


def _collection(name: str) -> Collection:
    collection = selectors.collection_by_name(name)
    if collection is None:
        raise Http404(_("No such collection."))
    return collection


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _input(form: CollectionForm) -> services.CollectionInput:
    data = form.cleaned_data
    return services.CollectionInput(
        name=data["name"],
        title=data["title"],
        description=data["description"],
        header_text=data["header_text"],
        rules=data["rules"],
        closed=data["closed"],
        moderated=data["moderated"],
        unrevealed=data["unrevealed"],
        anonymous=data["anonymous"],
    )


# -- the index, the profile ----------------------------------------------------------


def collection_index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    status = request.GET.get("status", "")
    closed = {"open": False, "closed": True}.get(status)
    page = paginate(request, selectors.collection_list(query=query, closed=closed))
    return render(
        request,
        "collections/index.html",
        {"collections": page, "page": page, "query": query, "status": status},
    )


def collection_detail(request: HttpRequest, name: str) -> HttpResponse:
    collection = _collection(name)
    role = selectors.role_of(request.user, collection)
    context: dict[str, Any] = {
        "collection": collection,
        "role": role,
        "can_moderate": role in (ParticipantRole.OWNER, ParticipantRole.MODERATOR),
        "is_owner": role == ParticipantRole.OWNER,
        "staff": selectors.collection_staff(collection),
        "children": collection.children.order_by("title"),
        "work_count": selectors.collection_works(collection, request.user).count(),
        "can_join": request.user.is_authenticated
        and role in (None, ParticipantRole.INVITED)
        and (not collection.closed or role == ParticipantRole.INVITED),
    }
    return render(request, "collections/detail.html", context)


# -- create, edit, delete ------------------------------------------------------------


@login_required
def collection_new(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    form = CollectionForm(posted(request), initial={"parent": request.GET.get("parent", "")})
    if request.method == "POST" and form.is_valid():
        parent_name = form.cleaned_data["parent"].strip()
        parent = selectors.collection_by_name(parent_name) if parent_name else None
        if parent_name and parent is None:
            form.add_error(
                "parent",
                _("There is no collection named %(parent_name)s.") % {"parent_name": parent_name},
            )
        else:
            try:
                collection = services.collection_create(user=user, data=_input(form), parent=parent)
            except ValidationError as error:
                form_error_from(form, error)
            else:
                messages.success(request, _("The collection was created."))
                return redirect(collection)
    status = 400 if form.errors else 200
    return render(request, "collections/form.html", {"form": form}, status=status)


@login_required
def collection_edit(request: HttpRequest, name: str) -> HttpResponse:
    user = authenticated_user(request)
    collection = _collection(name)
    if not selectors.is_collection_owner(user, collection):
        raise PermissionDenied(
            _("Only the owners of %(title)s can edit it.") % {"title": collection.title}
        )
    initial = {field: getattr(collection, field) for field in EDITABLE_FIELDS}
    form = CollectionForm(posted(request), initial=initial)
    form.fields.pop("parent")
    if request.method == "POST" and form.is_valid():
        form.cleaned_data.setdefault("parent", "")
        try:
            collection = services.collection_update(
                user=user, collection=collection, data=_input(form)
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("The collection was saved."))
            return redirect(collection)
    status = 400 if form.errors else 200
    return render(
        request, "collections/form.html", {"form": form, "collection": collection}, status=status
    )


@login_required
def collection_delete(request: HttpRequest, name: str) -> HttpResponse:
    user = authenticated_user(request)
    collection = _collection(name)
    if not selectors.is_collection_owner(user, collection):
        raise PermissionDenied(
            _("Only the owners of %(title)s can delete it.") % {"title": collection.title}
        )
    if request.method == "POST":
        services.collection_delete(user=user, collection=collection)
        messages.success(
            request, _("The collection %(title)s was deleted.") % {"title": collection.title}
        )
        return redirect("collections:index")
    return render(request, "collections/delete.html", {"collection": collection})


# -- participants --------------------------------------------------------------------


def collection_participants(request: HttpRequest, name: str) -> HttpResponse:
    collection = _collection(name)
    role = selectors.role_of(request.user, collection)
    is_owner = role == ParticipantRole.OWNER
    form = ParticipantAddForm(posted(request) if is_owner else None)
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied(
                _("Only the owners of %(title)s can add participants.")
                % {"title": collection.title}
            )
        if form.is_valid():
            pseud = _pseud_named(form.cleaned_data["username"])
            if pseud is None:
                form.add_error("username", _("There is no user by that name."))
            else:
                try:
                    if form.cleaned_data["role"] == ParticipantRole.INVITED:
                        services.collection_invite(
                            user=authenticated_user(request), collection=collection, pseud=pseud
                        )
                    else:
                        services.collection_participant_add(
                            user=authenticated_user(request),
                            collection=collection,
                            pseud=pseud,
                            role=form.cleaned_data["role"],
                        )
                except ValidationError as error:
                    form_error_from(form, error)
                else:
                    messages.success(request, _("%(byline)s was added.") % {"byline": pseud.byline})
                    return redirect("collections:participants", name=collection.name)
    participants = selectors.participants_for(request.user, collection)
    return render(
        request,
        "collections/participants.html",
        {
            "collection": collection,
            "participants": participants,
            "is_owner": is_owner,
            "form": form,
            "role_form": ParticipantRoleForm(),
        },
        status=400 if form.errors else 200,
    )


def _pseud_named(username: str) -> Pseud | None:
    user = User.objects.filter(username__iexact=username.strip(), is_active=True).first()
    if user is None:
        return None
    return user.pseuds.filter(is_default=True).first() or user.pseuds.first()


@login_required
@require_POST
def collection_join(request: HttpRequest, name: str) -> HttpResponse:
    collection = _collection(name)
    try:
        services.collection_join(user=authenticated_user(request), collection=collection)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("You joined %(title)s.") % {"title": collection.title})
    return redirect(collection)


def _participant(name: str, participant_id: int) -> tuple[Collection, CollectionParticipant]:
    collection = _collection(name)
    participant = get_object_or_404(
        CollectionParticipant.objects.select_related("pseud", "collection"),
        pk=participant_id,
        collection=collection,
    )
    return collection, participant


@login_required
@require_POST
def participant_remove(request: HttpRequest, name: str, participant_id: int) -> HttpResponse:
    collection, participant = _participant(name, participant_id)
    try:
        services.collection_participant_remove(
            user=authenticated_user(request), participant=participant
        )
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(
            request,
            _("%(byline)s left %(title)s.")
            % {"byline": participant.pseud.byline, "title": collection.title},
        )
    return redirect("collections:participants", name=collection.name)


@login_required
@require_POST
def participant_role(request: HttpRequest, name: str, participant_id: int) -> HttpResponse:
    collection, participant = _participant(name, participant_id)
    try:
        services.collection_participant_set_role(
            user=authenticated_user(request),
            participant=participant,
            role=request.POST.get("role", ""),
        )
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(
            request,
            _("%(byline)s is now %(role)s.")
            % {"byline": participant.pseud.byline, "role": participant.get_role_display().lower()},
        )
    return redirect("collections:participants", name=collection.name)


# -- managing items ------------------------------------------------------------------


@login_required
def collection_items(request: HttpRequest, name: str) -> HttpResponse:
    """The moderators' page: items by the collection's approval, invite a work, reveal."""
    user = authenticated_user(request)
    collection = _collection(name)
    if not selectors.can_moderate(user, collection):
        raise PermissionDenied(
            _("Only the moderators of %(title)s can manage its items.")
            % {"title": collection.title}
        )
    status = request.GET.get("status", Approval.UNREVIEWED)
    if status not in Approval.values:
        status = Approval.UNREVIEWED
    form = WorkInviteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        work = Work.objects.filter(pk=form.cleaned_data["work_id"] or 0).first()
        if work is None:
            form.add_error("work_id", _("There is no work with that number."))
        else:
            try:
                item_services.collection_item_invite(user=user, collection=collection, work=work)
            except ValidationError as error:
                form_error_from(form, error)
            else:
                messages.success(
                    request, _("The creators of %(title)s were invited.") % {"title": work.title}
                )
                return redirect("collections:items", name=collection.name)
    page = paginate(request, selectors.items_for_review(collection, status))
    return render(
        request,
        "collections/items.html",
        {
            "collection": collection,
            "items": page,
            "page": page,
            "status": status,
            "statuses": Approval.choices,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


_ITEM_ACTIONS = {
    "approve": (item_services.collection_item_approve, gettext_lazy("The item was approved.")),
    "reject": (item_services.collection_item_reject, gettext_lazy("The item was rejected.")),
}


@login_required
@require_POST
def item_action(request: HttpRequest, name: str, item_id: int, action: str) -> HttpResponse:
    collection = _collection(name)
    item = get_object_or_404(
        CollectionItem.objects.select_related("collection", "work", "bookmark"),
        pk=item_id,
        collection=collection,
    )
    user = authenticated_user(request)
    if action == "remove":
        item_services.collection_item_remove(user=user, item=item)
        messages.success(request, _("The item was removed from the collection."))
    elif action in _ITEM_ACTIONS:
        service, done = _ITEM_ACTIONS[action]
        service(user=user, item=item)
        messages.success(request, done)
    else:
        raise Http404(_("No such action."))
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("collections:items", name=collection.name)


@login_required
@require_POST
def collection_reveal(request: HttpRequest, name: str, what: str) -> HttpResponse:
    collection = _collection(name)
    user = authenticated_user(request)
    if what == "works":
        revealed = item_services.collection_reveal(user=user, collection=collection)
        messages.success(request, _("Works revealed: %(count)s.") % {"count": len(revealed)})
    elif what == "creators":
        revealed = item_services.collection_reveal_authors(user=user, collection=collection)
        messages.success(
            request, _("Creators revealed on %(count)s works.") % {"count": len(revealed)}
        )
    else:
        raise Http404(_("No such reveal."))
    return redirect(collection)


# -- a creator's side ----------------------------------------------------------------


@login_required
def work_add(request: HttpRequest, work_id: int) -> HttpResponse:
    """A creator adds their work to a collection by its name."""
    user = authenticated_user(request)
    work = access_work(user, work_id)
    require_creator(user, work, to=_("add it to a collection"))
    form = CollectionChoiceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        collection = selectors.collection_by_name(form.cleaned_data["collection"].strip())
        if collection is None:
            form.add_error("collection", _("There is no collection by that name."))
        else:
            try:
                item = item_services.collection_item_add(
                    user=user, collection=collection, work=work
                )
            except ValidationError as error:
                form_error_from(form, error)
            else:
                if item.approved:
                    messages.success(
                        request,
                        _("%(work_title)s was added to %(collection_title)s.")
                        % {"work_title": work.title, "collection_title": collection.title},
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "%(work_title)s was added to %(collection_title)s; it will show there "
                            "once a moderator approves it."
                        )
                        % {"work_title": work.title, "collection_title": collection.title},
                    )
                return redirect(work)
    items = work.collection_items.select_related("collection").order_by("-created_at")
    return render(
        request,
        "collections/work_add.html",
        {"work": work, "form": form, "items": items, "byline": byline_for(work, user)},
        status=400 if form.errors else 200,
    )


@login_required
def user_items(request: HttpRequest, username: str) -> HttpResponse:
    """The invitations into collections awaiting this creator's answer."""
    user = authenticated_user(request)
    if user.username.lower() != username.lower():
        raise PermissionDenied(_("You can only see your own collection items."))
    page = paginate(request, selectors.items_awaiting_creator(user))
    return render(request, "collections/user_items.html", {"items": page, "page": page})


@login_required
@require_POST
def user_item_answer(request: HttpRequest, username: str, item_id: int) -> HttpResponse:
    user = authenticated_user(request)
    item = get_object_or_404(
        CollectionItem.objects.select_related("collection", "work"), pk=item_id
    )
    if request.POST.get("answer") == "accept":
        item_services.collection_item_accept(user=user, item=item)
        messages.success(
            request,
            _("You accepted the invitation to %(title)s.") % {"title": item.collection.title},
        )
    else:
        item_services.collection_item_refuse(user=user, item=item)
        messages.success(
            request,
            _("You refused the invitation to %(title)s.") % {"title": item.collection.title},
        )
    return redirect("collections:user_items", username=user.username)
