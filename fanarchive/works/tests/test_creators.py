"""Co-creators, gifts and orphaning: services and pages."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fanarchive.accounts.block_services import block_create
from fanarchive.accounts.models import Preference
from fanarchive.accounts.profile_services import pseud_create
from fanarchive.core.testing import PASSWORD, make_user, make_work, work_input
from fanarchive.discovery.selectors import gifts_received_by
from fanarchive.works.catalogue_models import CatalogueChange
from fanarchive.works.creator_services import (
    creator_invite,
    creator_remove_self,
    gift_accept_again,
    gift_refuse,
    invitation_accept,
    invitation_decline,
    work_orphan,
    works_orphan_all,
)
from fanarchive.works.models import CreatorInvitation, Creatorship, Gift, Work
from fanarchive.works.selectors import is_creator
from fanarchive.works.services import work_update

pytestmark = pytest.mark.django_db


def bylines(work):
    return [c.pseud.byline for c in Creatorship.objects.filter(work=work).select_related("pseud")]


def set_preference(user, **values):
    Preference.objects.filter(user=user).update(**values)


# -- co-creators ----------------------------------------------------------------------


def test_invitation_waits_for_acceptance(
    client, user, other_user, django_capture_on_commit_callbacks
):
    work = make_work(user)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = creator_invite(user=user, work=work, pseud_name="someone_else")
    assert isinstance(invitation, CreatorInvitation)
    assert bylines(work) == ["writer"]
    assert not is_creator(other_user, work)
    assert len(mail.outbox) == 1 and "Co-creator invitation" in mail.outbox[0].subject
    assert mail.outbox[0].to == ["someone_else@example.org"]
    # Until they accept, the work shows only the inviting creator.
    assert "someone_else" not in client.get(work.get_absolute_url()).content.decode()

    invitation_accept(user=other_user, invitation=invitation)
    assert bylines(work) == ["writer", "someone_else"]
    assert not CreatorInvitation.objects.exists()
    assert "someone_else" in client.get(work.get_absolute_url()).content.decode()


def test_a_pending_co_creator_cannot_edit(client, user, other_user):
    work = make_work(user)
    creator_invite(user=user, work=work, pseud_name="someone_else")
    with pytest.raises(PermissionDenied):
        work_update(user=other_user, work=work, data=work_input(title="Taken over"))
    client.force_login(other_user)
    assert client.get(reverse("works:edit", args=[work.pk])).status_code == 403
    assert client.post(reverse("works:edit", args=[work.pk]), {"title": "X"}).status_code == 403
    work.refresh_from_db()
    assert work.title != "Taken over"


def test_an_accepted_co_creator_edits(user, other_user):
    work = make_work(user)
    invitation = creator_invite(user=user, work=work, pseud_name="someone_else")
    assert isinstance(invitation, CreatorInvitation)
    invitation_accept(user=other_user, invitation=invitation)
    work_update(user=other_user, work=work, data=work_input(title="Written Together"))
    work.refresh_from_db()
    assert work.title == "Written Together"
    assert set(bylines(work)) == {"writer", "someone_else"}


def test_declining_leaves_the_work_alone(user, other_user):
    work = make_work(user)
    invitation = creator_invite(user=user, work=work, pseud_name="someone_else")
    assert isinstance(invitation, CreatorInvitation)
    invitation_decline(user=other_user, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == "declined" and bylines(work) == ["writer"]
    with pytest.raises(ValidationError):
        invitation_accept(user=other_user, invitation=invitation)


def test_only_the_invitee_answers(user, other_user):
    work = make_work(user)
    invitation = creator_invite(user=user, work=work, pseud_name="someone_else")
    assert isinstance(invitation, CreatorInvitation)
    with pytest.raises(PermissionDenied):
        invitation_accept(user=user, invitation=invitation)


def test_automatic_acceptance_preference(user, other_user, django_capture_on_commit_callbacks):
    set_preference(other_user, accept_cocreator_invitations=True)
    work = make_work(user)
    with django_capture_on_commit_callbacks(execute=True):
        result = creator_invite(user=user, work=work, pseud_name="someone_else")
    assert isinstance(result, Creatorship)
    assert bylines(work) == ["writer", "someone_else"]
    assert "added as a co-creator" in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("nobody_here", 'There is no pseud "nobody_here"'),
        ("writer", "already a creator"),
        ("orphan_account", "There is no pseud"),
    ],
)
def test_bad_invitations_are_refused(user, other_user, name, message):
    work = make_work(user)
    leaving = make_user()
    work_orphan(user=leaving, work=make_work(leaving), keep_pseud=False)  # makes orphan_account
    with pytest.raises(ValidationError) as excinfo:
        creator_invite(user=user, work=work, pseud_name=name)
    assert message in excinfo.value.message_dict["pseud"][0]
    assert not CreatorInvitation.objects.exists()


def test_inviting_twice_is_refused_and_blockers_cannot_be_invited(user, other_user):
    work = make_work(user)
    creator_invite(user=user, work=work, pseud_name="someone_else")
    with pytest.raises(ValidationError):
        creator_invite(user=user, work=work, pseud_name="someone_else")
    third = make_user("harbour_master")
    block_create(user=third, blocked=user)
    with pytest.raises(ValidationError) as excinfo:
        creator_invite(user=user, work=work, pseud_name="harbour_master")
    assert "cannot invite" in excinfo.value.message_dict["pseud"][0]


def test_a_pseud_shared_by_two_users_must_be_named_with_its_user(user, other_user):
    pseud_create(user=user, owner=user, name="Gull")
    pseud_create(user=other_user, owner=other_user, name="Gull")
    work = make_work(make_user())
    with pytest.raises(ValidationError) as excinfo:
        creator_invite(user=work.pseuds.get().user, work=work, pseud_name="Gull")
    assert "Gull (user name)" in excinfo.value.message_dict["pseud"][0]
    invitation = creator_invite(
        user=work.pseuds.get().user, work=work, pseud_name="Gull (someone_else)"
    )
    assert invitation.pseud.user == other_user


def test_removing_oneself_keeps_at_least_one_creator(user, other_user):
    work = make_work(user)
    with pytest.raises(ValidationError) as excinfo:
        creator_remove_self(user=user, work=work)
    assert "at least one creator" in excinfo.value.messages[0]
    invitation = creator_invite(user=user, work=work, pseud_name="someone_else")
    assert isinstance(invitation, CreatorInvitation)
    invitation_accept(user=other_user, invitation=invitation)
    before = CatalogueChange.objects.filter(work_id=work.pk).count()
    creator_remove_self(user=user, work=work)
    assert bylines(work) == ["someone_else"]
    assert CatalogueChange.objects.filter(work_id=work.pk).count() == before + 1
    with pytest.raises(ValidationError):
        creator_remove_self(user=other_user, work=work)


def test_invitation_pages(client, user, other_user):
    work = make_work(user, title="Two Lanterns")
    client.force_login(user)
    response = client.post(reverse("works:creators", args=[work.pk]), {"pseud": "someone_else"})
    assert response.status_code == 302
    invitation = CreatorInvitation.objects.get()
    page = client.get(reverse("works:creators", args=[work.pk])).content.decode()
    assert "Waiting for an answer" in page
    # The inviter cannot answer for the invitee: it is not their invitation.
    assert client.post(reverse("works:invitation_accept", args=[invitation.pk])).status_code == 404

    client.force_login(other_user)
    page = client.get(reverse("works:invitations")).content.decode()
    assert "Two Lanterns" in page
    client.post(reverse("works:invitation_accept", args=[invitation.pk]))
    assert bylines(work) == ["writer", "someone_else"]
    assert "No invitations" in client.get(reverse("works:invitations")).content.decode()


def test_invite_form_shows_the_services_message(user_client, user):
    work = make_work(user)
    response = user_client.post(reverse("works:creators", args=[work.pk]), {"pseud": "nobody_here"})
    assert response.status_code == 200
    assert "There is no pseud" in response.content.decode()


def test_leave_page(client, user, other_user):
    work = make_work(user)
    client.force_login(user)
    response = client.post(reverse("works:creators_leave", args=[work.pk]), follow=True)
    assert "at least one creator" in response.content.decode()
    assert bylines(work) == ["writer"]


# -- gifts ------------------------------------------------------------------------------------


def gift_work(user, recipients, **kwargs):
    return make_work(user, gifts=recipients, **kwargs)


def test_gifts_to_pseuds_and_names(client, user, other_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        work = gift_work(user, ["someone_else", "My Grandmother"])
    gifts = list(work.gifts.order_by("position"))
    assert (
        gifts[0].pseud == other_user.default_pseud and gifts[1].recipient_name == "My Grandmother"
    )
    assert [m.to for m in mail.outbox] == [["someone_else@example.org"]]
    page = client.get(work.get_absolute_url()).content.decode()
    assert "for <a" in page and "someone_else" in page and "My Grandmother" in page
    gifts_page = client.get(reverse("works:gifts", args=["someone_else"])).content.decode()
    assert work.title in gifts_page


def test_drafts_notify_recipients_when_posted(user, other_user, django_capture_on_commit_callbacks):
    from fanarchive.works.services import work_post

    with django_capture_on_commit_callbacks(execute=True):
        work = gift_work(user, ["someone_else"], post=False)
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        work_post(user=user, work=work)
    assert len(mail.outbox) == 1 and "A gift for you" in mail.outbox[0].subject


def test_a_refused_gift_no_longer_shows_the_recipient(client, user, other_user):
    work = gift_work(user, ["someone_else"])
    gift = Gift.objects.get()
    with pytest.raises(PermissionDenied):
        gift_refuse(user=user, gift=gift)
    gift_refuse(user=other_user, gift=gift)
    page = client.get(work.get_absolute_url()).content.decode()
    assert "someone_else" not in page.split('class="byline"')[1].split("</p>")[1]
    assert not gifts_received_by(other_user, other_user).exists()
    assert (
        work.title not in client.get(reverse("works:gifts", args=["someone_else"])).content.decode()
    )
    # Editing the work with the recipient named again does not give it again.
    work_update(user=user, work=work, data=work_input(gifts=["someone_else"]))
    assert Gift.objects.get().refused
    gift_accept_again(user=other_user, gift=Gift.objects.get())
    assert gifts_received_by(other_user, other_user).exists()


def test_refuse_through_the_page(client, user, other_user):
    work = gift_work(user, ["someone_else"])
    client.force_login(other_user)
    assert "Refuse the gift" in client.get(work.get_absolute_url()).content.decode()
    client.post(reverse("works:gift_refuse", args=[work.pk]))
    assert Gift.objects.get().refused
    page = client.get(reverse("works:gifts", args=["someone_else"]) + "?refused=true")
    assert work.title in page.content.decode()
    # Someone who is not the recipient cannot refuse.
    client.force_login(make_user())
    assert client.post(reverse("works:gift_refuse", args=[work.pk])).status_code == 404


def test_refuse_all_gifts_preference(user, other_user):
    set_preference(other_user, refuse_gifts=True)
    with pytest.raises(ValidationError) as excinfo:
        gift_work(user, ["someone_else"])
    assert "does not accept gifts" in excinfo.value.message_dict["gifts"][0]
    assert not Work.objects.exists()


def test_a_blocked_user_cannot_gift_the_blocker(user, other_user):
    block_create(user=other_user, blocked=user)
    with pytest.raises(ValidationError) as excinfo:
        gift_work(user, ["someone_else"])
    assert "cannot give a gift" in excinfo.value.message_dict["gifts"][0]
    # The other way round is fine.
    assert make_work(other_user, gifts=["writer"]).gifts.count() == 1


def test_no_gifts_to_oneself(user):
    with pytest.raises(ValidationError):
        gift_work(user, ["writer"])


def test_gift_errors_show_on_the_posting_form(user_client, other_user):
    set_preference(other_user, refuse_gifts=True)
    from fanarchive.works.tests.test_views import post_data

    response = user_client.post(reverse("works:new"), post_data(gifts="someone_else"))
    assert response.status_code == 200
    assert "does not accept gifts" in response.content.decode()
    assert not Work.objects.exists()


def test_removing_a_recipient_on_edit(user, other_user):
    work = gift_work(user, ["someone_else", "Aunt May"])
    work_update(user=user, work=work, data=work_input(gifts=["Aunt May"]))
    assert [g.recipient for g in work.gifts.all()] == ["Aunt May"]
    # A WorkInput without gifts (an importer's) leaves them alone.
    work_update(user=user, work=work, data=work_input())
    assert work.gifts.count() == 1


# -- orphaning --------------------------------------------------------------------------


def test_orphan_a_work_keeping_the_pseud_name(client, user):
    work = make_work(user)
    work_orphan(user=user, work=work, keep_pseud=True)
    assert bylines(work) == ["writer (orphan_account)"]
    assert not is_creator(user, work)
    assert Work.objects.filter(pk=work.pk, posted=True).exists()
    client.force_login(user)
    assert client.get(reverse("works:edit", args=[work.pk])).status_code == 403


def test_orphan_a_work_without_the_pseud_name(user):
    work = make_work(user)
    work_orphan(user=user, work=work, keep_pseud=False)
    assert bylines(work) == ["orphan_account"]


def test_orphaning_hides_who_made_the_history(user, other_user):
    work = make_work(user)
    invitation = creator_invite(user=user, work=work, pseud_name="someone_else")
    assert isinstance(invitation, CreatorInvitation)
    invitation_accept(user=other_user, invitation=invitation)
    work_orphan(user=user, work=work, keep_pseud=False)
    assert set(bylines(work)) == {"orphan_account", "someone_else"}
    assert not work.revisions.filter(created_by=user).exists()
    assert not work.chapters.get().revisions.filter(created_by=user).exists()


def test_orphan_refusals(user, other_user):
    work = make_work(user)
    with pytest.raises(PermissionDenied):
        work_orphan(user=other_user, work=work, keep_pseud=True)
    draft = make_work(user, post=False)
    with pytest.raises(ValidationError):
        work_orphan(user=user, work=draft, keep_pseud=True)
    assert bylines(work) == ["writer"] and bylines(draft) == ["writer"]


def test_orphan_all_works(user):
    works = [make_work(user) for _ in range(3)]
    draft = make_work(user, post=False)
    assert works_orphan_all(user=user, keep_pseud=False) == 3
    for work in works:
        assert bylines(work) == ["orphan_account"]
    assert bylines(draft) == ["writer"]


def test_orphan_page_says_it_is_permanent_before_confirming(user_client, user):
    work = make_work(user)
    page = user_client.get(reverse("works:orphan", args=[work.pk])).content.decode()
    assert "Orphaning is permanent." in page and "cannot be undone" in page
    assert bylines(work) == ["writer"]
    user_client.post(reverse("works:orphan", args=[work.pk]), {"keep_pseud": "no"})
    assert bylines(work) == ["orphan_account"]
    page = user_client.get(reverse("works:orphan_all")).content.decode()
    assert "Orphaning is permanent." in page


def test_the_orphan_all_page_counts_what_orphaning_all_orphans(user_client, user):
    make_work(user)
    hidden = make_work(user)
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    make_work(user, post=False)
    page = user_client.get(reverse("works:orphan_all")).content.decode()
    assert "all your works (2)" in page
    assert works_orphan_all(user=user, keep_pseud=False) == 2


def test_the_orphan_account_cannot_log_in(client, user):
    work_orphan(user=user, work=make_work(user), keep_pseud=True)
    orphan = Work.objects.get().pseuds.get().user
    assert orphan.username == "orphan_account" and not orphan.has_usable_password()
    # Even with a password someone set by hand.
    orphan.set_password(PASSWORD)
    orphan.save()
    assert not client.login(username="orphan_account", password=PASSWORD)
    response = client.post(
        reverse("accounts:login"), {"username": "orphan_account", "password": PASSWORD}
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    # A session made some other way is not honoured either.
    client.force_login(orphan)
    assert client.get(reverse("works:new")).status_code == 302


def test_writing_preferences_on_the_preferences_page(user_client, user):
    url = reverse("accounts:preferences", args=[user.username])
    html = user_client.get(url).content.decode()
    assert "<legend>Writing</legend>" in html
    assert 'for="id_accept_cocreator_invitations"' in html and 'for="id_refuse_gifts"' in html
    user_client.post(url, {"refuse_gifts": "on", "accept_cocreator_invitations": "on"})
    preference = Preference.objects.get(user=user)
    assert preference.refuse_gifts and preference.accept_cocreator_invitations
