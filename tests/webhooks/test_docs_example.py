"""The verification example in docs/partner-api.md verifies what the portal sends."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from agencies.models import User
from cases.models import Case
from cases.services.common import record_event
from tests.webhooks.receiver import Receiver
from webhooks.delivery import deliver_due_messages
from webhooks.models import WebhookSubscription

DOCS = Path(__file__).resolve().parents[2] / "docs" / "partner-api.md"

pytestmark = pytest.mark.django_db


def _example() -> dict[str, Any]:
    text = DOCS.read_text()
    section = text.split("### Verify every message", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), str(DOCS), "exec"), namespace)  # noqa: S102 - our own docs
    return namespace


def test_the_documented_verification_accepts_a_real_message_and_refuses_a_forgery(
    case: Case, lead: User, subscription: WebhookSubscription, receiver: Receiver
) -> None:
    example = _example()
    record_event(case, "case.closed", by=lead, data={"to": "CLOSED_NEEDS_MET"})
    deliver_due_messages()
    (got,) = receiver.received

    secret = subscription.signing_secret
    example["verify_webhook"](secret, got.headers, got.body)
    with pytest.raises(example["InvalidWebhook"]):
        example["verify_webhook"](secret, got.headers, got.body.replace(b"C", b"c"))
