"""Standard Webhooks signatures (https://www.standardwebhooks.com/).

A secret is ``whsec_`` and the base64 of 32 random bytes; the key is the decoded bytes.
The signed content is ``{webhook-id}.{webhook-timestamp}.{body}`` and each signature is
``v1,`` and the base64 of its HMAC-SHA256. Several signatures (during a secret's
rotation) are separated by spaces in one ``webhook-signature`` header.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable

from tac_portal import sealing

SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix Standard Webhooks gives secrets


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


#: The sealing purpose of webhook signing secrets (and so their own derived key).
SEALED_AS = "tac-webhooks"


def seal(secret: str) -> str:
    """A signing secret as stored: encrypted with a key derived from the Django secret key,
    so that a copy of the database alone cannot forge webhooks."""
    return sealing.seal(secret.encode(), purpose=SEALED_AS) if secret else ""


class SecretUnreadable(Exception):
    """A stored secret none of the secret keys opens: the key that sealed it has been
    taken out of ``SECRET_KEY_FALLBACKS``. Rotating the secret makes a readable one."""


def unseal(stored: str) -> str:
    try:
        return sealing.unseal(stored, purpose=SEALED_AS).decode() if stored else ""
    except sealing.Unreadable:
        raise SecretUnreadable from None


def new_webhook_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, *, webhook_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,<base64>`` signature of a message."""
    content = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(
    secrets_: Iterable[str], *, webhook_id: str, timestamp: int, body: bytes
) -> str:
    """The ``webhook-signature`` value: one signature per secret, space-separated."""
    return " ".join(
        signature(s, webhook_id=webhook_id, timestamp=timestamp, body=body) for s in secrets_
    )


def headers(
    secrets_: Iterable[str], *, webhook_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(
            secrets_, webhook_id=webhook_id, timestamp=timestamp, body=body
        ),
        "Content-Type": "application/json",
    }
