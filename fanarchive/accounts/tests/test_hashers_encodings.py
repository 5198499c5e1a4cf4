"""eFiction hashed the password's bytes as the browser sent them: the wrapped hasher
accepts each encoding an eFiction site may have seen."""

from __future__ import annotations

import hashlib

import pytest

from fanarchive.accounts.hashers import EfictionMD5WrappedHasher, password_encodings


def wrapped(raw: bytes) -> str:
    hasher = EfictionMD5WrappedHasher()
    digest = hashlib.md5(raw, usedforsecurity=False).hexdigest()
    return hasher.encode_md5_hex(digest, hasher.salt(), 1_000)


@pytest.mark.parametrize(
    ("password", "raw"),
    [
        ("crème brûlée", "crème brûlée".encode("cp1252")),  # a latin-1 page
        ("crème brûlée", "crème brûlée".encode()),  # a UTF-8 page
        ("“quoted” – €5", "“quoted” – €5".encode("cp1252")),  # cp1252's own letters
        ("Ωmega", "Ωmega".encode()),  # not in cp1252: only UTF-8 ...
        ("Ωmega", b"&#937;mega"),  # ... or as a latin-1 page's browser sent it
        ("harbour", b"harbour"),
    ],
)
def test_each_encoding_eFiction_may_have_hashed_checks(password, raw):
    encoded = wrapped(raw)
    hasher = EfictionMD5WrappedHasher()
    assert hasher.verify(password, encoded)
    assert not hasher.verify(password + "x", encoded)
    assert not hasher.verify(hashlib.md5(raw, usedforsecurity=False).hexdigest(), encoded)


def test_an_ascii_password_is_hashed_once():
    assert password_encodings("harbour") == [b"harbour"]
    assert password_encodings("café") == ["café".encode(), "café".encode("cp1252")]
    assert password_encodings("Ω") == ["Ω".encode(), b"&#937;"]


def test_encode_is_the_utf8_digest_wrapped():
    hasher = EfictionMD5WrappedHasher()
    encoded = hasher.encode("café", "salt", 1_000)
    digest = hashlib.md5("café".encode(), usedforsecurity=False).hexdigest()
    assert encoded == hasher.encode_md5_hex(digest, "salt", 1_000)
