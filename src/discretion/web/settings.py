"""Settings for the discretion web workbench: one file, driven by environment variables.

Safe by default: DEBUG is off, cookies are HttpOnly, a strict Content-Security-Policy with nonces
is always on. ``DISCRETION_PRODUCTION=1`` turns on everything ``manage.py check --deploy`` asks
for and requires the secret key from the environment.

Environment:
  DISCRETION_DATA_DIR      where the SQLite database, uploads and generated files live (./data)
  DATABASE_URL             e.g. postgres://user@host:5432/db; default SQLite in the data folder
  DISCRETION_DATABASE_OWNER_URL  PostgreSQL: the schema owner's URL, for migrations only
  DISCRETION_SECRET_KEY    (or DISCRETION_SECRET_KEY_FILE) required in production
  DISCRETION_DEBUG         True/False (False)
  DISCRETION_PRODUCTION    1 turns on secure cookies, HSTS and the SSL redirect
  DISCRETION_ALLOWED_HOSTS comma-separated (127.0.0.1,localhost)
  DISCRETION_POLICY_DIR    a directory of policy YAML files instead of the shipped ones
  DISCRETION_MAX_UPLOAD_MB largest accepted upload (25)
  DISCRETION_SMTP_*, DISCRETION_MAIL_*, DISCRETION_SITE_URL   mail (see the block "the person's side")
  DISCRETION_2FA_REQUIRED  off, admins or everyone: who must use two-step sign-in (admins in production)
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from discretion.web.files.sealing import parse_keys

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
    "discretion.web.worker",  # before django_tasks_db: its db_worker command (with leases) wins
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "discretion.web.accounts",
    "discretion.web.audit",
    "discretion.web.cases",
    "discretion.web.documents",
    "discretion.web.files",
    "discretion.web.tracking",
    "discretion.web.client",
    "discretion.web.booking",
    "discretion.web.intake",
]

MIDDLEWARE = [
    "discretion.web.monitoring.RequestMetrics",  # first: it times everything below
    # Then: the client address and scheme from a trusted proxy only (lib/proxy.py).
    "discretion.web.lib.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): signed in with a second factor
    # Every view needs a login unless marked @login_not_required: a new URL is private by default.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A session that skipped the second factor, or an admin without one where it is required,
    # reaches only the two-step pages (accounts/two_factor.py).
    "discretion.web.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
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
    if os.getenv("DISCRETION_DATABASE_OWNER_URL"):
        # Migrations run as the owner; the app's role owns nothing (audit/roles.py, docs/web.md).
        DATABASES["owner"] = dj_database_url.parse(os.environ["DISCRETION_DATABASE_OWNER_URL"])
        DATABASES["owner"]["TEST"] = {"MIRROR": "default"}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "discretion.sqlite3"),
            "OPTIONS": {
                # WAL lets the web server read while the task worker writes; IMMEDIATE avoids
                # "database is locked" on lock upgrades under concurrent writers.
                # secure_delete: a page freed or rewritten is zeroed, so no clear value written
                # before encryption was turned on lingers in the file.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
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
# A job whose worker stopped beating for this long is retried (up to the attempts) or failed.
WORKER_LEASE_SECONDS = env_int("DISCRETION_WORKER_LEASE_SECONDS", 30)
WORKER_MAX_ATTEMPTS = env_int("DISCRETION_WORKER_MAX_ATTEMPTS", 2)
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

# Login throttle: django-axes, per username and client address together (accounts/throttle.py).
LOGIN_FAILURE_LIMIT = env_int("DISCRETION_LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_MINUTES = env_int("DISCRETION_LOGIN_FAILURE_WINDOW_MINUTES", 15)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out attempt before any check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_FAILURE_WINDOW_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# An attempt refused while locked is not a password check: not counted, and the lock still ends
# 15 minutes after the last real failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "discretion.web.accounts.throttle.username_key"
AXES_CLIENT_IP_CALLABLE = "discretion.web.lib.proxy.request_address"
AXES_LOCKOUT_CALLABLE = "discretion.web.accounts.views.locked_out"
AXES_VERBOSE = False
# Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (lib/proxy.py):
# comma-separated addresses or networks; empty (the default) trusts no header from anyone.
TRUSTED_PROXIES = [p for p in os.getenv("DISCRETION_TRUSTED_PROXIES", "").split(",") if p.strip()]

# Two-step sign-in (django-otp: an authenticator app's codes and one-time recovery codes).
# "admins": organisation admins and back-office superusers must use it (the default, and the least
# allowed, in production); "everyone": every member must; "off": offered to everyone, required of
# no one (local and demo use).
TWO_FACTOR_REQUIRED = os.getenv("DISCRETION_2FA_REQUIRED", "admins" if PRODUCTION else "off")
if TWO_FACTOR_REQUIRED not in ("off", "admins", "everyone"):
    raise ImproperlyConfigured(
        f"Unexpected value DISCRETION_2FA_REQUIRED={TWO_FACTOR_REQUIRED!r}, use off, admins or everyone"
    )
if PRODUCTION and TWO_FACTOR_REQUIRED == "off":
    raise ImproperlyConfigured("DISCRETION_2FA_REQUIRED=off is not allowed in production: admins need it")
OTP_TOTP_ISSUER = os.getenv("DISCRETION_2FA_ISSUER", "PD workbench")
OTP_TOTP_THROTTLE_FACTOR = 1  # django-otp doubles the wait after each wrong code: 1 s, 2 s, 4 s...
# Invitations to join an organisation, and password-reset links, stop working after this long.
INVITATION_DAYS = env_int("DISCRETION_INVITATION_DAYS", 7)
PASSWORD_RESET_TIMEOUT = env_int("DISCRETION_PASSWORD_RESET_HOURS", 2) * 60 * 60

TIME_ZONE = os.getenv("DISCRETION_TIME_ZONE", "America/New_York")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [WEB_DIR / "static"]
WHITENOISE_USE_FINDERS = True  # `discretion serve` needs no collectstatic step
# Uploads, letters and packets go through Django's storage API (files/blobs.py): the data folder
# by default, an S3-compatible bucket with DISCRETION_STORAGE=s3 (django-storages + boto3).
MEDIA_ROOT = FILES_DIR  # never served by URL: files go through files.views.download
STORAGE_KIND = os.getenv("DISCRETION_STORAGE", "local")
if STORAGE_KIND == "local":
    # No fixed location: FileSystemStorage follows MEDIA_ROOT (the tests move it per test).
    _default_storage: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_KIND == "s3":
    if not os.getenv("DISCRETION_S3_BUCKET"):
        raise ImproperlyConfigured("DISCRETION_STORAGE=s3 needs DISCRETION_S3_BUCKET")
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["DISCRETION_S3_BUCKET"],
            "endpoint_url": os.getenv("DISCRETION_S3_ENDPOINT_URL") or None,
            "region_name": os.getenv("DISCRETION_S3_REGION") or None,
            "access_key": env_secret("DISCRETION_S3_ACCESS_KEY_ID"),
            "secret_key": env_secret("DISCRETION_S3_SECRET_ACCESS_KEY"),
            "location": os.getenv("DISCRETION_S3_PREFIX", ""),
            "addressing_style": os.getenv("DISCRETION_S3_ADDRESSING_STYLE", "path"),
            "default_acl": None,  # private: the bucket's own policy, never public-read
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    raise ImproperlyConfigured(f"Unexpected value DISCRETION_STORAGE={STORAGE_KIND!r}, use 'local' or 's3'")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Encryption at rest (files/sealing.py): keys outside the database, newest first.
_key_text = env_secret("DISCRETION_ENCRYPTION_KEYS")
if _key_text is None and os.getenv("DISCRETION_ENCRYPTION_KEY_FILE"):
    _key_path = os.environ["DISCRETION_ENCRYPTION_KEY_FILE"]
    try:
        _key_text = Path(_key_path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ImproperlyConfigured(
            f"DISCRETION_ENCRYPTION_KEY_FILE={_key_path!r} cannot be read: {exc}"
        ) from None
if _key_text is None and (DATA_DIR / "keys" / "encryption.keys").exists():
    _key_text = (DATA_DIR / "keys" / "encryption.keys").read_text(encoding="utf-8")
_all_keys = parse_keys(_key_text or "", where="the encryption keys")
SEARCH_KEY = next((k for i, k in _all_keys if i == "search"), None)
ENCRYPTION_KEYS = [(i, k) for i, k in _all_keys if i != "search"]
if SEARCH_KEY and not ENCRYPTION_KEYS:
    raise ImproperlyConfigured("The encryption keys list a search key but no sealing key")
MAX_UPLOAD_BYTES = env_int("DISCRETION_MAX_UPLOAD_MB", 25) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600

POLICY_DIR = os.getenv("DISCRETION_POLICY_DIR") or None

# /metrics (web/monitoring.py) answers only with this bearer token; without one it is off.
METRICS_TOKEN = env_secret("DISCRETION_METRICS_TOKEN")

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
    # A load balancer's or monitor's plain-HTTP health check straight to the app is not redirected.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Safe to set always: lib/proxy.py drops the header unless the request came from a trusted proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if env_bool("DISCRETION_BEHIND_PROXY") and not TRUSTED_PROXIES:
    TRUSTED_PROXIES = ["127.0.0.1", "::1"]  # the old switch: a proxy on the same machine

# --- the person's side: languages and mail (kept together) -------------------------------------
# Practitioner pages are English. The pages the person sees (booking, intake) are translated with
# Django's own machinery: a language is a catalog in web/locale/<code>/LC_MESSAGES/django.po.
# There is no LocaleMiddleware: client views choose the language themselves (client.language),
# so a practitioner's browser language never changes the workbench.
USE_I18N = True
LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [WEB_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "discretion_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
CSRF_FAILURE_VIEW = "discretion.web.client.pages.csrf_failure"  # a plain page in the person's language

# Mail goes through Django's backends (MAILERS, Django 6.1). SMTP in production and whenever
# DISCRETION_SMTP_HOST is set (in production without it: the local mail server on port 25);
# otherwise each message is written as a file under DATA_DIR/outbox (demo and local use), or
# printed with DISCRETION_EMAIL_BACKEND=console.
_mail = os.getenv("DISCRETION_EMAIL_BACKEND") or (
    "smtp" if os.getenv("DISCRETION_SMTP_HOST") or PRODUCTION else "file"
)
_smtp_ssl = env_bool("DISCRETION_SMTP_SSL")  # implicit TLS, usually port 465
_smtp_starttls = env_bool("DISCRETION_SMTP_STARTTLS")  # STARTTLS, usually port 587
if _smtp_ssl and _smtp_starttls:
    raise ImproperlyConfigured("Set DISCRETION_SMTP_SSL or DISCRETION_SMTP_STARTTLS, not both")
_MAILERS = {
    "smtp": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.getenv("DISCRETION_SMTP_HOST", "localhost"),
            "port": env_int("DISCRETION_SMTP_PORT", 465 if _smtp_ssl else 587 if _smtp_starttls else 25),
            "username": os.getenv("DISCRETION_SMTP_USER", ""),
            "password": env_secret("DISCRETION_SMTP_PASSWORD") or "",
            "use_ssl": _smtp_ssl,
            "use_tls": _smtp_starttls,
            "timeout": env_int("DISCRETION_SMTP_TIMEOUT", 20),
        },
    },
    "file": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(DATA_DIR / "outbox")},
    },
    "console": {"BACKEND": "django.core.mail.backends.console.EmailBackend"},
}
if _mail not in _MAILERS:
    raise ImproperlyConfigured(
        f"Unexpected value DISCRETION_EMAIL_BACKEND={_mail!r}, use one of {', '.join(_MAILERS)}"
    )
MAILERS = {"default": _MAILERS[_mail]}
DEFAULT_FROM_EMAIL = os.getenv("DISCRETION_MAIL_FROM", "PD workbench <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# SITE_URL (above, with the digest) gives links in mail the task worker sends, such as reminders.
# Public pages (booking, intake links): attempts per address in a window before a plain 429 page.
CLIENT_RATE_LIMIT = env_int("DISCRETION_CLIENT_RATE_LIMIT", 60)
CLIENT_RATE_WINDOW_MINUTES = env_int("DISCRETION_CLIENT_RATE_WINDOW_MINUTES", 10)
BOOKING_RATE_LIMIT = env_int("DISCRETION_BOOKING_RATE_LIMIT", 10)  # bookings per address per hour

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("DISCRETION_LOG_LEVEL", "WARNING")},
}
