"""Presentation helpers for blurbs and meta blocks."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fanarchive.accounts.models import Pseud
from fanarchive.accounts.reading_time import (
    DEFAULT_WORDS_PER_MINUTE,
    reading_speed_of,
    reading_time,
)
from fanarchive.tags.fixed import (
    CHOSE_NOT_TO_WARN,
    EXPLICIT,
    GENERAL,
    MATURE,
    NO_WARNINGS,
    NOT_RATED,
    RATING_SIGNS,
    TEEN,
)
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.blurb_actions import blurb_actions_for
from fanarchive.works.models import Work
from fanarchive.works.selectors import PUBLIC, Byline, BylineViewer, byline_for

register = template.Library()

_RATING_CLASSES = {
    NOT_RATED: "rating-notrated",
    GENERAL: "rating-general",
    TEEN: "rating-teen",
    MATURE: "rating-mature",
    EXPLICIT: "rating-explicit",
}


@dataclass(frozen=True)
class Symbol:
    """One square of a blurb: a short sign for the eye, full text for everyone."""

    css: str
    sign: str
    text: str


def _warning_symbol(warnings: list[Tag]) -> Symbol:
    names = {tag.name for tag in warnings}
    if names == {NO_WARNINGS}:
        return Symbol("warning-no", "", "No Archive Warnings Apply")
    if names == {CHOSE_NOT_TO_WARN}:
        return Symbol("warning-choosenot", "?", "Creator Chose Not To Use Archive Warnings")
    return Symbol("warning-yes", "!", ", ".join(sorted(names - {NO_WARNINGS})))


def _category_symbol(categories: list[Tag]) -> Symbol:
    if not categories:
        return Symbol("category-none", "", gettext("No category"))
    if len(categories) > 1:
        return Symbol("category-symbol", "+", ", ".join(tag.name for tag in categories))
    name = categories[0].name
    return Symbol("category-symbol", name if len(name) <= 3 else name[:2], name)


@register.inclusion_tag("works/_required_tags.html")
def required_tags(work: Work) -> dict[str, list[Symbol]]:
    """AO3's four squares: rating, category, warnings, completion."""
    return {"symbols": _symbols(_tags_by_type(work), complete=work.complete)}


def _tags_by_type(work: Work) -> dict[str, list[Tag]]:
    """The work's tags by type, each in the order the writer gave them (`Work.tags_of`)."""
    by_type: dict[str, list[Tag]] = {}
    for work_tag in work.ordered_work_tags():
        by_type.setdefault(work_tag.tag.type, []).append(work_tag.tag)
    return by_type


def _symbols(by_type: dict[str, list[Tag]], *, complete: bool) -> list[Symbol]:
    ratings = by_type.get(TagType.RATING, [])
    rating = ratings[0].name if ratings else NOT_RATED
    return [
        Symbol(
            _RATING_CLASSES.get(rating, "rating-notrated"), RATING_SIGNS.get(rating, ""), rating
        ),
        _category_symbol(by_type.get(TagType.CATEGORY, [])),
        _warning_symbol(by_type.get(TagType.WARNING, [])),
        Symbol("complete-yes", "✓", gettext("Complete Work"))
        if complete
        else Symbol("complete-no", "…", gettext("Work in Progress")),
    ]


@register.filter
def tags_of(work: Work, tag_type: str) -> list[Tag]:
    return work.tags_of(TagType(tag_type))


# Said to screen readers after a main relationship, which others see in bold.
def _main_mark() -> str:
    return f'<span class="visually-hidden"> {html.escape(gettext("(main relationship)"))}</span>'


@register.filter
def main_tag_ids(work: Work) -> frozenset[int]:
    """The work's main relationships (`WorkTag.main`), from its prefetched tags."""
    return frozenset(wt.tag_id for wt in work.ordered_work_tags() if wt.main)


@register.filter
def creators(work: Work) -> list[Pseud]:
    """Every creator of the work, named or not: for rules (folds), never for display;
    what a viewer may read is `byline_html` / `{% byline work %}`."""
    return [c.pseud for c in work.creatorships.all()]


def byline_html(byline: Byline) -> str:
    """A byline (`works.selectors.byline_for`) as HTML: the pseuds linked, or "Anonymous",
    with the note an anonymous work's creators or moderators see."""
    links = ", ".join(
        f'<a rel="author" href="{_e(pseud.get_absolute_url())}">{_e(pseud.byline)}</a>'
        for pseud in byline.pseuds
    )
    return byline.compose(links, lambda remark: f'<span class="anonymous-note">{remark}</span>')


def _viewer_of(context: template.Context) -> BylineViewer:
    request = context.get("request")
    return BylineViewer.of(request.user) if request is not None else PUBLIC


@register.simple_tag(takes_context=True)
def byline(context: template.Context, work: Work) -> SafeString:
    """`{% byline work %}`: who the work is by, as the page's reader may see it."""
    return mark_safe(byline_html(byline_for(work, _viewer_of(context))))  # noqa: S308 (escaped)


# -- the blurb ----------------------------------------------------------------
#
# A listing page shows 20 blurbs of ~15 tags each. Rendered through the template
# engine that cost ~1.5 ms a blurb (an include, an inclusion tag, ~150 nodes and a
# `reverse()` per tag link), most of a /works/ request at a million works. The same
# HTML built here costs ~0.1 ms. This is the one definition of a work's blurb:
# `works/_blurb.html` calls it, so every listing shows the same thing.

_BLURB_TAG_GROUPS = (
    (TagType.WARNING, "warnings"),
    (TagType.RELATIONSHIP, "relationships"),
    (TagType.CHARACTER, "characters"),
    (TagType.FREEFORM, "freeforms"),
)


def _url_maker(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` without a `reverse()` per link: the URL of one id, split
    around it (the route takes a plain integer, so str(pk) is what reverse puts there)."""
    marker = 987654321
    head, tail = reverse(name, args=[marker]).rsplit(str(marker), 1)
    return lambda pk: f"{head}{pk}{tail}"


@dataclass(frozen=True)
class Folds:
    """What a reader's preferences fold away as spoilers in blurbs, as on the work page:
    archive warnings, additional tags, or both; never on the reader's own works."""

    warnings: bool = False
    freeforms: bool = False
    reader_id: int | None = None

    @classmethod
    def of(cls, user: object) -> Folds:
        """The folds of a request's user (an account's `Preference`; none for guests)."""
        preference = getattr(user, "preference", None) if getattr(user, "pk", None) else None
        if preference is None or not (preference.hide_warnings or preference.hide_freeform):
            return NO_FOLDS
        return cls(preference.hide_warnings, preference.hide_freeform, preference.user_id)

    def of_work(self, pseuds: list[Pseud]) -> Folds:
        """These folds for one work: none when the reader is one of its creators."""
        if self is NO_FOLDS or any(pseud.user_id == self.reader_id for pseud in pseuds):
            return NO_FOLDS
        return self


NO_FOLDS = Folds()
# Fold labels as on the work page (works/_meta.html).
_FOLD_LABELS = {TagType.WARNING: _("Show warnings"), TagType.FREEFORM: _("Show additional tags")}


def _folded(folds: Folds, tag_type: str) -> bool:
    return (tag_type == TagType.WARNING and folds.warnings) or (
        tag_type == TagType.FREEFORM and folds.freeforms
    )


def blurb_html(
    work: Work,
    *,
    urls: BlurbUrls | None = None,
    folds: Folds = NO_FOLDS,
    viewer: BylineViewer = PUBLIC,
    reader: BlurbReader | None = None,
) -> SafeString:
    """A work's blurb, `<li class="blurb work">`, from a work fetched `with_blurb_data`.

    Text from the database is escaped with `html.escape`, as the template engine
    does (Django's `escape` is the same function); the summary is stored sanitised.
    `folds` are the reader's spoiler preferences (`Folds.of`); `viewer` who reads the
    byline (`works.selectors.byline_for`); `reader` their reading speed and actions.
    """
    inner = "\n".join(
        _blurb_parts(work, urls=urls or BlurbUrls(), folds=folds, viewer=viewer, reader=reader)
    )
    return mark_safe(  # noqa: S308 (every inserted value escaped in _blurb_parts)
        f'<li class="blurb work" id="work_{work.pk}">\n{inner}\n</li>'
    )


def blurb_inner_html(
    work: Work,
    *,
    urls: BlurbUrls | None = None,
    folds: Folds = NO_FOLDS,
    viewer: BylineViewer = PUBLIC,
    reader: BlurbReader | None = None,
) -> SafeString:
    """The blurb without its `<li>`, for an item that shows a work among its own parts (a
    bookmark)."""
    parts = _blurb_parts(work, urls=urls or BlurbUrls(), folds=folds, viewer=viewer, reader=reader)
    return mark_safe("\n".join(parts))  # noqa: S308 (every inserted value escaped)


def _blurb_parts(
    work: Work,
    *,
    urls: BlurbUrls,
    folds: Folds,
    viewer: BylineViewer,
    reader: BlurbReader | None = None,
) -> list[str]:
    reader = reader or GUEST_READER
    tag_url = urls.tag
    by_type = _tags_by_type(work)
    folds = folds.of_work(creators(work))
    byline = byline_html(byline_for(work, viewer))
    by = gettext("by %(name)s") % {"name": byline}
    heading = [f'<a href="{urls.work(work.pk)}">{_e(work.title)}</a>\n    {by}']
    if work.restricted:
        heading.append(
            f'<span class="restricted" title="{_e(gettext("Restricted to registered users"))}">'
            f"{_e(gettext('(registered users only)'))}</span>"
        )
    if not work.posted:
        heading.append(f'<span class="draft">{_e(gettext("(draft)"))}</span>')
    gifts = getattr(work, "shown_gifts", None)
    if gifts:
        recipients = ", ".join(_e(gift.recipient) for gift in gifts)
        gift_line = gettext("for %(name)s") % {"name": recipients}
        heading.append(f'<span class="gifts">{gift_line}</span>')
    fandoms = ", ".join(
        f'<a class="tag" href="{tag_url(tag.pk)}">{_e(tag.name)}</a>'
        for tag in by_type.get(TagType.FANDOM, [])
    )
    symbols = _symbols(by_type, complete=work.complete)
    if folds.warnings:
        # The square would name the warnings (or their absence): it keeps the secret too.
        symbols[2] = Symbol(
            "warning-hidden", "", gettext("Archive warnings hidden by your preferences")
        )
    squares = "\n    ".join(
        f'<li><span class="symbol {_e(s.css)}" title="{_e(s.text)}" aria-hidden="true">'
        f'{_e(s.sign)}</span><span class="visually-hidden">{_e(s.text)}</span></li>'
        for s in symbols
    )
    main = main_tag_ids(work)
    tags = "".join(
        _tag_group(css, by_type.get(tag_type, []), tag_url, str(_FOLD_LABELS[tag_type]), main=main)
        if _folded(folds, tag_type) and by_type.get(tag_type)
        else _tag_group(css, by_type.get(tag_type, []), tag_url, main=main)
        for tag_type, css in _BLURB_TAG_GROUPS
    )
    shown_at = work.revised_at or work.updated_at
    shown = date_filter(template_localtime(shown_at), "j M Y") if shown_at else ""
    parts = [
        '  <h3 class="heading">\n    ' + "\n    ".join(heading) + "\n  </h3>",
        '  <h4 class="fandoms">\n    '
        f'<span class="visually-hidden">{_e(gettext("Fandoms:"))}</span>\n    '
        f"{fandoms}\n  </h4>",
        f'  <ul class="required-tags">\n    {squares}\n  </ul>',
        f'  <p class="datetime">{_e(shown)}</p>',
        f'  <h5 class="visually-hidden">{_e(gettext("Tags"))}</h5>\n'
        f'  <ul class="tags commas">{tags}</ul>',
    ]
    if work.summary:
        # Stored sanitised, shown as the template's `|safe` did.
        parts.append(
            f'  <h5 class="visually-hidden">{_e(gettext("Summary"))}</h5>\n'
            f'  <blockquote class="userstuff summary">{work.summary}</blockquote>'
        )
    entries = list(work.series_works.all())
    if entries:
        part_of = gettext("Part %(position)s of %(series)s")
        items = "".join(
            "<li>"
            + part_of
            % {
                "position": f"<strong>{entry.position}</strong>",
                "series": f'<a href="{_e(entry.series.get_absolute_url())}">'
                f"{_e(entry.series.title)}</a>",
            }
            + "</li>"
            for entry in entries
        )
        parts.append(
            f'  <h5 class="visually-hidden">{_e(gettext("Series"))}</h5>\n'
            f'  <ul class="series">\n    {items}\n  </ul>'
        )
    stats = [
        f"<dt>{_e(gettext('Language'))}</dt>"
        f'<dd lang="{_e(work.language)}">{_e(work.language_name)}</dd>',
        f"<dt>{_e(gettext('Words'))}</dt><dd>{_e(intcomma(work.word_count))}</dd>",
        f'<dt class="reading-time">{_e(gettext("Reading time"))}</dt>'
        f'<dd class="reading-time">{_e(reading_time(work.word_count, reader.speed))}</dd>',
        f"<dt>{_e(gettext('Chapters'))}</dt><dd>{_e(work.chapter_fraction)}</dd>",
        *_engagement_stats(work),
    ]
    if work.first_posted_at:
        published = date_filter(template_localtime(work.first_posted_at), "Y-m-d")
        stats.append(f"<dt>{_e(gettext('Published'))}</dt><dd>{_e(published)}</dd>")
    parts.append('  <dl class="stats">\n    ' + "\n    ".join(stats) + "\n  </dl>")
    actions = reader.actions(work.pk)
    if actions:
        parts.append(f'  <div class="blurb-actions">{actions}</div>')
    return parts


def _tag_group(
    css: str,
    tags: list[Tag],
    tag_url: Callable[[int], str],
    fold_label: str | None = None,
    *,
    main: frozenset[int] = frozenset(),
) -> str:
    """One type's tags in the blurb's tag list; folded behind `fold_label` when given, in a
    `<details>` that opens without script. `main` relationships are marked (`main_tag_ids`)."""
    main_mark = _main_mark() if main else ""
    items = "".join(
        f'<li class="{css} main"><strong><a class="tag" href="{tag_url(tag.pk)}">'
        f"{_e(tag.name)}</a></strong>{main_mark}</li>"
        if tag.pk in main
        else f'<li class="{css}"><a class="tag" href="{tag_url(tag.pk)}">{_e(tag.name)}</a></li>'
        for tag in tags
    )
    if fold_label is None:
        return items
    return (
        f'<li class="{css} folded"><details class="spoiler"><summary>{fold_label}</summary>'
        f'<ul class="tags commas">{items}</ul></details></li>'
    )


def _engagement_stats(work: Work) -> list[str]:
    """Comments, kudos and bookmarks when there are any, and hits (as engagement/_stats.html)."""
    stats = getattr(work, "engagement", None)
    if stats is None:
        return []
    shown = [
        (name, label, getattr(stats, name))
        for name, label in (
            ("comments", gettext("Comments")),
            ("kudos", gettext("Kudos")),
            ("bookmarks", gettext("Bookmarks")),
        )
        if getattr(stats, name)
    ]
    shown.append(("hits", gettext("Hits"), stats.hits))
    return [
        f'<dt class="{name}">{label}</dt><dd class="{name}">{_e(intcomma(count))}</dd>'
        for name, label, count in shown
    ]


@dataclass(frozen=True)
class BlurbReader:
    """Who reads a page of blurbs, for what is theirs alone: their reading speed (words per
    minute, for the estimated reading time) and their actions (`works.blurb_actions`)."""

    speed: int = DEFAULT_WORDS_PER_MINUTE
    actions: Callable[[int], str] = lambda work_id: ""


GUEST_READER = BlurbReader()
_READER_KEY = "fanarchive.works.blurb_reader"


def _reader_of(context: template.Context) -> BlurbReader:
    """The page's reader, made once per page."""
    kept = context.render_context.get(_READER_KEY)
    if kept is None:
        request = context.get("request")
        if request is None:
            kept = GUEST_READER
        else:
            kept = BlurbReader(reading_speed_of(request.user), blurb_actions_for(request))
        context.render_context[_READER_KEY] = kept
    return kept


@register.simple_tag(takes_context=True)
def estimated_reading_time(context: template.Context, work: Work) -> str:
    """`{% estimated_reading_time work %}`: "about 12 min" at the reader's speed."""
    return reading_time(work.word_count, _reader_of(context).speed)


class BlurbUrls:
    """Link makers for a page of blurbs, made once per page."""

    def __init__(self) -> None:
        self.tag = _url_maker("tags:works")
        self.work = _url_maker("works:detail")


_URLS_KEY = "fanarchive.works.blurb_urls"


def _e(value: object) -> str:
    return html.escape(str(value))


def _page_of_blurbs(context: template.Context) -> tuple[BlurbUrls, Folds, BylineViewer]:
    """Link makers, the reader's folds and who reads the bylines, made once per page."""
    kept = context.render_context.get(_URLS_KEY)
    if kept is None:
        request = context.get("request")
        folds = Folds.of(request.user) if request is not None else NO_FOLDS
        kept = context.render_context[_URLS_KEY] = (BlurbUrls(), folds, _viewer_of(context))
    return kept


@register.simple_tag(takes_context=True)
def blurb(context: template.Context, work: Work) -> SafeString:
    """`{% blurb work %}`: the work's blurb (see `blurb_html`), folded as the reader asked."""
    urls, folds, viewer = _page_of_blurbs(context)
    return blurb_html(work, urls=urls, folds=folds, viewer=viewer, reader=_reader_of(context))


@register.simple_tag(takes_context=True)
def blurb_inner(context: template.Context, work: Work) -> SafeString:
    """`{% blurb_inner work %}`: the blurb's parts without its `<li>` (a bookmark's work)."""
    urls, folds, viewer = _page_of_blurbs(context)
    return blurb_inner_html(work, urls=urls, folds=folds, viewer=viewer, reader=_reader_of(context))


@register.simple_tag(takes_context=True)
def blurbs(context: template.Context, works: Iterable[Work]) -> SafeString:
    """`{% blurbs works %}`: the blurbs of a page of works, one after another."""
    urls, folds, viewer = _page_of_blurbs(context)
    reader = _reader_of(context)
    return mark_safe(  # noqa: S308 (escaped)
        "\n".join(
            blurb_html(work, urls=urls, folds=folds, viewer=viewer, reader=reader) for work in works
        )
    )
