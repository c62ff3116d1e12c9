"""Settings for the discretion web workbench: one file, driven by environment variables.

Safe by default: DEBUG is off, cookies are HttpOnly, a strict Content-Security-Policy with nonces
is always on. ``DISCRETION_PRODUCTION=1`` turns on everything ``manage.py check --deploy`` asks
for and requires the secret key from the environment.

Environment:
  DISCRETION_DATA_DIR      where the SQLite database, uploads and generated files live (./data)
  DATABASE_URL             e.g. postgres://user@host:5432/db; default SQLite in the data folder
  DISCRETION_SECRET_KEY    (or DISCRETION_SECRET_KEY_FILE) required in production
  DISCRETION_DEBUG         True/False (False)
  DISCRETION_PRODUCTION    1 turns on secure cookies, HSTS and the SSL redirect
  DISCRETION_ALLOWED_HOSTS comma-separated (127.0.0.1,localhost)
  DISCRETION_POLICY_DIR    a directory of policy YAML files instead of the shipped ones
  DISCRETION_MAX_UPLOAD_MB largest accepted upload (25)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

WEB_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: str = "False") -> bool:
    value = os.getenv(name, default)
    if value in ("1", "True", "true", "yes"):
        return True
    if value in ("", "0", "False", "false", "no"):
        return False
    raise ImproperlyConfigured(f"Unexpected value {name}={value!r}, use 'True' or 'False'")


def env_int(name: str, default: int) -> int:
    value = os.getenv(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"Unexpected value {name}={value!r}, expected a whole number") from None


def env_secret(name: str) -> str | None:
    """The value of NAME, or the contents of the file named by NAME_FILE (Docker secrets)."""
    if os.getenv(name):
        return os.environ[name]
    path = os.getenv(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {exc}") from None
    return None


PRODUCTION = env_bool("DISCRETION_PRODUCTION")
DEBUG = False if PRODUCTION else env_bool("DISCRETION_DEBUG")
DATA_DIR = Path(os.getenv("DISCRETION_DATA_DIR", "data")).resolve()
FILES_DIR = DATA_DIR / "files"  # uploads and generated documents: never under a static URL


def _secret_key() -> str:
    key = env_secret("DISCRETION_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "DISCRETION_SECRET_KEY (or DISCRETION_SECRET_KEY_FILE) must be set in production"
        )
    # Local use: a random key kept in the data folder, so sessions survive a restart.
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key, encoding="utf-8")
        path.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip() for h in os.getenv("DISCRETION_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.getenv("DISCRETION_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "discretion.web.accounts",
    "discretion.web.audit",
    "discretion.web.cases",
    "discretion.web.documents",
    "discretion.web.files",
    "discretion.web.tracking",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a login unless marked @login_not_required: a new URL is private by default.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "discretion.web.urls"
WSGI_APPLICATION = "discretion.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "discretion.web.accounts.context.membership",
            ],
        },
    }
]

if os.getenv("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "discretion.sqlite3",
            "OPTIONS": {
                # WAL lets the web server read while the task worker writes; IMMEDIATE avoids
                # "database is locked" on lock upgrades under concurrent writers.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Keep each server thread's connection: opening one per request cost CPU, and when the
            # last connection closed SQLite checkpointed and removed the WAL under an exclusive
            # lock while new requests were opening theirs (a source of "database is locked").
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The daily e-mail of what is due (tracking/digest.py): sent at this hour of TIME_ZONE, with links
# to SITE_URL (e-mails have no request to build addresses from).
DIGEST_HOUR = env_int("DISCRETION_DIGEST_HOUR", 7)
if not 0 <= DIGEST_HOUR <= 23:
    raise ImproperlyConfigured(f"DISCRETION_DIGEST_HOUR={DIGEST_HOUR} is not an hour of the day (0-23)")
SITE_URL = os.getenv("DISCRETION_SITE_URL", "http://127.0.0.1:8000")

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:list"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttle (accounts/throttle.py): failures per username and per address in a window.
LOGIN_FAILURE_LIMIT = env_int("DISCRETION_LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_IP_LIMIT = env_int("DISCRETION_LOGIN_FAILURE_IP_LIMIT", 30)
LOGIN_FAILURE_WINDOW_MINUTES = env_int("DISCRETION_LOGIN_FAILURE_WINDOW_MINUTES", 15)

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.getenv("DISCRETION_TIME_ZONE", "America/New_York")
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [WEB_DIR / "static"]
WHITENOISE_USE_FINDERS = True  # `discretion serve` needs no collectstatic step
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": FILES_DIR}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = FILES_DIR  # never served by URL: files go through files.views.download
MAX_UPLOAD_BYTES = env_int("DISCRETION_MAX_UPLOAD_MB", 25) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600

POLICY_DIR = os.getenv("DISCRETION_POLICY_DIR") or None

# --- security --------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DISCRETION_SSL_REDIRECT", "True")
    SECURE_HSTS_SECONDS = env_int("DISCRETION_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("DISCRETION_BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("DISCRETION_LOG_LEVEL", "WARNING")},
}
