"""Django settings. Deployments differ only by environment variables (see config/env.py)."""

from __future__ import annotations

import dj_database_url
import django_stubs_ext

from config import env as env_module

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
    "fanarchive.demo",
    # django-ninja: only for the API docs page's local Swagger UI files (no CDN).
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fanarchive.api.middleware.ApiMiddleware",
    "fanarchive.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fanarchive.core.middleware.LoginRequiredMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fanarchive.core.context_processors.site",
                "fanarchive.engagement.context_processors.inbox",
            ],
        },
    },
]

# Database: SQLite in WAL mode under the data directory, PostgreSQL when DATABASE_URL says so.
if ENV.database_url:
    DATABASES = {"default": dj_database_url.parse(ENV.database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "fanarchive.sqlite3"),
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; IMMEDIATE takes the
                # write lock at BEGIN so concurrent writers wait instead of failing.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
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
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

# E-mail: the console until EMAIL_URL is set.
EMAIL_BACKEND = ENV.email.backend
EMAIL_HOST = ENV.email.host
EMAIL_PORT = ENV.email.port
EMAIL_HOST_USER = ENV.email.user
EMAIL_HOST_PASSWORD = ENV.email.password
EMAIL_USE_TLS = ENV.email.use_tls
EMAIL_USE_SSL = ENV.email.use_ssl
if ENV.email.file_path:
    EMAIL_FILE_PATH = ENV.email.file_path
DEFAULT_FROM_EMAIL = ENV.default_from_email
SERVER_EMAIL = ENV.default_from_email
ADMINS = [(address, address) for address in ENV.admins]

# Security: safe on plain HTTP for a local install; FANARCHIVE_HTTPS=true is production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
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
