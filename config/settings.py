"""One settings module for every site; the site's configuration decides the mode.

No database configured -> the embedded default (SQLite in the site folder, local-memory cache,
database sessions, jobs run in-process). A db_url and redis_url -> MariaDB, Redis cache and
sessions, RQ queues.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from config import sites

BASE_DIR = Path(__file__).resolve().parent.parent
SITE = sites.load()
SITE_NAME = SITE["site"]
SITE_DIR = sites.site_dir(SITE_NAME)

SECRET_KEY = SITE.get("secret_key") or ""
if not SECRET_KEY:
    raise ImproperlyConfigured(f"Site '{SITE_NAME}' has no secret_key: run `python -m config.sites new {SITE_NAME}`")
DEBUG = bool(SITE.get("debug", False))
ALLOWED_HOSTS = SITE.get("allowed_hosts") or ["localhost", "127.0.0.1"]
HTTPS = bool(SITE.get("https", not DEBUG))

INSTALLED_APPS = [
    "apps.bj_enrollment.desk.apps.DeskThemeConfig",  # Unfold, with the desk site that asks for a second factor
    "unfold.contrib.filters",
    "unfold.contrib.simple_history",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "django_rq",
    "captcha",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "ninja",  # serves the API docs' Swagger UI from our static files, without an inline script
    "apps.lowcode",
    "apps.lowcode.workflow",
    "apps.lowcode.customfields",
    "apps.lowcode.printing",
    "apps.lowcode.messaging",
    "apps.lowcode.audit",
    "apps.lowcode.reports",
    "apps.lowcode.configuration",
    "apps.bj_enrollment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "apps.bj_enrollment.api.errors.ApiErrorMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.bj_enrollment.desk.sessions.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
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
            ],
        },
    },
]

# --- database ------------------------------------------------------------------------------
DB_URL = SITE.get("db_url")
if DB_URL:
    DATABASES = {"default": dj_database_url.parse(DB_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
        DATABASES["default"]["OPTIONS"] = {
            "charset": "utf8mb4",
            "isolation_level": "read committed",
            "init_command": "SET sql_mode='STRICT_TRANS_TABLES'",
        }
        DATABASES["default"]["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SITE_DIR / "site.sqlite3",
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"},
        }
    }
EMBEDDED = not DB_URL
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, sessions, jobs --------------------------------------------------------------------
REDIS_URL = SITE.get("redis_url")
# Jobs live in their own Redis with append-only persistence (Frappe's redis_queue): a cache crash or
# snapshot replay must not lose or repeat jobs. Sharing the cache's Redis is for development only;
# `check --deploy` refuses it (apps/lowcode/deploy_checks.py).
REDIS_QUEUE_URL = SITE.get("redis_queue_url") or REDIS_URL
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": SITE_NAME,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    # "print": the print worker's own queue (WeasyPrint and the CJK fonts live in that process only).
    # "long": a city's work in one job (a lottery's draw and results for 150,000 students, a graduates'
    # file, an export): RQ stops a job at its queue's timeout, so these get hours; their heartbeats keep
    # the outbox's lease short, so a lost worker is still noticed within minutes (apps/lowcode/jobs.py).
    RQ_QUEUES = {
        **{name: {"URL": REDIS_QUEUE_URL, "DEFAULT_TIMEOUT": 600} for name in ("default", "print")},
        "long": {"URL": REDIS_QUEUE_URL, "DEFAULT_TIMEOUT": 4 * 3600},
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    RQ_QUEUES = {}
JOBS_IN_PROCESS = not REDIS_URL

# --- auth ------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Django's model backend, the account's permissions from its cached grants (apps/bj_enrollment/access.py)
    "apps.bj_enrollment.auth_backends.AccountBackend",
    # object-level permissions: a model permission applies to an object only within the user's scope
    "apps.bj_enrollment.auth_backends.ScopeBackend",
]
PASSWORD_HASHERS = [
    # Argon2id at OWASP's server parameters; verifies any `argon2` hash and upgrades it at log-in
    "config.passwords.ServerArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = reverse_lazy("admin:login")
# Staff (desk) log-in: a TOTP second factor (django-otp) on by default outside developer mode, and
# sessions with an idle and an absolute limit (apps/bj_enrollment/desk/sessions.py). Parents' portal
# sessions keep Django's defaults. Lock-out rates: staff_login_* in PORTAL_RATE_LIMITS.
STAFF_2FA = bool(SITE.get("staff_2fa", not DEBUG))
STAFF_SESSION_IDLE_MINUTES = int(SITE.get("staff_session_idle_minutes", 30))
STAFF_SESSION_MAX_HOURS = int(SITE.get("staff_session_max_hours", 12))
OTP_TOTP_ISSUER = "义务教育入学服务平台"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
LOGIN_REDIRECT_URL = reverse_lazy("admin:index")

# --- i18n --------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "apps" / "bj_enrollment" / "locale"]
TIME_ZONE = SITE.get("time_zone", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- static ----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "static_root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = SITE_DIR / "files"
# The families' documents go through Django's storage API: under sites/<site>/files/ by default, or
# a site's `file_storage`, e.g. {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name":
# …, "endpoint_url": …, "access_key": …, "secret_key": …, "default_acl": "private", "querystring_auth":
# true}} for an S3-compatible store (install django-storages[s3]). No URL serves them directly: they are
# read only through the permission- and scope-checked document views.
if SITE.get("file_storage"):
    STORAGES["default"] = SITE["file_storage"]

# --- security ----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = SITE.get("csrf_trusted_origins", [])

# --- content security policy -------------------------------------------------------------------
# django-csp (config/csp.py) on every page: scripts only from our own static files, never inline,
# so an injected <script> or onclick= does not run. The portal, the zone look-up, the disclosure
# pages and the API docs get exactly this policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The desk adds two sources its theme needs. Unfold 0.91 ships Alpine.js's standard build, which
# compiles the x-data/@click expressions in Unfold's templates with `new Function` (its CSP build
# evaluates no expressions, which leaves dropdowns, tabs and filters dead: unfold#2129, #1344),
# hence 'unsafe-eval'; and Unfold writes its colours in a <style> element, htmx adds one of its
# own, and both set style attributes, hence inline styles. Neither lets markup in: administrators'
# text is escaped everywhere, and Alpine evaluates attributes only, never text.
CSP_DESK_DIRECTIVES = {"script-src": ["'unsafe-eval'"], "style-src": ["'unsafe-inline'"]}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_query_string": {"()": "config.access_log.DropQueryString"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # runserver's request lines, without query strings (config/access_log.py)
        "django.server": {
            "class": "logging.StreamHandler", "formatter": "django.server", "filters": ["no_query_string"]
        },
    },
    "root": {"handlers": ["console"], "level": "INFO" if not DEBUG else "DEBUG"},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# --- external adapters -----------------------------------------------------------------------
# "console" logs messages for development; deployment names a real provider and its credentials
# under "sms" in the site config (never in the repo).
SMS_ADAPTER = SITE.get("sms_adapter", "console")
# Parent portal: rate limits (django-ratelimit on the cache; see apps/bj_enrollment/portal/limits.py)
PORTAL_RATE_LIMITS = SITE.get("portal_rate_limits", {})
RATELIMIT_USE_CACHE = "default"
# R4/R20: the study-certificate material number issued when the five-certificate review passes
MATERIAL_NUMBER_FORMAT = SITE.get("material_number_format", "CL{district_short}{year}{sequence:05d}")
# Saved reports: an export of more rows than this is written by the worker (apps/lowcode/reports/export.py)
REPORT_EXPORT_INLINE_ROWS = int(SITE.get("report_export_inline_rows", 2000))
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 5  # minutes
CAPTCHA_IMAGE_SIZE = (110, 44)
CAPTCHA_FONT_SIZE = 30
SMS_SETTINGS = SITE.get("sms", {})
REGISTRY_ADAPTER = SITE.get("registry_adapter", "simulator")
REGISTRY_SETTINGS = SITE.get("registry", {})
# Every print (portal, API, desk preview, jobs) stops at these: apps/lowcode/printing/service.py
PRINT_BUDGET_SECONDS = float(SITE.get("print_budget_seconds", 20))
PRINT_MAX_PAGES = int(SITE.get("print_max_pages", 50))
PRINT_MAX_HTML_BYTES = int(SITE.get("print_max_html_bytes", 2_000_000))
# A PDF not stored yet is rendered by the print worker; the request waits this long for it, then
# shows a page that asks again. Without Redis (the embedded demo) the request renders it itself.
PRINT_WAIT_SECONDS = float(SITE.get("print_wait_seconds", 5))
PRINT_IN_PROCESS = bool(SITE.get("print_in_process", JOBS_IN_PROCESS))

# --- desk (Django admin with the Unfold theme) -------------------------------------------------
UNFOLD = {
    "SITE_TITLE": _("Enrollment platform"),
    "SITE_HEADER": _("Enrollment platform"),
    "SITE_SYMBOL": "school",
    "SHOW_LANGUAGES": True,
    "SHOW_HISTORY": True,
    "STYLES": [lambda request: static("bj_enrollment/desk.css")],
    "SCRIPTS": [lambda request: static("bj_enrollment/desk.js")],
    "SIDEBAR": {
        "show_search": False,
        "show_all_applications": False,
        "navigation": "apps.bj_enrollment.desk.navigation.sidebar",
    },
}
