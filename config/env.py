"""The one reader of environment variables.

Every deployment difference is an environment variable read here; settings.py
only turns these values into Django settings. An integration switches on when
its variable is set (DATABASE_URL, REDIS_URL, EMAIL_URL).
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(RuntimeError):
    """An environment variable holds a value we cannot use."""


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class EmailConfig:
    backend: str
    host: str = ""
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    file_path: str = ""


def parse_email_url(url: str | None) -> EmailConfig:
    """EMAIL_URL: smtp://user:pass@host:587 (STARTTLS), smtps://... (TLS), console:, file:///dir."""
    if not url or url.startswith("console:"):
        return EmailConfig(backend="django.core.mail.backends.console.EmailBackend")
    if url.startswith("memory:"):
        return EmailConfig(backend="django.core.mail.backends.locmem.EmailBackend")
    parts = urlsplit(url)
    if parts.scheme == "file":
        return EmailConfig(
            backend="django.core.mail.backends.filebased.EmailBackend", file_path=parts.path
        )
    if parts.scheme not in {"smtp", "smtps"}:
        raise ConfigError(f"EMAIL_URL scheme must be smtp, smtps, console or file, not {url!r}")
    query = parse_qs(parts.query)
    return EmailConfig(
        backend="django.core.mail.backends.smtp.EmailBackend",
        host=parts.hostname or "localhost",
        port=parts.port or (465 if parts.scheme == "smtps" else 587),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_ssl=parts.scheme == "smtps",
        use_tls=parts.scheme == "smtp" and query.get("tls", ["true"])[0] != "false",
    )


def parse_rate(
    raw: str | None, default: tuple[int, int], name: str = "FANARCHIVE_API_RATE_LIMIT"
) -> tuple[int, int]:
    """A rate such as FANARCHIVE_API_RATE_LIMIT: "300/300" is 300 requests per 300 seconds."""
    if raw is None or not raw.strip():
        return default
    requests, _, seconds = raw.strip().partition("/")
    if not (requests.isdigit() and seconds.isdigit() and int(requests) > 0 and int(seconds) > 0):
        raise ConfigError(f"{name} must be COUNT/SECONDS such as 300/300, not {raw!r}")
    return int(requests), int(seconds)


def parse_count(name: str, raw: str | None, default: int) -> int:
    """A whole number of at least 0, such as FANARCHIVE_NEW_ACCOUNT_DAYS."""
    if raw is None or not raw.strip():
        return default
    if not raw.strip().isdigit():
        raise ConfigError(f"{name} must be a whole number such as {default}, not {raw!r}")
    return int(raw.strip())


def parse_build_processes(raw: str | None) -> int:
    """FANARCHIVE_INDEX_BUILD_PROCESSES: at least 1 (0 is taken for 1); by default the
    machine's CPUs, at most 4 (past that the database, not reading, is the limit)."""
    default = min(os.cpu_count() or 1, 4)
    return max(1, parse_count("FANARCHIVE_INDEX_BUILD_PROCESSES", raw, default))


@dataclass(frozen=True)
class SpamConfig:
    """Who counts as a new account, and what new accounts and guests may do.

    An account is new for `new_account_days` after it joined, and after that until it has
    `new_account_posts` published works and comments. New accounts' and guests' comments
    with links are held for moderation; new accounts post at most `comments` (count,
    seconds) comments and `works` works; the same comment on `repeat_works` works in a
    day is held, whoever sends it.
    """

    new_account_days: int = 7
    new_account_posts: int = 0
    comments: tuple[int, int] = (3, 900)  # AO3: 3 comments per 15 minutes
    works: tuple[int, int] = (5, 3600)
    repeat_works: int = 3


def parse_spam(environ: dict[str, str]) -> SpamConfig:
    """FANARCHIVE_NEW_ACCOUNT_* and FANARCHIVE_REPEATED_COMMENT_WORKS (README, "Spam")."""
    default = SpamConfig()
    repeat = parse_count(
        "FANARCHIVE_REPEATED_COMMENT_WORKS",
        environ.get("FANARCHIVE_REPEATED_COMMENT_WORKS"),
        default.repeat_works,
    )
    if repeat < 2:
        raise ConfigError("FANARCHIVE_REPEATED_COMMENT_WORKS must be 2 or more")
    return SpamConfig(
        new_account_days=parse_count(
            "FANARCHIVE_NEW_ACCOUNT_DAYS",
            environ.get("FANARCHIVE_NEW_ACCOUNT_DAYS"),
            default.new_account_days,
        ),
        new_account_posts=parse_count(
            "FANARCHIVE_NEW_ACCOUNT_POSTS",
            environ.get("FANARCHIVE_NEW_ACCOUNT_POSTS"),
            default.new_account_posts,
        ),
        comments=parse_rate(
            environ.get("FANARCHIVE_NEW_ACCOUNT_COMMENTS"),
            default.comments,
            "FANARCHIVE_NEW_ACCOUNT_COMMENTS",
        ),
        works=parse_rate(
            environ.get("FANARCHIVE_NEW_ACCOUNT_WORKS"),
            default.works,
            "FANARCHIVE_NEW_ACCOUNT_WORKS",
        ),
        repeat_works=repeat,
    )


TWO_FACTOR_ROLES = ("staff", "moderators", "wranglers")


def parse_require_two_factor(raw: str | None) -> frozenset[str]:
    """FANARCHIVE_REQUIRE_TWO_FACTOR: "none" (the default) or roles such as "staff,wranglers"
    whose accounts must use two-factor log-in (README, "Two-factor log-in")."""
    words = {word.strip().lower() for word in (raw or "").split(",")} - {""}
    if words <= {"none"}:
        return frozenset()
    if words - set(TWO_FACTOR_ROLES):  # "none" among roles, too
        raise ConfigError(
            "FANARCHIVE_REQUIRE_TWO_FACTOR must be none or a list of "
            f"{', '.join(TWO_FACTOR_ROLES)}, not {raw!r}"
        )
    return frozenset(words)


INVITATION_MODES = ("off", "required")


def parse_invitations(raw: str | None) -> str:
    """FANARCHIVE_INVITATIONS: "off" (the default: anyone may sign up) or "required"
    (sign-up needs an invitation; README, "Invitations")."""
    value = (raw or "off").strip().lower() or "off"
    if value not in INVITATION_MODES:
        raise ConfigError(f"FANARCHIVE_INVITATIONS must be off or required, not {raw!r}")
    return value


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(name: str, raw: str | None) -> tuple[IPNetwork, ...]:
    """FANARCHIVE_TRUSTED_PROXIES: addresses or CIDR networks, comma-separated."""
    found = []
    for item in (raw or "").split(","):
        if not item.strip():
            continue
        try:
            found.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            raise ConfigError(
                f"{name} must list IP addresses or networks such as 10.0.0.0/8, not {item!r}"
            ) from None
    return tuple(found)


def parse_seconds(name: str, raw: str | None, default: float) -> float:
    """A positive number of seconds, such as 20 or 0.5."""
    if raw is None or not raw.strip():
        return default
    try:
        seconds = float(raw)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise ConfigError(f"{name} must be a positive number of seconds, not {raw!r}")
    return seconds


def parse_seconds_or_off(name: str, raw: str | None, default: float) -> float:
    """`parse_seconds`, or 0 for off."""
    if raw is not None and raw.strip() == "0":
        return 0.0
    return parse_seconds(name, raw, default)


AGE_GATE_MODES = ("interstitial", "adults", "verified", "countries")
# An HTTP header's name (RFC 9110 token characters), such as CF-IPCountry.
HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
# Shorter secrets could be guessed offline from one signed token.
MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class AgeGateConfig:
    """The operator's age-gate policy (README, "Age-gate policies")."""

    mode: str = "interstitial"
    countries: frozenset[str] = frozenset()
    country_header: str = ""
    verification_secret: str = ""
    verification_url: str = ""


def parse_age_gate(
    environ: dict[str, str], trusted_proxies: tuple[IPNetwork, ...]
) -> AgeGateConfig:
    """FANARCHIVE_AGE_GATE and its companions, refused at startup when they cannot work
    together (a country list nobody's country could be read for, say)."""
    mode = environ.get("FANARCHIVE_AGE_GATE", "").strip().lower() or "interstitial"
    if mode not in AGE_GATE_MODES:
        raise ConfigError(
            f"FANARCHIVE_AGE_GATE must be one of {', '.join(AGE_GATE_MODES)}, "
            f"not {environ['FANARCHIVE_AGE_GATE']!r}"
        )
    countries = frozenset(
        c.strip().upper() for c in environ.get("FANARCHIVE_AGE_GATE_COUNTRIES", "").split(",")
    ) - {""}
    bad = sorted(c for c in countries if not re.fullmatch(r"[A-Z]{2}", c))
    if bad:
        raise ConfigError(
            "FANARCHIVE_AGE_GATE_COUNTRIES must list two-letter ISO country codes such as "
            f"GB,AU, not {', '.join(bad)}"
        )
    header = environ.get("FANARCHIVE_COUNTRY_HEADER", "").strip()
    if header and not HEADER_NAME.match(header):
        raise ConfigError(
            "FANARCHIVE_COUNTRY_HEADER must be an HTTP header name such as CF-IPCountry, "
            f"not {header!r}"
        )
    if mode == "countries":
        missing = [
            name
            for name, value in (
                ("FANARCHIVE_AGE_GATE_COUNTRIES", countries),
                ("FANARCHIVE_COUNTRY_HEADER", header),
                ("FANARCHIVE_TRUSTED_PROXIES", trusted_proxies),
            )
            if not value
        ]
        if missing:
            raise ConfigError(
                "FANARCHIVE_AGE_GATE=countries needs " + ", ".join(missing) + " (the country "
                "is read from the header your proxy sets, only on connections from it)"
            )
    secret = environ.get("FANARCHIVE_AGE_VERIFICATION_SECRET", "")
    if secret and len(secret) < MIN_SECRET_LENGTH:
        raise ConfigError(
            f"FANARCHIVE_AGE_VERIFICATION_SECRET must be at least {MIN_SECRET_LENGTH} "
            "characters (a random string shared with the verification provider)"
        )
    url = environ.get("FANARCHIVE_AGE_VERIFICATION_URL", "").strip()
    if url and (urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).netloc):
        raise ConfigError(
            f"FANARCHIVE_AGE_VERIFICATION_URL must be an http(s) address, not {url!r}"
        )
    return AgeGateConfig(
        mode=mode,
        countries=countries,
        country_header=header,
        verification_secret=secret,
        verification_url=url,
    )


def _secret_key(data_dir: Path) -> str:
    """FANARCHIVE_SECRET_KEY, or a random key kept in the data directory.

    Generating one on first start keeps the two-command install working while
    never shipping a key that is the same on every machine.
    """
    explicit = os.environ.get("FANARCHIVE_SECRET_KEY")
    if explicit:
        return explicit
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


@dataclass(frozen=True)
class Env:
    data_dir: Path
    debug: bool
    https: bool
    secret_key: str
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    database_url: str | None
    redis_url: str | None
    email: EmailConfig
    email_confirmation: bool
    default_from_email: str
    site_name: str
    site_url: str = "http://127.0.0.1:8000"
    admins: list[str] = field(default_factory=list)
    # The API's rate limit: (requests, seconds) per token, account or guest address.
    api_rate_limit: tuple[int, int] = (300, 300)
    # Seconds a mail server may take to answer before sending fails (and is retried).
    email_timeout: float = 20.0
    # The reverse proxies whose X-Forwarded-For is believed (none by default).
    trusted_proxies: tuple[IPNetwork, ...] = ()
    # Seconds after which a task still running under a worker nobody can ask about is
    # taken for abandoned and run again: a few minutes more than the longest task takes.
    task_lease: float = 600.0
    # Seconds a guest's listing page is kept in the shared cache at most (0: not cached).
    guest_page_cache: float = 60.0
    # Which catalogue backend lists works (FANARCHIVE_CATALOGUE_BACKEND;
    # `discovery.index.backends`).
    catalogue_backend: str = "roaring"
    # Processes reading a full catalogue build's batches from the database at once
    # (FANARCHIVE_INDEX_BUILD_PROCESSES; `discovery.index.parallel`); 1: the build's own.
    index_build_processes: int = 1
    # Who may read adult works' text (FANARCHIVE_AGE_GATE and its companions).
    age_gate: AgeGateConfig = AgeGateConfig()
    # What new accounts and guests may do (FANARCHIVE_NEW_ACCOUNT_* and companions).
    spam: SpamConfig = SpamConfig()
    # Roles whose accounts must use two-factor log-in (FANARCHIVE_REQUIRE_TWO_FACTOR).
    require_two_factor: frozenset[str] = frozenset()
    # Whether sign-up needs an invitation (FANARCHIVE_INVITATIONS: "off" or "required").
    invitations: str = "off"


def load() -> Env:
    data_dir = Path(os.environ.get("FANARCHIVE_DATA_DIR", BASE_DIR / "data")).resolve()
    email_url = os.environ.get("EMAIL_URL")
    email = parse_email_url(email_url)
    trusted_proxies = parse_networks(
        "FANARCHIVE_TRUSTED_PROXIES", os.environ.get("FANARCHIVE_TRUSTED_PROXIES")
    )
    return Env(
        data_dir=data_dir,
        debug=_flag("FANARCHIVE_DEBUG", False),
        https=_flag("FANARCHIVE_HTTPS", False),
        secret_key=_secret_key(data_dir),
        allowed_hosts=_list("FANARCHIVE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"]),
        csrf_trusted_origins=_list("FANARCHIVE_CSRF_TRUSTED_ORIGINS", []),
        database_url=os.environ.get("DATABASE_URL") or None,
        redis_url=os.environ.get("REDIS_URL") or None,
        email=email,
        # Requiring a confirmed address only makes sense when mail really leaves
        # the machine, so by default it follows EMAIL_URL.
        email_confirmation=_flag("FANARCHIVE_EMAIL_CONFIRMATION", bool(email_url)),
        default_from_email=os.environ.get(
            "FANARCHIVE_FROM_EMAIL", "Fanarchive <noreply@localhost>"
        ),
        site_name=os.environ.get("FANARCHIVE_SITE_NAME", "Fanarchive"),
        # Where links in mail sent by background tasks (no request to ask) point.
        site_url=os.environ.get("FANARCHIVE_SITE_URL", "http://127.0.0.1:8000").rstrip("/"),
        admins=_list("FANARCHIVE_ADMINS", []),
        api_rate_limit=parse_rate(os.environ.get("FANARCHIVE_API_RATE_LIMIT"), (300, 300)),
        email_timeout=parse_seconds(
            "FANARCHIVE_EMAIL_TIMEOUT", os.environ.get("FANARCHIVE_EMAIL_TIMEOUT"), 20.0
        ),
        trusted_proxies=trusted_proxies,
        task_lease=parse_seconds(
            "FANARCHIVE_TASK_LEASE", os.environ.get("FANARCHIVE_TASK_LEASE"), 600.0
        ),
        guest_page_cache=parse_seconds_or_off(
            "FANARCHIVE_GUEST_PAGE_CACHE_SECONDS",
            os.environ.get("FANARCHIVE_GUEST_PAGE_CACHE_SECONDS"),
            60.0,
        ),
        catalogue_backend=(os.environ.get("FANARCHIVE_CATALOGUE_BACKEND") or "roaring").strip(),
        index_build_processes=parse_build_processes(
            os.environ.get("FANARCHIVE_INDEX_BUILD_PROCESSES")
        ),
        age_gate=parse_age_gate(dict(os.environ), trusted_proxies),
        spam=parse_spam(dict(os.environ)),
        require_two_factor=parse_require_two_factor(
            os.environ.get("FANARCHIVE_REQUIRE_TWO_FACTOR")
        ),
        invitations=parse_invitations(os.environ.get("FANARCHIVE_INVITATIONS")),
    )
