"""A local GOV.UK Notify for the tests: the machines that run them cannot reach the real one.

It speaks the part of Notify's documented REST API (v2) the portal uses, from the API's
own documentation (docs.notifications.service.gov.uk/rest-api.html):

- ``POST /v2/notifications/email`` (``email_address``, ``template_id``, optional
  ``personalisation`` and ``reference``) and ``POST /v2/notifications/sms``
  (``phone_number`` instead), answering ``201`` with the notification's ``id``,
  ``reference``, rendered ``content``, ``uri`` and ``template``;
- the ``Authorization: Bearer`` header carries a JSON Web Token signed with HS256 with
  the API key's secret, whose ``iss`` is the service ID and whose ``iat`` is within 30
  seconds of now; anything else is ``403 AuthError``;
- errors are ``{"status_code": ..., "errors": [{"error": ..., "message": ...}]}``: 400
  ``BadRequestError``/``ValidationError`` for a missing field, an unknown template or a
  missing placeholder; a test can make it answer any status with ``fail_next``.

Every accepted (and refused) request is kept in ``requests``, with the token's claims
and the message as Notify would render it, so a test can check what a family would read.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from django.test import override_settings

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"tac_portal_test-{SERVICE_ID}-{SECRET}"

EMAIL_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
TEXT_TEMPLATE_ID = "8a4b1cd3-6e4e-4a7e-9a0b-1f2c3d4e5f60"

#: The templates as they would be made in Notify (docs/notify.md gives the same text).
TEMPLATES: dict[str, dict[str, str]] = {
    EMAIL_TEMPLATE_ID: {"type": "email", "subject": "((subject))", "body": "((body))"},
    TEXT_TEMPLATE_ID: {
        "type": "sms",
        "body": "Hello ((first_name)), this is a reminder of your meeting with the early "
        "help team on ((date)) at ((time)). If you cannot come or have a question, call "
        "((phone_number)).",
    },
}

_PLACEHOLDER = re.compile(r"\(\(([^()]+)\)\)")


@dataclass
class Received:
    path: str
    status: int
    body: dict[str, Any]
    claims: dict[str, Any] | None
    rendered: dict[str, str] = field(default_factory=dict)


class FakeNotify:
    """Notify on 127.0.0.1 on a free port, in a thread; ``stop()`` shuts it down."""

    def __init__(self, *, secret: str = SECRET, service_id: str = SERVICE_ID) -> None:
        self.secret = secret
        self.service_id = service_id
        self.requests: list[Received] = []
        self.failures: list[int] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, *statuses: int) -> None:
        """Answer the next requests with these statuses (after checking the token)."""
        self.failures.extend(statuses)

    @property
    def accepted(self) -> list[Received]:
        return [r for r in self.requests if r.status == 201]

    # --- The API -------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        path = handler.path
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        claims = self._claims(handler.headers.get("Authorization", ""))
        status, answer, rendered = self._answer(path, body, claims)
        with self._lock:
            self.requests.append(Received(path, status, body, claims, rendered))
        data = json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _claims(self, authorization: str) -> dict[str, Any] | None:
        scheme, _, token = authorization.partition(" ")
        if scheme != "Bearer" or not token:
            return None
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != "HS256":
                return None
            claims: dict[str, Any] = jwt.decode(
                token, self.secret, algorithms=["HS256"], options={"require": ["iss", "iat"]}
            )
        except jwt.PyJWTError:
            return None
        if claims["iss"] != self.service_id or abs(time.time() - int(claims["iat"])) > 30:
            return None
        return claims

    def _answer(
        self, path: str, body: dict[str, Any], claims: dict[str, Any] | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        if path not in {"/v2/notifications/email", "/v2/notifications/sms"}:
            return _error(404, "BadRequestError", "Resource not found")
        if claims is None:
            return _error(403, "AuthError", "Invalid token: signature, api token not found")
        if self.failures:
            status = self.failures.pop(0)
            kind = {429: "RateLimitError", 500: "Exception"}.get(status, "BadRequestError")
            return _error(status, kind, "Scripted failure")
        sms = path.endswith("/sms")
        to_field = "phone_number" if sms else "email_address"
        missing = [f for f in (to_field, "template_id") if not body.get(f)]
        if missing:
            return _error(400, "ValidationError", f"{missing[0]} is a required property")
        template = TEMPLATES.get(str(body["template_id"]))
        if template is None or template["type"] != ("sms" if sms else "email"):
            return _error(400, "BadRequestError", "Template not found")
        personalisation = body.get("personalisation") or {}
        needed = {name for part in template.values() for name in _PLACEHOLDER.findall(part)} - {
            "sms",
            "email",
        }
        absent = sorted(needed - set(personalisation))
        if absent:
            return _error(400, "BadRequestError", f"Missing personalisation: {absent[0]}")
        rendered = {
            key: _PLACEHOLDER.sub(lambda m: str(personalisation[m.group(1)]), text)
            for key, text in template.items()
            if key != "type"
        }
        notification_id = str(uuid.uuid4())
        content: dict[str, Any] = {"body": rendered["body"]}
        if sms:
            content["from_number"] = "GOVUK"
        else:
            content.update(subject=rendered["subject"], from_email="tac@notifications.example")
        answer = {
            "id": notification_id,
            "reference": body.get("reference"),
            "content": content,
            "uri": f"{self.base_url}/v2/notifications/{notification_id}",
            "template": {
                "id": body["template_id"],
                "version": 1,
                "uri": f"{self.base_url}/v2/template/{body['template_id']}",
            },
        }
        return 201, answer, rendered


def _error(status: int, kind: str, message: str) -> tuple[int, dict[str, Any], dict[str, str]]:
    return status, {"status_code": status, "errors": [{"error": kind, "message": message}]}, {}


def notify_settings(base_url: str, *, channel: str = "notify", **overrides: Any) -> dict[str, Any]:
    return {
        "TAC_EMAIL_CHANNEL": channel,
        "TAC_NOTIFY_API_KEY": API_KEY,
        "TAC_NOTIFY_BASE_URL": base_url,
        "TAC_NOTIFY_TIMEOUT": 5,
        "TAC_NOTIFY_TEMPLATES": {
            "email": EMAIL_TEMPLATE_ID,
            "meeting_reminder_text": TEXT_TEMPLATE_ID,
        },
        **overrides,
    }


@pytest.fixture(name="fake_notify")
def fake_notify_fixture() -> Iterator[FakeNotify]:
    """A local Notify, with the portal's settings pointing at it (email and texts)."""
    server = FakeNotify()
    try:
        with override_settings(**notify_settings(server.base_url)):
            yield server
    finally:
        server.stop()
