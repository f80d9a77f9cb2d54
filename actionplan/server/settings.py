"""Django settings for the actionplan server and store.

Everything a deployment changes comes from the environment:

``ACTIONPLAN_DATABASE_URL``
    A dj-database-url URL: ``sqlite:////abs/path/db.sqlite3`` or
    ``postgresql://user@host:port/db``. Default: a SQLite file
    ``$ACTIONPLAN_HOME/actionplan.sqlite3``.
``ACTIONPLAN_HOME``
    Where local state lives (default ``~/.local/share/actionplan``; created if missing).
``ACTIONPLAN_SECRET_KEY``
    Django's secret key. The default is insecure and only fit for a local machine.
``ACTIONPLAN_DEBUG``
    ``1`` turns Django's debug mode on.
``ACTIONPLAN_ALLOWED_HOSTS``
    Comma-separated host names (default ``localhost,127.0.0.1``).
``ACTIONPLAN_PRODUCTION``
    ``1`` for a deployment behind an HTTPS reverse proxy (see ``docs/security.md``): debug
    off, a real ``ACTIONPLAN_SECRET_KEY`` and ``ACTIONPLAN_ALLOWED_HOSTS`` required,
    secure cookies, HSTS, HTTPS redirect, ``X-Forwarded-Proto`` trusted, mail by SMTP.
``ACTIONPLAN_CSRF_TRUSTED_ORIGINS``
    Comma-separated origins (``https://plan.example.org``) the proxy serves the site at.
``ACTIONPLAN_PROXY_COUNT``
    How many reverse proxies append to ``X-Forwarded-For`` in front of the server (default
    0: the client's address is ``REMOTE_ADDR``). Login throttling counts per client address.
``ACTIONPLAN_HSTS_SECONDS``, ``ACTIONPLAN_HSTS_PRELOAD``, ``ACTIONPLAN_SSL_REDIRECT``
    HSTS max-age (production default one year), ``1`` to ask for HSTS preloading, ``0`` to
    leave the HTTP to HTTPS redirect to the proxy.
``ACTIONPLAN_EMAIL_BACKEND``
    ``console`` (development default: mails printed by the server), ``file`` (written to
    ``$ACTIONPLAN_HOME/mail``) or ``smtp`` (production default), with
    ``ACTIONPLAN_EMAIL_HOST``, ``_PORT``, ``_USER``, ``_PASSWORD``, ``_USE_TLS`` (``1``),
    ``_USE_SSL`` and ``ACTIONPLAN_EMAIL_FROM``. Password-reset mails go through it.
"""

from __future__ import annotations

import contextlib
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

HOME = Path(os.environ.get("ACTIONPLAN_HOME") or "~/.local/share/actionplan").expanduser()

SQLITE_OPTIONS: dict[str, Any] = {
    # WAL lets readers go on while an import writes; NORMAL is safe with WAL.
    # mmap: the monitoring queries scan millions of rows; reading them through the page
    # cache's 2 MB alone costs most of their time (benchmarks/monitor.py).
    "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA mmap_size=268435456;",
    # Take the write lock when a transaction starts, so two imports queue up
    # instead of failing half-way with "database is locked".
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def database_config(url: str | None, home: Path) -> dict[str, Any]:
    """The ``DATABASES["default"]`` entry for ``url`` (or the default SQLite file in ``home``)."""
    if url:
        config: dict[str, Any] = dict(dj_database_url.parse(url))
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(home / "actionplan.sqlite3")}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        name = str(config.get("NAME") or "")
        if name and name != ":memory:" and not name.startswith("file:"):
            Path(name).parent.mkdir(parents=True, exist_ok=True)
    return config


BASE_DIR = Path(__file__).resolve().parent


def _env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip()
    return default if not value else value == "1"


PRODUCTION = _env_flag("ACTIONPLAN_PRODUCTION", False)
INSECURE_KEY = "django-insecure-actionplan-local-development-only"
SECRET_KEY = os.environ.get("ACTIONPLAN_SECRET_KEY", "" if PRODUCTION else INSECURE_KEY)
DEBUG = not PRODUCTION and os.environ.get("ACTIONPLAN_DEBUG", "") == "1"
ALLOWED_HOSTS = _env_list("ACTIONPLAN_ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = _env_list("ACTIONPLAN_CSRF_TRUSTED_ORIGINS")
if PRODUCTION:
    from django.core.exceptions import ImproperlyConfigured

    if len(SECRET_KEY) < 50 or SECRET_KEY == INSECURE_KEY or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "ACTIONPLAN_PRODUCTION=1 needs ACTIONPLAN_SECRET_KEY: 50 or more random characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ACTIONPLAN_PRODUCTION=1 needs ACTIONPLAN_ALLOWED_HOSTS (the site's host names)")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "actionplan.server.accounts",
    "actionplan.server.store",
    "actionplan.server.web",
    "actionplan.server.api",
    "actionplan.server.audit",
    "actionplan.server.monitor",
    "actionplan.server.stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "actionplan.server.audit.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "actionplan.server.urls"
WSGI_APPLICATION = "actionplan.server.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "actionplan.server.web.context.site",
                "actionplan.server.accounts.context.access",
            ],
        },
    },
]

DATABASES = {"default": database_config(os.environ.get("ACTIONPLAN_DATABASE_URL"), HOME)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# In-process cache for rendered pages and lint results of immutable versions (see
# actionplan.server.web.current); per process, nothing to run beside the server.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "actionplan_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the language choice is remembered for a year

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
# WhiteNoise warns on every start when the folder is missing, even with finders on.
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve app static files directly: no collectstatic step
WHITENOISE_MAX_AGE = 3600
# Pages are served by the same process (waitress): static files too, with no CDN and no
# network at run time. Vendored front-end assets live in web/static/vendor with licences.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


# -- accounts, passwords, sign-in ------------------------------------------------------------
# Roles are groups, memberships bind delegates to organisations: actionplan.server.accounts.

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # reads (and upgrades) older hashes
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while an address or name is locked out
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:contributions"
LOGOUT_REDIRECT_URL = "web:contributions"

# Login throttling (django-axes): 5 failures for one user name from one address lock that
# pair out for 15 minutes; a success resets the count. Locked out: HTTP 429.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("ACTIONPLAN_PROXY_COUNT", "0") or 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 3600  # a working day
CSRF_COOKIE_SAMESITE = "Lax"

# -- security headers ------------------------------------------------------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts and styles from this site only, no inline
# script, no eval (the charts use vega-interpreter), no frames, no plug-ins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SILENCED_SYSTEM_CHECKS: list[str] = []
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_flag("ACTIONPLAN_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("ACTIONPLAN_HSTS_SECONDS", "31536000") or 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _env_flag("ACTIONPLAN_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a promise to the browsers' lists for every subdomain: asked for
        # explicitly (ACTIONPLAN_HSTS_PRELOAD=1), never by default.
        SILENCED_SYSTEM_CHECKS.append("security.W021")
    if not SECURE_SSL_REDIRECT:
        # The reverse proxy redirects HTTP to HTTPS itself (docs/security.md).
        SILENCED_SYSTEM_CHECKS.append("security.W008")

# -- mail (password reset) -----------------------------------------------------------------

EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}[os.environ.get("ACTIONPLAN_EMAIL_BACKEND", "smtp" if PRODUCTION else "console")]
EMAIL_FILE_PATH = str(HOME / "mail")
EMAIL_HOST = os.environ.get("ACTIONPLAN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ACTIONPLAN_EMAIL_PORT", "587") or 587)
EMAIL_HOST_USER = os.environ.get("ACTIONPLAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ACTIONPLAN_EMAIL_PASSWORD", "")
EMAIL_USE_SSL = _env_flag("ACTIONPLAN_EMAIL_USE_SSL", False)
EMAIL_USE_TLS = not EMAIL_USE_SSL and _env_flag("ACTIONPLAN_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("ACTIONPLAN_EMAIL_FROM", "actionplan@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
