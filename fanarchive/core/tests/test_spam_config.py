"""FANARCHIVE_NEW_ACCOUNT_* and FANARCHIVE_REPEATED_COMMENT_WORKS are read, and refused clearly."""

from __future__ import annotations

import pytest

from config.env import ConfigError, SpamConfig, parse_spam


def test_defaults_are_ao3s_comment_rate_and_a_week() -> None:
    assert parse_spam({}) == SpamConfig(
        new_account_days=7, new_account_posts=0, comments=(3, 900), works=(5, 3600), repeat_works=3
    )


def test_every_setting_is_read() -> None:
    spam = parse_spam(
        {
            "FANARCHIVE_NEW_ACCOUNT_DAYS": "30",
            "FANARCHIVE_NEW_ACCOUNT_POSTS": "5",
            "FANARCHIVE_NEW_ACCOUNT_COMMENTS": "10/3600",
            "FANARCHIVE_NEW_ACCOUNT_WORKS": "2/3600",
            "FANARCHIVE_REPEATED_COMMENT_WORKS": "4",
        }
    )
    assert spam == SpamConfig(
        new_account_days=30,
        new_account_posts=5,
        comments=(10, 3600),
        works=(2, 3600),
        repeat_works=4,
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("FANARCHIVE_NEW_ACCOUNT_DAYS", "a week", "FANARCHIVE_NEW_ACCOUNT_DAYS must be a whole"),
        ("FANARCHIVE_NEW_ACCOUNT_POSTS", "-1", "FANARCHIVE_NEW_ACCOUNT_POSTS must be a whole"),
        ("FANARCHIVE_NEW_ACCOUNT_COMMENTS", "3", "FANARCHIVE_NEW_ACCOUNT_COMMENTS must be COUNT"),
        ("FANARCHIVE_NEW_ACCOUNT_WORKS", "0/3600", "FANARCHIVE_NEW_ACCOUNT_WORKS must be COUNT"),
        ("FANARCHIVE_REPEATED_COMMENT_WORKS", "1", "must be 2 or more"),
    ],
)
def test_bad_values_stop_with_the_setting_named(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_spam({name: value})
