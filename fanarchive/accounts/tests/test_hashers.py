"""The wrapped eFiction MD5 hasher and the service that stores such hashes."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher
from django.core.exceptions import ValidationError

from fanarchive.accounts.hashers import EfictionMD5WrappedHasher, wrap_md5_hex
from fanarchive.accounts.services import user_legacy_password_set
from fanarchive.core.testing import make_user


def md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def test_the_wrapped_hash_checks_the_password_and_not_the_digest():
    hasher = EfictionMD5WrappedHasher()
    encoded = hasher.encode_md5_hex(md5("harbour"), hasher.salt(), 1_000)
    assert encoded.startswith("pbkdf2_wrapped_efiction_md5$1000$")
    assert md5("harbour") not in encoded
    assert hasher.verify("harbour", encoded)
    assert not hasher.verify(md5("harbour"), encoded)
    assert not hasher.verify("Harbour", encoded)
    assert hasher.must_update(encoded)
    # Upper-case digests (some exports) are the same digest.
    upper = hasher.encode_md5_hex(md5("harbour").upper(), "salt", 1_000)
    assert hasher.verify("harbour", upper)
    with pytest.raises(ValueError, match="MD5"):
        hasher.encode_md5_hex("not-a-digest", "salt", 1_000)


def test_check_password_upgrades_to_the_default_hasher(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "fanarchive.accounts.hashers.EfictionMD5WrappedHasher",
    ]
    hasher = EfictionMD5WrappedHasher()
    encoded = hasher.encode_md5_hex(md5("harbour"), hasher.salt(), 1_000)
    upgraded: list[str] = []
    assert not check_password(md5("harbour"), encoded, setter=upgraded.append)
    assert upgraded == []
    assert check_password("harbour", encoded, setter=upgraded.append)
    assert upgraded == ["harbour"]


@pytest.mark.django_db
def test_user_legacy_password_set():
    user = make_user("oldtimer", password=None)
    user_legacy_password_set(user=user, wrapped_hash=wrap_md5_hex([md5("quay")])[0])
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "pbkdf2_wrapped_efiction_md5"
    assert user.check_password("quay")
    user.refresh_from_db()
    assert not user.password.startswith("pbkdf2_wrapped_efiction_md5$")  # upgraded
    assert user.check_password("quay")
    with pytest.raises(ValidationError):
        user_legacy_password_set(user=user, wrapped_hash=md5("quay"))
    with pytest.raises(ValidationError):
        user_legacy_password_set(user=user, wrapped_hash="pbkdf2_sha256$1000$salt$abc")


def test_wrap_md5_hex_hashes_many_in_order():
    digests = [md5(f"pw{n}") for n in range(5)]
    wrapped = wrap_md5_hex(digests)
    hasher = EfictionMD5WrappedHasher()
    assert [hasher.verify(f"pw{n}", w) for n, w in enumerate(wrapped)] == [True] * 5
    assert len(set(wrapped)) == 5  # each with its own salt
