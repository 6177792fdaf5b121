"""Production refuses to start without its required configuration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "TAC_ENVIRONMENT": "production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-settings-test-0123456789",
    "ALLOWED_HOSTS": "tac.example",
    "DATABASE_URL": "postgres://tac@db.example:5432/tac?sslmode=verify-full",
    "REDIS_URL": "rediss://redis.example:6379/0",
}


def _inherited() -> dict[str, str]:
    """This process's environment less the production variables and test-only overrides."""
    return {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }


def load_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = _inherited()
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "tac_portal.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('loaded')"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_starts_with_every_production_variable_set() -> None:
    result = load_settings(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "loaded" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"])
def test_it_refuses_to_start_in_production_without(missing: str) -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = load_settings(env)
    assert result.returncode != 0
    assert f"The {missing} environment variable is required in production" in result.stderr


def test_debug_is_off_unless_asked_for() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env={**_inherited(), **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "tac_portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip() == "False", result.stderr


def test_it_passes_the_deployment_checks_with_production_settings() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**_inherited(), **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "tac_portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_collects_static_files_for_production(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env={
            **_inherited(),
            **PRODUCTION_ENV,
            "DJANGO_SETTINGS_MODULE": "tac_portal.settings",
            "STATIC_ROOT": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "staticfiles.json").exists()


def _run(code: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env={**_inherited(), **env, "DJANGO_SETTINGS_MODULE": "tac_portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


SHOW_FALLBACKS = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.SECRET_KEY_FALLBACKS))"
)
OLD_KEY = PRODUCTION_ENV["SECRET_KEY"]
NEW_KEY = "the-next-production-secret-key-for-the-rotation-test-9876543210"


def test_earlier_secret_keys_come_from_the_environment() -> None:
    unset = _run(SHOW_FALLBACKS, PRODUCTION_ENV)
    assert unset.returncode == 0, unset.stderr
    assert json.loads(unset.stdout) == []
    given = _run(SHOW_FALLBACKS, {**PRODUCTION_ENV, "SECRET_KEY_FALLBACKS": " old-one , old-two,"})
    assert given.returncode == 0, given.stderr
    assert json.loads(given.stdout) == ["old-one", "old-two"]


SIGN_AND_SEAL = (
    "import django, json; django.setup(); from django.core import signing; "
    "from webhooks.signing import seal; "
    "print(json.dumps([signing.dumps('kept', salt='rotation'), seal('whsec_kept')]))"
)
READ_BACK = (
    "import django, sys; django.setup(); from django.core import signing; "
    "from webhooks.signing import unseal; "
    "print(signing.loads(sys.argv[1], salt='rotation'), unseal(sys.argv[2]))"
)


def test_a_new_secret_key_reads_what_the_old_one_signed_only_while_it_is_a_fallback() -> None:
    made = _run(SIGN_AND_SEAL, PRODUCTION_ENV)
    assert made.returncode == 0, made.stderr
    signed, sealed = json.loads(made.stdout)
    rotated = {**PRODUCTION_ENV, "SECRET_KEY": NEW_KEY}
    kept = _run(READ_BACK, {**rotated, "SECRET_KEY_FALLBACKS": OLD_KEY}, signed, sealed)
    assert kept.returncode == 0, kept.stderr
    assert kept.stdout.split() == ["kept", "whsec_kept"]
    dropped = _run(READ_BACK, rotated, signed, sealed)
    assert dropped.returncode != 0
    assert "BadSignature" in dropped.stderr


@pytest.mark.parametrize(
    ("url", "cache", "broker"),
    [
        (
            "redis://cache.example:6379/3",
            "redis://cache.example:6379/3",
            "redis://cache.example:6379/3",
        ),
        (
            "unix:///run/redis/redis.sock",
            "unix:///run/redis/redis.sock",
            "redis+socket:///run/redis/redis.sock?virtual_host=0",
        ),
        (
            "unix:///run/redis/redis.sock?db=2",
            "unix:///run/redis/redis.sock?db=2",
            "redis+socket:///run/redis/redis.sock?virtual_host=2",
        ),
    ],
)
def test_the_cache_and_broker_use_the_database_in_redis_url(
    url: str, cache: str, broker: str
) -> None:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['LOCATION']); print(settings.CELERY_BROKER_URL)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **_inherited(),
            **PRODUCTION_ENV,
            "REDIS_URL": url,
            "TAC_PRIVATE_NETWORK": "true",
            "DJANGO_SETTINGS_MODULE": "tac_portal.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == [cache, broker], result.stderr


def test_the_old_cache_variable_still_works_with_a_warning() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['LOCATION'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **_inherited(),
            **PRODUCTION_ENV,
            "CACHE_REDIS_URL": "redis://cache.example:6379/4",
            "TAC_PRIVATE_NETWORK": "true",
            "DJANGO_SETTINGS_MODULE": "tac_portal.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == ["redis://cache.example:6379/4"], result.stderr
    assert "CACHE_REDIS_URL is deprecated" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "true", "DEBUG must be off in production"),
        ("TAC_REQUIRE_MFA", "false", "TAC_REQUIRE_MFA cannot be turned off in production"),
        ("TAC_REQUIRE_MFA", "ture", "TAC_REQUIRE_MFA must be true or false"),
        ("SITE_URL", "tac.example", "SITE_URL must be the portal's address"),
        ("TAC_BREAK_GLASS_HOURS", "72", "TAC_BREAK_GLASS_HOURS must be from 1 to 24"),
        ("TAC_API_RATE", "600 per minute", "TAC_API_RATE must be a number of requests"),
        ("CELERY_RESULT_BACKEND", "redis://redis.example:6379/1", "CELERY_RESULT_BACKEND"),
        ("CELERY_BROKER_URL", "unix:///run/redis.sock", "redis+socket://"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be"),
        ("TAC_EMAIL_CHANNEL", "sendgrid", 'TAC_EMAIL_CHANNEL must be "smtp" or "notify"'),
        ("TAC_EMAIL_CHANNEL", "notify", 'TAC_EMAIL_CHANNEL="notify" needs TAC_NOTIFY_API_KEY'),
        ("TAC_NOTIFY_API_KEY", "not-a-key", "TAC_NOTIFY_API_KEY must be a key from GOV.UK"),
        ("TAC_NOTIFY_EMAIL_TEMPLATE_ID", "email", "Notify email template ID must be"),
    ],
)
def test_it_refuses_to_start_with_a_dangerous_or_meaningless(
    variable: str, value: str, message: str
) -> None:
    result = load_settings({**PRODUCTION_ENV, variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_manage_py_works_with_no_configuration_at_all() -> None:
    bare = {"PATH": os.environ["PATH"]}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=bare,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout
