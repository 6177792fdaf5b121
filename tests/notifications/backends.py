"""Email backends for the notification tests."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise ConnectionRefusedError("mail server down")


class SlowLoggingBackend(BaseEmailBackend):
    """Sleeps ``TAC_TEST_EMAIL_DELAY`` seconds, then appends one JSON line per
    message to ``TAC_TEST_EMAIL_LOG``, so a test can SIGKILL a worker mid-send
    and still count what was handed to the "mail server"."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        time.sleep(float(os.environ.get("TAC_TEST_EMAIL_DELAY", "0")))
        with open(os.environ["TAC_TEST_EMAIL_LOG"], "a", encoding="utf-8") as log:
            for message in email_messages:
                line = {"message_id": message.extra_headers["Message-ID"], "to": message.to}
                log.write(json.dumps(line) + "\n")
                log.flush()
        return len(email_messages)
