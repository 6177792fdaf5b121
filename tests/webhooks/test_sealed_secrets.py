"""Webhook signing secrets at rest (ASVS 5.0 V11.3): authenticated encryption under a key
derived from the Django secret key, readable again after a rotation of that key; and the
receiver's certificate checked on delivery (V12.3.2)."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from webhooks.signing import SecretUnreadable, new_secret, seal, unseal


def test_a_sealed_secret_is_encrypted_and_authenticated() -> None:
    secret = new_secret()
    stored = seal(secret)
    assert secret not in stored
    assert secret.removeprefix("whsec_") not in stored
    assert unseal(stored) == secret
    assert seal(secret) != stored  # a fresh IV each time: equal secrets do not look equal
    # Fernet: version byte, time, 128-bit IV, AES-CBC ciphertext, HMAC-SHA256 over it all.
    raw = base64.urlsafe_b64decode(stored)
    assert raw[0] == 0x80
    tampered = bytearray(raw)
    tampered[30] ^= 0x01
    with pytest.raises(SecretUnreadable):
        unseal(base64.urlsafe_b64encode(bytes(tampered)).decode())


def test_another_secret_key_cannot_read_it_but_a_rotation_keeps_it_readable(
    settings: Any,
) -> None:
    secret = new_secret()
    stored = seal(secret)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-different-secret-key-for-the-sealing-test-0123456789abcdef"
    with pytest.raises(SecretUnreadable):
        unseal(stored)
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert unseal(stored) == secret


def test_webhook_delivery_checks_the_receivers_certificate_and_name() -> None:
    import ssl

    from webhooks.outbound import _PinnedHTTPSConnection

    connection = _PinnedHTTPSConnection("hooks.example.org", "203.0.113.7", 443, timeout=5)
    context = connection._context  # type: ignore[attr-defined]
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2
