"""Throwaway certificates and real PostgreSQL, Redis and SMTP servers for the credential tests.

A certificate authority made afresh for the run signs the servers' certificates (for
127.0.0.1) and the clients' (their common name is the PostgreSQL role they sign in
as). Each server listens on a free port of the loopback address, in a directory of its
own, and is stopped by the fixture that started it, even when a test fails.
"""

from __future__ import annotations

import base64
import contextlib
import ipaddress
import os
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
REDIS_SERVER = Path("/usr/bin/redis-server")
# PostgreSQL will not run as root: then its server runs as this system user.
POSTGRES_USER = "postgres"


@dataclass(frozen=True)
class Certificates:
    directory: Path
    ca: Path
    server_cert: Path
    server_key: Path

    def client(self, name: str) -> tuple[Path, Path]:
        """The certificate and key of the client whose common name is ``name``."""
        return self.directory / f"{name}.crt", self.directory / f"{name}.key"


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)


def _sign(
    subject: str,
    *,
    ca_key: ec.EllipticCurvePrivateKey,
    issuer: x509.Name,
    usage: x509.ObjectIdentifier,
    server: bool,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    )
    if server:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
    return builder.sign(ca_key, hashes.SHA256()), key


def make_certificates(directory: Path, clients: list[str]) -> Certificates:
    """A new authority, a server certificate for 127.0.0.1 and one client certificate each."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    ca_name = _name("TAC Portal test authority")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    (directory / "ca.crt").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    issued = [("server", ExtendedKeyUsageOID.SERVER_AUTH, True)] + [
        (name, ExtendedKeyUsageOID.CLIENT_AUTH, False) for name in clients
    ]
    for subject, usage, server in issued:
        cert, key = _sign(subject, ca_key=ca_key, issuer=ca_name, usage=usage, server=server)
        (directory / f"{subject}.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        _write_key(directory / f"{subject}.key", key)
    return Certificates(
        directory=directory,
        ca=directory / "ca.crt",
        server_cert=directory / "server.crt",
        server_key=directory / "server.key",
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start:\n{log.read_text()[-2000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"the server did not listen on {port}:\n{log.read_text()[-2000:]}")


def _stop(process: subprocess.Popen[bytes], how: signal.Signals = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(how)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _as_postgres_user() -> dict[str, Any]:
    """PostgreSQL refuses to run as root: then Popen runs it as the postgres system user
    (itself, not through a wrapper, so that a signal reaches the server)."""
    if os.geteuid() != 0:
        return {}
    return {"user": POSTGRES_USER, "group": POSTGRES_USER, "extra_groups": []}


@dataclass(frozen=True)
class PostgresServer:
    port: int
    admin: str  # a superuser that signs in without a password over TLS (setup only)


@contextlib.contextmanager
def postgres_server(
    directory: Path, certificates: Certificates, hba: list[str]
) -> Iterator[PostgresServer]:
    """A PostgreSQL cluster with TLS on, client certificates checked against the authority,
    and ``hba`` as its pg_hba.conf (after a line that lets ``admin`` set things up)."""
    directory.mkdir(parents=True, exist_ok=True)
    data = directory / "data"
    tls = directory / "tls"
    tls.mkdir()
    for source in (certificates.ca, certificates.server_cert, certificates.server_key):
        shutil.copy(source, tls / source.name)
    if os.geteuid() == 0:
        # The server's user must reach the directory and own its key.
        directory.chmod(0o755)
        for path in (directory, tls, *tls.iterdir()):
            shutil.chown(path, POSTGRES_USER, POSTGRES_USER)
    (tls / "server.key").chmod(0o600)
    admin = "tac_admin"
    initdb = subprocess.run(
        [str(POSTGRES_BIN / "initdb"), "-D", str(data), "-U", admin, "-A", "reject"],
        **_as_postgres_user(),
        capture_output=True,
        text=True,
        check=False,
    )
    if initdb.returncode:
        raise RuntimeError(f"initdb failed:\n{initdb.stdout}{initdb.stderr}")
    (data / "pg_hba.conf").write_text(
        "\n".join([f"hostssl all {admin} 127.0.0.1/32 trust", *hba, ""])
    )
    port = free_port()
    log = directory / "postgres.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(POSTGRES_BIN / "postgres"),
                "-D",
                str(data),
                "-c",
                f"port={port}",
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=",
                "-c",
                "ssl=on",
                "-c",
                f"ssl_cert_file={tls / 'server.crt'}",
                "-c",
                f"ssl_key_file={tls / 'server.key'}",
                "-c",
                f"ssl_ca_file={tls / 'ca.crt'}",
                "-c",
                "fsync=off",
            ],
            **_as_postgres_user(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_port(port, process, log)
        # Listening is not yet accepting: the server may still be starting up.
        deadline = time.monotonic() + 20
        while subprocess.run(
            [str(POSTGRES_BIN / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port)],
            check=False,
        ).returncode:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"PostgreSQL did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.05)
        yield PostgresServer(port=port, admin=admin)
    finally:
        # SIGINT: PostgreSQL's fast shutdown, which does not wait for clients to leave.
        _stop(process, signal.SIGINT)


@contextlib.contextmanager
def redis_server(directory: Path, certificates: Certificates, *extra: str) -> Iterator[int]:
    """A redis-server speaking TLS only, which asks every client for a certificate."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = directory / "redis.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(REDIS_SERVER),
                "--port",
                "0",
                "--tls-port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--tls-cert-file",
                str(certificates.server_cert),
                "--tls-key-file",
                str(certificates.server_key),
                "--tls-ca-cert-file",
                str(certificates.ca),
                "--tls-auth-clients",
                "yes",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(directory),
                *extra,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_port(port, process, log)
        yield port
    finally:
        _stop(process)


class SmtpServer:
    """A small SMTP server over TLS from the first byte (as on port 465) that requires a
    client certificate from the authority and accepts AUTH PLAIN with ``password()``.

    Enough of the protocol for Django's SMTP backend: EHLO, AUTH PLAIN, MAIL, RCPT, DATA,
    RSET, NOOP and QUIT. Each sign-in is recorded as (user, whether it was accepted)."""

    def __init__(self, certificates: Certificates, password: Callable[[], str]) -> None:
        self.password = password
        self.sign_ins: list[tuple[str, bool]] = []
        self.messages: list[bytes] = []
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(certificates.server_cert, certificates.server_key)
        self.context.load_verify_locations(certificates.ca)
        self.context.verify_mode = ssl.CERT_REQUIRED
        self.listener = socket.create_server(("127.0.0.1", 0))
        # accept() wakes up often enough to notice close() soon.
        self.listener.settimeout(0.1)
        self.port = int(self.listener.getsockname()[1])
        self.handshake_failures = 0
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._closing.set()
        self._thread.join(timeout=5)
        self.listener.close()

    def _serve(self) -> None:
        while not self._closing.is_set():
            try:
                raw, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve_client, args=(raw,), daemon=True).start()

    def _serve_client(self, raw: socket.socket) -> None:
        # A client that goes away mid-conversation ends that conversation, nothing more.
        with contextlib.suppress(OSError, ValueError):
            self._converse(raw)

    def _converse(self, raw: socket.socket) -> None:
        raw.settimeout(5)
        try:
            conn = self.context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            self.handshake_failures += 1
            raw.close()
            return
        with conn, conn.makefile("rb") as reader:

            def reply(line: str) -> None:
                conn.sendall(line.encode() + b"\r\n")

            reply("220 smtp.test ready")
            while line := reader.readline():
                verb, _, argument = line.decode().strip().partition(" ")
                verb = verb.upper()
                if verb == "EHLO":
                    reply("250-smtp.test")
                    reply("250 AUTH PLAIN")
                elif verb == "AUTH":
                    _mechanism, _, blob = argument.partition(" ")
                    _zid, user, password = base64.b64decode(blob).decode().split("\0")
                    accepted = password == self.password()
                    self.sign_ins.append((user, accepted))
                    reply("235 accepted" if accepted else "535 refused")
                elif verb == "DATA":
                    reply("354 go on")
                    body = b""
                    while (chunk := reader.readline()) not in (b".\r\n", b""):
                        body += chunk
                    self.messages.append(body)
                    reply("250 queued")
                elif verb == "QUIT":
                    reply("221 bye")
                    return
                else:  # MAIL, RCPT, RSET, NOOP
                    reply("250 ok")
