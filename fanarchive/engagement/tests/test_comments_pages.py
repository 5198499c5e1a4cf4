"""Comments a page of threads at a time on the reading pages, as AO3 shows them: 20
threads a page with their replies, oldest first; deep or long threads continued on a
page of their own; every link to a comment (after posting, from the inbox, in mail)
landing on the page that shows it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement import comment_pages
from fanarchive.engagement.comment_services import comment_create
from fanarchive.engagement.models import Comment, Notice
from fanarchive.tags.fixed import EXPLICIT
from fanarchive.works.models import Chapter, Work

pytestmark = pytest.mark.django_db


def old_account(name: str) -> User:
    """An account past the new-account comment limit."""
    account = make_user(name)
    User.objects.filter(pk=account.pk).update(date_joined=timezone.now() - timedelta(days=30))
    account.refresh_from_db()
    return account


def threads(chapter: Chapter, author: User, count: int, replies: int = 1) -> list[Comment]:
    """`count` threads by `author` (a creator: never rate-limited), each with `replies`."""
    roots = []
    for n in range(count):
        root = comment_create(chapter=chapter, user=author, text=f"Thread {n} begins.")
        parent = root
        for m in range(replies):
            parent = comment_create(
                chapter=chapter, user=author, text=f"Reply {m} in thread {n}.", parent=parent
            )
        roots.append(root)
    return roots


def shown_ids(response) -> list[int]:
    assert response.status_code == 200
    return [int(n) for n in re.findall(r'id="comment_(\d+)"', response.content.decode())]


def in_thread(root: Comment) -> set[int]:
    return set(Comment.objects.filter(thread_root=root).values_list("pk", flat=True))


def test_threads_come_twenty_a_page_with_their_replies(client, user, work):
    chapter = work.chapters.get()
    roots = threads(chapter, user, 45, replies=2)
    url = chapter.get_absolute_url()
    pages = [shown_ids(client.get(url, {"page": n})) for n in (1, 2, 3)]
    for number, start in ((0, 0), (1, 20), (2, 40)):
        expected = set().union(*(in_thread(root) for root in roots[start : start + 20]))
        assert set(pages[number]) == expected, f"page {number + 1}"
    # Oldest thread first, each thread in reading order.
    assert pages[0][:3] == [roots[0].pk, *sorted(in_thread(roots[0]) - {roots[0].pk})]
    first = client.get(url).content.decode()
    assert set(shown_ids(client.get(url))) == set(pages[0])
    # The count is of all the chapter's comments, not of the page's.
    assert "Comments (135)" in first
    assert '<dd class="comments">135</dd>' in first  # the work's stats
    assert 'href="?page=2#comments"' in first and 'href="?page=3#comments"' in first
    # Out of range or nonsense: the nearest page, never an error.
    assert set(shown_ids(client.get(url, {"page": "99"}))) == set(pages[2])
    assert set(shown_ids(client.get(url, {"page": "abc"}))) == set(pages[0])
    assert set(shown_ids(client.get(url, {"page": "-1"}))) == set(pages[0])


def test_the_work_page_is_paged_too(client, user, work):
    roots = threads(work.chapters.get(), user, 21, replies=0)
    assert shown_ids(client.get(work.get_absolute_url())) == [r.pk for r in roots[:20]]
    assert shown_ids(client.get(work.get_absolute_url(), {"page": 2})) == [roots[20].pk]


def test_the_entire_work_pages_across_its_chapters_in_order(client, user):
    work = make_work(user, chapters=2)
    first, second = work.chapters.order_by("position")
    later = threads(second, user, 10, replies=0)  # older comments, on the later chapter
    earlier = threads(first, user, 15, replies=0)
    url = work.get_absolute_url()
    page = client.get(url, {"view_full_work": "true"})
    assert shown_ids(page) == [c.pk for c in earlier + later[:5]]
    assert 'href="?view_full_work=true&amp;page=2#comments"' in page.content.decode()
    page2 = client.get(url, {"view_full_work": "true", "page": 2})
    assert shown_ids(page2) == [c.pk for c in later[5:]]


def test_queries_per_page_do_not_grow_with_the_comments(
    client, user, work, django_assert_max_num_queries
):
    reader = old_account("counting_reader")
    small = make_work(user)
    threads(small.chapters.get(), user, 2, replies=1)
    chapter = work.chapters.get()
    threads(chapter, user, 50, replies=3)
    comment_create(chapter=chapter, user=reader, text="A reader's word.")
    for viewer in (None, reader, user):
        browser = Client()
        if viewer is not None:
            browser.force_login(viewer)
        browser.get(small.get_absolute_url())  # warm: hits and history rows written once
        browser.get(work.get_absolute_url())
        with CaptureQueriesContext(connection) as few:
            browser.get(small.get_absolute_url())
        for page in (1, 2, 3):
            with django_assert_max_num_queries(len(few)):
                browser.get(chapter.get_absolute_url(), {"page": page})


def test_posting_lands_on_the_page_and_anchor_of_the_comment(client, user, work):
    chapter = work.chapters.get()
    roots = threads(chapter, user, 41, replies=0)
    reader = old_account("harbour_regular")
    client.force_login(reader)
    url = chapter.get_absolute_url()
    page = client.get(url).content.decode()
    comment_form = page.split('class="comment-form"')[1].split("</form>")[0]
    assert 'name="next"' not in comment_form

    response = client.post(
        reverse("engagement:comment_new", args=[work.pk, chapter.pk]), {"text": "Eight!"}
    )
    new = Comment.objects.latest("pk")
    assert response.status_code == 302
    assert response.url == f"{url}?page=3#comment_{new.pk}"
    assert new.pk in shown_ids(client.get(url, {"page": 3}))

    # A reply to a thread of page 2 lands on page 2; one on page 1 on the page itself.
    for root, suffix in ((roots[25], "?page=2"), (roots[0], "")):
        response = client.post(
            reverse("engagement:comment_reply", args=[root.pk]), {"text": "Agreed."}
        )
        reply = Comment.objects.latest("pk")
        assert reply.parent_id == root.pk
        assert response.url == f"{url}{suffix}#comment_{reply.pk}"


def test_posting_from_the_entire_work_stays_in_it(client, user):
    work = make_work(user, chapters=2)
    first, second = work.chapters.order_by("position")
    threads(first, user, 20, replies=0)
    reader = old_account("whole_work_reader")
    client.force_login(reader)
    page = client.get(work.get_absolute_url(), {"view_full_work": "true"}).content.decode()
    form = page.split('class="comment-form"')[1]
    assert 'name="view_full_work" value="true"' in form
    response = client.post(
        reverse("engagement:comment_new", args=[work.pk, second.pk]),
        {"text": "The ending!", "view_full_work": "true"},
    )
    new = Comment.objects.latest("pk")
    assert response.url == f"{work.get_absolute_url()}?view_full_work=true&page=2#comment_{new.pk}"


def test_the_inbox_reply_box_still_goes_back_to_the_inbox(client, user, work):
    chapter = work.chapters.get()
    reader = old_account("inbox_replier")
    theirs = comment_create(chapter=chapter, user=reader, text="Seven boats?")
    client.force_login(user)
    response = client.post(
        reverse("engagement:comment_reply", args=[theirs.pk]), {"text": "Eight.", "next": "/inbox/"}
    )
    assert response.url == "/inbox/"


def test_deep_threads_continue_on_a_page_of_their_own(client, user, work):
    chapter = work.chapters.get()
    chain = [comment_create(chapter=chapter, user=user, text="Depth 0.")]
    for depth in range(1, 12):
        chain.append(
            comment_create(chapter=chapter, user=user, text=f"Depth {depth}.", parent=chain[-1])
        )
    deepest_shown = comment_pages.THREAD_MAX_DEPTH
    page = client.get(chapter.get_absolute_url())
    assert shown_ids(page) == [c.pk for c in chain[: deepest_shown + 1]]
    cut = chain[deepest_shown]
    thread_url = reverse("engagement:comment_thread", args=[cut.pk])
    assert f'href="{thread_url}"' in page.content.decode()
    assert "Continue this thread" in page.content.decode()

    continued = client.get(thread_url)
    assert shown_ids(continued) == [c.pk for c in chain[deepest_shown : 2 * deepest_shown + 1]]
    # A link to any comment finds the page that shows it.
    for comment, lands in (
        (chain[3], f"{chapter.get_absolute_url()}#comment_{chain[3].pk}"),
        (chain[deepest_shown + 1], f"{thread_url}#comment_{chain[deepest_shown + 1].pk}"),
        (
            chain[11],
            reverse("engagement:comment_thread", args=[chain[2 * deepest_shown].pk])
            + f"#comment_{chain[11].pk}",
        ),
    ):
        response = client.get(reverse("engagement:comment", args=[comment.pk]))
        assert response.status_code == 302 and response.url == lands
        assert comment.pk in shown_ids(client.get(lands.split("#")[0]))


def test_long_threads_are_cut_on_the_reading_page(client, user, work, monkeypatch):
    monkeypatch.setattr(comment_pages, "THREAD_MAX_SHOWN", 4)
    chapter = work.chapters.get()
    root = comment_create(chapter=chapter, user=user, text="A busy thread.")
    replies = [
        comment_create(chapter=chapter, user=user, text=f"Reply {n}.", parent=root)
        for n in range(6)
    ]
    other = threads(chapter, user, 1, replies=0)[0]
    page = client.get(chapter.get_absolute_url())
    assert shown_ids(page) == [root.pk, *(r.pk for r in replies[:3]), other.pk]
    assert "Continue this thread (3 more)" in page.content.decode()
    thread_url = reverse("engagement:comment_thread", args=[root.pk])
    assert set(shown_ids(client.get(thread_url))) == {root.pk, *(r.pk for r in replies)}
    response = client.get(reverse("engagement:comment", args=[replies[5].pk]))
    assert response.url == f"{thread_url}#comment_{replies[5].pk}"


def test_a_thread_page_follows_the_reading_rules(client, user):
    work = make_work(user, rating=EXPLICIT)
    root = comment_create(chapter=work.chapters.get(), user=user, text="Careful now.")
    url = reverse("engagement:comment_thread", args=[root.pk])
    gate = client.get(url)
    assert gate.status_code == 200 and "Careful now." not in gate.content.decode()
    assert "Careful now." in client.get(url, {"view_adult": "true"}).content.decode()
    Work.objects.filter(pk=work.pk).update(posted=False)
    assert client.get(url).status_code == 404


def test_inbox_and_mail_links_land_on_the_comment(client, user, work):
    chapter = work.chapters.get()
    threads(chapter, user, 25, replies=0)
    reader = old_account("letter_writer")
    theirs = comment_create(chapter=chapter, user=reader, text="Found the eighth boat.")
    notice = Notice.objects.get(recipient=user, comment_id=theirs.pk)
    # Mail and inbox carry the comment's own address, which finds its page when followed.
    permalink = reverse("engagement:comment", args=[theirs.pk])
    assert notice.url.endswith(permalink)
    client.force_login(user)
    lands = f"{chapter.get_absolute_url()}?page=2#comment_{theirs.pk}"
    response = client.get(reverse("social:inbox_open", args=[notice.pk]), follow=True)
    assert response.redirect_chain[-1][0] == lands
    assert theirs.pk in shown_ids(response)
    # A notice stored before paging (the chapter's address and an anchor) lands too.
    Notice.objects.filter(pk=notice.pk).update(
        url=f"{chapter.get_absolute_url()}#comment_{theirs.pk}"
    )
    response = client.get(reverse("social:inbox_open", args=[notice.pk]), follow=True)
    assert response.redirect_chain[-1][0] == lands


def test_a_held_comment_lands_where_its_author_and_the_creators_see_it(client, user, work):
    Work.objects.filter(pk=work.pk).update(moderated_comments=True)
    chapter = work.chapters.get()
    threads(chapter, user, 20, replies=0)
    reader = old_account("patient_reader")
    client.force_login(reader)
    response = client.post(
        reverse("engagement:comment_new", args=[work.pk, chapter.pk]), {"text": "Worth the wait."}
    )
    held = Comment.objects.latest("pk")
    assert held.state == "pending"
    lands = f"{chapter.get_absolute_url()}?page=2#comment_{held.pk}"
    assert response.url == lands
    assert held.pk in shown_ids(client.get(lands.split("#")[0]))
    # Guests see 20 threads: one page, without the held comment.
    guest = Client()
    assert held.pk not in shown_ids(guest.get(chapter.get_absolute_url(), {"page": 2}))
    assert "Comment pages" not in guest.get(chapter.get_absolute_url()).content.decode()
    creator = Client()
    creator.force_login(user)
    assert held.pk in shown_ids(creator.get(chapter.get_absolute_url(), {"page": 2}))


def test_many_pages_link_the_ends_and_the_pages_around(client, user, work, monkeypatch):
    monkeypatch.setattr(comment_pages, "THREADS_PER_PAGE", 1)
    threads(work.chapters.get(), user, 20, replies=0)
    page = client.get(work.get_absolute_url(), {"page": 10}).content.decode()
    nav = page.split('aria-label="Comment pages"')[1].split("</nav>")[0]
    links = re.findall(r'href="\?page=(\d+)#comments">(\d+)<', nav)
    assert [int(n) for n, _ in links] == [1, 2, 8, 9, 11, 12, 19, 20]
    assert '<li class="current" aria-current="page">10</li>' in nav and nav.count("…") == 2
