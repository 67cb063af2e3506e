"""The one settings module. Every value comes from the environment (see README.md)."""

from __future__ import annotations

import hashlib
import ipaddress
import re
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from xiaoan.core.crypto import check_keys as check_field_keys
from xiaoan.envconf import Env

env = Env()
PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent

XIAOAN_ENV = env.choice("XIAOAN_ENV", "development", ("development", "production"))
PRODUCTION = XIAOAN_ENV == "production"
TESTING = "pytest" in sys.modules or env.bool("XIAOAN_TESTING", False)

DATA_DIR = Path(env.str("XIAOAN_DATA_DIR", str(BASE_DIR / "var"))).resolve()
if not TESTING:
    DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("XIAOAN_DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("XIAOAN_DEBUG must be false when XIAOAN_ENV=production.")

SECRET_KEY = env.str("XIAOAN_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "XIAOAN_SECRET_KEY is required when XIAOAN_ENV=production "
            "(50 or more random characters)."
        )
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production-xiaoan"
elif PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("XIAOAN_SECRET_KEY must be at least 50 characters long.")

ALLOWED_HOSTS = env.list(
    "XIAOAN_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "XIAOAN_ALLOWED_HOSTS is required when XIAOAN_ENV=production (comma-separated)."
    )
CSRF_TRUSTED_ORIGINS = env.list("XIAOAN_CSRF_TRUSTED_ORIGINS", [])

# Encryption of sensitive fields at rest and their lookup hashes (xiaoan/core/crypto.py).
XIAOAN_FIELD_KEYS = env.str("XIAOAN_FIELD_KEYS")
XIAOAN_LOOKUP_KEY = env.str("XIAOAN_LOOKUP_KEY")
check_field_keys(XIAOAN_FIELD_KEYS, XIAOAN_LOOKUP_KEY, production=PRODUCTION)

# Key of the audit trail's hash chain (HMAC). Required in production like the secret key;
# changing it makes `xiaoan audit verify` fail on every older row.
XIAOAN_AUDIT_KEY = env.str("XIAOAN_AUDIT_KEY")
if not XIAOAN_AUDIT_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "XIAOAN_AUDIT_KEY is required when XIAOAN_ENV=production "
            "(32 or more random characters)."
        )
    XIAOAN_AUDIT_KEY = hashlib.sha256(f"xiaoan-audit:{SECRET_KEY}".encode()).hexdigest()
elif PRODUCTION and len(XIAOAN_AUDIT_KEY) < 32:
    raise ImproperlyConfigured("XIAOAN_AUDIT_KEY must be at least 32 characters long.")
XIAOAN_AUDIT_RETENTION_DAYS = env.int("XIAOAN_AUDIT_RETENTION_DAYS", 180, minimum=1)
# The client address is REMOTE_ADDR unless a proxy we run sets X-Forwarded-For (its first hop).
XIAOAN_TRUST_X_FORWARDED_FOR = env.bool("XIAOAN_TRUST_X_FORWARDED_FOR", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "treebeard",
    "simple_history",
    "huey.contrib.djhuey",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "xiaoan.core",
    "xiaoan.orgs",
    "xiaoan.accounts",
    "xiaoan.notifications",
    "xiaoan.hazards",
    "xiaoan.inspections",
    "xiaoan.plans",
    "xiaoan.duties",
    "xiaoan.audit",
    "xiaoan.reports",
    "xiaoan.indicators",
    "xiaoan.chemicals",
    "xiaoan.buildings",
    "xiaoan.equipment",
    "xiaoan.fireassets",
    "xiaoan.certificates",
    "xiaoan.hotwork",
    "xiaoan.emergency",
    "xiaoan.cameras",
    "xiaoan.waters",
    "xiaoan.vehicles",
    "xiaoan.traffic",
    "xiaoan.buses",
    "xiaoan.events",
    "xiaoan.construction",
    "xiaoan.security",
    "xiaoan.lawsafety",
    "xiaoan.training",
    "xiaoan.activities",
    "xiaoan.drills",
    "xiaoan.incidents",
    "xiaoan.closure",
    "xiaoan.channels",
    "xiaoan.alerts",
    "xiaoan.accountability",
    "xiaoan.studentcases",
    "xiaoan.reportcalls",
    "xiaoan.publicreports",
    "xiaoan.risks",
]

MIDDLEWARE = [
    # First, so it times the whole request and every log line of it carries the request id.
    "xiaoan.core.observe.ObservationMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "xiaoan.alerts.middleware.IntakeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "xiaoan.notifications.middleware.GroupedNotificationsMiddleware",
    "xiaoan.audit.middleware.AuditRequestMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "xiaoan.accounts.middleware.SessionTimeoutMiddleware",
    "xiaoan.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "xiaoan.core.middleware.CurrentUnitMiddleware",
    "xiaoan.accounts.password_middleware.PasswordPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "xiaoan.core.middleware.BadInputMiddleware",
    "xiaoan.core.middleware.ServiceErrorMiddleware",
]

ROOT_URLCONF = "xiaoan.urls"
CSRF_FAILURE_VIEW = "xiaoan.core.views.csrf_failure"
WSGI_APPLICATION = "xiaoan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xiaoan.core.context_processors.shell",
            ],
        },
    }
]

# Database: SQLite file by default, PostgreSQL through DATABASE_URL.
DATABASE_URL = env.url(
    "DATABASE_URL",
    f"sqlite:///{DATA_DIR / 'xiaoan.sqlite3'}",
    ("sqlite", "postgres", "postgresql", "pgsql", "postgis"),
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the job worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("XIAOAN_DB_CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Read replica (issue 19): dashboards, rankings, exports and printed reports may read a
# streaming replica; see xiaoan/core/dbrouter.py. Each request is a unit of work for it.
MIDDLEWARE.insert(1, "xiaoan.core.dbrouter.ReadRoutingMiddleware")
READ_DATABASE_URL = env.url("XIAOAN_READ_DATABASE_URL", "", ("postgres", "postgresql", "pgsql"))
if READ_DATABASE_URL:
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        raise ImproperlyConfigured("XIAOAN_READ_DATABASE_URL needs a PostgreSQL DATABASE_URL.")
    DATABASES["replica"] = dj_database_url.parse(READ_DATABASE_URL, conn_max_age=0)
    for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
        DATABASES["replica"][key] = DATABASES["default"][key]
    # A test run reads the test database through it, never creates one on it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["xiaoan.core.dbrouter.ReadReplicaRouter"]
# --- end read replica

REDIS_URL = env.url("REDIS_URL", "", ("redis", "rediss", "unix"))

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Pages built from many figures (the dashboard) kept in the cache until a write below or
# above their unit (xiaoan.core.freshness): only where every process shares the cache.
XIAOAN_PAGE_CACHE = env.bool("XIAOAN_PAGE_CACHE", bool(REDIS_URL) or TESTING)
XIAOAN_PAGE_CACHE_SECONDS = env.int("XIAOAN_PAGE_CACHE_SECONDS", 120, minimum=1)

# Jobs: huey. Immediate mode runs jobs in-process (tests); otherwise SQLite or Redis.
HUEY_IMMEDIATE = env.bool("XIAOAN_HUEY_IMMEDIATE", TESTING)
if REDIS_URL:
    HUEY = {
        "huey_class": "xiaoan.core.queue.RedisHuey",
        "name": "xiaoan",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
    }
else:
    HUEY = {
        "huey_class": "xiaoan.core.queue.SqliteHuey",
        "name": "xiaoan",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }
HUEY["consumer"] = {
    "workers": env.int("XIAOAN_HUEY_WORKERS", 2, minimum=1),
    "worker_type": "thread",
    # SIGTERM (systemd's stop, a container's stop) lets running jobs finish; SIGINT is the
    # immediate stop then.
    "graceful_signal": "TERM",
    # A killed worker leaves its jobs' locks behind, and a locked periodic job (escalation,
    # the rules) would never run again: a starting worker clears them. The jobs are safe to
    # overlap (row locks and unique keys), the locks only spare double work.
    "flush_locks": True,
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "xiaoan.accounts.backends.ScopedRoleBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Password policy (等保 2.0 level 3; README "Security" says where it departs from NIST).
XIAOAN_PASSWORD_MIN_LENGTH = env.int("XIAOAN_PASSWORD_MIN_LENGTH", 8, minimum=8)
XIAOAN_PASSWORD_CLASSES = env.int("XIAOAN_PASSWORD_CLASSES", 3, minimum=1)
if XIAOAN_PASSWORD_CLASSES > 4:
    raise ImproperlyConfigured("XIAOAN_PASSWORD_CLASSES must be between 1 and 4.")
XIAOAN_PASSWORD_HISTORY = env.int("XIAOAN_PASSWORD_HISTORY", 5, minimum=1)
XIAOAN_PASSWORD_MAX_AGE_DAYS = env.int("XIAOAN_PASSWORD_MAX_AGE_DAYS", 90, minimum=0)
XIAOAN_PASSWORD_WARN_DAYS = env.int("XIAOAN_PASSWORD_WARN_DAYS", 7, minimum=0)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "xiaoan.accounts.passwords.LengthValidator",
        "OPTIONS": {"min_length": XIAOAN_PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "xiaoan.accounts.passwords.CharacterClassesValidator",
        "OPTIONS": {"classes": XIAOAN_PASSWORD_CLASSES},
    },
    {"NAME": "xiaoan.accounts.passwords.NotOwnNamesValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "xiaoan.accounts.passwords.CommonPasswordListValidator"},
    {
        "NAME": "xiaoan.accounts.passwords.HistoryValidator",
        "OPTIONS": {"count": XIAOAN_PASSWORD_HISTORY},
    },
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env.int("XIAOAN_SESSION_HOURS", 12, minimum=1) * 3600
# Idle timeout besides the absolute limit above (both enforced by accounts.middleware).
XIAOAN_SESSION_IDLE_SECONDS = env.int("XIAOAN_SESSION_IDLE_MINUTES", 30, minimum=0) * 60
XIAOAN_API_TOKEN_DAYS = env.int("XIAOAN_API_TOKEN_DAYS", 30, minimum=0)
OTP_TOTP_ISSUER = "校安"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("XIAOAN_SECURE_COOKIES", PRODUCTION)

AXES_FAILURE_LIMIT = env.int("XIAOAN_LOGIN_FAILURE_LIMIT", 5, minimum=1)
XIAOAN_LOGIN_COOLOFF_MINUTES = env.int("XIAOAN_LOGIN_COOLOFF_MINUTES", 30, minimum=1)
AXES_COOLOFF_TIME = XIAOAN_LOGIN_COOLOFF_MINUTES / 60
# An account is locked for the address the failures came from: an attacker who knows a
# username locks it out only for their own machine. An address failing across many accounts
# is refused as a whole (xiaoan.accounts.throttling), at a limit a school's NAT never reaches.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# One notion of the client's address for lock-outs, rate limits and the audit trail.
AXES_CLIENT_IP_CALLABLE = "xiaoan.audit.services.client_ip"
XIAOAN_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("XIAOAN_LOGIN_ADDRESS_FAILURE_LIMIT", 30, minimum=0)
# API rate limits ("N/sec|min|hour|day", empty = off); off under pytest unless a test sets them.
XIAOAN_RATE_TOKEN = env.str("XIAOAN_RATE_TOKEN", "" if TESTING else "20/min")
XIAOAN_RATE_PASSWORD = env.str("XIAOAN_RATE_PASSWORD", "" if TESTING else "10/min")
XIAOAN_RATE_WRITE = env.str("XIAOAN_RATE_WRITE", "" if TESTING else "300/min")
for _rate_name in ("XIAOAN_RATE_TOKEN", "XIAOAN_RATE_PASSWORD", "XIAOAN_RATE_WRITE"):
    _rate = globals()[_rate_name]
    if _rate and not re.fullmatch(r"\d+/(s|sec|m|min|h|hour|d|day)", _rate):
        raise ImproperlyConfigured(f"{_rate_name} must look like 300/min (or be empty).")
# 群众举报 (xiaoan.publicreports): submissions per client address and per school, receipt
# lookups per address ("N/sec|min|hour|day", empty = off), and the least seconds between
# serving the form and its submission (a bot posts at once).
XIAOAN_PUBLIC_REPORT_RATE_ADDRESS = env.str("XIAOAN_PUBLIC_REPORT_RATE_ADDRESS", "5/hour")
XIAOAN_PUBLIC_REPORT_RATE_SCHOOL = env.str("XIAOAN_PUBLIC_REPORT_RATE_SCHOOL", "60/day")
XIAOAN_PUBLIC_RECEIPT_RATE = env.str("XIAOAN_PUBLIC_RECEIPT_RATE", "30/hour")
XIAOAN_PUBLIC_REPORT_MIN_SECONDS = env.int("XIAOAN_PUBLIC_REPORT_MIN_SECONDS", 3, minimum=0)
for _rate_name in (
    "XIAOAN_PUBLIC_REPORT_RATE_ADDRESS",
    "XIAOAN_PUBLIC_REPORT_RATE_SCHOOL",
    "XIAOAN_PUBLIC_RECEIPT_RATE",
):
    _rate = globals()[_rate_name]
    if _rate and not re.fullmatch(r"\d+/(s|sec|m|min|h|hour|d|day)", _rate):
        raise ImproperlyConfigured(f"{_rate_name} must look like 5/hour (or be empty).")
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
# Lock by account: schools share one NAT address, so locking by IP would lock out a school.
# SQLite ignores covering-index columns (INCLUDE); the index still works, PostgreSQL uses them.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]
AXES_ENABLED = not TESTING or env.bool("XIAOAN_AXES_IN_TESTS", False)

LANGUAGE_CODE = "zh-hans"
# Only Simplified Chinese until an English catalogue exists: a browser asking for English
# would otherwise get a page half in each language.
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env.str("XIAOAN_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("XIAOAN_STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("XIAOAN_MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# --- Object storage (issue 19) -----------------------------------------------------------
# With XIAOAN_S3_BUCKET, uploads (photos, evidence, attachments) live in an S3-compatible
# bucket (django-storages) instead of MEDIA_ROOT; xiaoan.core.objectstorage reads the
# XIAOAN_S3_* variables. Objects stay private: the permission-checked views stream them.
from xiaoan.core.objectstorage import s3_storage  # noqa: E402

_s3_default = s3_storage(env)
if _s3_default is not None:
    STORAGES["default"] = _s3_default
# --- end of object storage ---------------------------------------------------------------
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
XIAOAN_PHOTO_MAX_BYTES = env.int("XIAOAN_PHOTO_MAX_MB", 10, minimum=1) * 1024 * 1024
XIAOAN_PHOTO_MAX_COUNT = env.int("XIAOAN_PHOTO_MAX_COUNT", 9, minimum=1)
# Refused from the image header, before decoding (a decompression bomb is a small file).
XIAOAN_PHOTO_MAX_MEGAPIXELS = env.int("XIAOAN_PHOTO_MAX_MEGAPIXELS", 40, minimum=1)
# Honest closure's photo checks (flags, never blocks): a photo whose GPS lies farther than
# this from its unit, and two photos whose perceptual hashes differ in at most this many bits
# (the same picture re-encoded or resized), are flagged.
XIAOAN_PHOTO_MAX_DISTANCE_M = env.int("XIAOAN_PHOTO_MAX_DISTANCE_M", 1000, minimum=1)
XIAOAN_PHOTO_SAME_BITS = env.int("XIAOAN_PHOTO_SAME_BITS", 6, minimum=0)
# 销号复核: the new deadline of a hazard reopened by a failed review.
XIAOAN_CLOSURE_REWORK_DAYS = env.int("XIAOAN_CLOSURE_REWORK_DAYS", 15, minimum=1)
# Hazard loop rules (domain.md §3): when interim controls become mandatory, when an overdue
# hazard is put under supervision, when owners are warned, how far back recurrence looks.
XIAOAN_HAZARD_CONTROL_DAYS = env.int("XIAOAN_HAZARD_CONTROL_DAYS", 30, minimum=1)
XIAOAN_HAZARD_OVERDUE_SUPERVISE_DAYS = env.int(
    "XIAOAN_HAZARD_OVERDUE_SUPERVISE_DAYS", 30, minimum=1
)
XIAOAN_HAZARD_DUE_SOON_DAYS = env.int("XIAOAN_HAZARD_DUE_SOON_DAYS", 3, minimum=0)
# 挂牌督办: the supervised unit's default time to answer; 屡查屡犯 / 自查未发现 listed at once.
XIAOAN_SUPERVISION_ANSWER_DAYS = env.int("XIAOAN_SUPERVISION_ANSWER_DAYS", 7, minimum=1)
XIAOAN_AUTO_SUPERVISE_RECURRING = env.bool("XIAOAN_AUTO_SUPERVISE_RECURRING", True)
XIAOAN_RECURRENCE_MONTHS = env.int("XIAOAN_RECURRENCE_MONTHS", 12, minimum=1)
XIAOAN_IMPORT_MAX_BYTES = env.int("XIAOAN_IMPORT_MAX_MB", 10, minimum=1) * 1024 * 1024
# An installed CJK font family to set the printed records (PDF) in instead of the font
# `make` ships (empty). Only a plain family name: it goes into CSS.
XIAOAN_PDF_FONT = env.str("XIAOAN_PDF_FONT", "")
if XIAOAN_PDF_FONT and not re.fullmatch(r"[\w][\w .\-]{0,99}", XIAOAN_PDF_FONT):
    raise ImproperlyConfigured(
        "XIAOAN_PDF_FONT must be a font family name (letters, digits, spaces, '.', '-')."
    )

EMAIL_BACKEND = env.str("XIAOAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("XIAOAN_EMAIL_HOST", "localhost")
EMAIL_PORT = env.int("XIAOAN_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env.str("XIAOAN_EMAIL_USER")
EMAIL_HOST_PASSWORD = env.str("XIAOAN_EMAIL_PASSWORD")
EMAIL_USE_TLS = env.bool("XIAOAN_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env.str("XIAOAN_EMAIL_FROM", "xiaoan@localhost")

# Message channels (xiaoan.channels): the SMS backend ("console", "locmem" or the dotted
# path of a gateway class), the robots' request timeout and how often a message is tried.
XIAOAN_SMS_BACKEND = env.str("XIAOAN_SMS_BACKEND", "locmem" if TESTING else "console")
if XIAOAN_SMS_BACKEND not in ("console", "locmem") and not re.fullmatch(
    r"[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+", XIAOAN_SMS_BACKEND
):
    raise ImproperlyConfigured(
        "XIAOAN_SMS_BACKEND must be 'console', 'locmem' or a dotted path to a backend class."
    )
XIAOAN_CHANNEL_TIMEOUT = env.int("XIAOAN_CHANNEL_TIMEOUT", 5, minimum=1)
XIAOAN_CHANNEL_MAX_ATTEMPTS = env.int("XIAOAN_CHANNEL_MAX_ATTEMPTS", 5, minimum=1)
# Whether webhooks may point at loopback and private addresses (an intranet gateway); turn it
# off when the robots are reached directly on the internet.
XIAOAN_CHANNEL_ALLOW_PRIVATE = env.bool("XIAOAN_CHANNEL_ALLOW_PRIVATE", True)
# The address people open xiaoan at ("https://xiaoan.example.edu.cn"): links in robot and SMS
# messages are made absolute with it (left relative when empty).
XIAOAN_SITE_URL = env.url("XIAOAN_SITE_URL", "", ("http", "https"))

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
XIAOAN_BEHIND_TLS_PROXY = env.bool("XIAOAN_BEHIND_TLS_PROXY", False)
if XIAOAN_BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only in production (or behind a TLS proxy): plain requests are redirected and browsers
# told to come back over HTTPS for a year. /healthz stays reachable for the load balancer.
SECURE_SSL_REDIRECT = env.bool("XIAOAN_SSL_REDIRECT", PRODUCTION or XIAOAN_BEHIND_TLS_PROXY)
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$"]
SECURE_HSTS_SECONDS = env.int(
    "XIAOAN_HSTS_SECONDS", 31536000 if PRODUCTION or XIAOAN_BEHIND_TLS_PROXY else 0, minimum=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env.bool("XIAOAN_HSTS_PRELOAD", False)
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
if not SECURE_HSTS_PRELOAD:
    # Preloading binds every subdomain of the school's or bureau's domain for years: the
    # operator's decision (XIAOAN_HSTS_PRELOAD), not a default.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# No inline scripts or styles anywhere: every page lives with default-src 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "xiaoan.accounts.tokens.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "xiaoan.accounts.password_middleware.PasswordCurrent",
    ],
    "DEFAULT_PAGINATION_CLASS": "xiaoan.core.api.Pagination",
    # Bounded in size and nesting (xiaoan/core/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "xiaoan.core.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "xiaoan.core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["xiaoan.accounts.throttling.WriteRateThrottle"],
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "校安 xiaoan API",
    "DESCRIPTION": "学校与教育系统安全治理平台接口。所有列表均按调用者的授权范围过滤。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema maps every endpoint: outside development only for people who are logged in.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"]
    if DEBUG
    else ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from our own static files: no CDN, and it must live with the page CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Choice sets shared by several fields or colliding by field name ("status", "kind").
    "ENUM_NAME_OVERRIDES": {
        "CameraDirectionEnum": "xiaoan.cameras.choices.Direction",
        "IndicatorDirectionEnum": "xiaoan.indicators.choices.Direction",
        "HazardStatusEnum": "xiaoan.hazards.choices.HazardStatus",
        "FireCheckResultEnum": "xiaoan.fireassets.choices.CheckResult",
        "HazardLevelEnum": "xiaoan.hazards.choices.HazardLevel",
        "ExtensionStatusEnum": "xiaoan.hazards.choices.ExtensionStatus",
        "HazardPhotoKindEnum": "xiaoan.hazards.models.HazardPhoto.Kind",
        "KindEnum": "xiaoan.orgs.choices.UnitKind",  # the name it had before hazards
        "InspectionKindEnum": "xiaoan.inspections.choices.InspectionKind",
        "InspectionStatusEnum": "xiaoan.inspections.choices.InspectionStatus",
        "ResultValueEnum": "xiaoan.inspections.choices.ResultValue",
        "InviteRoleEnum": "xiaoan.inspections.choices.InviteRole",
        "RecurrenceEnum": "xiaoan.inspections.choices.Recurrence",
        "TargetEnum": "xiaoan.inspections.choices.ScheduleTarget",
        "DutyRecurrenceEnum": "xiaoan.duties.choices.DutyRecurrence",
        "DutyTargetEnum": "xiaoan.duties.choices.DutyTarget",
        "DutyStatusEnum": "xiaoan.duties.choices.DutyStatus",
        "ObligationStatusEnum": "xiaoan.duties.choices.ObligationStatus",
        "RecordKindEnum": "xiaoan.duties.choices.RecordKind",
        "PlanStatusEnum": "xiaoan.plans.choices.PlanStatus",
        "PlanProgressEnum": "xiaoan.plans.choices.Progress",
        "PlanReportStatusEnum": "xiaoan.plans.choices.REPORT_STATUS_CHOICES",
        "DeadlineKindEnum": "xiaoan.plans.choices.DeadlineKind",
        "ChemicalMovementStatusEnum": "xiaoan.chemicals.choices.MovementStatus",
        "ChemicalMovementKindEnum": "xiaoan.chemicals.choices.MovementKind",
        "ChemicalMovementActionEnum": "xiaoan.chemicals.choices.MovementAction",
        "ChemicalMeasureEnum": "xiaoan.chemicals.choices.MeasureUnit",
        "PermitStatusEnum": "xiaoan.hotwork.choices.PermitStatus",
        "DrillStatusEnum": "xiaoan.drills.choices.DrillStatus",
        "DrillKindEnum": "xiaoan.drills.choices.DrillKind",
        "DrillCheckResultEnum": "xiaoan.drills.choices.CheckResult",
        "IncidentKindEnum": "xiaoan.incidents.choices.IncidentKind",
        "IncidentSeverityEnum": "xiaoan.incidents.choices.Severity",
        "IncidentStatusEnum": "xiaoan.incidents.choices.IncidentStatus",
        "IncidentActionEnum": "xiaoan.incidents.choices.IncidentAction",
        "IncidentClassificationEnum": "xiaoan.incidents.choices.Classification",
        "PublicReportStatusEnum": "xiaoan.publicreports.choices.ReportStatus",
        "PublicReportCategoryEnum": "xiaoan.publicreports.choices.ReportCategory",
        "RiskStatusEnum": "xiaoan.risks.choices.RiskStatus",
        "RiskMeasureKindEnum": "xiaoan.risks.choices.MeasureKind",
        "RiskCheckResultEnum": "xiaoan.risks.choices.CheckResult",
        "RiskControlLevelEnum": "xiaoan.risks.choices.ControlLevel",
        "RiskMethodEnum": "xiaoan.risks.choices.Method",
        "ChannelKindEnum": "xiaoan.channels.choices.ChannelKind",
        "DeliveryStatusEnum": "xiaoan.channels.choices.DeliveryStatus",
        "ChannelCategoryEnum": "xiaoan.channels.choices.Category",
        "VehicleViolationKindEnum": "xiaoan.vehicles.choices.ViolationKind",
        "SecurityPostureStatusEnum": "xiaoan.security.choices.PostureStatus",
        "AccountabilityKindEnum": "xiaoan.accountability.choices.DecisionKind",
        "AccountabilityStatusEnum": "xiaoan.accountability.choices.DecisionStatus",
        "AccountabilityActionEnum": "xiaoan.accountability.choices.DecisionAction",
        "CommitmentStatusEnum": "xiaoan.accountability.choices.CommitmentStatus",
        "CommitmentActionEnum": "xiaoan.accountability.choices.CommitmentAction",
        "ReportCallKindEnum": "xiaoan.reportcalls.choices.ReportKind",
        "ReportCallTargetsEnum": "xiaoan.reportcalls.choices.CallTargets",
        "ReportStatusEnum": "xiaoan.reportcalls.choices.ReportStatus",
        "ActivityKindEnum": "xiaoan.activities.choices.ActivityKind",
        "AlertSeverityEnum": "xiaoan.alerts.choices.Severity",
        "AlertStatusEnum": "xiaoan.alerts.choices.AlertStatus",
        "AlertDispositionEnum": "xiaoan.alerts.choices.Disposition",
        "IntakeReceiptStateEnum": "xiaoan.alerts.choices.ReceiptState",
        "WarningKindEnum": "xiaoan.alerts.choices.WarningKind",
        "StudentCaseCategoryEnum": "xiaoan.studentcases.choices.CaseCategory",
        "StudentCaseStatusEnum": "xiaoan.studentcases.choices.CaseStatus",
        "BullyingStatusEnum": "xiaoan.studentcases.choices.BullyingStatus",
        "BullyingActionEnum": "xiaoan.studentcases.choices.BullyingAction",
    },
}

# --- Single sign-on (OpenID Connect, mozilla-django-oidc) -------------------------------
# Off unless XIAOAN_OIDC_CLIENT_ID is set; then every endpoint below is required (no
# discovery at start-up: the province's IT department gives these addresses). The provider's
# person is matched to an existing account (xiaoan.accounts.oidc); no account is ever created.
XIAOAN_OIDC_CLIENT_ID = env.str("XIAOAN_OIDC_CLIENT_ID")
XIAOAN_OIDC_ENABLED = bool(XIAOAN_OIDC_CLIENT_ID)
if XIAOAN_OIDC_ENABLED:
    _oidc_schemes = ("https",) if PRODUCTION else ("http", "https")
    _oidc = {
        name: env.url(name, "", _oidc_schemes)
        for name in (
            "XIAOAN_OIDC_ISSUER",
            "XIAOAN_OIDC_AUTHORIZATION_ENDPOINT",
            "XIAOAN_OIDC_TOKEN_ENDPOINT",
            "XIAOAN_OIDC_USERINFO_ENDPOINT",
            "XIAOAN_OIDC_JWKS_ENDPOINT",
        )
    }
    _oidc["XIAOAN_OIDC_CLIENT_SECRET"] = env.str("XIAOAN_OIDC_CLIENT_SECRET")
    _oidc_missing = [name for name, value in _oidc.items() if not value]
    if _oidc_missing:
        raise ImproperlyConfigured(
            "XIAOAN_OIDC_CLIENT_ID turns single sign-on on; also required: "
            + ", ".join(_oidc_missing)
        )
    XIAOAN_OIDC_ISSUER = _oidc["XIAOAN_OIDC_ISSUER"]
    OIDC_OP_AUTHORIZATION_ENDPOINT = _oidc["XIAOAN_OIDC_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = _oidc["XIAOAN_OIDC_TOKEN_ENDPOINT"]
    OIDC_OP_USER_ENDPOINT = _oidc["XIAOAN_OIDC_USERINFO_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = _oidc["XIAOAN_OIDC_JWKS_ENDPOINT"]
    OIDC_RP_CLIENT_ID = XIAOAN_OIDC_CLIENT_ID
    OIDC_RP_CLIENT_SECRET = _oidc["XIAOAN_OIDC_CLIENT_SECRET"]
    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_RP_SCOPES = env.str("XIAOAN_OIDC_SCOPES", "openid profile")
    OIDC_USE_PKCE = True
    OIDC_TIMEOUT = env.int("XIAOAN_OIDC_TIMEOUT", 10, minimum=1)
    # Which claim names the person, and which account field it is matched against.
    XIAOAN_OIDC_USERNAME_CLAIM = env.str("XIAOAN_OIDC_USERNAME_CLAIM", "preferred_username")
    XIAOAN_OIDC_ACCOUNT_FIELD = env.choice(
        "XIAOAN_OIDC_ACCOUNT_FIELD", "username", ("username", "mobile")
    )
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "xiaoan.accounts.oidc.OidcBackend"]
# --- end of single sign-on ---------------------------------------------------------------

# ---- Observability (issue 19): JSON logs, /metrics --------------------------------------
# One JSON object per line for a log collector in production, readable text in development.
XIAOAN_LOG_FORMAT = env.choice(
    "XIAOAN_LOG_FORMAT", "json" if PRODUCTION else "text", ("json", "text")
)
# /metrics is off (404) unless a bearer token or the scraper's networks are given (both: both).
XIAOAN_METRICS_TOKEN = env.str("XIAOAN_METRICS_TOKEN")
if XIAOAN_METRICS_TOKEN and len(XIAOAN_METRICS_TOKEN) < 16:
    raise ImproperlyConfigured("XIAOAN_METRICS_TOKEN must be at least 16 characters long.")
try:
    XIAOAN_METRICS_NETWORKS = [
        ipaddress.ip_network(cidr, strict=False) for cidr in env.list("XIAOAN_METRICS_NETWORKS", [])
    ]
except ValueError as exc:
    raise ImproperlyConfigured(f"XIAOAN_METRICS_NETWORKS: {exc}") from None
SECURE_REDIRECT_EXEMPT += [r"^metrics/?$"]  # scraped on the internal network, like /readyz
# ---- end of observability ---------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "xiaoan.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "xiaoan.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": XIAOAN_LOG_FORMAT,
        }
    },
    "root": {
        "handlers": ["console"],
        "level": env.choice("XIAOAN_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
    },
    # WeasyPrint reports every rendering step and fontTools every font subset at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # One access line per request, but not thousands of them in a test run's output.
        "xiaoan.request": {"level": "WARNING" if TESTING else "INFO"},
    },
}
