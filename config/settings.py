"""deltaunion settings: one file, driven by environment variables (12-factor).

With no environment set this gives the embedded mode: SQLite (WAL, immediate
transactions), in-process cache and background tasks, Django's dev server.
Set DATABASE_URL / REDIS_URL / SECRET_KEY / ALLOWED_HOSTS / DEBUG for production.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: a production start that forgets DEBUG never shows a debug page or settings.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-embedded-demo-key-change-me-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
VAR_DIR = Path(os.environ.get("DELTAUNION_VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ninja",  # serves Swagger UI from its own static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "deltaunion.core",
    "deltaunion.accounts",
    "deltaunion.orgs",
    "deltaunion.people",
    "deltaunion.workplans",
    "deltaunion.contests",
    "deltaunion.practice",
    "deltaunion.campaigns",
    "deltaunion.community",
    "deltaunion.heritage",
    "deltaunion.relations",
    "deltaunion.recuperation",
    "deltaunion.honours",
    "deltaunion.me",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Bearer API calls (/api/ with `Authorization: Bearer`) leave here for API_FAST_MIDDLEWARE.
    "deltaunion.core.middleware.ApiFastPathMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped (Django's GZip with random padding against BREACH); static files come
    # pre-compressed from WhiteNoise above and never reach it.
    "deltaunion.core.compression.PageGZipMiddleware",
    "deltaunion.core.middleware.SessionMiddleware",
    "deltaunion.core.middleware.ChineseFirstLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "deltaunion.core.middleware.AuthenticationMiddleware",
    "deltaunion.core.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "deltaunion.core.middleware.RejectBadInputMiddleware",
    "deltaunion.accounts.middleware.ApiTokenMiddleware",
    "axes.middleware.AxesMiddleware",
]

# The chain of a Bearer API call after SecurityMiddleware (core.middleware.ApiFastPathMiddleware):
# MIDDLEWARE without what a token call cannot use (static files, sessions, CSRF's cookie, the
# session user, messages, axes' lockout of session logins); their process_view/process_exception
# hooks still run for it, as for every request.
API_FAST_MIDDLEWARE = [
    "deltaunion.core.compression.PageGZipMiddleware",
    "deltaunion.core.middleware.ChineseFirstLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "deltaunion.core.middleware.RejectBadInputMiddleware",
    "deltaunion.accounts.middleware.ApiTokenMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "deltaunion.core.context_processors.platform",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "deltaunion.sqlite3")),
            "OPTIONS": {
                # Writers take the lock at BEGIN, so concurrent writers queue instead of
                # failing half-way with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The hottest statements (an answer, a like, a token read) are prepared once per PostgreSQL
# connection (core.hotsql). Behind a PgBouncer older than 1.21 in transaction mode, set 0.
DATABASE_PREPARE_HOT_STATEMENTS = env_bool("DATABASE_PREPARE_HOT_STATEMENTS", True)

# --- cache ------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "deltaunion"),
        }
    }
    # Sessions read from Redis, written through to the database: one query less on every page.
    # Only with a cache every process shares: with a per-process cache a logout in one process
    # would leave the session alive in another's copy.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# With Redis, each process gathers the offers of a best for up to this long and sends them in one
# round trip (core.leaderboards._Offers); 0 sends each at once on the request's thread.
LEADERBOARD_OFFER_SECONDS = float(os.environ.get("LEADERBOARD_OFFER_SECONDS", "0.2"))

# --- background work --------------------------------------------------------
# Background work (large imports): the database backend, run by `manage.py db_worker` (started by `make demo`).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- notifications ---------------------------------------------------------
# Outside channels beside the in-site inbox (core.notifications): dotted paths of Channel classes.
NOTIFICATION_CHANNELS = [p for p in os.environ.get("NOTIFICATION_CHANNELS", "").split(",") if p.strip()]

# --- auth -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
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
LOGIN_URL = "accounts:login"
LOGOUT_URL = "accounts:logout"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))  # hours
# Lock the account, not the address: workers of one unit often share a NAT address.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- i18n -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    # ECharts as the chart pages use it (assets/charts.js, bundled by `make install`), not its dist.
    ("vendor/charts", NODE_MODULES / ".deltaunion" / "charts"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", NODE_MODULES / "leaflet.markercluster" / "dist"),
]
# After `collectstatic` (production) files are served hashed and pre-compressed from STATIC_ROOT;
# before it (the demo, the tests) straight from the apps and node_modules.
STATIC_COLLECTED = env_bool("STATIC_MANIFEST", (STATIC_ROOT / "staticfiles.json").exists())
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # WhiteNoise's compressed manifest storage; Brotli (the `brotli` package) for what pages load.
        "BACKEND": "deltaunion.core.storage.CompressedManifestStorage"
        if STATIC_COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
MEDIA_ROOT = VAR_DIR / "media"

# --- logging ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- the heritage map (deltaunion/heritage/README.md) ----------------------------
# No tile URL: the map draws over the schematic base layer it ships (no internet needed).
HERITAGE_TILE_URL = os.environ.get("HERITAGE_TILE_URL", "")
HERITAGE_TILE_CRS = os.environ.get("HERITAGE_TILE_CRS", "wgs84")  # or "gcj02" (Amap-style tiles)
HERITAGE_TILE_ATTRIBUTION = os.environ.get("HERITAGE_TILE_ATTRIBUTION", "")
HERITAGE_TILE_SUBDOMAINS = os.environ.get("HERITAGE_TILE_SUBDOMAINS", "")

# --- deltaunion -------------------------------------------------------------
DELTAUNION = {
    "PAGE_SIZE": 20,
    # Imports: rows (blank rows count), upload size, declared uncompressed size of the .xlsx parts,
    # and the size from which an import runs as a background task with a progress bar.
    "IMPORT_MAX_ROWS": int(os.environ.get("IMPORT_MAX_ROWS", "20000")),
    "IMPORT_MAX_BYTES": int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024))),
    "IMPORT_MAX_UNCOMPRESSED": int(os.environ.get("IMPORT_MAX_UNCOMPRESSED", str(100 * 1024 * 1024))),
    "IMPORT_BACKGROUND_ROWS": int(os.environ.get("IMPORT_BACKGROUND_ROWS", "3000")),
}
