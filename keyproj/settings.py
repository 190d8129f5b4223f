"""keyproj settings: one module, driven by the environment.

Every setting that differs between a laptop and a server comes from an environment variable read
through a strict helper, so that a typo fails loudly at start-up instead of silently using a default.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from keyproj.logging_setup import init_error_reporting, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# Under pytest the suite runs with a fast hasher and synchronous jobs.
TESTING = env_bool("KEYPROJ_TESTING", "pytest" in sys.modules)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # Development only: a per-checkout key kept out of the repository.
    _key_file = BASE_DIR / "var" / "secret_key"
    if not _key_file.exists():
        from django.core.management.utils import get_random_secret_key

        _key_file.parent.mkdir(parents=True, exist_ok=True)
        _key_file.write_text(get_random_secret_key())
    SECRET_KEY = _key_file.read_text().strip()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "csp",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "huey.contrib.djhuey",
    "django_prometheus",
    "regions",
    "accounts",
    "projects",
    # apps: one line each below
    "workdays",
    "pool",
    "lists",
    "land",
    "approvals",
    "works",
    "safety",
    "funds",
    "milestones",
    "exchange",
    "reports",
    "api",
    "blockers",
    "supervision",
    "meetings",
    "notifications",
    "cadence",
    "battlemap",
    "demo",
    "audit",
    "maintenance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "keyproj.middleware.ContentSecurityPolicy",
    "keyproj.middleware.DatabaseUnavailable",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Level-3 controls (docs/security.md): the second factor, a password to change, the duties.
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.AccountGate",
    "keyproj.middleware.SlidingSession",
    "keyproj.middleware.NoStoreWhenSignedIn",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "reports.config.RulesPerRequest",
    "keyproj.middleware.NotFoundPage",
]

if not DEBUG and not TESTING:
    # Served by whitenoise from STATIC_ROOT (collectstatic) in production.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
# Outermost: django-prometheus times the whole chain; inside it the request id is set before anything
# logs (keyproj.middleware_requests, docs/operations.md).
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "keyproj.middleware_requests.RequestLog",
    *MIDDLEWARE,
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "keyproj.urls"
WSGI_APPLICATION = "keyproj.wsgi.application"

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
                "django.template.context_processors.i18n",
                "keyproj.context_processors.keyproj",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'keyproj.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        # A kept connection is tested before each request reuses it: after a database restart the
        # first request reconnects instead of failing on the dead socket.
        conn_health_checks=True,
    )
}
# PostgreSQL: server-side binding, so that psycopg sends a statement's parameters apart and prepares
# the statements a connection has run five times (psycopg's prepare_threshold): PostgreSQL then plans
# a page's repeated statements once per connection rather than on every request, which on a county's
# pages cost more than running them (docs/benchmarks.md, session 8). Only the statements with no
# parameters keep their plan (those lib.statements binds once): plan_cache_mode=force_custom_plan
# plans a statement with parameters for its values every time, as before, because a plan kept for a
# county's region would serve the province (its ledger 68 -> 120 ms, its wall chart 227 -> 459 ms with
# PostgreSQL's default "auto"). A transaction-mode connection pooler (PgBouncer without
# prepared-statement support) cannot keep prepared statements: DB_SERVER_SIDE_BINDING=0 turns it off.
POSTGRES_OPTIONS = (
    {
        "server_side_binding": True,
        "prepare_threshold": env_int("DB_PREPARE_THRESHOLD", 5),
        "options": "-c plan_cache_mode=" + env_str("DB_PLAN_CACHE_MODE", "force_custom_plan"),
    }
    if env_bool("DB_SERVER_SIDE_BINDING", True)
    else {}
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(POSTGRES_OPTIONS)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while a background job writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, not shared-cache memory: the browser tests' live server answers several
    # requests at once (htmx partials), and only a file database makes concurrent writers wait
    # for each other instead of failing with "database table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend reading the signed-in user with its region, unit and leader in one query.
    "accounts.backends.UserBackend",
    # Kept after it: sessions signed in before UserBackend name this one and stay signed in.
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.validators.NotCurrentPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Level-3 controls (等保 2.0 三级, docs/security.md), all on when DEBUG is off and off under `make run`.
# Roles that must sign in with a TOTP code after the password (comma-separated; "none" for nobody).
_ROLES = {"office", "unit", "leader", "supervisor", "viewer", "sysadmin", "secadmin", "auditor"}
KEYPROJ_2FA_ROLES = env_list(
    "KEYPROJ_2FA_ROLES", [] if DEBUG else ["office", "sysadmin", "secadmin", "auditor"]
)
if KEYPROJ_2FA_ROLES == ["none"]:
    KEYPROJ_2FA_ROLES = []
if set(KEYPROJ_2FA_ROLES) - _ROLES:
    raise ImproperlyConfigured(f"KEYPROJ_2FA_ROLES: unknown roles {sorted(set(KEYPROJ_2FA_ROLES) - _ROLES)}")
# 三员分立: users and units to the system administrator; locks, tokens and the login log to the
# security administrator; the audit log to the auditor. Off, the office keeps them too.
KEYPROJ_SEPARATE_DUTIES = env_bool("KEYPROJ_SEPARATE_DUTIES", not DEBUG)
# A password expires this many days after it was set (0: never); one an administrator set must be
# replaced at the next sign-in.
KEYPROJ_PASSWORD_DAYS = env_int("KEYPROJ_PASSWORD_DAYS", 0 if DEBUG else 90)
if KEYPROJ_PASSWORD_DAYS < 0:
    raise ImproperlyConfigured(f"KEYPROJ_PASSWORD_DAYS must be 0 or more, got {KEYPROJ_PASSWORD_DAYS}")
KEYPROJ_PASSWORD_FIRST_CHANGE = env_bool("KEYPROJ_PASSWORD_FIRST_CHANGE", not DEBUG)
OTP_TOTP_ISSUER = env_str("KEYPROJ_OTP_ISSUER", "keyproj")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle timeout: the session lives SESSION_IDLE_MINUTES after the last request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
# Pushed forward at most once a minute, not written on every request (keyproj.middleware.SlidingSession).
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sessions live in the database, so that any app server answers any user (stateless workers). With a
# shared Redis cache they are also kept there (cached_db): a page view reads the cache, not the
# database, and a Redis restart or eviction loses no session because the database still has it.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if env_str("CACHE_REDIS_URL", "")
    else "django.contrib.sessions.backends.db"
)
# Absolute lifetime: signed out this long after signing in, however busy (keyproj.middleware.SlidingSession).
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_HOURS", 12) * 3600
if SESSION_ABSOLUTE_SECONDS < 3600:
    raise ImproperlyConfigured("SESSION_ABSOLUTE_HOURS must be at least 1")

# django-axes: lock an account+address after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
# The client's address behind reverse proxies: X-Forwarded-For read right to left, skipping the hops
# listed here (addresses or networks, e.g. "10.0.0.5,172.16.0.0/12"); with none set, REMOTE_ADDR.
KEYPROJ_TRUSTED_PROXIES = env_list("KEYPROJ_TRUSTED_PROXIES", [])
for _proxy in KEYPROJ_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"KEYPROJ_TRUSTED_PROXIES: {exc}") from exc
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_ip"
# An account's failures from any address (accounts.throttle): after this many within the window, each
# further attempt waits 2^k seconds (at most the maximum) unless made from an address the account
# signed in from before.
KEYPROJ_LOGIN_THROTTLE_AFTER = env_int("KEYPROJ_LOGIN_THROTTLE_AFTER", 5)
KEYPROJ_LOGIN_THROTTLE_WINDOW_MINUTES = env_int("KEYPROJ_LOGIN_THROTTLE_WINDOW_MINUTES", 60)
KEYPROJ_LOGIN_THROTTLE_MAX_SECONDS = env_int("KEYPROJ_LOGIN_THROTTLE_MAX_SECONDS", 300)
KEYPROJ_LOGIN_KNOWN_ADDRESS_DAYS = env_int("KEYPROJ_LOGIN_KNOWN_ADDRESS_DAYS", 90)
KEYPROJ_TENDER_LEAD_DAYS = env_int("KEYPROJ_TENDER_LEAD_DAYS", 30)  # works: the tender_late warning
_throttle = [
    KEYPROJ_LOGIN_THROTTLE_AFTER,
    KEYPROJ_LOGIN_THROTTLE_WINDOW_MINUTES,
    KEYPROJ_LOGIN_THROTTLE_MAX_SECONDS,
]
if min(_throttle) < 1:
    raise ImproperlyConfigured("the KEYPROJ_LOGIN_THROTTLE_* settings must be at least 1")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Production: collectstatic writes here and nginx serves it (deploy/nginx/keyproj.conf).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
# Front-end packages come from npm (package.json, installed by the Makefile). Only the ones a browser loads are
# static files, each under static/vendor/<package>/; the others (axe-core for tests, the county outlines the map
# reads in Python from NODE_MODULES) stay out of collectstatic.
NODE_MODULES = BASE_DIR / "node_modules"
BROWSER_PACKAGES = ["bootstrap", "bootstrap-icons", "echarts", "htmx.org", "leaflet", "swagger-ui-dist"]
STATICFILES_DIRS = [
    BASE_DIR / "static",
    *((f"vendor/{package}", NODE_MODULES / package) for package in BROWSER_PACKAGES),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# Security headers; cookies and HSTS are strict whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Django's cache holds counters that must be shared by every worker: the API's per-token rate limit.
# Unset, each process counts on its own (fine for `make run`'s one process); with several workers in
# production set CACHE_REDIS_URL (e.g. redis://127.0.0.1:6379/1) so they count together.
CACHE_REDIS_URL = env_str("CACHE_REDIS_URL", "")
if CACHE_REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_REDIS_URL}
    }

# Background jobs: huey. Embedded default is a SQLite file under var/ (no extra server);
# set HUEY_REDIS_URL for Redis in production. Tests run tasks synchronously.
HUEY_REDIS_URL = env_str("HUEY_REDIS_URL", "")
if HUEY_REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "keyproj",
        "url": HUEY_REDIS_URL,
        "immediate": False,
        "utc": False,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "keyproj",
        "filename": str(BASE_DIR / "var" / "huey.sqlite3"),
        "immediate": TESTING or env_bool("HUEY_IMMEDIATE", False),
        "utc": False,
    }

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "keyproj@localhost")

KEYPROJ_SITE_TITLE = _("Key Project Dispatch Platform")
KEYPROJ_PAGE_SIZE = env_int("KEYPROJ_PAGE_SIZE", 50)
# A ledger export of more rows than this is written by a background job (huey) instead of during the
# request: a county's ledger stays immediate, a province's (20,000 rows, seconds) does not hold a worker.
KEYPROJ_EXPORT_INLINE_MAX = env_int("KEYPROJ_EXPORT_INLINE_MAX", 3000)
# Battle map tiles: 天地图 (WGS-84-compatible CGCS2000, as stored) when a key is set (a browser key from
# the national service: it travels in the tile URLs, so restrict it to the site's domain there); any
# other tile URL template wins. Without either the points are drawn over the region's outline alone.
KEYPROJ_TIANDITU_KEY = env_str("KEYPROJ_TIANDITU_KEY", "")
TIANDITU_TILES = (
    "https://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk="
)
KEYPROJ_MAP_TILES_URL = env_str(
    "KEYPROJ_MAP_TILES_URL", TIANDITU_TILES + KEYPROJ_TIANDITU_KEY if KEYPROJ_TIANDITU_KEY else ""
)
KEYPROJ_MAP_TILES_ATTRIBUTION = env_str(
    "KEYPROJ_MAP_TILES_ATTRIBUTION", "天地图" if KEYPROJ_MAP_TILES_URL.startswith(TIANDITU_TILES) else ""
)
# Content-Security-Policy (django-csp): scripts only from our own static files, no inline script or
# handler; <style> elements only with the request's nonce (htmx's indicator styles, the wall chart's
# page numbers); style attributes allowed (layout widths; ECharts, Leaflet and Swagger UI style their
# own elements). Map tiles only from the configured tile server ({s} subdomains as a wildcard).
_tiles = urlsplit(KEYPROJ_MAP_TILES_URL.replace("{s}", "*"))
_tile_hosts = [f"{_tiles.scheme}://{_tiles.netloc}"] if _tiles.netloc else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *_tile_hosts],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Calls per API token and period ("120/min", "5000/hour"), counted in Django's cache (per process with
# the default local-memory cache; configure a shared cache for several workers). 429 past it.
KEYPROJ_API_RATE = env_str("KEYPROJ_API_RATE", "120/min")
# The API call log keeps this many days; older calls are deleted nightly (api.tasks) or by
# `manage.py prune_api_calls`.
KEYPROJ_API_LOG_DAYS = env_int("KEYPROJ_API_LOG_DAYS", 90)
if KEYPROJ_API_LOG_DAYS < 1:
    raise ImproperlyConfigured(f"KEYPROJ_API_LOG_DAYS must be at least 1, got {KEYPROJ_API_LOG_DAYS}")

# The audit trail (historical records, the login log, the audit log) is kept this many days; the
# nightly prune deletes what is older. 等保 asks for at least 180 days (audit.immutability refuses less).
KEYPROJ_AUDIT_DAYS = env_int("KEYPROJ_AUDIT_DAYS", 365)
if KEYPROJ_AUDIT_DAYS < 180:
    raise ImproperlyConfigured(f"KEYPROJ_AUDIT_DAYS must be at least 180, got {KEYPROJ_AUDIT_DAYS}")

# Logs (docs/operations.md): JSON lines with the request id and the user when DEBUG is off, plain text
# under `make run`; LOG_FORMAT=json|text overrides. One line per request at INFO (LOG_REQUESTS=0: none).
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, got {LOG_FORMAT!r}")
LOGGING = logging_config(
    json=LOG_FORMAT == "json",
    level=env_str("LOG_LEVEL", "WARNING"),
    request_level="INFO" if env_bool("LOG_REQUESTS", not DEBUG) else "WARNING",
)

# Prometheus metrics at /metrics (keyproj.metrics): only for these addresses or networks (the
# scraper's) or with this bearer token; with neither, for no one.
KEYPROJ_METRICS_ALLOWED = env_list("KEYPROJ_METRICS_ALLOWED", [])
for _network in KEYPROJ_METRICS_ALLOWED:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"KEYPROJ_METRICS_ALLOWED: {exc}") from exc
KEYPROJ_METRICS_TOKEN = env_str("KEYPROJ_METRICS_TOKEN", "")

# Error reports: with SENTRY_DSN set (Sentry or a compatible server such as GlitchTip inside the
# government network), unhandled errors are sent there, without personal data; unset, nothing is.
SENTRY_DSN = env_str("SENTRY_DSN", "")
try:
    _traces = float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0"))
except ValueError as exc:
    raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be a number between 0 and 1") from exc
init_error_reporting(
    SENTRY_DSN,
    environment=env_str("SENTRY_ENVIRONMENT", "production"),
    release=env_str("KEYPROJ_RELEASE", ""),
    traces_sample_rate=_traces,
)

SIMPLE_HISTORY_REVERT_DISABLED = True

# Notifications (docs/notifications.md): the address pages are linked from in e-mails and robot
# messages; the SMS provider (a class with send(phone, text); the console backend only logs); how
# often and how long apart a failed e-mail, SMS or robot message is tried again by the job queue.
KEYPROJ_SITE_URL = env_str("KEYPROJ_SITE_URL", "http://127.0.0.1:8000")
KEYPROJ_SMS_BACKEND = env_str("KEYPROJ_SMS_BACKEND", "notifications.sms.ConsoleBackend")
KEYPROJ_DELIVERY_RETRIES = env_int("KEYPROJ_DELIVERY_RETRIES", 3)
KEYPROJ_DELIVERY_RETRY_DELAY = env_int("KEYPROJ_DELIVERY_RETRY_DELAY", 60)  # seconds

# Uploads (issue 13): a file is cut off while it is received once past KEYPROJ_UPLOAD_MAX_MB (the
# largest any form accepts: the 10 MB spreadsheet), form fields past DATA_UPLOAD_MAX_MEMORY_SIZE;
# photos are decoded only up to KEYPROJ_PHOTO_MAX_PIXELS; a spreadsheet is read up to these rows,
# columns, merged ranges and inflated size, and refused with a message past them.
KEYPROJ_UPLOAD_MAX_MB = env_int("KEYPROJ_UPLOAD_MAX_MB", 10)
if KEYPROJ_UPLOAD_MAX_MB < 10:  # every form's own limit (spreadsheet 10 MB, photo 8 MB) must lie within
    raise ImproperlyConfigured(f"KEYPROJ_UPLOAD_MAX_MB must be at least 10, got {KEYPROJ_UPLOAD_MAX_MB}")
FILE_UPLOAD_HANDLERS = [
    "lib.upload_limits.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
KEYPROJ_PHOTO_MAX_PIXELS = env_int("KEYPROJ_PHOTO_MAX_PIXELS", 50_000_000)
KEYPROJ_IMPORT_MAX_ROWS = env_int("KEYPROJ_IMPORT_MAX_ROWS", 20_000)
KEYPROJ_IMPORT_MAX_COLUMNS = env_int("KEYPROJ_IMPORT_MAX_COLUMNS", 200)
KEYPROJ_IMPORT_MAX_MERGES = env_int("KEYPROJ_IMPORT_MAX_MERGES", 1000)
KEYPROJ_IMPORT_MAX_UNZIPPED_MB = env_int("KEYPROJ_IMPORT_MAX_UNZIPPED_MB", 100)

# ---- Scale-out: several app servers (docs/scale-out.md) ----
# Sessions and the cache are set above (database sessions, cached_db and a Redis cache with
# CACHE_REDIS_URL). Media on an S3-compatible object store when KEYPROJ_S3_BUCKET is set: private
# objects, never a public URL — every photo and attachment is served through its permission-checked view.
KEYPROJ_S3_BUCKET = env_str("KEYPROJ_S3_BUCKET", "")
if KEYPROJ_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": KEYPROJ_S3_BUCKET,
            "endpoint_url": env_str("KEYPROJ_S3_ENDPOINT_URL", "") or None,
            "access_key": env_str("KEYPROJ_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("KEYPROJ_S3_SECRET_ACCESS_KEY", "") or None,
            "region_name": env_str("KEYPROJ_S3_REGION", "") or None,
            "location": env_str("KEYPROJ_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
# A read replica (a streaming standby) for the heavy reads when DATABASE_REPLICA_URL is set
# (lib/dbrouter.py): these views' GET/HEAD may read it; a user who wrote reads only the primary for
# KEYPROJ_REPLICA_STICKY_SECONDS.
KEYPROJ_REPLICA_VIEWS = {
    "battlemap:dashboard",
    "ledger:export",
    "reports:monthly_export",
    "reports:units_export",
    "blockers:export",
    "supervision:task_export",
    "lists:export",
    "land:export",
    "approvals:export",
    "approvals:departments_export",
    "works:export",
    "safety:export",
    "safety:units_export",
    "funds:export",
    "milestones:export",
    "api:*",  # every API GET
}
KEYPROJ_REPLICA_STICKY_SECONDS = env_int("KEYPROJ_REPLICA_STICKY_SECONDS", 15)
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
    DATABASES["replica"].setdefault("OPTIONS", {}).update(POSTGRES_OPTIONS)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["lib.dbrouter.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "lib.dbrouter.ReplicaReads",
    )
