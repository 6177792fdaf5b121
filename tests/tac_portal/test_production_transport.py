"""In production the cookies are __Host- prefixed and Secure, HSTS covers a year and every
subdomain (ASVS 3.3.1, 3.4.1), and no link to another service travels in clear (12.3.1)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.tac_portal.test_settings_environment import (
    PRODUCTION_ENV,
    ROOT,
    _inherited,
    load_settings,
)

SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
    "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS]))"
)


def test_production_cookies_are_host_prefixed_and_hsts_covers_a_year_and_subdomains() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**_inherited(), **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "tac_portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    session, csrf, session_secure, csrf_secure, hsts, subdomains = json.loads(result.stdout)
    assert session.startswith("__Host-")
    assert csrf.startswith("__Host-")
    assert session_secure
    assert csrf_secure
    assert hsts >= 365 * 24 * 60 * 60
    assert subdomains


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("DATABASE_URL", "postgres://tac@db.example:5432/tac", "DATABASE_URL needs ?sslmode"),
        ("DATABASE_URL", "postgres://tac@db.example/tac?sslmode=prefer", "DATABASE_URL needs"),
        ("REDIS_URL", "redis://redis.example:6379/0", "REDIS_URL (or CELERY_BROKER_URL)"),
        ("CACHE_URL", "redis://cache.example:6379/1", "CACHE_URL (or REDIS_URL) needs"),
        ("EMAIL_HOST", "smtp.example", "EMAIL_USE_TLS (STARTTLS) or EMAIL_USE_SSL"),
        ("TAC_CLAMD_ADDRESS", "tcp://clamav.example:3310", "clamd speaks no TLS"),
        ("TAC_NOTIFY_BASE_URL", "http://notify.example", "TAC_NOTIFY_BASE_URL needs https"),
    ],
)
def test_production_refuses_a_link_in_clear_and_says_how_to_encrypt_it(
    variable: str, value: str, named: str
) -> None:
    refused = load_settings({**PRODUCTION_ENV, variable: value})
    assert refused.returncode != 0
    assert "every link to another service must be encrypted" in refused.stderr
    assert named in refused.stderr
    # A deployment whose links run on its own private network says so, and starts.
    private = load_settings({**PRODUCTION_ENV, variable: value, "TAC_PRIVATE_NETWORK": "true"})
    assert private.returncode == 0, private.stderr


def test_the_document_store_must_be_reached_over_https() -> None:
    s3 = {
        **PRODUCTION_ENV,
        "TAC_DOCUMENTS_STORAGE": "s3",
        "TAC_DOCUMENTS_S3_BUCKET": "tac-documents",
    }
    plain = load_settings({**s3, "TAC_DOCUMENTS_S3_ENDPOINT_URL": "http://minio.example:9000"})
    assert "TAC_DOCUMENTS_S3_ENDPOINT_URL needs https" in plain.stderr
    encrypted = load_settings({**s3, "TAC_DOCUMENTS_S3_ENDPOINT_URL": "https://s3.example"})
    assert encrypted.returncode == 0, encrypted.stderr


def test_encrypted_or_local_links_start() -> None:
    encrypted = {
        **PRODUCTION_ENV,
        "EMAIL_HOST": "smtp.example",
        "EMAIL_USE_SSL": "true",
        "EMAIL_PORT": "465",
        "TAC_CLAMD_ADDRESS": "tcp://127.0.0.1:3310",
    }
    assert load_settings(encrypted).returncode == 0
    on_this_machine = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "postgres://tac@/tac?host=/run/postgresql",
        "REDIS_URL": "unix:///run/redis/redis.sock",
        "TAC_CLAMD_ADDRESS": "unix:///run/clamav/clamd.ctl",
    }
    result = load_settings(on_this_machine)
    assert result.returncode == 0, result.stderr
    both = load_settings({**encrypted, "EMAIL_USE_TLS": "true"})
    assert "not both" in both.stderr
