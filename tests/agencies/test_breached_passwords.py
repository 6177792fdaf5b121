"""Breached passwords are refused (ASVS 6.2.12), through a local stand-in for the
k-anonymity range API of Pwned Passwords: the machines that run the tests cannot reach
the real one. Only the first five characters of the password's SHA-1 leave the portal."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from agencies.models import User
from tests.helpers import PASSWORD

BREACHED = "correct horse battery staple"
FRESH = "a brand new long passphrase 2026"


def _sha1(password: str) -> str:
    return hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()


class RangeServer:
    """Answers GET /range/<5 hex> as the range API does, padded with counts of 0."""

    def __init__(self, breached: list[str]) -> None:
        self.hashes = [_sha1(p) for p in breached]
        self.paths: list[str] = []
        self.headers: list[dict[str, str]] = []
        self.delay = 0.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.paths.append(self.path)
                server.headers.append(dict(self.headers))
                time.sleep(server.delay)
                prefix = self.path.rsplit("/", 1)[-1]
                lines = [f"{h[5:]}:{1234}" for h in server.hashes if h.startswith(prefix)]
                lines += [f"{'0' * 34}{n:01X}:0" for n in range(3)]  # padding
                body = "\r\n".join(lines).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except BrokenPipeError:
                    pass  # the portal stopped waiting, as it should

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/range/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def range_api(settings: Any) -> Iterator[RangeServer]:
    server = RangeServer([BREACHED])
    settings.TAC_BREACHED_PASSWORDS_URL = server.url
    settings.TAC_BREACHED_PASSWORDS_TIMEOUT = 1
    yield server
    server.close()


def test_a_breached_password_is_refused_and_only_a_hash_prefix_is_sent(
    range_api: RangeServer, db: None
) -> None:
    with pytest.raises(ValidationError, match="appeared in a data breach"):
        validate_password(BREACHED)
    validate_password(FRESH)
    assert range_api.paths == [f"/range/{_sha1(BREACHED)[:5]}", f"/range/{_sha1(FRESH)[:5]}"]
    assert all(h.get("Add-Padding") == "true" for h in range_api.headers)


def test_padding_entries_are_not_breaches(range_api: RangeServer, db: None) -> None:
    # A password whose hash the padding happens to share is not refused for a count of 0.
    range_api.hashes.append("0" * 40)
    validate_password(FRESH)


def test_a_service_that_does_not_answer_leaves_the_other_rules_to_judge(
    range_api: RangeServer, db: None, caplog: pytest.LogCaptureFixture
) -> None:
    range_api.delay = 2.5
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="tac.security"):
        validate_password(BREACHED)
    assert time.monotonic() - started < 2.5
    skipped = [
        r for r in caplog.records if getattr(r, "event", "") == "breached_password_check_skipped"
    ]
    assert skipped
    assert skipped[0].reason == "TimeoutError"  # type: ignore[attr-defined]
    assert BREACHED not in caplog.text
    with pytest.raises(ValidationError, match="too common"):
        validate_password("password1234")  # the common passwords still apply


def test_changing_to_a_breached_password_is_refused_on_the_field(
    range_api: RangeServer, lead: User
) -> None:
    client = Client()
    client.post(reverse("agencies:sign_in"), {"username": lead.email, "password": PASSWORD})
    refused = client.post(
        reverse("agencies:password_change"),
        {"old_password": PASSWORD, "new_password1": BREACHED, "new_password2": BREACHED},
    )
    assert refused.status_code == 200
    assert "appeared in a data breach" in refused.content.decode()
    lead.refresh_from_db()
    assert lead.check_password(PASSWORD)
