"""Settings for Isesaki KPI, driven by environment variables.

Defaults run a bare checkout: SQLite in the project folder, DEBUG on. With DEBUG off the app
refuses to start without a real SECRET_KEY.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from isesaki.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def env_bool(name: str, default: bool) -> bool:
    """A yes/no variable. A value it does not know stops the start instead of reading as false:
    a typo such as AXES_ENABLED=ture must not quietly switch login throttling off."""
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    accepted = ", ".join(f"{yes}/{no}" for yes, no in zip(_TRUE, _FALSE, strict=True))
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value; use one of {accepted} (any case)."
    )


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "nested_admin",
    "simple_history",
    "django_tables2",
    "import_export",
    "csp",
    "isesaki.apps.LoginThrottlingConfig",  # django-axes, named in Japanese
    "measures",
    "indicators",
    "projects",
    "evaluations",
    "dashboards",
    "reports",
    "plandata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records the logged-in user on every history row (actuals, targets, indicators).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Japanese error pages with DEBUG on too, and a 503 when the database does not answer.
    "isesaki.errors.ErrorPageMiddleware",
    # Last, as django-axes asks: it turns a lockout into the 429 response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "isesaki.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "isesaki" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "isesaki.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
# Japanese for the libraries that ship none (django-simple-history, django-axes, tables2).
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format on every page: 2026-12-02 06:13 (isesaki/formats/ja/formats.py).
FORMAT_MODULE_PATH = ["isesaki.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "isesaki" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Django's CSRF failure page is English and styled inline (the CSP blocks it).
CSRF_FAILURE_VIEW = "isesaki.errors.csrf_failure"

# A login page for everyone (isesaki/urls.py): managers (閲覧者) have no admin access.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/todo/"  # everyone starts at their own to-dos (reports.todos)

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap4.html"

# --- Dashboards -------------------------------------------------------------------------------
# Open the dashboards read-only to anyone (e.g. the public intranet) instead of login-only.
KPI_PUBLIC_DASHBOARDS = env_bool("KPI_PUBLIC_DASHBOARDS", False)
# The 入力状況 page's sections beyond the actuals: the year's evaluation sheets.
KPI_ENTRY_STATUS_SECTIONS = ["reports.status.sheet_section"]
# A value lagging the straight line to the target by at most this share of the whole
# baseline→target distance still counts as 順調 (0.05 = 5 points of 進捗率).
KPI_ON_TRACK_MARGIN = env_float("KPI_ON_TRACK_MARGIN", 0.05)
# A "keep" (維持) target is met within this relative tolerance (0 = exactly).
KPI_KEEP_TOLERANCE = env_float("KPI_KEEP_TOLERANCE", 0.0)

# --- Cache of computed pages (keyed by the data version: measures.versioning) ----------------
# KPI_CACHE=locmem (default: one process; each worker keeps its own) or database (a table
# every worker and container shares: run `manage.py createcachetable` once; the image's start
# does). Entries are found only under the data version they were computed for, so a stale
# entry is never served; the timeout only bounds memory.
KPI_CACHE = os.environ.get("KPI_CACHE", "locmem").strip().lower()
KPI_CACHE_TIMEOUT = env_int("KPI_CACHE_TIMEOUT", 3600)
_CACHE_BACKENDS = {
    "locmem": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kpi",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    "database": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kpi_cache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
if KPI_CACHE not in _CACHE_BACKENDS:
    raise ImproperlyConfigured(f"KPI_CACHE={KPI_CACHE!r}: use one of {', '.join(_CACHE_BACKENDS)}.")
CACHES = {"default": {**_CACHE_BACKENDS[KPI_CACHE], "TIMEOUT": KPI_CACHE_TIMEOUT}}

# --- Production hardening (TLS ends at a reverse proxy that sets X-Forwarded-Proto) -----------
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin/").strip("/") + "/"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)  # seconds: one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# The container's HEALTHCHECK asks over plain HTTP from inside; a redirect would fail it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Content Security Policy (django-csp), in DEBUG too: every asset is served from 'self' -----
_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# CSP_REPORT_ONLY=true reports violations in the browser console instead of blocking (e.g. to
# read Django's styled debug page, which uses inline CSS and JS).
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP

# --- Login throttling (django-axes), in DEBUG and tests too --------------------------------
# Tests log in with client.force_login(): client.login() raises, because axes needs the request.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first, as django-axes asks
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
# A user name from one address: one person's typos (or a stranger's guesses) never lock the
# user out on another computer.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The number of reverse proxies in front of the app that append the client's address to
# X-Forwarded-For (compose: 1, the city's TLS proxy). The client's address is taken from there
# (isesaki/client_ip.py); 0 ignores the header. Set it to the real number: one too many lets a
# client choose its own address, and so escape the lockout.
KPI_TRUSTED_PROXIES = env_int("KPI_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "isesaki.client_ip.client_address"
# A Japanese page in the site's look, with the time the lock ends, status 429.
AXES_LOCKOUT_CALLABLE = "isesaki.lockout.lockout_response"

# --- Logs: one JSON object per line on stderr (gunicorn's logs too, docker/gunicorn.conf.py) ---
LOGGING = logging_config(os.environ.get("LOG_LEVEL", "INFO"))

# --- Data entry (入力・承認) ----------------------------------------------------------------
# An actual that moves more than this share from the previous year's value (0.3 = 30%) asks
# for a note (備考) and a confirmation before it is saved.
KPI_JUMP_WARNING_SHARE = env_float("KPI_JUMP_WARNING_SHARE", 0.3)
# History is read-only: reverting from the history page would bypass validation and review.
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Imports of actuals and survey results (取込, indicators/imports/) ----------------------
# A larger file is refused before it is read (a whole plan's years fit in well under 1 MB).
KPI_IMPORT_MAX_BYTES = env_int("KPI_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
# Where an uploaded file waits between the admin's preview and its confirmation
# (indicators/imports/uploads.py): a folder of its own, under the system's temp folder by
# default; with several app containers, a shared volume. Files of previews never confirmed
# are deleted after KPI_IMPORT_UPLOAD_MAX_AGE_HOURS, on each new upload and by
# "manage.py expire_import_uploads".
IMPORT_EXPORT_TMP_STORAGE_CLASS = os.environ.get(
    "IMPORT_EXPORT_TMP_STORAGE_CLASS", "indicators.imports.uploads.UploadFolderStorage"
)
KPI_IMPORT_UPLOAD_DIR = os.environ.get(
    "KPI_IMPORT_UPLOAD_DIR", os.path.join(tempfile.gettempdir(), "isesaki-kpi-uploads")
)
KPI_IMPORT_UPLOAD_MAX_AGE_HOURS = env_float("KPI_IMPORT_UPLOAD_MAX_AGE_HOURS", 24)
