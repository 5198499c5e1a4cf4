"""`comment_for` and `bookmark_for`: one comment or bookmark, as the listings would show it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from fanarchive.core.errors import LoginRequired
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.bookmark_selectors import bookmark_for
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.comment_services import comment_create
from fanarchive.engagement.selectors import comment_for
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db


def test_comment_for_hides_pending_comments_from_others(user, reader):
    work = make_work(user, moderated_comments=True)
    chapter = work.chapters.get()
    comment = comment_create(chapter=chapter, user=reader, text="Held")
    assert comment_for(reader, comment.pk) == comment
    assert comment_for(user, comment.pk) == comment  # the creator
    with pytest.raises(Http404):
        comment_for(make_user("someone_else"), comment.pk)
    with pytest.raises(Http404):
        comment_for(AnonymousUser(), comment.pk)
    with pytest.raises(Http404):
        comment_for(reader, 999999)


def test_comment_for_follows_the_works_visibility(user, reader):
    work = make_work(user, restricted=True)
    comment = comment_create(chapter=work.chapters.get(), user=reader, text="Hello")
    assert comment_for(reader, comment.pk) == comment
    with pytest.raises(LoginRequired):
        comment_for(AnonymousUser(), comment.pk)


def test_bookmark_for_private_and_hidden(user, reader):
    work = make_work(user)
    public = bookmark_create(user=reader, pseud=reader.default_pseud, work=work)
    assert bookmark_for(AnonymousUser(), public.pk) == public
    secret_work = make_work(user)
    private = bookmark_create(
        user=reader, pseud=reader.default_pseud, work=secret_work, private=True
    )
    assert bookmark_for(reader, private.pk) == private
    with pytest.raises(Http404):
        bookmark_for(user, private.pk)
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    with pytest.raises(Http404):
        bookmark_for(reader, public.pk)
