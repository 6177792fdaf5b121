"""Production refuses to start without its required configuration."""

from __future__ import annotations

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
    "DATABASE_URL": "postgres://tac@db.example:5432/tac",
    "REDIS_URL": "redis://redis.example:6379/0",
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


@pytest.mark.parametrize(
    ("url", "cache", "broker"),
    [
        (
            "redis://cache.example:6379/0",
            "redis://cache.example:6379/1",
            "redis://cache.example:6379/0",
        ),
        (
            "unix:///run/redis/redis.sock",
            "unix:///run/redis/redis.sock?db=1",
            "redis+socket:///run/redis/redis.sock?db=0",
        ),
    ],
)
def test_it_derives_cache_and_broker_urls_from_redis_url(url: str, cache: str, broker: str) -> None:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHE_REDIS_URL); print(settings.CELERY_BROKER_URL)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **_inherited(),
            **PRODUCTION_ENV,
            "REDIS_URL": url,
            "DJANGO_SETTINGS_MODULE": "tac_portal.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == [cache, broker], result.stderr


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
