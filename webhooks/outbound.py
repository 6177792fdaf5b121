"""Posting a webhook to a partner's endpoint without letting the URL reach inside our network.

The URL is typed by an administrator, but the portal is what connects, from inside the
authority's network: a URL naming a private address (the database, a cloud metadata
service, an admin page on localhost) would make the portal a proxy (SSRF). So:

- HTTPS only, unless ``TAC_WEBHOOK_ALLOW_HTTP`` (tests and the local demo);
- the host name is resolved here, every address it resolves to must be a public one
  (unless ``TAC_WEBHOOK_ALLOW_PRIVATE_ADDRESSES``), and the connection is made to the
  address that was checked, so a second DNS answer cannot point it elsewhere;
- redirects are not followed; a connect and a read timeout bound every attempt, and
  only the status line of the answer is read.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

MSG_HTTPS_ONLY = "Enter an address that starts with https://"
MSG_NOT_A_URL = "Enter the endpoint's full address, like https://mis.example/webhooks/tac"
MSG_PRIVATE = "Enter a public address: the portal does not call private or local networks"


class UnsafeURL(ValueError):
    """The URL may not be called: the message says why, in words for the form."""


@dataclass(frozen=True)
class Answer:
    status: int
    duration_ms: int


def check_url(url: str) -> None:
    """Refuse a URL the portal must not call, before any DNS lookup (for the form)."""
    parts = urlsplit(url)
    allowed = {"https", "http"} if settings.TAC_WEBHOOK_ALLOW_HTTP else {"https"}
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise UnsafeURL(MSG_NOT_A_URL)
    if parts.scheme not in allowed:
        raise UnsafeURL(MSG_HTTPS_ONLY)
    if parts.username or parts.password:
        raise UnsafeURL(MSG_NOT_A_URL)
    try:
        literal = ipaddress.ip_address(parts.hostname)
    except ValueError:
        if parts.hostname.lower() == "localhost" or parts.hostname.endswith(".localhost"):
            _check_address(ipaddress.ip_address("127.0.0.1"))
        return
    _check_address(literal)


def _check_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
    if settings.TAC_WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if not address.is_global:
        raise UnsafeURL(MSG_PRIVATE)


def _resolve(host: str, port: int) -> str:
    """One checked address for ``host``; every address it resolves to must pass."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise UnsafeURL(MSG_NOT_A_URL)
    for address in addresses:
        _check_address(ipaddress.ip_address(str(address).split("%", 1)[0]))
    return str(addresses[0])


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address, with the certificate checked for the host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection(
            (self._address, self.port), timeout=settings.TAC_WEBHOOK_CONNECT_TIMEOUT
        )
        sock.settimeout(self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection(
            (self._address, self.port), timeout=settings.TAC_WEBHOOK_CONNECT_TIMEOUT
        )
        self.sock.settimeout(self.timeout)


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Answer:
    """POST ``body`` to ``url``; the answer's status. Raises ``UnsafeURL`` for a URL the
    portal must not call and ``OSError`` (timeouts included) when the endpoint cannot be
    reached."""
    check_url(url)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _resolve(host, port)
    timeout = settings.TAC_WEBHOOK_READ_TIMEOUT
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, address, port, timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    started = time.monotonic()
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={**headers, "User-Agent": "TAC-Portal-Webhooks/1"},
        )
        response = connection.getresponse()
        response.read(1024)  # a little of the answer, never stored; the status is what counts
        status = response.status
    except http.client.HTTPException as exc:
        raise OSError(type(exc).__name__) from exc
    finally:
        connection.close()
    return Answer(status=status, duration_ms=int((time.monotonic() - started) * 1000))
