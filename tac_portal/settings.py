"""TAC Portal settings: one module, configured by environment variables.

``TAC_ENVIRONMENT`` is ``production`` unless set. Production refuses to start
without ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL`` and ``REDIS_URL``;
``development`` and ``test`` fill in safe local defaults for everything except
the two service URLs, which ``tac_portal.embedded`` provides when they are unset.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import django_stubs_ext
import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

# Lets admin and form classes be subscripted for the type checker.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# --- Environment -------------------------------------------------------------

TAC_ENVIRONMENT = env.str("TAC_ENVIRONMENT", default="production")
if TAC_ENVIRONMENT not in {"production", "development", "test"}:
    raise ImproperlyConfigured(
        f"TAC_ENVIRONMENT must be one of production, development or test (got {TAC_ENVIRONMENT!r})."
    )
PRODUCTION = TAC_ENVIRONMENT == "production"

_REQUIRED_IN_PRODUCTION = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")


def _require(name: str) -> str:
    value: str = env.str(name, default="")
    if not value and PRODUCTION:
        raise ImproperlyConfigured(
            f"The {name} environment variable is required in production "
            f"(all of {', '.join(_REQUIRED_IN_PRODUCTION)} must be set)."
        )
    return value


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = _require("SECRET_KEY") or "insecure-local-development-key-not-for-production-use"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[]) if PRODUCTION else []
_require("ALLOWED_HOSTS")
if not PRODUCTION:
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

# --- Applications ------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "template_partials",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "oauth2_provider",
    "pgtrigger",
    "pghistory",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "agencies",
    "cases",
    "assessments",
    "meetings",
    "notifications",
    "audit",
    "dashboards",
]

# Widgets render with the project's template engine, so their markup lives in templates/.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tac_portal.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "agencies.middleware.SessionTimeoutMiddleware",
    "agencies.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "tac_portal.middleware.NoStoreForAuthenticatedMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tac_portal.urls"
WSGI_APPLICATION = "tac_portal.wsgi.application"
ASGI_APPLICATION = "tac_portal.asgi.application"

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
                "tac_portal.context_processors.service",
                "csp.context_processors.nonce",
                "notifications.context_processors.unread_count",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------

# Outside production an unset URL means a local server; `make run` and
# `make test` set both to embedded servers instead.
DATABASE_URL = _require("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/tac_portal"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured(
        "TAC Portal runs on PostgreSQL only: DATABASE_URL must be postgres://"
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker (db 0) and cache (db 1) -----------------------------

REDIS_URL = _require("REDIS_URL") or "redis://127.0.0.1:6379/0"


def _redis_db_url(url: str, db: int) -> str:
    """Point a redis:// or unix:// URL at one logical database."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        # urlunsplit would drop the empty authority: unix:///path must keep its //.
        return f"unix://{parts.netloc}{parts.path}?db={db}"
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))


CACHE_REDIS_URL = env.str("CACHE_REDIS_URL", default=_redis_db_url(REDIS_URL, 1))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="tac"),
    }
}

# --- Celery ------------------------------------------------------------------

_broker = _redis_db_url(REDIS_URL, 0)
if _broker.startswith("unix://"):
    # Kombu spells a Redis unix socket as redis+socket://
    _broker = "redis+socket://" + _broker.removeprefix("unix://")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=_broker)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Longer than the longest task so that an unacknowledged task is not
    # redelivered while it is still running.
    "visibility_timeout": 3600,
    "socket_timeout": 10,
    "socket_connect_timeout": 5,
    "health_check_interval": 30,
}
CELERY_TASK_DEFAULT_QUEUE = "tac"
# Email goes out on a queue and worker of its own (Procfile, docker-compose), so a slow
# or hung mail server never holds up reminder dispatch on "tac".
CELERY_TASK_ROUTES = {"notifications.tasks.send_emails": {"queue": "email"}}
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Every minute: due reminders become notifications and outbox emails. The
    # database is the ledger, so a missed tick is caught up by the next one.
    "dispatch-reminders": {
        "task": "notifications.tasks.dispatch_reminders",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Every minute: send outbox emails (also woken after each commit that queues one;
    # backoff, dead after TAC_EMAIL_MAX_ATTEMPTS or at once on a 5xx refusal).
    "send-emails": {
        "task": "notifications.tasks.send_emails",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Hourly on the hour: daily digests for those whose digest hour it is.
    "send-digests": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(minute=0),
        "options": {"expires": 3500},
    },
    # Every 15 minutes: rebuild the dashboard summary tables (the page shows "as of").
    "refresh-dashboard-summaries": {
        "task": "dashboards.tasks.refresh_summaries",
        "schedule": 900.0,
        "options": {"expires": 840},
    },
}
TAC_EMAIL_MAX_ATTEMPTS = env.int("TAC_EMAIL_MAX_ATTEMPTS", default=8)

# Review cadence (DOMAIN §3.6): the first review six weeks after the plan starts, then
# every eight weeks, never more than about three months apart.
TAC_FIRST_REVIEW_WEEKS = env.int("TAC_FIRST_REVIEW_WEEKS", default=6)
TAC_REVIEW_INTERVAL_WEEKS = env.int("TAC_REVIEW_INTERVAL_WEEKS", default=8)
TAC_MAX_REVIEW_INTERVAL_DAYS = env.int("TAC_MAX_REVIEW_INTERVAL_DAYS", default=91)

# --- Authentication ----------------------------------------------------------

AUTH_USER_MODEL = "agencies.User"
LOGIN_URL = "agencies:sign_in"
LOGIN_REDIRECT_URL = "cases:my_cases"
LOGOUT_REDIRECT_URL = "agencies:sign_in"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "agencies.validators.MaximumLengthValidator",
        "OPTIONS": {"max_length": 128},
    },
]

# django-axes checks for a lockout first; ModelBackend then checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failures for one (email address, IP address) pair lock that pair out for
# 15 minutes from the lockout: never a permanent lock.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Emails are case-insensitive: "Lena@" and "lena@" count against the same lock.
AXES_USERNAME_CALLABLE = "agencies.security.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "agencies/locked_out.html"
# Our own security log records sign-ins (tac.security) without email addresses.
AXES_VERBOSE = False
# How many reverse proxies stand in front of the application (tac_portal/client_ip.py):
# 0 means clients connect directly. Lockouts and logs use the address this yields.
TAC_TRUSTED_PROXY_COUNT = env.int("TAC_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "tac_portal.client_ip.client_ip"
AXES_DISABLE_ACCESS_LOG = True

OTP_TOTP_ISSUER = "TAC Portal"
# A password reset link works once, for one hour.
PASSWORD_RESET_TIMEOUT = 60 * 60

# Two-factor sign-in is required in production; the local demo may relax it
# and the sign-in page then says so.
TAC_REQUIRE_MFA = env.bool("TAC_REQUIRE_MFA", default=PRODUCTION)

# --- Sessions, cookies and security headers ----------------------------------

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 12 * 60 * 60  # absolute limit: 12 hours
SESSION_IDLE_TIMEOUT = 30 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts and styles come from our own origin only; an inline script needs the
# per-response nonce ({{ CSP_NONCE }} in templates).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Internationalisation ----------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Email -------------------------------------------------------------------

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / ".data" / "mailbox"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="TAC Portal <no-reply@tac.example>")
# Seconds to wait on a silent mail server before giving up (the email is retried later).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=15)

# --- REST API ----------------------------------------------------------------

REST_FRAMEWORK = {
    # A bearer token (partner systems) first, so that a request with neither
    # gets 401 with a WWW-Authenticate challenge; browsers use their session,
    # with CSRF enforced on writes.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tac_portal.api.auth.PartnerTokenAuthentication",
        "tac_portal.api.auth.BrowserSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "tac_portal.api.auth.HasRequiredScopes",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tac_portal.api.base.problem_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["tac_portal.api.auth.PerClientThrottle"],
    # Per partner client (or per signed-in professional), counted in Redis.
    "DEFAULT_THROTTLE_RATES": {"api": env.str("TAC_API_RATE", default="600/min")},
    "UNAUTHENTICATED_USER": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Partner systems: OAuth2 client credentials only, short-lived tokens, scopes
# limited per client (agencies.PartnerClient).
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("TAC_API_TOKEN_SECONDS", default=600),
    "SCOPES": {
        "cases:read": "Read the cases, children, teams, plans and meetings the agency may see",
        "referrals:write": "Submit requests for support",
        "actions:write": "Update actions the agency owns",
        "reference:read": "Read agencies and reference data",
    },
    "DEFAULT_SCOPES": ["cases:read", "reference:read"],
    "SCOPES_BACKEND_CLASS": "agencies.oauth.PartnerClientScopes",
    "OAUTH2_VALIDATOR_CLASS": "agencies.oauth.PartnerClientValidator",
    "APPLICATION_ADMIN_CLASS": "agencies.admin.PartnerApplicationAdmin",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "PKCE_REQUIRED": True,
    # The OAuth 2.0 security best current practice (RFC 9700) in full: no implicit or
    # password grants, no plain PKCE, no tokens in query strings, hashed token storage.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
}
# Named for migrations' swappable dependency; the stock application model.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
SPECTACULAR_SETTINGS = {
    # Every "status" has its own named enum in the schema.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.models.Case.Status",
        "ReferralStatusEnum": "cases.models.RequestForSupport.Status",
        "ActionStatusEnum": "meetings.models.Action.Status",
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
        "AssessmentStatusEnum": "assessments.models.Assessment.Status",
    },
    "TITLE": "TAC Portal partner API",
    "DESCRIPTION": (
        "Read the early help cases your agency works on, and (soon) submit requests "
        "for support and update the actions your agency owns. Authenticate with "
        "OAuth2 client credentials at /o/token/. Every error is an RFC 9457 problem "
        "(application/problem+json). See docs/partner-api.md for a walk-through."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tac_portal.api.base.add_problem_responses",
    ],
    "AUTHENTICATION_WHITELIST": [
        "tac_portal.api.auth.PartnerTokenAuthentication",
        "tac_portal.api.auth.BrowserSessionAuthentication",
    ],
}

# --- Service -----------------------------------------------------------------

TAC_SERVICE_NAME = "TAC Portal"
TAC_BREAK_GLASS_HOURS = env.int("TAC_BREAK_GLASS_HOURS", default=4)
TAC_AUTHORITY_NAME = env.str("TAC_AUTHORITY_NAME", default="Demo Borough Council")
TAC_MASH_CONTACT = env.str(
    "TAC_MASH_CONTACT",
    default="Demo Borough MASH: 0300 000 0000 (out of hours 0300 000 0001)",
)
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="tac-demo-password-2026")

# --- Logging -----------------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "filters": {"request_id": {"()": "tac_portal.middleware.RequestIdFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "tac.security": {"level": "INFO"},
    },
}
