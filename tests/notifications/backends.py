"""Email backends for the notification tests."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from typing import ClassVar

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


class ScriptedBackend(BaseEmailBackend):
    """A mail server run by the test: raises ``BY_ADDRESS[to]`` for a message to that
    address, else the next exception in ``SCRIPT`` (none left: accepts the message).
    Every address it was handed is appended to ``HANDED``."""

    SCRIPT: ClassVar[list[Exception]] = []
    BY_ADDRESS: ClassVar[dict[str, Exception]] = {}
    HANDED: ClassVar[list[str]] = []

    @classmethod
    def reset(cls) -> None:
        cls.SCRIPT.clear()
        cls.BY_ADDRESS.clear()
        cls.HANDED.clear()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            to = message.to[0]
            ScriptedBackend.HANDED.append(to)
            if to in ScriptedBackend.BY_ADDRESS:
                raise ScriptedBackend.BY_ADDRESS[to]
            if ScriptedBackend.SCRIPT:
                raise ScriptedBackend.SCRIPT.pop(0)
        return len(email_messages)
