"""TAC Portal settings: one module, configured by environment variables.

``TAC_ENVIRONMENT`` is ``production`` unless set. Production refuses to start
without ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL`` and ``REDIS_URL``;
``development`` and ``test`` fill in safe local defaults for everything except
the two service URLs, which ``tac_portal.embedded`` provides when they are unset.

Every setting the code reads is declared here, so code reads ``settings.X`` and
never ``getattr(settings, "X", default)``. A malformed value, or one that would be
dangerous or meaningless, stops the start-up with ``ImproperlyConfigured`` naming
the variable, rather than surfacing later as a 500 or as a silently weaker portal.
"""

from __future__ import annotations

import re
import warnings
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import django_stubs_ext
import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from tac_portal.backend_credentials import (
    REDIS_PROVIDER_PATH,
    RedisPasswordFile,
    refuse_password_and_file,
)
from tac_portal.encrypted_links import unencrypted_links

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


# django-environ reads any unknown word as false, so "TAC_REQUIRE_MFA=ture" would
# quietly turn two-factor sign-in off: only these spellings are accepted.
_FALSE_STRINGS = ("false", "off", "no", "n", "0")


def _env_bool(name: str, *, default: bool) -> bool:
    """A true/false setting; unset or empty means ``default``, anything unknown is refused."""
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw not in (*environ.Env.BOOLEAN_TRUE_STRINGS, *_FALSE_STRINGS):
        raise ImproperlyConfigured(f"{name} must be true or false (got {raw!r}).")
    value: bool = env.bool(name)
    return value


def _env_int(
    name: str, *, default: int, minimum: int, maximum: int | None = None, why: str = ""
) -> int:
    """A whole-number setting; unset or empty means ``default``, outside the range is refused."""
    if not env.str(name, default="").strip():
        value = default
    else:
        try:
            value = env.int(name)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be a whole number (got {env.str(name)!r})."
            ) from None
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"at least {minimum}" if maximum is None else f"from {minimum} to {maximum}"
        raise ImproperlyConfigured(f"{name} must be {bounds} (got {value}).{why}")
    return value


DEBUG = _env_bool("DEBUG", default=False)
if DEBUG and PRODUCTION:
    # Debug pages show settings, SQL and request data: children's records among them.
    raise ImproperlyConfigured(
        "DEBUG must be off in production: its error pages show request data and settings. "
        "Debug a copy with TAC_ENVIRONMENT=development instead."
    )
SECRET_KEY = _require("SECRET_KEY") or "insecure-local-development-key-not-for-production-use"
# Earlier secret keys, comma-separated, while SECRET_KEY is being rotated: what they
# signed or sealed (sessions, password reset links, authenticator-app keys, webhook
# secrets) still reads, and nothing new is made with them; `manage.py reseal_secrets`
# seals again with the new key (docs/security.md, "Key management").
SECRET_KEY_FALLBACKS = [
    key.strip() for key in env.list("SECRET_KEY_FALLBACKS", default=[]) if key.strip()
]
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[]) if PRODUCTION else []
_require("ALLOWED_HOSTS")
if not PRODUCTION:
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
# Links in email are SITE_URL + a path: a bare host or another scheme makes every one broken.
if urlsplit(SITE_URL).scheme not in {"http", "https"} or not urlsplit(SITE_URL).netloc:
    raise ImproperlyConfigured(
        f"SITE_URL must be the portal's address, like https://tac.example (got {SITE_URL!r})."
    )

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
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Nothing makes static devices (backup codes in the clear) any more: backup codes are
    # agencies.BackupCodeDevice. Kept installed for the migration that hashed their codes.
    "django_otp.plugins.otp_static",
    "agencies",
    "cases",
    "assessments",
    "meetings",
    "notifications",
    "audit",
    "dashboards",
    "disclosures",
    "webhooks",
    "retention",
    "documents",
    "imports",
]
if not PRODUCTION:
    # The fictional authority for `make run` and the benchmarks (seed_demo); nothing
    # imports it, and the production image leaves it out.
    INSTALLED_APPS.append("demo")

# Widgets render with the project's template engine, so their markup lives in templates/.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tac_portal.middleware.RequestIdMiddleware",
    "tac_portal.middleware.RefuseTraceMiddleware",
    "tac_portal.middleware.ApiOverHttpsOnlyMiddleware",
    "tac_portal.middleware.SessionlessHealthCheckMiddleware",
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

# The largest request body (less any uploaded files) the portal reads: the longest form
# (an assessment section's answers) is a small fraction of this; anything larger is
# refused with a 400 before it reaches a form or the API.
DATA_UPLOAD_MAX_MEMORY_SIZE = _env_int(
    "DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024, minimum=64 * 1024, maximum=10 * 1024 * 1024
)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

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
                "tac_portal.context_processors.navigation",
            ],
            # The GOV.UK field templates' tags: {% load govuk %}.
            "libraries": {
                "govuk": "tac_portal.templatetags.govuk",
                "links": "tac_portal.templatetags.links",
            },
        },
    },
]

# --- Database ----------------------------------------------------------------

# Outside production an unset URL means a local server; `make run` and
# `make test` set both to embedded servers instead.
DATABASE_URL = _require("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/tac_portal"


def database_config(url: str, *, password_file: str = "") -> dict[str, Any]:
    """The ``DATABASES`` entry for a postgres:// URL, and a password file if one is given.

    Two ways to sign in without a password that never changes (ASVS 13.2.1;
    docs/security.md, "Credentials for the database, Redis and the mail server"),
    usable together:

    - a client certificate, with libpq's own parameters in the URL's query string
      (``?sslmode=verify-full&sslrootcert=...&sslcert=...&sslkey=...``), which
      django-environ puts in OPTIONS and Django hands to psycopg2 as they are;
    - a file holding a short-lived password (an IAM token, say) that the platform
      rewrites: tac_portal/postgresql reads it at every new connection."""
    config: dict[str, Any] = env.db_url_config(url)
    if not config["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured(
            "TAC Portal runs on PostgreSQL only: DATABASE_URL must be postgres://"
        )
    if password_file:
        refuse_password_and_file(
            "DATABASE_PASSWORD_FILE", url_name="DATABASE_URL", has_password=bool(config["PASSWORD"])
        )
        config["ENGINE"] = "tac_portal.postgresql"
        config["PASSWORD_FILE"] = password_file
    return config


DATABASE_PASSWORD_FILE: str = env.str("DATABASE_PASSWORD_FILE", default="")
DATABASES = {"default": database_config(DATABASE_URL, password_file=DATABASE_PASSWORD_FILE)}
DATABASES["default"]["CONN_MAX_AGE"] = _env_int("DATABASE_CONN_MAX_AGE", default=60, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The partner API's busiest reads are prepared once per database session
# (tac_portal/api/compiled.py). Turn this off behind a pooler that shares one session
# among connections (PgBouncer's transaction mode).
TAC_DATABASE_PREPARED_STATEMENTS = _env_bool("TAC_DATABASE_PREPARED_STATEMENTS", default=True)
# No JIT compilation for the portal's queries. PostgreSQL compiles a query whose estimated
# cost passes jit_above_cost, and at a million children the planner's estimates for the
# dashboard's and the lists' correlated EXISTS pass it even when the query reads a few
# rows: compiling took up to a second and a half of the authority dashboard's request
# (benchmarks/README.md, "Pages"). Short queries are what the portal runs; the nightly
# summary refresh does not need it either. DATABASE_JIT=on turns it back on.
_database_options = DATABASES["default"].setdefault("OPTIONS", {})
if not _env_bool("DATABASE_JIT", default=False):
    _database_options["options"] = " ".join(
        filter(None, [_database_options.get("options", ""), "-c jit=off"])
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache -------------------------------------------

# REDIS_URL names one Redis database, and the broker and the cache both use it as
# given: redis://host:6379/3 means database 3 for both. The database named is the
# one the operator chose (and some managed Redis services offer only database 0),
# so nothing here moves to another. The cache's keys all start with
# CACHE_KEY_PREFIX, which keeps them apart from the broker's (the `tac` queue,
# `_kombu.*`, `unacked*`). CACHE_URL and CELERY_BROKER_URL move either elsewhere.
REDIS_URL = _require("REDIS_URL") or "redis://127.0.0.1:6379/0"


def _redis_db(name: str, url: str) -> tuple[str, str]:
    """Check a redis://, rediss:// or unix:// URL; return its scheme and database number.

    redis-py reads the database from ``?db=`` first, then from the path (never the
    path of a unix:// URL, which is the socket)."""
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            f"{name} must be a redis://, rediss:// or unix:// URL (got {parts.scheme or url!r})."
        )
    if parts.scheme == "unix" and not parts.path:
        raise ImproperlyConfigured(f"{name} must name the socket, like unix:///run/redis.sock")
    path_db = "" if parts.scheme == "unix" else parts.path.strip("/")
    db = dict(parse_qsl(parts.query)).get("db") or path_db or "0"
    if not db.isdigit():
        raise ImproperlyConfigured(f"{name} must name a Redis database by number (got {db!r}).")
    return parts.scheme, str(int(db))


def _broker_url(url: str) -> str:
    """A redis-py URL spelled for Celery's transport (Kombu), keeping its database.

    Kombu rejects ``?db=`` on a redis:// URL and ignores it on a socket, whose database
    it reads from ``?virtual_host=``; it spells a unix socket ``redis+socket://``."""
    scheme, db = _redis_db("REDIS_URL", url)
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != "db"]
    if scheme == "unix":
        # An f-string, because urlunsplit drops the empty authority of unix:///path.
        params = urlencode([*query, ("virtual_host", db)])
        return f"redis+socket://{parts.netloc}{parts.path}?{params}"
    return urlunsplit((scheme, parts.netloc, f"/{db}", urlencode(query), ""))


def redis_service_urls(
    redis_url: str, *, broker_url: str = "", cache_url: str = ""
) -> tuple[str, str]:
    """The Celery broker URL and the cache URL, from REDIS_URL and the two overrides.

    Each uses REDIS_URL's server and database unless its own URL is given; a given
    URL is used as it is (Celery itself reads CELERY_BROKER_URL from the environment
    before these settings, so a rewritten one would not be the one it used)."""
    _redis_db("REDIS_URL", redis_url)
    if broker_url:
        scheme = urlsplit(broker_url).scheme
        if scheme == "unix":
            raise ImproperlyConfigured(
                "CELERY_BROKER_URL is read by Celery, which spells a unix socket "
                "redis+socket:///path/to/redis.sock?virtual_host=<database>."
            )
        query = dict(parse_qsl(urlsplit(broker_url).query))
        if scheme == "redis+socket" and "db" in query and "virtual_host" not in query:
            raise ImproperlyConfigured(
                "CELERY_BROKER_URL: Celery ignores ?db= on a redis+socket:// URL and would "
                "use database 0; name the database with ?virtual_host=<database>."
            )
    for server in re.split("[;,]", cache_url):
        if server:
            _redis_db("CACHE_URL", server)
    return broker_url or _broker_url(redis_url), cache_url or redis_url


# CACHE_REDIS_URL was this variable's first name; it still works, with a warning.
_cache_url = env.str("CACHE_URL", default="")
if not _cache_url and env.str("CACHE_REDIS_URL", default=""):
    warnings.warn(
        "CACHE_REDIS_URL is deprecated and will be removed: set CACHE_URL instead.",
        FutureWarning,
        stacklevel=1,
    )
    _cache_url = env.str("CACHE_REDIS_URL")


def _without_user(url: str) -> str:
    """``url`` without its user name: redis-py takes it from the credential provider instead."""
    netloc = urlsplit(url).netloc
    return url.replace(netloc, netloc.rpartition("@")[2], 1) if "@" in netloc else url


def redis_connections(
    redis_url: str, *, broker_url: str = "", cache_url: str = "", password_file: str = ""
) -> tuple[str, str, dict[str, Any], str]:
    """The broker URL, the cache URL, the cache's extra OPTIONS and the Redis user name.

    Redis is reached the same two ways as the database (ASVS 13.2.1), usable together:

    - a client certificate, in the rediss:// URL's query string (``?ssl_certfile=...&
      ssl_keyfile=...&ssl_ca_certs=...&ssl_cert_reqs=required``), which redis-py (the
      cache) and Kombu (the broker) both read as they are;
    - a password file (``REDIS_PASSWORD_FILE``) holding a short-lived password, read at
      every new connection by a redis-py credential provider, for the user the URL
      names (an ACL user) or else the default user."""
    broker, cache = redis_service_urls(redis_url, broker_url=broker_url, cache_url=cache_url)
    if not password_file:
        return broker, cache, {}, ""
    for name, urls in (
        ("REDIS_URL", redis_url),
        ("CACHE_URL", cache_url),
        ("CELERY_BROKER_URL", broker_url),
    ):
        for server in filter(None, re.split("[;,]", urls)):
            refuse_password_and_file(
                "REDIS_PASSWORD_FILE", url_name=name, has_password=bool(urlsplit(server).password)
            )
    # Celery reads CELERY_BROKER_URL from the environment itself, so a broker URL given
    # there must name the provider itself; one made from REDIS_URL gets it here.
    if broker_url and REDIS_PROVIDER_PATH not in broker_url:
        raise ImproperlyConfigured(
            "REDIS_PASSWORD_FILE is set, so CELERY_BROKER_URL must end with "
            f"?credential_provider={REDIS_PROVIDER_PATH} (Celery reads it as it is)."
        )
    if not broker_url:
        broker += f"{'&' if '?' in broker else '?'}credential_provider={REDIS_PROVIDER_PATH}"
    # Kombu leaves out the broker URL's user name when there is a provider, which then
    # gives it (from the REDIS_USERNAME setting).
    servers = [server for server in re.split("[;,]", cache) if server]
    provider = RedisPasswordFile(password_file, username=urlsplit(servers[0]).username or "")
    return (
        broker,
        ",".join(_without_user(server) for server in servers),
        {"credential_provider": provider},
        urlsplit(broker).username or "",
    )


REDIS_PASSWORD_FILE: str = env.str("REDIS_PASSWORD_FILE", default="")
CELERY_BROKER_URL, CACHE_URL, _cache_options, REDIS_USERNAME = redis_connections(
    REDIS_URL,
    broker_url=env.str("CELERY_BROKER_URL", default=""),
    cache_url=_cache_url,
    password_file=REDIS_PASSWORD_FILE,
)
CACHE_KEY_PREFIX: str = env.str("CACHE_KEY_PREFIX", default="tac-cache")
if not CACHE_KEY_PREFIX:
    raise ImproperlyConfigured(
        "CACHE_KEY_PREFIX must not be empty: it keeps the cache's keys apart from "
        "the Celery broker's when they share a Redis database."
    )
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
        # A Redis that has gone away costs a request two seconds at most, never a hang:
        # the API's throttle then lets requests through (agencies.api_auth).
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2, **_cache_options},
    }
}

# --- Celery ------------------------------------------------------------------

# Tasks keep no results (each records its work in the database), so there is no
# result backend. Celery would read CELERY_RESULT_BACKEND from the environment by
# itself: refuse it rather than let it suggest results are kept somewhere.
if env.str("CELERY_RESULT_BACKEND", default=""):
    raise ImproperlyConfigured(
        "CELERY_RESULT_BACKEND is not used: TAC Portal's tasks keep no results. Unset it."
    )
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
# Webhooks to partner systems go on a queue and worker of their own too (Procfile,
# docker-compose): a slow partner endpoint holds up neither email nor reminders.
CELERY_TASK_ROUTES = {
    "notifications.tasks.send_emails": {"queue": "email"},
    "webhooks.tasks.deliver_webhooks": {"queue": "webhooks"},
}
CELERY_TIMEZONE = "Europe/London"
# The worker that runs the dashboard refresh queues one as it starts, so the dashboards
# have figures from the first visit (dashboards.tasks); the beat schedule keeps them fresh.
# Off in the test suite, whose workers serve other tests.
TAC_DASHBOARD_REFRESH_AT_START = _env_bool(
    "TAC_DASHBOARD_REFRESH_AT_START", default=TAC_ENVIRONMENT != "test"
)
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
    # Every 30 seconds: send due webhook messages and retries (also woken after each
    # commit that writes one). The ledger is the state; a missed tick loses nothing.
    "deliver-webhooks": {
        "task": "webhooks.tasks.deliver_webhooks",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
    # Hourly: today's action.due and review.due webhooks (unique per day: nothing twice).
    "queue-due-date-webhooks": {
        "task": "webhooks.tasks.queue_due_date_webhooks",
        "schedule": crontab(minute=5),
        "options": {"expires": 3500},
    },
    # Every 15 minutes: rebuild the dashboard summary tables (the page shows "as of").
    "refresh-dashboard-summaries": {
        "task": "dashboards.tasks.refresh_summaries",
        "schedule": 900.0,
        "options": {"expires": 840},
    },
    # Hourly: sessions past their expiry go, with their owners' rows ("Your sessions").
    "clear-expired-sessions": {
        "task": "agencies.tasks.clear_expired_sessions",
        "schedule": crontab(minute=20),
        "options": {"expires": 3500},
    },
    # Nightly at 02:30: list the records past their retention schedule for information
    # governance to confirm (nothing is disposed of without a confirmation). Idempotent,
    # so a missed night is caught up by the next.
    "list-records-due-for-disposal": {
        "task": "retention.tasks.list_due_records",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 3 * 3600},
    },
}
TAC_EMAIL_MAX_ATTEMPTS = _env_int("TAC_EMAIL_MAX_ATTEMPTS", default=8, minimum=1)
# How long a sender holds the outbox rows it claimed before another may retry them:
# as long as the task may run (CELERY_TASK_TIME_LIMIT), so a slow send is not doubled.
TAC_EMAIL_LEASE_SECONDS = float(CELERY_TASK_TIME_LIMIT)
# The right-hand side of the Message-ID of every email the portal sends.
TAC_EMAIL_MESSAGE_ID_DOMAIN: str = env.str("TAC_EMAIL_MESSAGE_ID_DOMAIN", default="tac-portal")
if not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?", TAC_EMAIL_MESSAGE_ID_DOMAIN):
    raise ImproperlyConfigured(
        "TAC_EMAIL_MESSAGE_ID_DOMAIN must be a domain name such as tac.example "
        f"(got {TAC_EMAIL_MESSAGE_ID_DOMAIN!r})."
    )

# --- Webhooks to partner systems (webhooks/) ---------------------------------------------
# Attempts per message before it is given up (the delivery log offers a replay), the
# backoff between them (doubling from the base, never longer than the cap), and how many
# failures in a row turn a subscription off and email the partner's contact.
TAC_WEBHOOK_MAX_ATTEMPTS = _env_int("TAC_WEBHOOK_MAX_ATTEMPTS", default=10, minimum=1)
TAC_WEBHOOK_RETRY_BASE_SECONDS = _env_int("TAC_WEBHOOK_RETRY_BASE_SECONDS", default=30, minimum=1)
TAC_WEBHOOK_RETRY_CAP_SECONDS = _env_int(
    "TAC_WEBHOOK_RETRY_CAP_SECONDS", default=6 * 3600, minimum=TAC_WEBHOOK_RETRY_BASE_SECONDS
)
TAC_WEBHOOK_DISABLE_AFTER = _env_int("TAC_WEBHOOK_DISABLE_AFTER", default=15, minimum=1)
# Seconds to connect to a partner's endpoint, and to wait for its answer.
TAC_WEBHOOK_CONNECT_TIMEOUT = float(_env_int("TAC_WEBHOOK_CONNECT_TIMEOUT", default=5, minimum=1))
TAC_WEBHOOK_READ_TIMEOUT = float(_env_int("TAC_WEBHOOK_READ_TIMEOUT", default=10, minimum=1))
# How long a sender holds the messages it claimed: longer than one run of the task.
TAC_WEBHOOK_LEASE_SECONDS = float(CELERY_TASK_TIME_LIMIT)
# Outside production a partner endpoint may be plain http:// or a private address (a
# receiver on the same machine for the demo and the tests); production allows neither
# unless these are set on purpose.
TAC_WEBHOOK_ALLOW_HTTP = _env_bool("TAC_WEBHOOK_ALLOW_HTTP", default=not PRODUCTION)
TAC_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = _env_bool(
    "TAC_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=not PRODUCTION
)

# A child's own agreement (DOMAIN §6.1): asked from this age; under 16 only with a
# recorded Gillick competence judgement; never recorded as an adult's under 18.
TAC_CHILD_OWN_AGREEMENT_AGE = _env_int("TAC_CHILD_OWN_AGREEMENT_AGE", default=12, minimum=8)
if TAC_CHILD_OWN_AGREEMENT_AGE > 16:
    raise ImproperlyConfigured(
        "TAC_CHILD_OWN_AGREEMENT_AGE must be 16 or less: from 16 a young person's capacity "
        f"is presumed (got {TAC_CHILD_OWN_AGREEMENT_AGE})."
    )

# Review cadence (DOMAIN §3.6): the first review six weeks after the plan starts, then
# every eight weeks, never more than about three months apart.
TAC_FIRST_REVIEW_WEEKS = _env_int("TAC_FIRST_REVIEW_WEEKS", default=6, minimum=1)
TAC_REVIEW_INTERVAL_WEEKS = _env_int("TAC_REVIEW_INTERVAL_WEEKS", default=8, minimum=1)
# The ceiling wins over both intervals, so one below them would silently replace them.
TAC_MAX_REVIEW_INTERVAL_DAYS = _env_int(
    "TAC_MAX_REVIEW_INTERVAL_DAYS",
    default=91,
    minimum=7 * max(TAC_FIRST_REVIEW_WEEKS, TAC_REVIEW_INTERVAL_WEEKS),
    why=" It caps TAC_FIRST_REVIEW_WEEKS and TAC_REVIEW_INTERVAL_WEEKS, so it cannot be shorter.",
)

# --- Authentication ----------------------------------------------------------

AUTH_USER_MODEL = "agencies.User"
LOGIN_URL = "agencies:sign_in"
# A form sent without a valid security token gets the portal's own page.
CSRF_FAILURE_VIEW = "tac_portal.views.csrf_failure"
LOGIN_REDIRECT_URL = "home"  # each role's first navigation item
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
    # Words anyone would guess here, besides TAC_SERVICE_NAME and TAC_AUTHORITY_NAME,
    # which the validator always adds (the list is in docs/security.md).
    {
        "NAME": "agencies.validators.ContextWordsValidator",
        "OPTIONS": {"words": ["TAC Portal", "team around the child", "early help"]},
    },
    {"NAME": "agencies.validators.BreachedPasswordValidator"},
]
# Breached passwords (ASVS 6.2.12): Pwned Passwords' k-anonymity range API, to which only
# the first five characters of the password's SHA-1 are sent. On in production; empty
# turns it off (a deployment that cannot reach it keeps Django's common passwords).
TAC_BREACHED_PASSWORDS_URL: str = env.str(
    "TAC_BREACHED_PASSWORDS_URL",
    default="https://api.pwnedpasswords.com/range/" if PRODUCTION else "",
)
if TAC_BREACHED_PASSWORDS_URL and not TAC_BREACHED_PASSWORDS_URL.endswith("/"):
    TAC_BREACHED_PASSWORDS_URL += "/"
if TAC_BREACHED_PASSWORDS_URL and urlsplit(TAC_BREACHED_PASSWORDS_URL).scheme not in {
    "http",
    "https",
}:
    raise ImproperlyConfigured(
        "TAC_BREACHED_PASSWORDS_URL must be the range API's address, like "
        f"https://api.pwnedpasswords.com/range/ (got {TAC_BREACHED_PASSWORDS_URL!r})."
    )
# Seconds to wait for it before judging the password by the other rules alone.
TAC_BREACHED_PASSWORDS_TIMEOUT = _env_int(
    "TAC_BREACHED_PASSWORDS_TIMEOUT", default=3, minimum=1, maximum=30
)

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
# Failed sign-ins from one client address, for any accounts, within those 15 minutes,
# before that address may try no more: a guard against trying many accounts' passwords
# (credential stuffing), set high because an office can share one address.
TAC_SIGN_IN_FAILURES_PER_ADDRESS = _env_int(
    "TAC_SIGN_IN_FAILURES_PER_ADDRESS", default=100, minimum=5
)
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
TAC_TRUSTED_PROXY_COUNT = _env_int("TAC_TRUSTED_PROXY_COUNT", default=0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "tac_portal.client_ip.client_ip"
AXES_DISABLE_ACCESS_LOG = True

OTP_TOTP_ISSUER = "TAC Portal"
# A password reset link works once, for one hour.
PASSWORD_RESET_TIMEOUT = 60 * 60

# Two-factor sign-in is required in production; the local demo may relax it
# and the sign-in page then says so.
TAC_REQUIRE_MFA = _env_bool("TAC_REQUIRE_MFA", default=PRODUCTION)
if PRODUCTION and not TAC_REQUIRE_MFA:
    raise ImproperlyConfigured(
        "TAC_REQUIRE_MFA cannot be turned off in production: every account that can "
        "see a child's record signs in with a second factor."
    )

# --- Sessions, cookies and security headers ----------------------------------

# Database sessions whose owner is recorded (agencies.UserSession: "Your sessions").
SESSION_ENGINE = "agencies.session_store"
SESSION_COOKIE_AGE = 12 * 60 * 60  # absolute limit: 12 hours
SESSION_IDLE_TIMEOUT = 30 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_COOKIES = _env_bool("SECURE_COOKIES", default=PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = _env_int(
    "SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0, minimum=0
)
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
# The health check is probed over plain HTTP inside the deployment; the API and the
# token endpoint answer plain HTTP with a 403 instead of a redirect
# (tac_portal.middleware.ApiOverHttpsOnlyMiddleware).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^api/", r"^o/"]

# --- Internationalisation ----------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Documents on a case (documents/) --------------------------------------------
# Files are kept in the "documents" storage, never under a public URL: a view streams
# each one after the access check. "local" keeps them on this machine's disk (make run,
# the tests); "s3" keeps them in an S3-compatible object store (MinIO in
# docker-compose.yml) through django-storages, with private objects and no public URL.
TAC_DOCUMENTS_STORAGE = env.str("TAC_DOCUMENTS_STORAGE", default="local").strip().lower()
TAC_DOCUMENTS_ROOT = env.str("TAC_DOCUMENTS_ROOT", default=str(BASE_DIR / ".data" / "documents"))
if TAC_DOCUMENTS_STORAGE == "local":
    STORAGES["documents"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # No base_url: a document has no address of its own to be fetched from.
        "OPTIONS": {"location": TAC_DOCUMENTS_ROOT, "base_url": None},
    }
elif TAC_DOCUMENTS_STORAGE == "s3":
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _require("TAC_DOCUMENTS_S3_BUCKET") or "tac-documents",
            "endpoint_url": env.str("TAC_DOCUMENTS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("TAC_DOCUMENTS_S3_REGION", default="") or None,
            "access_key": env.str("TAC_DOCUMENTS_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("TAC_DOCUMENTS_S3_SECRET_ACCESS_KEY", default="") or None,
            # Private objects, never overwritten, and no signed links handed out: the
            # portal reads each object itself and streams it to the one who may see it.
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "object_parameters": {"ServerSideEncryption": "AES256"}
            if _env_bool("TAC_DOCUMENTS_S3_ENCRYPT", default=False)
            else {},
        },
    }
else:
    raise ImproperlyConfigured(
        f"TAC_DOCUMENTS_STORAGE must be local or s3 (got {TAC_DOCUMENTS_STORAGE!r})."
    )
# The largest file a document may be, in bytes (20 MB unless set).
TAC_DOCUMENT_MAX_BYTES = _env_int(
    "TAC_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024, minimum=1024, maximum=512 * 1024 * 1024
)
# The ClamAV daemon every file is scanned by before anyone may open it:
# "unix:///run/clamav/clamd.ctl" or "tcp://clamav:3310". Unset, nothing can be scanned
# and every upload is quarantined with that reason.
TAC_CLAMD_ADDRESS = env.str("TAC_CLAMD_ADDRESS", default="").strip()
TAC_CLAMD_TIMEOUT_SECONDS = _env_int("TAC_CLAMD_TIMEOUT_SECONDS", default=60, minimum=1)

# --- Email -------------------------------------------------------------------

# tac_portal.mail.EmailBackend is Django's SMTP backend with the password file and a
# client certificate that still checks the server (ASVS 13.2.1).
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="tac_portal.mail.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / ".data" / "mailbox"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = _env_int("EMAIL_PORT", default=25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
# A file holding a short-lived password, read at each new connection to the mail server.
EMAIL_HOST_PASSWORD_FILE: str = env.str("EMAIL_HOST_PASSWORD_FILE", default="")
if EMAIL_HOST_PASSWORD_FILE:
    refuse_password_and_file(
        "EMAIL_HOST_PASSWORD_FILE",
        url_name="EMAIL_HOST_PASSWORD",
        has_password=bool(EMAIL_HOST_PASSWORD),
    )
# The portal's client certificate and its key (PEM files), for a mail server that
# authenticates it by certificate over EMAIL_USE_TLS or EMAIL_USE_SSL; and the authority
# the mail server's own certificate is checked against, when it is not a public one.
EMAIL_SSL_CERTFILE: str | None = env.str("EMAIL_SSL_CERTFILE", default="") or None
EMAIL_SSL_KEYFILE: str | None = env.str("EMAIL_SSL_KEYFILE", default="") or None
EMAIL_SSL_CAFILE: str = env.str("EMAIL_SSL_CAFILE", default="")
if bool(EMAIL_SSL_CERTFILE) != bool(EMAIL_SSL_KEYFILE):
    raise ImproperlyConfigured(
        "Set both EMAIL_SSL_CERTFILE and EMAIL_SSL_KEYFILE (the client certificate and its "
        "key), or neither."
    )
if (EMAIL_HOST_PASSWORD_FILE or EMAIL_SSL_CAFILE) and EMAIL_BACKEND == (
    "django.core.mail.backends.smtp.EmailBackend"
):
    raise ImproperlyConfigured(
        "EMAIL_HOST_PASSWORD_FILE and EMAIL_SSL_CAFILE need EMAIL_BACKEND="
        "tac_portal.mail.EmailBackend (the default in production): Django's own SMTP "
        "backend does not read them."
    )
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", default=False)
# TLS from the first byte (port 465), where EMAIL_USE_TLS upgrades a plain connection.
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "Set EMAIL_USE_TLS (STARTTLS, usually port 587) or EMAIL_USE_SSL (port 465), not both."
    )
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="TAC Portal <no-reply@tac.example>")
# Seconds to wait on a silent mail server before giving up (the email is retried later).
EMAIL_TIMEOUT = _env_int("EMAIL_TIMEOUT", default=15, minimum=1, maximum=300)

# --- GOV.UK Notify -------------------------------------------------------------
# How the outbox sends email: "smtp" (Django's EMAIL_BACKEND above; the default, and what
# `make run` uses) or "notify" (GOV.UK Notify). Text messages to families who agreed to
# them always go through Notify, and only when its key and text template are set.
TAC_EMAIL_CHANNEL: str = env.str("TAC_EMAIL_CHANNEL", default="smtp")
if TAC_EMAIL_CHANNEL not in {"smtp", "notify"}:
    raise ImproperlyConfigured(
        f'TAC_EMAIL_CHANNEL must be "smtp" or "notify" (got {TAC_EMAIL_CHANNEL!r}).'
    )
# The service's API key from Notify's "API integration" page: a name, the service ID and
# the secret key, joined by hyphens. A secret: from the environment only.
TAC_NOTIFY_API_KEY: str = env.str("TAC_NOTIFY_API_KEY", default="")
if TAC_NOTIFY_API_KEY and not re.fullmatch(
    r"[A-Za-z0-9_-]*-[0-9a-f-]{36}-[0-9a-f-]{36}", TAC_NOTIFY_API_KEY
):
    raise ImproperlyConfigured(
        "TAC_NOTIFY_API_KEY must be a key from GOV.UK Notify: its name, the service ID and "
        "the secret, joined by hyphens."
    )
TAC_NOTIFY_BASE_URL: str = env.str(
    "TAC_NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk"
).rstrip("/")
# Seconds to wait for Notify before trying the message again later.
TAC_NOTIFY_TIMEOUT = _env_int("TAC_NOTIFY_TIMEOUT", default=15, minimum=1, maximum=120)
# The Notify templates, by ID (each made in Notify's own pages; docs/notify.md gives their
# text). "email": every email the portal sends, with the placeholders ((subject)) and
# ((body)). "meeting_reminder_text": the text reminding a family member of a TAC meeting,
# with ((first_name)), ((date)), ((time)) and ((phone_number)), and nothing else.
TAC_NOTIFY_TEMPLATES: dict[str, str] = {
    "email": env.str("TAC_NOTIFY_EMAIL_TEMPLATE_ID", default=""),
    "meeting_reminder_text": env.str("TAC_NOTIFY_MEETING_REMINDER_TEXT_TEMPLATE_ID", default=""),
}
for _template, _template_id in TAC_NOTIFY_TEMPLATES.items():
    if _template_id and not re.fullmatch(
        r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", _template_id
    ):
        raise ImproperlyConfigured(
            f"The GOV.UK Notify {_template} template ID must be the template's ID from Notify, "
            f"like 0b5c3f7e-8f6a-4d2e-9c1b-2a3d4e5f6a7b (got {_template_id!r})."
        )
if TAC_EMAIL_CHANNEL == "notify" and not (TAC_NOTIFY_API_KEY and TAC_NOTIFY_TEMPLATES["email"]):
    raise ImproperlyConfigured(
        'TAC_EMAIL_CHANNEL="notify" needs TAC_NOTIFY_API_KEY and TAC_NOTIFY_EMAIL_TEMPLATE_ID.'
    )
# The number a text message gives the family to call when the case's lead professional
# has no phone number recorded: the early help team's front door.
TAC_FAMILY_CONTACT_PHONE: str = env.str("TAC_FAMILY_CONTACT_PHONE", default="0300 000 0000")
# When a family member's text reminder goes out: this many hours before the meeting
# (or at once, when the meeting is arranged closer to its start than that).
TAC_MEETING_TEXT_REMINDER_HOURS = _env_int(
    "TAC_MEETING_TEXT_REMINDER_HOURS", default=24, minimum=1, maximum=24 * 7
)

# --- Encrypted links to other services (docs/security.md, 12.3.1) --------------
# Production will not start while data would cross a network in clear to PostgreSQL,
# Redis, the mail server, ClamAV, the document store or Notify. TAC_PRIVATE_NETWORK=true
# says those links run only on a network the authority controls (one host's container
# network, as in docker-compose.yml); a socket or the loopback address needs no TLS.
TAC_PRIVATE_NETWORK = _env_bool("TAC_PRIVATE_NETWORK", default=False)
if PRODUCTION and not TAC_PRIVATE_NETWORK:
    _in_clear = unencrypted_links(
        database=DATABASES["default"],
        broker_url=CELERY_BROKER_URL,
        cache_url=CACHE_URL,
        email_channel=TAC_EMAIL_CHANNEL,
        email_backend=EMAIL_BACKEND,
        email_host=EMAIL_HOST,
        email_use_tls=EMAIL_USE_TLS,
        email_use_ssl=EMAIL_USE_SSL,
        notify_base_url=TAC_NOTIFY_BASE_URL,
        breached_passwords_url=TAC_BREACHED_PASSWORDS_URL,
        clamd_address=TAC_CLAMD_ADDRESS,
        documents_endpoint=env.str("TAC_DOCUMENTS_S3_ENDPOINT_URL", default="")
        if TAC_DOCUMENTS_STORAGE == "s3"
        else "",
    )
    if _in_clear:
        raise ImproperlyConfigured(
            "In production every link to another service must be encrypted: "
            + "; ".join(_in_clear)
            + ". If these links run only on a private network the authority controls, "
            "set TAC_PRIVATE_NETWORK=true."
        )

# --- REST API ----------------------------------------------------------------

# Requests per partner client (or signed-in professional) per second, minute, hour or
# day, as DRF reads it; checked here because DRF would only fail on the first request.
TAC_API_RATE: str = env.str("TAC_API_RATE", default="600/min")
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", TAC_API_RATE):
    raise ImproperlyConfigured(
        f"TAC_API_RATE must be a number of requests per s, min, hour or day, like 600/min "
        f"(got {TAC_API_RATE!r})."
    )

REST_FRAMEWORK = {
    # A bearer token (partner systems) first, so that a request with neither
    # gets 401 with a WWW-Authenticate challenge; browsers use their session,
    # with CSRF enforced on writes.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "agencies.api_auth.PartnerTokenAuthentication",
        "agencies.api_auth.BrowserSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "agencies.api_auth.HasRequiredScopes",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tac_portal.api.problems.problem_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["agencies.api_auth.PerClientThrottle"],
    # Per partner client (or per signed-in professional), counted in Redis.
    "DEFAULT_THROTTLE_RATES": {"api": TAC_API_RATE},
    "UNAUTHENTICATED_USER": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Partner systems: OAuth2 client credentials only, short-lived tokens, scopes
# limited per client (agencies.PartnerClient).
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": _env_int(
        "TAC_API_TOKEN_SECONDS",
        default=600,
        minimum=1,
        maximum=24 * 60 * 60,
        why=" Partner tokens are short-lived: a leaked one must stop working soon.",
    ),
    "SCOPES": {
        "cases:read": "Read the cases, children, teams, plans and meetings the agency may see",
        "referrals:write": "Submit requests for support",
        "actions:write": "Update actions the agency owns",
        "contributions:write": "Add contributions to cases the agency is on the team of",
        "meetings:write": "Reply to meeting invitations for the agency's staff",
        "reference:read": "Read agencies and reference data",
        "documents:write": "Add documents to the cases the agency works on",
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
        "InvitationResponseEnum": "meetings.models.Invitation.Response",
        "ReplyEnum": "meetings.api.REPLY_CHOICES",
        "AssessmentStatusEnum": "assessments.models.Assessment.Status",
        "DocumentKindEnum": "documents.models.Document.Kind",
    },
    "TITLE": "TAC Portal partner API",
    "DESCRIPTION": (
        "Read the early help cases your agency works on; submit requests for support; and "
        "for your agency's staff, update the actions they own, add contributions to the "
        "cases they are on the team of and reply to meeting invitations. Edits need the "
        "ETag you read as If-Match (412 when it is stale); every write takes an "
        "Idempotency-Key. Authenticate with "
        "OAuth2 client credentials at /o/token/. Every error is an RFC 9457 problem "
        "(application/problem+json). See docs/partner-api.md for a walk-through."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tac_portal.api.problems.add_problem_responses",
    ],
    "AUTHENTICATION_WHITELIST": [
        "agencies.api_auth.PartnerTokenAuthentication",
        "agencies.api_auth.BrowserSessionAuthentication",
    ],
}

# --- Service -----------------------------------------------------------------

TAC_SERVICE_NAME = "TAC Portal"
# Emergency access to a case outside one's relationships: hours, never days.
TAC_BREAK_GLASS_HOURS = _env_int(
    "TAC_BREAK_GLASS_HOURS",
    default=4,
    minimum=1,
    maximum=24,
    why=" Emergency access that outlasts a day is no longer an emergency.",
)
# How long a restricted detail (a survivor's new address, say) stays shown once unmasked.
TAC_UNMASK_MINUTES = _env_int(
    "TAC_UNMASK_MINUTES",
    default=15,
    minimum=1,
    maximum=60,
    why=" A restricted detail is shown for as long as it is needed, then hidden again.",
)
# How long a merge of two records of one child can be undone (by a manager), in days.
TAC_MERGE_UNDO_DAYS = _env_int(
    "TAC_MERGE_UNDO_DAYS",
    default=30,
    minimum=1,
    maximum=365,
    why=" A merge is checked and undone soon after, or it stands.",
)
# The dashboards' assessment timeliness target: working days from request to assessment.
TAC_ASSESSMENT_TARGET_WORKING_DAYS = _env_int(
    "TAC_ASSESSMENT_TARGET_WORKING_DAYS", default=15, minimum=1
)
TAC_AUTHORITY_NAME = env.str("TAC_AUTHORITY_NAME", default="Demo Borough Council")
TAC_MASH_CONTACT = env.str(
    "TAC_MASH_CONTACT",
    default="Demo Borough MASH: 0300 000 0000 (out of hours 0300 000 0001)",
)
# --- Retention (DOMAIN §6.4; docs/retention.md) -------------------------------
# The record classes the retention schedules apply to (a retention.classes.RecordClass
# each), and the rows that make up a closed case (retention.parts.RecordPart lists, by
# app). Code, not configuration, like the panels below.
TAC_RETENTION_CLASSES = [
    "retention.classes.CASE_EPISODE",
    "retention.classes.CHILD_RECORD",
    "retention.classes.ACCESS_LOG",
    "retention.classes.MESSAGES",
    "retention.classes.DOCUMENT_DOWNLOADS",
    "retention.classes.SUBJECT_ACCESS",
    "retention.classes.IMPORT_CONTENT",
    "retention.classes.LEAVER_ACCOUNT",
]
TAC_RETENTION_CASE_PARTS = [
    "retention.parts.CASE_MESSAGES",
    "retention.parts.CASE_RECORDS",
    "retention.parts.ASSESSMENT_RECORDS",
    "retention.parts.MEETING_RECORDS",
    # Last: its files are deleted from storage, so every other part has gone first.
    "retention.parts.DOCUMENT_RECORDS",
]
# Years each class is kept after the event its schedule counts from, as
# TAC_RETENTION_YEARS="case_episode=0,child_record=0,access_log=6,notifications=6".
# Defaults from DOMAIN §6.4: early help records until the child's 25th birthday (+0
# years after it), the access log, messages and the download log six years (default
# business records); subject access requests one year after they are answered (ICO);
# leavers' accounts two years after deactivation (docs/retention.md says why).
TAC_RETENTION_YEARS: dict[str, int] = {
    "case_episode": 0,
    "child_record": 0,
    "access_log": 6,
    "notifications": 6,
    "document_downloads": 6,
    "subject_access": 1,
    "import_content": 0,
    "leaver_account": 2,
}
TAC_RETENTION_YEARS |= env.dict("TAC_RETENTION_YEARS", cast={"value": int}, default={})
if any(years < 0 or years > 100 for years in TAC_RETENTION_YEARS.values()):
    raise ImproperlyConfigured(
        f"TAC_RETENTION_YEARS must give each record class 0 to 100 years "
        f"(got {TAC_RETENTION_YEARS!r})."
    )
# Days added to a class's years, for what is kept for weeks rather than years: an import
# file's rows 30 days after the import finished (TAC_RETENTION_DAYS="import_content=30").
TAC_RETENTION_DAYS: dict[str, int] = {
    "import_content": 30,
}
TAC_RETENTION_DAYS |= env.dict("TAC_RETENTION_DAYS", cast={"value": int}, default={})
if any(days < 0 or days > 3650 for days in TAC_RETENTION_DAYS.values()):
    raise ImproperlyConfigured(
        f"TAC_RETENTION_DAYS must give each record class 0 to 3650 days "
        f"(got {TAC_RETENTION_DAYS!r})."
    )
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="tac-demo-password-2026")

# --- What each app adds to the shared pages and the reminders ------------------
# The case page and "My work" belong to cases, but their sections come from every app.
# Each entry is the dotted path of a CasePanel or MyWorkPanel, in the order shown; the
# panels that carry the family's own words go first on the case page (DOMAIN §9.2 A1).
# Code, not configuration: change it only with the code.
TAC_CASE_PANELS = [
    "cases.panels.next_steps.NEXT_STEPS",
    "meetings.panels.FAMILY_VOICE",
    "assessments.panels.FAMILY_VOICE",
    "cases.panels.episode.EPISODE",
    "assessments.panels.ASSESSMENTS",
    "meetings.panels.MEETINGS",
    "meetings.panels.CONTRIBUTIONS",
    "documents.panels.DOCUMENTS",
    "imports.panels.PROVENANCE",
]
# The steps offered in the case page's "What happens next", by the app that owns each
# (a cases.panels.next_steps.NextStepSource), like the panels above.
TAC_NEXT_STEPS = [
    "cases.panels.next_steps.CASE_STEPS",
    "assessments.next_steps.STEPS",
    "meetings.next_steps.STEPS",
]
# The header's navigation (a tac_portal.navigation.NavItem each), in order. Each person
# sees the items their role may use; the home page sends them to the first.
TAC_NAVIGATION = [
    "cases.navigation.MY_WORK",
    "cases.navigation.FIND_A_CHILD",
    "cases.navigation.REQUESTS",
    "dashboards.navigation.DASHBOARD",
    "audit.navigation.ACCESS_REPORT",
    "audit.navigation.EMERGENCY_ACCESS",
    "disclosures.navigation.SUBJECT_ACCESS",
    "dashboards.navigation.ANNEX_A",
    "retention.navigation.RETENTION",
    "notifications.navigation.UNDELIVERED",
    "cases.navigation.ACCOUNT_REQUESTS",
    "webhooks.navigation.WEBHOOKS",
    "imports.navigation.IMPORTS",
    "agencies.navigation.CONFIGURATION",
    "notifications.navigation.NOTIFICATIONS",
]
# Where a subject access request looks for what is held about a person
# (tac_portal.disclosure: one collector per app, in the order the package shows them).
TAC_DISCLOSURE_SOURCES = [
    "cases.disclosure.collect",
    "assessments.disclosure.collect",
    "meetings.disclosure.collect",
    "documents.disclosure.collect",
    "audit.disclosure.collect",
]
TAC_MY_WORK_PANELS = [
    "dashboards.panels.CASELOAD",
    "meetings.panels.MY_WORK",
    "assessments.panels.DRAFTS",
    "cases.panels.episode.STEP_DOWN_IN",
]

# What each kind of reminder links to, and whether it is still due when it fires
# (a notifications.services.SubjectKind, by subject type: notifications.models), and
# how each app's reminders to the lead professional follow a change of lead. Code, not
# configuration, like the panels above.
TAC_REMINDER_SUBJECTS = {
    "case.review": "cases.services.reminders.CASE_REVIEW",
    "consent.recheck": "cases.services.reminders.CONSENT_RECHECK",
    "consent.age": "cases.services.reminders.CONSENT_AGE",
    "case.first_tac": "meetings.reminders.FIRST_TAC",
    "action.due": "meetings.reminders.ACTION_DUE",
    "assessment.draft": "assessments.reminders.DRAFT",
    "restriction.review": "audit.reminders.RESTRICTION_REVIEW",
    "break_glass.review": "audit.reminders.BREAK_GLASS_REVIEW",
}
# Called with every case chronology entry, in the transaction that records it
# (cases.services.common.record_event): the apps above cases that act on events.
TAC_CASE_EVENT_LISTENERS = ["webhooks.events.queue_for_case_event"]
# What follows a change to a family member's mobile number or agreement to texts: each
# app that texts families brings its waiting texts in line (a function of the member).
TAC_FAMILY_TEXT_SCHEDULERS = ["meetings.services.emails.replan_member_text_reminders"]
TAC_LEAD_REMINDER_SCHEDULERS = [
    "meetings.services.plan.schedule_case_action_reminders",
    "meetings.reminders.readdress_first_tac",
]

# --- Logging -----------------------------------------------------------------

LOG_LEVEL: str = env.str("LOG_LEVEL", default="INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL (got {LOG_LEVEL!r})."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            # The time of each entry in UTC with its offset (ISO 8601), whatever the
            # server's own time zone: entries from every process line up.
            "timestamp": "time",
            "rename_fields": {"levelname": "level", "name": "logger"},
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
        # Notify's client logs the error text Notify sends back, which may quote what
        # was sent; the outbox logs the status code itself.
        "notifications_python_client": {"level": "ERROR"},
    },
}
