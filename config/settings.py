"""Django settings. Deployments differ only by environment variables (see config/env.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import dj_database_url
import django_stubs_ext

from config import env as env_module
from fanarchive.works import limits as posting_limits

# Django classes such as ModelAdmin and Feed are generic in the type stubs only; this lets
# the code write `admin.ModelAdmin[Work]` as a base class (django-tasks does it too).
django_stubs_ext.monkeypatch()

ENV = env_module.load()
BASE_DIR = env_module.BASE_DIR
DATA_DIR = ENV.data_dir
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = ENV.secret_key
DEBUG = ENV.debug
ALLOWED_HOSTS = ENV.allowed_hosts
CSRF_TRUSTED_ORIGINS = ENV.csrf_trusted_origins
SITE_NAME = ENV.site_name
SITE_URL = ENV.site_url

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "fanarchive.core",
    "fanarchive.accounts",
    "fanarchive.tags",
    "fanarchive.works",
    "fanarchive.wrangling",
    "fanarchive.discovery",
    "fanarchive.formats",
    "fanarchive.engagement",
    "fanarchive.api",
    "fanarchive.collections",
    "fanarchive.challenges",
    "fanarchive.moderation",
    "fanarchive.news",
    "fanarchive.portability",
    "fanarchive.backup",
    "fanarchive.demo",
    # django-ninja: only for the API docs page's local Swagger UI files (no CDN).
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Text compressed on the way out, and an ETag from each page's content (its CSRF
    # tokens aside), so a conditional request for an unchanged page or feed gets a 304
    # (core/middleware.py).
    "fanarchive.core.middleware.TextGZipMiddleware",
    "fanarchive.core.middleware.ConditionalPageMiddleware",
    # The page's language (cookie of the footer's chooser, else Accept-Language), before
    # the API's own checks so that their errors are translated too: core/i18n.py.
    "fanarchive.core.i18n.LocaleMiddleware",
    "fanarchive.api.middleware.ApiMiddleware",
    "fanarchive.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Django's CSRF check, but a guest's POST is vouched for by the browser's
    # Sec-Fetch-Site or Origin instead of a token, so guests' pages carry none: core/csrf.py.
    "fanarchive.core.csrf.OriginCsrfMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fanarchive.core.middleware.LoginRequiredMiddleware",
    "fanarchive.accounts.middleware.TwoFactorRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
# Django's form templates, the commonest widgets built in Python (same HTML, ~4 ms less
# on a filter page): see fanarchive/core/form_renderer.py.
FORM_RENDERER = "fanarchive.core.form_renderer.FastTemplates"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE, LANGUAGES
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fanarchive.core.context_processors.site",
                # `csrf_token`: none for guests (core/csrf.py); wins over Django's own.
                "fanarchive.core.csrf.csrf_context",
                "fanarchive.engagement.context_processors.inbox",
                "fanarchive.news.context_processors.banner",
                "fanarchive.accounts.context_processors.reader",
            ],
            # `{% csrf_token %}` that renders a guest's "no token" as nothing (core/csrf.py).
            "builtins": ["fanarchive.core.csrf"],
        },
    },
]

# Database: SQLite in WAL mode under the data directory, PostgreSQL when DATABASE_URL says so.
SQLITE_ENGINE = "django.db.backends.sqlite3"


def sqlite_database(name: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every SQLite database, the default file or one DATABASE_URL names, is set up alike.

    WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
    BEGIN, so a transaction that reads and then writes waits for another writer (the
    task worker, say) instead of failing at once with "database is locked"; the
    timeout is how long it waits. Options in the URL's query string win.

    A connection is kept for a minute, as PostgreSQL's are (`database_from`): opening one
    and setting its journal mode took ~2 ms, more than a cached guest page takes to serve.
    """
    return {
        "ENGINE": SQLITE_ENGINE,
        "NAME": name,
        "CONN_MAX_AGE": 60,
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            **(options or {}),
        },
    }


def database_from(url: str | None) -> dict[str, Any]:
    if not url:
        return sqlite_database(str(DATA_DIR / "fanarchive.sqlite3"))
    parsed: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    if parsed["ENGINE"] == SQLITE_ENGINE:
        return sqlite_database(str(parsed["NAME"]), parsed.get("OPTIONS"))
    return parsed


DATABASES = {"default": database_from(ENV.database_url)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and sessions: the database until REDIS_URL is set.
if ENV.redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": ENV.redis_url,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "fanarchive_cache",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background tasks (django-tasks, the backport of Django 6's task framework): queued in
# the database and run by `db_worker` until REDIS_URL is set, then queued in Redis and
# run by RQ. Code enqueues with `some_task.enqueue(...)` and never names a backend.
if ENV.redis_url:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": ENV.redis_url}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A task still running after this long under a worker that cannot be asked whether it
# lives (another machine's) is taken for abandoned and retried (core.abandoned_tasks);
# a worker known dead has its tasks retried at once. Mail gives up after EMAIL_TIMEOUT.
TASK_LEASE = timedelta(seconds=ENV.task_lease)
# Guests' listing pages in the shared cache, at most this long (core/page_cache.py).
GUEST_PAGE_CACHE_SECONDS = ENV.guest_page_cache
CATALOGUE_BACKEND = ENV.catalogue_backend
INDEX_BUILD_PROCESSES = ENV.index_build_processes

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["fanarchive.accounts.backends.UsernameOrEmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "works:list"
LOGOUT_REDIRECT_URL = "works:list"
# Django's defaults, then the hashers of migrated archives: a password stored by one of
# those is re-hashed with the first at its owner's first successful login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "fanarchive.accounts.hashers.EfictionMD5WrappedHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
EMAIL_CONFIRMATION_REQUIRED = ENV.email_confirmation

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
# The interface's languages (docs/translating.md): no language prefix in URLs, the
# chooser in every page's footer sets a cookie and an account's preference.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Per-language date formats (DATE_FORMAT "j M Y" in English, as the pages always showed).
FORMAT_MODULE_PATH = ["fanarchive.core.formats"]
# The chooser's cookie (core.i18n.language_cookie_set): a year, like the reader settings.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS: list[Any] = [BASE_DIR / "static"]
# The rich-text editor of the posting forms (npm's squire-rte, installed by `make assets`),
# served as static/vendor/squire-rte/. Without node_modules the forms keep their plain
# textarea (static/js/text-editor.js finds no editor and does nothing).
SQUIRE_DIST = BASE_DIR / "node_modules" / "squire-rte" / "dist"
if SQUIRE_DIST.is_dir():
    STATICFILES_DIRS.append(("vendor/squire-rte", SQUIRE_DIST))
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "fanarchive.core.storage.StaticFilesStorage"},
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    # Django's app finder, without the django-ninja files the API docs do not use.
    "fanarchive.api.staticfiles.AppDirectoriesFinder",
]
# Serve app static folders directly when collectstatic has not run (tests, development).
WHITENOISE_USE_FINDERS = True

# Request bodies: big enough for the posting form filled to every limit of the archive,
# and no bigger. Worst case, each character is 4 bytes of UTF-8 and a browser sends each
# byte of a form as "%XX"; summaries and notes may carry markup beyond their visible
# characters. Django's 2.5 MB default refused a legal 300,000-character CJK chapter.
# A body over the limit gets the "too large" page (core.views.bad_request); a proxy in
# front must let it through (README, "Production: the reverse proxy").
UTF8_BYTES_PER_CHARACTER_MAX = 4
FORM_ENCODING_EXPANSION = 3
MARKUP_ALLOWANCE = 3  # works.inputs.MARKUP_ALLOWANCE (which imports models: not importable here)
TAG_NAME_MAX = 100  # tags.services.TAG_NAME_MAX (likewise); test_request_size checks both
FORM_SMALL_FIELDS_BYTES = 64 * 1024  # rating, warnings, language, pseuds, gifts, CSRF token


def form_body_limit() -> int:
    """The largest request body a page of the archive may need to send, in bytes."""
    characters = (
        posting_limits.CHAPTER_TEXT_MAX
        + posting_limits.TITLE_MAX
        + posting_limits.CHAPTER_TITLE_MAX
        # The work's and the chapter's summary, notes and end notes.
        + MARKUP_ALLOWANCE * (2 * posting_limits.SUMMARY_MAX + 4 * posting_limits.NOTES_MAX)
        + posting_limits.USER_TAGS_MAX * (TAG_NAME_MAX + 1)  # and a comma each
    )
    escaped = characters * UTF8_BYTES_PER_CHARACTER_MAX * FORM_ENCODING_EXPANSION
    return escaped + FORM_SMALL_FIELDS_BYTES


DATA_UPLOAD_MAX_MEMORY_SIZE = form_body_limit()
# For the "too large" page: a body over the limit almost always is an overlong chapter.
CHAPTER_TEXT_MAX = posting_limits.CHAPTER_TEXT_MAX

# E-mail: the console until EMAIL_URL is set.
EMAIL_BACKEND = ENV.email.backend
EMAIL_HOST = ENV.email.host
EMAIL_PORT = ENV.email.port
EMAIL_HOST_USER = ENV.email.user
EMAIL_HOST_PASSWORD = ENV.email.password
EMAIL_USE_TLS = ENV.email.use_tls
EMAIL_USE_SSL = ENV.email.use_ssl
# A mail server that accepts and then stalls must not hold a task worker for minutes:
# past this many seconds sending fails, and the mail task is retried later.
EMAIL_TIMEOUT = ENV.email_timeout
if ENV.email.file_path:
    EMAIL_FILE_PATH = ENV.email.file_path
DEFAULT_FROM_EMAIL = ENV.default_from_email
SERVER_EMAIL = ENV.default_from_email
ADMINS = [(address, address) for address in ENV.admins]

# Security: safe on plain HTTP for a local install; FANARCHIVE_HTTPS=true is production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Django's deploy check looks for its CSRF middleware by its name; MIDDLEWARE has its
# subclass (core/csrf.py), and CSRF_COOKIE_SECURE is set under HTTPS below (both tested).
SILENCED_SYSTEM_CHECKS = ["security.W003"]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if ENV.https:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Behind reverse proxies (FANARCHIVE_TRUSTED_PROXIES) the client's address is read from
# X-Forwarded-For, only on connections from them: core.addresses.client_address.
TRUSTED_PROXIES = ENV.trusted_proxies

# Who may read adult works' text (works.age_gate; README, "Age-gate policies"):
# "interstitial" (AO3's question), "adults" (accounts that confirmed they are adults),
# "verified" (age-verified accounts) or "countries" (the question, but no adult text at
# all for visitors whose country, named by COUNTRY_HEADER from a trusted proxy, is listed).
AGE_GATE = ENV.age_gate.mode
AGE_GATE_COUNTRIES = ENV.age_gate.countries
COUNTRY_HEADER = ENV.age_gate.country_header
# The outside age-verification provider: the secret its signed callbacks are checked with
# (none: the callback refuses everything) and the page readers are sent to.
AGE_VERIFICATION_SECRET = ENV.age_gate.verification_secret
AGE_VERIFICATION_URL = ENV.age_gate.verification_url

# Spam defences without an outside service (engagement.limits; README, "Spam"): how long
# an account counts as new (and how many published posts end that sooner than never),
# new accounts' (and guests') comment and work rates as (count, seconds), and on how many
# works in a day the same comment is held.
NEW_ACCOUNT_DAYS = ENV.spam.new_account_days
NEW_ACCOUNT_POSTS = ENV.spam.new_account_posts
NEW_ACCOUNT_COMMENT_RATE = ENV.spam.comments
NEW_ACCOUNT_WORK_RATE = ENV.spam.works
REPEATED_COMMENT_WORKS = ENV.spam.repeat_works

# Roles ("staff", "moderators", "wranglers") whose accounts must turn on two-factor log-in
# before doing anything else (accounts.two_factor_selectors; README, "Two-factor log-in").
REQUIRE_TWO_FACTOR = ENV.require_two_factor

# "off": anyone may sign up; "required": sign-up needs an invitation, which people ask for
# in the queue (accounts.invitation_services; README, "Invitations").
INVITATIONS = ENV.invitations

# No inline script or style anywhere: everything comes from /static/.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https: http: data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"fanarchive": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# How many works a listing page shows.
WORKS_PER_PAGE = 20

# The API (/api/v1/): requests per window (seconds) per token, account or guest address.
API_RATE_LIMIT_REQUESTS, API_RATE_LIMIT_WINDOW = ENV.api_rate_limit
# Items per page of an API listing: the default and the most a client may ask for.
API_PAGE_SIZE = 20
API_PAGE_SIZE_MAX = 100
