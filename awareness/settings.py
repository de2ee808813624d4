"""Settings for the fraud-awareness site.

One module for every environment: production differs from a laptop only by the environment
variables read below (documented in README.md).
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "The SECRET_KEY environment variable is required when DEBUG is off. "
            "Set SECRET_KEY to a long random string (or DEBUG=1 for local development)."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# "open" lets anyone sign up as a teacher; "closed" leaves teacher accounts to the admins.
TEACHER_SIGNUP = os.environ.get("TEACHER_SIGNUP", "open").strip().lower()
if TEACHER_SIGNUP not in {"open", "closed"}:
    raise ImproperlyConfigured("TEACHER_SIGNUP must be 'open' or 'closed'.")

INSTALLED_APPS = [
    "awareness",
    "quizzes",
    "live",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages (not event streams) go out gzip-compressed (a class's results page: about 200 KB
    # of HTML, 20 KB sent).
    # Django pads compressed responses with random bytes against BREACH ("Heal the Breach").
    "awareness.compression.PagesGZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "awareness.accounts.middleware.PasswordChangeRequiredMiddleware",
    "awareness.accounts.middleware.PrivatePagesMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "awareness.urls"
WSGI_APPLICATION = "awareness.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "awareness.context_processors.site",
            ],
        },
    },
]

# Database: SQLite by default, tuned for concurrent writers (WAL, IMMEDIATE transactions,
# a busy timeout); anything else through DATABASE_URL. The SQLite tuning applies however SQLite
# is chosen (the default file, SQLITE_PATH or DATABASE_URL=sqlite:///...).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=20000;"
        "PRAGMA foreign_keys=ON;"
    ),
}
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Keep the connection (and its PRAGMAs) for the life of a worker.
    DATABASES["default"].update({"CONN_MAX_AGE": None, "CONN_HEALTH_CHECKS": True})
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
# Under ASGI (ASGI=on, see gunicorn.conf.py) each request runs its database work in a thread of
# its own, so a connection kept after the request would never be used again: each is closed,
# and on PostgreSQL a worker's pool of open connections (psycopg_pool) makes that cheap.
ASGI = os.environ.get("ASGI", "off") == "on"
if ASGI:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        pool = {"min_size": 2, "max_size": int(os.environ.get("DB_POOL_SIZE", "10")), "timeout": 10}
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = pool

# The cache is shared by every worker and app server, so anything in it (throttle counters,
# cached pages and results) is the same whichever process answers. Redis is faster; without it
# the cache is a table in the database (created by `manage.py createcachetable`).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # Sessions are read from Redis and written through to the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "awareness.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's default list, then a quick hasher used only for the random one-time passwords of
# pupil accounts (awareness/accounts/hashers.py explains why that is safe).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "awareness.accounts.hashers.OneTimePasswordHasher",
]
# A one-time password a teacher issued stops working this many days later if still unused.
ONE_TIME_PASSWORD_DAYS = env_int("ONE_TIME_PASSWORD_DAYS", 14)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "pages:home"
LOGOUT_REDIRECT_URL = "pages:home"

# Login throttling: five failures per username and IP lock the pair for the cool-off.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's own address, never the proxy's (awareness.throttle.client_ip).
AXES_CLIENT_IP_CALLABLE = "awareness.throttle.axes_client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True

# Retention (manage.py purge, run daily): visitors' attempts and checks, and the login records
# (addresses and browsers of sign-ins and failed sign-ins), are deleted after these many days.
VISITOR_DATA_DAYS = env_int("VISITOR_DATA_DAYS", 30)
# The spot-the-scam check's measures: "after" opens once this many scenarios are finished,
# "later" this many days after "after" (quizzes/check/services.py).
AFTER_CHECK_SCENARIOS = env_int("AFTER_CHECK_SCENARIOS", 3)
LATER_CHECK_DAYS = env_int("LATER_CHECK_DAYS", 14)
LOGIN_RECORD_DAYS = env_int("LOGIN_RECORD_DAYS", 30)
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 0 if DEBUG else 3600

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

CSRF_FAILURE_VIEW = "awareness.views.csrf_failure"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Security. HTTPS=off only for a laptop on plain http://127.0.0.1 (the README's run command).
HTTPS = env_bool("HTTPS", not DEBUG)
# On whenever HTTPS is; a proxy that already redirects http to https may set it off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE: Literal["Lax"] = "Lax"  # a literal, as set_cookie() expects
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING").upper()},
}

SITE_NAME = _("Scam Spotter")
