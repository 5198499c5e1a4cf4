"""Password hashes carried over from other archive software.

eFiction 3.x kept unsalted MD5 hex digests. A migration stores each as
PBKDF2(md5(password)) under the algorithm name `pbkdf2_wrapped_efiction_md5`, so
the weak hash is never kept as it was, the plain password still checks, and the MD5
digest itself (from an old leak) does not log anyone in. Because this hasher is not
the first in PASSWORD_HASHERS, Django re-hashes the password with its own default at
the first successful login.

eFiction hashed the password's bytes as the browser sent them, in the page's charset:
UTF-8 on a UTF-8 site, cp1252 on a latin-1 one (the default install), where browsers
send a letter cp1252 lacks as a reference like "&#937;". A password is checked in each
of these encodings (`password_encodings`); an ASCII one is the same bytes in all.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher
from django.utils.crypto import constant_time_compare

MD5_HEX = re.compile(r"^[0-9a-fA-F]{32}$")


def password_encodings(password: str) -> list[bytes]:
    """The bytes eFiction may have hashed for `password`, each once: UTF-8, then cp1252
    as a browser sends a latin-1 form (letters outside cp1252 as "&#N;" references)."""
    encodings = [password.encode(), password.encode("cp1252", "xmlcharrefreplace")]
    return list(dict.fromkeys(encodings))


def _md5_hex(raw: bytes) -> str:
    return hashlib.md5(raw, usedforsecurity=False).hexdigest()


class EfictionMD5WrappedHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_wrapped_efiction_md5"

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        return self.encode_md5_hex(_md5_hex(password.encode()), salt, iterations)

    def encode_md5_hex(self, md5_hex: str, salt: str, iterations: int | None = None) -> str:
        """Wrap an MD5 hex digest as the old archive stored it."""
        if not MD5_HEX.match(md5_hex):
            raise ValueError("not an MD5 hex digest")
        wrapped = super().encode(md5_hex.lower(), salt, iterations)
        return self.algorithm + wrapped[wrapped.index("$") :]

    def verify(self, password: str, encoded: str) -> bool:
        decoded = self.decode(encoded)
        salt, iterations = str(decoded["salt"]), int(decoded["iterations"])
        return any(
            constant_time_compare(encoded, self.encode_md5_hex(_md5_hex(raw), salt, iterations))
            for raw in password_encodings(password)
        )

    def must_update(self, encoded: str) -> bool:
        return True


def wrap_md5_hex(digests: Sequence[str]) -> list[str]:
    """Wrapped hashes of many MD5 digests, in order, computed on every core.

    PBKDF2 is slow on purpose (about half a second each); hashlib releases the GIL
    while it works, so threads spread a migration's thousands of accounts over the
    machine's cores. Uses the configured hasher (and so its iteration count).
    """
    hasher = get_hasher(EfictionMD5WrappedHasher.algorithm)
    if not isinstance(hasher, EfictionMD5WrappedHasher):
        raise ValueError("the eFiction password hasher is not in PASSWORD_HASHERS")
    if len(digests) < 2:
        return [hasher.encode_md5_hex(d, hasher.salt()) for d in digests]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(lambda d: hasher.encode_md5_hex(d, hasher.salt()), digests))
