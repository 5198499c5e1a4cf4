"""The rules behind the adult-content gate, hiding, tags and orphaning, one by one (the
every-surface test in fanarchive/tests walks them across the whole site)."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.models import Notice, NoticeKind
from fanarchive.engagement.notices import notices_rename_creator, notify
from fanarchive.engagement.preference_services import preferences_update
from fanarchive.tags.fixed import EXPLICIT, GENERAL, MATURE, NOT_RATED, TEEN
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.age_gate import AgeGateContext
from fanarchive.works.catalogue_models import CatalogueChange
from fanarchive.works.creator_services import work_orphan
from fanarchive.works.models import SeriesCreatorship, Work
from fanarchive.works.moderation_services import work_set_hidden
from fanarchive.works.selectors import adult_text_withheld, tag_advertised, tag_for
from fanarchive.works.series_services import series_create, series_work_add
from fanarchive.wrangling.services import tag_make_synonym, tag_set_canonical

pytestmark = pytest.mark.django_db


def blurb_ready(*works):
    return list(
        Work.objects.filter(pk__in=[w.pk for w in works]).prefetch_related("work_tags__tag")
    )


def test_adult_text_withheld_asks_for_adult_ratings_only(user):
    works = {r: make_work(user, rating=r) for r in (GENERAL, TEEN, MATURE, EXPLICIT, NOT_RATED)}
    withheld = adult_text_withheld(
        viewer=AgeGateContext(AnonymousUser()), works=blurb_ready(*works.values())
    )
    assert withheld == {works[r].pk for r in (MATURE, EXPLICIT, NOT_RATED)}


def test_adult_text_withheld_spares_consent_preference_and_creators(user, other_user):
    own = make_work(user, rating=EXPLICIT)
    others = make_work(other_user, rating=EXPLICIT)
    both = blurb_ready(own, others)
    consented = AgeGateContext(AnonymousUser(), session_consented=True)
    assert adult_text_withheld(viewer=consented, works=both) == set()
    assert adult_text_withheld(viewer=AgeGateContext(user), works=both) == {others.pk}
    preferences_update(
        user=user, owner=user, view_adult=True, hide_warnings=False, hide_freeform=False
    )
    user.refresh_from_db()
    assert adult_text_withheld(viewer=AgeGateContext(user), works=both) == set()


def test_only_admins_hide_works_and_the_listing_follows_at_once(client, user, other_user):
    work = make_work(user)
    with pytest.raises(PermissionDenied):
        work_set_hidden(user=other_user, work=work, hidden=True)
    admin = make_user("moderator", is_staff=True)
    before = CatalogueChange.objects.count()
    work_set_hidden(user=admin, work=work, hidden=True)
    assert CatalogueChange.objects.count() == before + 1
    assert work.title not in client.get(reverse("works:list")).content.decode()
    work_set_hidden(user=admin, work=work, hidden=False)
    assert work.title in client.get(reverse("works:list")).content.decode()


def test_hiding_in_the_admin_reaches_listings_search_and_the_api(client, user):
    work = make_work(user, title="Beacon over the quay")
    admin = make_user("site_admin", is_staff=True, is_superuser=True)
    admin_client = type(client)()
    admin_client.force_login(admin)
    url = reverse("admin:works_work_change", args=[work.pk])
    page = admin_client.get(url).content.decode()
    # The form as the browser sends it: its hidden fields (the inlines' counts), ticked.
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    form.update({"hidden_by_admin": "on", "_save": "Save"})
    assert admin_client.post(url, form).status_code == 302
    assert Work.objects.get(pk=work.pk).hidden_by_admin
    assert "Beacon over the quay" not in client.get(reverse("works:list")).content.decode()
    assert "Beacon" not in client.get(reverse("works:list"), {"q": "beacon"}).content.decode()
    assert client.get("/api/v1/works").json()["total"] == 0
    assert client.get(reverse("discovery:works_feed")).content.count(b"<entry>") == 0


def test_a_tag_is_advertised_only_where_a_visible_work_carries_it(user, other_user):
    make_work(user, post=False, freeforms=["Quiet Harbour Draft Tag"])
    tag = Tag.objects.get(name="Quiet Harbour Draft Tag")
    assert not tag_advertised(AnonymousUser(), tag)
    assert not tag_advertised(other_user, tag)
    assert tag_advertised(user, tag)  # its creator
    with pytest.raises(Http404):
        tag_for(other_user, tag.pk)
    restricted = make_work(user, restricted=True, freeforms=["Members Only Tag"])
    members = Tag.objects.get(name="Members Only Tag")
    assert not tag_advertised(AnonymousUser(), members)
    assert tag_advertised(other_user, members)
    assert restricted.pk


def test_canonical_tags_and_synonyms_of_visible_works_are_advertised(user, other_user):
    admin = make_user("wrangling_admin", is_staff=True)
    canonical = Tag.objects.create(name="Lighthouse Keeping", type=TagType.FREEFORM)
    tag_set_canonical(user=admin, tag=canonical, canonical=True)
    assert tag_advertised(AnonymousUser(), canonical)  # canonical: public without works
    make_work(user, freeforms=["lighthouse keeping (craft)"])
    synonym = Tag.objects.get(name="lighthouse keeping (craft)")
    tag_make_synonym(user=admin, tag=synonym, canonical=canonical)
    synonym.refresh_from_db()
    assert tag_advertised(AnonymousUser(), synonym)
    assert tag_advertised(admin, Tag.objects.create(name="Unused", type=TagType.FREEFORM))


def test_orphaning_the_last_work_of_a_series_orphans_the_series(user):
    first, second = make_work(user), make_work(user)
    series = series_create(user=user, title="Tide Tables")
    series_work_add(user=user, work=first, series=series)
    series_work_add(user=user, work=second, series=series)
    work_orphan(user=user, work=first, keep_pseud=False)
    assert list(
        SeriesCreatorship.objects.filter(series=series).values_list("pseud__user", flat=True)
    ) == [user.pk]
    work_orphan(user=user, work=second, keep_pseud=False)
    names = SeriesCreatorship.objects.filter(series=series).values_list("pseud__name", flat=True)
    assert list(names) == ["orphan_account"]


def test_orphaning_renames_the_creator_in_the_works_notices(user, other_user):
    work = make_work(user)
    notify(
        recipients=[other_user],
        kind=NoticeKind.SUBSCRIPTION,
        subject=f"New chapter of {work.title}",
        body=f"Chapter 2 of {work.title} by writer is posted; writers' notes follow.",
        url=work.get_absolute_url(),
        work=work,
    )
    work_orphan(user=user, work=work, keep_pseud=False)
    notice = Notice.objects.get(work=work)
    assert notice.body.endswith("by orphan_account is posted; writers' notes follow.")


def test_renaming_in_notices_matches_whole_names_only(user, other_user):
    work = make_work(user)
    notify(
        recipients=[other_user],
        kind=NoticeKind.SUBSCRIPTION,
        subject="Ann wrote",
        body="Annual notes by Ann.",
        url="/",
        work=work,
    )
    assert notices_rename_creator(work=work, old_bylines={"Ann": "orphan_account"}) == 1
    notice = Notice.objects.get(work=work)
    assert (notice.subject, notice.body) == (
        "orphan_account wrote",
        "Annual notes by orphan_account.",
    )
