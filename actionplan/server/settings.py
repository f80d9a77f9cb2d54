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
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import dj_database_url

HOME = Path(os.environ.get("ACTIONPLAN_HOME") or "~/.local/share/actionplan").expanduser()

SQLITE_OPTIONS: dict[str, Any] = {
    # WAL lets readers go on while an import writes; NORMAL is safe with WAL.
    "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
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

SECRET_KEY = os.environ.get("ACTIONPLAN_SECRET_KEY", "django-insecure-actionplan-local-development-only")
DEBUG = os.environ.get("ACTIONPLAN_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ACTIONPLAN_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "actionplan.server.store",
    "actionplan.server.web",
    "actionplan.server.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
