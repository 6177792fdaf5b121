"""Virus scanning by the ClamAV daemon (clamd), over its socket, with the INSTREAM command.

The client is small on purpose: it sends the file in chunks (``zINSTREAM``, then each
chunk as a 4-byte big-endian length and its bytes, then a zero length) and reads one
answer: ``stream: OK``, ``stream: <signature> FOUND`` or an error. Anything other than
a clear "OK" is not clean: a file the daemon could not be asked about, or answered
strangely about, is quarantined with the reason, never let through.

``settings.TAC_CLAMD_ADDRESS`` names the daemon: ``unix:///run/clamav/clamd.ctl`` or
``tcp://clamav:3310``.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

CHUNK_BYTES = 64 * 1024


class ScanOutcome:
    CLEAN = "clean"
    INFECTED = "infected"
    FAILED = "failed"


@dataclass(frozen=True)
class ScanResult:
    """What the scanner said: ``outcome`` and, when not clean, why (a signature name or
    the reason the file could not be scanned)."""

    outcome: str
    detail: str = ""

    @property
    def is_clean(self) -> bool:
        return self.outcome == ScanOutcome.CLEAN


class ScannerUnavailable(Exception):
    """The daemon could not be reached or did not answer."""


def _connect(address: str, timeout: float) -> socket.socket:
    parts = urlsplit(address)
    if parts.scheme == "unix":
        path = parts.path or parts.netloc
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(path)
        return sock
    if parts.scheme == "tcp" and parts.hostname:
        return socket.create_connection((parts.hostname, parts.port or 3310), timeout=timeout)
    raise ScannerUnavailable(f"The scanner's address is not understood: {address!r}.")


def _read_reply(sock: socket.socket) -> str:
    reply = b""
    while not reply.endswith(b"\0"):
        data = sock.recv(4096)
        if not data:
            break
        reply += data
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def _command(address: str, command: bytes, timeout: float) -> str:
    with _connect(address, timeout) as sock:
        sock.sendall(b"z" + command + b"\0")
        return _read_reply(sock)


def ping(address: str | None = None, *, timeout: float = 5) -> bool:
    """Whether the daemon answers ``PING`` with ``PONG``."""
    address = address if address is not None else settings.TAC_CLAMD_ADDRESS
    if not address:
        return False
    try:
        return _command(address, b"PING", timeout) == "PONG"
    except (OSError, ScannerUnavailable):
        return False


def scan_chunks(chunks: Iterable[bytes], *, address: str | None = None) -> ScanResult:
    """Send the bytes ``chunks`` yields to the daemon and say what it found.

    Never raises for the scanner's sake: an unreachable, slow or confused daemon is a
    ``FAILED`` result with the reason, so that the caller quarantines the file.
    """
    address = address if address is not None else settings.TAC_CLAMD_ADDRESS
    if not address:
        return ScanResult(
            ScanOutcome.FAILED, "No virus scanner is set up, so the file could not be scanned."
        )
    timeout = float(settings.TAC_CLAMD_TIMEOUT_SECONDS)
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                for start in range(0, len(chunk), CHUNK_BYTES):
                    piece = chunk[start : start + CHUNK_BYTES]
                    sock.sendall(struct.pack("!L", len(piece)) + piece)
            sock.sendall(struct.pack("!L", 0))
            reply = _read_reply(sock)
    except (OSError, ScannerUnavailable):
        return ScanResult(
            ScanOutcome.FAILED,
            "The virus scanner could not be reached, so the file was not scanned.",
        )
    return parse_reply(reply)


def parse_reply(reply: str) -> ScanResult:
    """The daemon's answer to INSTREAM as a ``ScanResult``."""
    body = reply.removeprefix("stream:").strip()
    if body == "OK":
        return ScanResult(ScanOutcome.CLEAN)
    if body.endswith(" FOUND"):
        signature = body.removesuffix(" FOUND").strip()[:100]
        return ScanResult(ScanOutcome.INFECTED, f"The virus scanner found {signature}.")
    if "size limit exceeded" in body.lower():
        return ScanResult(
            ScanOutcome.FAILED,
            "The file is larger than the virus scanner accepts, so it was not scanned.",
        )
    return ScanResult(
        ScanOutcome.FAILED, "The virus scanner could not scan the file (it reported an error)."
    )
