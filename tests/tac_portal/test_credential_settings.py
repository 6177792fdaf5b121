"""Settings for certificate sign-in and password files (ASVS 13.2.1): what they build, and
the clear refusals (tests/tac_portal/test_backend_credentials.py runs them on real servers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import ConnectionHandler

from tac_portal.backend_credentials import (
    REDIS_PROVIDER_PATH,
    RedisPasswordFile,
    SecretFileError,
    read_secret_file,
)
from tac_portal.settings import database_config, redis_connections
from tests.tac_portal.test_settings_environment import PRODUCTION_ENV, load_settings


def test_the_database_urls_certificate_parameters_reach_psycopg2() -> None:
    config = database_config(
        "postgres://tac_portal@db.example:5432/tac?sslmode=verify-full"
        "&sslrootcert=/etc/tac/ca.pem&sslcert=/etc/tac/portal.pem&sslkey=/etc/tac/portal.key"
    )
    params = ConnectionHandler({"default": config})["default"].get_connection_params()

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert {key: params[key] for key in ("sslmode", "sslrootcert", "sslcert", "sslkey")} == {
        "sslmode": "verify-full",
        "sslrootcert": "/etc/tac/ca.pem",
        "sslcert": "/etc/tac/portal.pem",
        "sslkey": "/etc/tac/portal.key",
    }
    assert "password" not in params


def test_the_database_password_file_is_read_at_each_connection(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("token-one\n")
    config = database_config("postgres://tac_portal@db.example/tac", password_file=str(token))
    connection = ConnectionHandler({"default": config})["default"]

    assert config["ENGINE"] == "tac_portal.postgresql"
    assert connection.get_connection_params()["password"] == "token-one"
    token.write_text("token-two\n")
    assert connection.get_connection_params()["password"] == "token-two"


@pytest.mark.parametrize(
    ("content", "message"), [(None, "cannot be read"), ("", "is empty"), ("\n", "is empty")]
)
def test_a_missing_or_empty_password_file_is_named_with_its_variable(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "token"
    if content is not None:
        path.write_text(content)

    with pytest.raises(SecretFileError, match=message) as refused:
        read_secret_file("DATABASE_PASSWORD_FILE", str(path))
    assert str(refused.value).startswith(f"DATABASE_PASSWORD_FILE names '{path}'")


def test_a_secret_never_appears_in_a_provider_or_its_refusal(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("s3cret-token-value")
    provider = RedisPasswordFile(str(token), username="portal")

    assert provider.get_credentials() == ("portal", "s3cret-token-value")
    assert "s3cret" not in repr(provider)
    token.write_text("   ")
    with pytest.raises(SecretFileError) as refused:
        provider.get_credentials()
    assert "REDIS_PASSWORD_FILE" in str(refused.value)


def test_a_database_password_given_both_ways_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL carries a password"):
        database_config("postgres://tac:secret@db.example/tac", password_file="/run/token")


def test_the_redis_password_file_gives_the_cache_and_the_broker_a_provider() -> None:
    broker, cache, options, user = redis_connections(
        "rediss://portal@redis.example:6380/3?ssl_cert_reqs=required",
        password_file="/run/redis-token",
    )

    assert broker == (
        "rediss://portal@redis.example:6380/3?ssl_cert_reqs=required"
        f"&credential_provider={REDIS_PROVIDER_PATH}"
    )
    # redis-py takes the user from the provider, and refuses it in the URL as well.
    assert cache == "rediss://redis.example:6380/3?ssl_cert_reqs=required"
    assert repr(options["credential_provider"]) == (
        "RedisPasswordFile(path='/run/redis-token', username='portal')"
    )
    assert user == "portal"


def test_without_a_password_file_the_redis_urls_are_as_before() -> None:
    assert redis_connections("redis://redis.example:6379/3") == (
        "redis://redis.example:6379/3",
        "redis://redis.example:6379/3",
        {},
        "",
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"redis_url": "rediss://:old@redis.example/0"}, "REDIS_URL carries a password"),
        (
            {"redis_url": "rediss://redis.example/0", "cache_url": "rediss://:old@cache/1"},
            "CACHE_URL carries a password",
        ),
        (
            {"redis_url": "rediss://redis.example/0", "broker_url": "rediss://broker.example/0"},
            "CELERY_BROKER_URL must end with",
        ),
    ],
)
def test_redis_passwords_given_both_ways_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        redis_connections(**kwargs, password_file="/run/redis-token")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DATABASE_URL": "postgres://tac:secret@db.example/tac?sslmode=verify-full"},
            "DATABASE_URL carries a password and DATABASE_PASSWORD_FILE is set",
        ),
        (
            {"REDIS_URL": "rediss://:secret@redis.example:6379/0"},
            "REDIS_URL carries a password and REDIS_PASSWORD_FILE is set",
        ),
        (
            {"EMAIL_HOST_PASSWORD": "secret"},
            "EMAIL_HOST_PASSWORD carries a password and EMAIL_HOST_PASSWORD_FILE is set",
        ),
        (
            {"EMAIL_SSL_CERTFILE": "/run/tls/portal.pem"},
            "Set both EMAIL_SSL_CERTFILE and EMAIL_SSL_KEYFILE",
        ),
        (
            {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"},
            "need EMAIL_BACKEND=tac_portal.mail.EmailBackend",
        ),
    ],
)
def test_production_refuses_to_start_with_a_password_given_both_ways(
    env: dict[str, str], message: str
) -> None:
    files = {
        "DATABASE_PASSWORD_FILE": "/run/secrets/database",
        "REDIS_PASSWORD_FILE": "/run/secrets/redis",
        "EMAIL_HOST_PASSWORD_FILE": "/run/secrets/mail",
    }
    result = load_settings({**PRODUCTION_ENV, **files, **env})

    assert result.returncode != 0
    assert message in result.stderr
    assert "secret" not in result.stderr.replace("/run/secrets/", "")


def test_production_starts_with_password_files_and_client_certificates() -> None:
    result = load_settings(
        {
            **PRODUCTION_ENV,
            "DATABASE_URL": "postgres://tac@db.example/tac?sslmode=verify-full"
            "&sslcert=/run/tls/db.pem&sslkey=/run/tls/db.key",
            "DATABASE_PASSWORD_FILE": "/run/secrets/database",
            "REDIS_URL": "rediss://portal@redis.example:6380/0?ssl_certfile=/run/tls/r.pem"
            "&ssl_keyfile=/run/tls/r.key&ssl_cert_reqs=required",
            "REDIS_PASSWORD_FILE": "/run/secrets/redis",
            "EMAIL_HOST": "smtp.example",
            "EMAIL_USE_TLS": "true",
            "EMAIL_HOST_PASSWORD_FILE": "/run/secrets/mail",
            "EMAIL_SSL_CERTFILE": "/run/tls/mail.pem",
            "EMAIL_SSL_KEYFILE": "/run/tls/mail.key",
        }
    )
    assert result.returncode == 0, result.stderr
