"""The portal signs in to PostgreSQL, Redis and the mail server with a client certificate
or a short-lived password read afresh for each connection (ASVS 13.2.1).

Real servers on the loopback address, each with a throwaway certificate authority
(tests/tac_portal/backend_servers.py): nothing here stands in for the server or the
client library under test.
"""

from __future__ import annotations

import shutil
import smtplib
import ssl
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.core.cache.backends.redis import RedisCache
from django.core.mail import EmailMessage
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from tac_portal.celery import app as celery_app
from tac_portal.mail import EmailBackend
from tac_portal.settings import database_config, redis_connections
from tests.tac_portal.backend_servers import (
    Certificates,
    PostgresServer,
    SmtpServer,
    make_certificates,
    postgres_server,
    redis_server,
)

# The client certificates' common names: a PostgreSQL role that signs in by certificate,
# and the portal's certificate for Redis and the mail server.
CERT_ROLE = "tac_cert"
TOKEN_ROLE = "tac_token"
PORTAL = "tac_portal"


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """A directory the postgres system user can reach (pytest's own are root's alone)."""
    path = Path(tempfile.mkdtemp(prefix="tac-credentials-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def certificates(scratch: Path) -> Certificates:
    return make_certificates(scratch / "certificates", [CERT_ROLE, PORTAL])


@pytest.fixture(scope="module")
def postgres(
    scratch: Path, certificates: Certificates, django_db_blocker: Any
) -> Iterator[PostgresServer]:
    hba = [
        f"hostssl all {CERT_ROLE} 127.0.0.1/32 cert",
        f"hostssl all {TOKEN_ROLE} 127.0.0.1/32 scram-sha-256",
    ]
    with postgres_server(scratch / "postgres", certificates, hba) as server:
        _as_admin(
            server,
            certificates,
            django_db_blocker,
            f"CREATE ROLE {CERT_ROLE} LOGIN",
            f"CREATE ROLE {TOKEN_ROLE} LOGIN PASSWORD 'first-token-0001'",
        )
        yield server


def _as_admin(
    server: PostgresServer, certificates: Certificates, django_db_blocker: Any, *sql: str
) -> None:
    url = _database_url(server, certificates, server.admin)
    connection = ConnectionHandler({"default": database_config(url)})["default"]
    with django_db_blocker.unblock():
        try:
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)
        finally:
            connection.close()


@pytest.fixture
def database(django_db_blocker: Any) -> Iterator[Any]:
    """Opens Django connections to a server of a test's own, outside the test database."""
    opened: list[Any] = []

    def connect(config: dict[str, Any]) -> Any:
        connection = ConnectionHandler({"default": config})["default"]
        opened.append(connection)
        return connection

    with django_db_blocker.unblock():
        yield connect
        for connection in opened:
            connection.close()


def _who_and_how(connection: Any) -> tuple[str, bool, str | None]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, ssl, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
        )
        row: tuple[str, bool, str | None] = cursor.fetchone()
    return row


def _database_url(
    server: PostgresServer, certificates: Certificates, role: str, **extra: str
) -> str:
    query = "&".join(
        f"{key}={value}"
        for key, value in {
            "sslmode": "verify-full",
            "sslrootcert": certificates.ca,
            **extra,
        }.items()
    )
    return f"postgres://{role}@127.0.0.1:{server.port}/postgres?{query}"


def test_the_database_signs_in_with_a_client_certificate(
    postgres: PostgresServer, certificates: Certificates, database: Any
) -> None:
    cert, key = certificates.client(CERT_ROLE)
    url = _database_url(postgres, certificates, CERT_ROLE, sslcert=str(cert), sslkey=str(key))
    config = database_config(url)
    assert config["OPTIONS"]["sslcert"] == str(cert)

    assert _who_and_how(database(config)) == (CERT_ROLE, True, f"/CN={CERT_ROLE}")


def test_without_its_client_certificate_the_database_refuses(
    postgres: PostgresServer, certificates: Certificates, database: Any
) -> None:
    connection = database(database_config(_database_url(postgres, certificates, CERT_ROLE)))

    with pytest.raises(OperationalError, match="certificate"):
        connection.ensure_connection()


def test_a_rewritten_database_password_file_is_used_by_the_next_connection(
    postgres: PostgresServer,
    certificates: Certificates,
    database: Any,
    scratch: Path,
    django_db_blocker: Any,
) -> None:
    token = scratch / "database-token"
    token.write_text("first-token-0001\n")
    config = database_config(
        _database_url(postgres, certificates, TOKEN_ROLE), password_file=str(token)
    )
    connection = database(config)
    assert _who_and_how(connection)[:2] == (TOKEN_ROLE, True)
    connection.close()

    # The platform issues a new token and rewrites the file; the old one stops working.
    _as_admin(
        postgres,
        certificates,
        django_db_blocker,
        f"ALTER ROLE {TOKEN_ROLE} PASSWORD 'second-token-0002'",
    )
    token.write_text("second-token-0002\n")
    assert _who_and_how(connection)[:2] == (TOKEN_ROLE, True)
    connection.close()

    token.write_text("first-token-0001\n")
    with pytest.raises(OperationalError, match="password authentication failed") as refused:
        connection.ensure_connection()
    assert "first-token" not in str(refused.value)


# --- Redis: the cache and the Celery broker ------------------------------------------------


@pytest.fixture(scope="module")
def redis_port(scratch: Path, certificates: Certificates) -> Iterator[int]:
    """TLS only, every client shows a certificate; the ACL user ``portal`` has a password."""
    with redis_server(
        scratch / "redis",
        certificates,
        "--user",
        "portal",
        "on",
        ">first-token-0001",
        "~*",
        "&*",
        "+@all",
    ) as port:
        yield port


def _redis_url(port: int, certificates: Certificates, *, user: str = "", cert: bool = True) -> str:
    query = f"ssl_ca_certs={certificates.ca}&ssl_cert_reqs=required"
    if cert:
        certfile, keyfile = certificates.client(PORTAL)
        query += f"&ssl_certfile={certfile}&ssl_keyfile={keyfile}"
    return f"rediss://{user + '@' if user else ''}127.0.0.1:{port}/0?{query}"


def _redis_admin(port: int, certificates: Certificates) -> redis.Redis:
    return redis.Redis.from_url(_redis_url(port, certificates))


def _cache(cache_url: str, options: dict[str, Any]) -> RedisCache:
    return RedisCache(cache_url, {"KEY_PREFIX": "credentials-test", "OPTIONS": options})


def test_the_cache_and_broker_sign_in_to_redis_with_a_client_certificate(
    redis_port: int, certificates: Certificates
) -> None:
    broker_url, cache_url, options, _user = redis_connections(_redis_url(redis_port, certificates))
    cache = _cache(cache_url, options)
    cache.set("hello", "Lena", timeout=30)
    assert cache.get("hello") == "Lena"

    with celery_app.connection_for_write(broker_url) as connection:
        queue = connection.SimpleQueue("credentials-test")
        queue.put({"case": 1})
        message = queue.get(timeout=5)
        message.ack()
        queue.close()
    assert message.payload == {"case": 1}


def test_without_its_client_certificate_redis_refuses(
    redis_port: int, certificates: Certificates
) -> None:
    _broker, cache_url, options, _user = redis_connections(
        _redis_url(redis_port, certificates, cert=False)
    )
    with pytest.raises(redis.ConnectionError):
        _cache(cache_url, options).set("hello", "Lena", timeout=30)


def test_a_rewritten_redis_password_file_is_used_by_the_next_connection(
    redis_port: int, certificates: Certificates, scratch: Path, settings: Any
) -> None:
    token = scratch / "redis-token"
    token.write_text("first-token-0001\n")
    broker_url, cache_url, options, user = redis_connections(
        _redis_url(redis_port, certificates, user="portal"), password_file=str(token)
    )
    # Kombu builds the broker's credential provider from these settings.
    settings.REDIS_PASSWORD_FILE = str(token)
    settings.REDIS_USERNAME = user
    cache = _cache(cache_url, options)
    cache.set("hello", "Sam", timeout=30)
    admin = _redis_admin(redis_port, certificates)
    assert [client["user"] for client in admin.client_list()].count("portal") == 1

    def drop_connections() -> None:
        # As a restarted or failed-over server would: redis-py connects again.
        admin.execute_command("CLIENT", "KILL", "USER", "portal")

    admin.execute_command("ACL", "SETUSER", "portal", "resetpass", ">second-token-0002")
    token.write_text("second-token-0002\n")
    drop_connections()
    assert cache.get("hello") == "Sam"
    with celery_app.connection_for_write(broker_url) as connection:
        queue = connection.SimpleQueue("credentials-test-rotated")
        queue.put({"case": 2})
        queue.get(timeout=5).ack()
        queue.close()
    assert any(client["user"] == "portal" for client in admin.client_list())

    token.write_text("first-token-0001\n")
    drop_connections()
    with pytest.raises(redis.AuthenticationError) as refused:
        cache.get("hello")
    assert "first-token" not in str(refused.value)
    admin.close()


# --- The mail server -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def smtp_password() -> dict[str, str]:
    return {"current": "first-token-0001"}


@pytest.fixture(scope="module")
def smtp_server(certificates: Certificates, smtp_password: dict[str, str]) -> Iterator[SmtpServer]:
    server = SmtpServer(certificates, lambda: smtp_password["current"])
    try:
        yield server
    finally:
        server.close()


def _send(backend: EmailBackend) -> None:
    EmailMessage(
        "A meeting is arranged",
        "Sign in to see it.",
        "tac@tac.example",
        ["lena@tac.example"],
        connection=backend,
    ).send()


def test_the_mail_server_gets_the_client_certificate_and_a_password_read_per_connection(
    smtp_server: SmtpServer,
    smtp_password: dict[str, str],
    certificates: Certificates,
    scratch: Path,
    settings: Any,
) -> None:
    token = scratch / "mail-token"
    token.write_text("first-token-0001\n")
    certfile, keyfile = certificates.client(PORTAL)
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_SSL = True
    settings.EMAIL_HOST_USER = "portal"
    settings.EMAIL_HOST_PASSWORD_FILE = str(token)
    settings.EMAIL_SSL_CERTFILE = str(certfile)
    settings.EMAIL_SSL_KEYFILE = str(keyfile)
    settings.EMAIL_SSL_CAFILE = str(certificates.ca)
    backend = EmailBackend()
    assert (backend.ssl_certfile, backend.ssl_keyfile) == (str(certfile), str(keyfile))

    _send(backend)
    smtp_password["current"] = "second-token-0002"
    token.write_text("second-token-0002\n")
    _send(backend)  # the same backend: each connection reads the file again
    assert smtp_server.sign_ins[-2:] == [("portal", True), ("portal", True)]
    assert len(smtp_server.messages) >= 2

    token.write_text("first-token-0001\n")
    with pytest.raises(smtplib.SMTPAuthenticationError):
        _send(backend)


def test_without_its_client_certificate_the_mail_server_refuses(
    smtp_server: SmtpServer, certificates: Certificates, settings: Any
) -> None:
    settings.EMAIL_SSL_CAFILE = str(certificates.ca)
    backend = EmailBackend(
        host="127.0.0.1", port=smtp_server.port, use_ssl=True, username="portal", password="x"
    )
    failures = smtp_server.handshake_failures

    with pytest.raises((ssl.SSLError, smtplib.SMTPServerDisconnected, ConnectionError)):
        _send(backend)
    # The server's side of the refusal, recorded by its own thread.
    deadline = time.monotonic() + 5
    while smtp_server.handshake_failures == failures and time.monotonic() < deadline:
        time.sleep(0.01)
    assert smtp_server.handshake_failures == failures + 1
