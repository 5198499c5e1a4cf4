"""Makers for the prompt meme's tests: a meme and prompts posted in it (as rows, through
`factories`, so these tests start from a given state)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fanarchive.accounts.models import User
from fanarchive.challenges.models import Challenge, ChallengeKind, Prompt
from fanarchive.challenges.tests.factories import make_challenge, make_signup
from fanarchive.tags.models import TagType

MEME_RULES: dict[str, dict[str, int]] = {
    TagType.FANDOM: {"request_required": 1, "request_allowed": 1},
    TagType.CHARACTER: {"request_allowed": 2},
}


def make_meme(owner: User, **fields: Any) -> Challenge:
    """An open prompt meme (claims open, unlimited) in a new collection of `owner`'s."""
    collection_fields = fields.pop("collection_fields", None)
    return make_challenge(
        owner,
        ChallengeKind.PROMPT_MEME,
        rules=MEME_RULES,
        collection_fields=collection_fields,
        **fields,
    )


def post_prompt(
    user: User,
    challenge: Challenge,
    *,
    title: str,
    fandom: str = "Harbour Tales",
    characters: Sequence[str] = (),
    anonymous: bool = False,
    description: str = "",
) -> Prompt:
    """`user`'s sign-up with one prompt (a user signs up once per challenge)."""
    signup = make_signup(
        user,
        challenge,
        requests=[{TagType.FANDOM: [fandom], TagType.CHARACTER: list(characters)}],
        anonymous=anonymous,
    )
    prompt = signup.prompts.get()
    prompt.title = title
    prompt.description = description
    prompt.save(update_fields=["title", "description"])
    return prompt
