"""Authors -> users: a user name made from the pen name (and a pseud named like the pen
name when the two differ), the e-mail address, bio and website as the profile text, the
old MD5 password wrapped so the first login re-hashes it, the join date kept.

eFiction's admins (authorprefs' level 1 to 4) are named in the report; those named with
`--admins` (`MigrationOptions.admins`) become staff, on a re-run too."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from fanarchive.accounts.hashers import MD5_HEX, wrap_md5_hex
from fanarchive.accounts.models import User
from fanarchive.accounts.profile_services import profile_update, pseud_create
from fanarchive.accounts.services import (
    ABOUT_MAX,
    RESERVED_USERNAMES,
    USERNAME_MAX,
    pseud_name_errors,
    user_create,
    user_legacy_password_set,
)
from fanarchive.core.text import html_to_text
from fanarchive.formats.efiction import records as r
from fanarchive.formats.efiction.context import Kind, MigrationContext
from fanarchive.formats.efiction.dates import join_dates
from fanarchive.formats.efiction.report import ALREADY, MAPPED, MIGRATED
from fanarchive.formats.efiction.text import notes_html
from fanarchive.formats.errors import validation_text

_NOT_USERNAME = re.compile(r"[^A-Za-z0-9_]+")


def username_for(penname: str, uid: int) -> str:
    """A valid user name from a pen name: accents dropped, other characters as "_"."""
    ascii_name = unicodedata.normalize("NFKD", penname).encode("ascii", "ignore").decode()
    name = _NOT_USERNAME.sub("_", ascii_name).strip("_")
    name = re.sub(r"_+", "_", name)[:USERNAME_MAX].strip("_")
    if len(name) < 3:
        name = f"author{uid}"
    return name


def authors_migrate(ctx: MigrationContext) -> None:
    ctx.joined = join_dates(ctx.archive)
    # PBKDF2 is slow on purpose: every new account's hash is made up front, on all cores.
    waiting = [
        a
        for a in ctx.archive.authors.values()
        if (Kind.AUTHOR, a.uid) not in ctx.mapped and MD5_HEX.match(a.password)
    ]
    wrapped = wrap_md5_hex([a.password for a in waiting])
    wrapped_of = {a.uid: w for a, w in zip(waiting, wrapped, strict=True)}
    for author in sorted(ctx.archive.authors.values(), key=lambda a: a.uid):
        ctx.progress("authors", 1)
        if (Kind.AUTHOR, author.uid) in ctx.mapped:
            ctx.report.count("authors", ALREADY)
            continue
        if not author.penname:
            ctx.report.skip("authors", author.uid, "has no pen name.")
            continue
        try:
            with transaction.atomic():
                _author(ctx, author, wrapped_of.get(author.uid))
        except ValidationError as error:
            ctx.report.skip("authors", author.uid, validation_text(error))
        else:
            ctx.report.count("authors", MIGRATED)
    _prefs(ctx)
    _admins(ctx)


def _prefs(ctx: MigrationContext) -> None:
    """Authorprefs rows are part of their author (the admin level is what is read)."""
    for prefs in sorted(ctx.archive.authorprefs.values(), key=lambda p: p.uid):
        if (Kind.AUTHOR, prefs.uid) in ctx.mapped:
            ctx.report.count("authorprefs", MAPPED)
        elif prefs.uid in ctx.archive.authors:
            ctx.report.skip("authorprefs", prefs.uid, f"author {prefs.uid} was not migrated.")
        else:
            ctx.report.skip("authorprefs", prefs.uid, f"author {prefs.uid} is unknown.")


def _admins(ctx: MigrationContext) -> None:
    """Make the accounts named with --admins staff; list eFiction's admins in the report."""
    archive = ctx.archive
    # The command refused names that are not pen names of the archive.
    named = {a.uid: a for a in map(archive.author_named, ctx.options.admins) if a is not None}
    others = [a for uid, a in sorted(named.items()) if archive.level_of(uid) <= 0]
    listed = archive.admins() + others
    for author in listed:
        user = ctx.user_for_author(author.uid)
        if user is not None and author.uid in named and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        ctx.report.admins.append(
            {
                "uid": author.uid,
                "penname": author.penname,
                "level": max(archive.level_of(author.uid), 0),
                "username": user.username if user else None,
                "staff": bool(user and user.is_staff),
            }
        )


def _join_date(ctx: MigrationContext, author: r.Author, user: User) -> None:
    """The account joined when the author joined eFiction, never "now" when it is unknown."""
    joined = ctx.joined.get(author.uid)
    if joined is None:
        ctx.report.decide(
            f"Author {author.uid} ({author.penname}) has no join date on eFiction and did "
            "nothing dated there: the account's join date is the migration's."
        )
        return
    if author.date is None:
        ctx.report.decide(
            f"Author {author.uid} ({author.penname}) has no join date on eFiction: the "
            f"account joined with their first story or review ({joined:%Y-%m-%d})."
        )
    user.date_joined = min(joined, timezone.now())
    user.save(update_fields=["date_joined"])


def _email_for(ctx: MigrationContext, author: r.Author, username: str) -> str:
    email = author.email
    problem = ""
    try:
        validate_email(email)
    except ValidationError:
        problem = "has no valid e-mail address" if email else "has no e-mail address"
    else:
        if User.objects.filter(email__iexact=email).exists():
            problem = "shares an e-mail address with another account"
    if not problem:
        return email
    placeholder = f"{username.lower()}.{author.uid}@efiction-migration.invalid"
    ctx.report.decide(
        f"Author {author.uid} ({author.penname}) {problem}: the account gets "
        f"{placeholder}, which an admin can correct."
    )
    return placeholder


def _about(ctx: MigrationContext, author: r.Author) -> str:
    """The profile text: the bio as text, then the website, within the profile's limit."""
    about = html_to_text(notes_html(author.bio)).strip() if author.bio.strip() else ""
    if author.website:
        about = f"{about}\n\nWebsite: {author.website}".strip()
    if len(about) > ABOUT_MAX:
        about = about[: ABOUT_MAX - 1].rstrip() + "…"
        ctx.report.decide(
            f"Author {author.uid}: the bio is longer than {ABOUT_MAX:,} characters and "
            "was shortened."
        )
    return about


def _author(ctx: MigrationContext, author: r.Author, wrapped_hash: str | None) -> None:
    username = username_for(author.penname, author.uid)
    if (
        username.lower() in RESERVED_USERNAMES
        or User.objects.filter(username__iexact=username).exists()
    ):
        username = f"{username[: USERNAME_MAX - len(str(author.uid)) - 1]}_{author.uid}"
    if username != author.penname:
        ctx.report.decide(
            f'Author {author.uid}: pen name "{author.penname}" has the user name '
            f'"{username}"' + (" and keeps the pen name as a pseud." if username else ".")
        )
    user = user_create(
        username=username,
        email=_email_for(ctx, author, username),
        password=None,
        check_password_strength=False,
    )
    _join_date(ctx, author, user)
    if wrapped_hash is not None:
        user_legacy_password_set(user=user, wrapped_hash=wrapped_hash)
    else:
        ctx.report.decide(
            f"Author {author.uid} ({author.penname}): the stored password is not an MD5 "
            "hash, so the account needs a password reset."
        )
    about = _about(ctx, author)
    if about:
        profile_update(user=user, owner=user, about=about)
    pseud = user.default_pseud
    penname = author.penname[:40].strip()
    if penname.lower() != username.lower():
        if pseud_name_errors(penname, user=user):
            ctx.report.decide(
                f'Author {author.uid}: "{author.penname}" cannot be a pseud name here; '
                f'their works show "{username}".'
            )
        else:
            pseud = pseud_create(user=user, owner=user, name=penname, make_default=True)
    ctx.remember(
        Kind.AUTHOR,
        author.uid,
        user.pk,
        {"pseud_id": pseud.pk, "joined": author.date.isoformat() if author.date else None},
    )
