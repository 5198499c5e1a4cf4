"""Exceptions shared across apps, turned into responses in one place."""


class LoginRequired(Exception):
    """The page exists but only for logged-in users (restricted works)."""
