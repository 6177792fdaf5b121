"""Authenticator-app keys are kept sealed under the secret key (ASVS 11.3.3, 13.3.4): a
copy of the database alone makes no codes; rotating SECRET_KEY keeps them readable, and
``reseal_secrets`` moves them onto the new key. A code is accepted once only (6.5.1)."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from agencies.models import AUTHENTICATOR_KEY_SEALED_AS, AuthenticatorApp, User
from agencies.services import start_authenticator_app
from tac_portal import sealing
from tests.helpers import totp_code

pytestmark = pytest.mark.django_db

OLD_KEY = "an-old-secret-key-" + "o" * 40
NEW_KEY = "a-new-secret-key-" + "n" * 40


def _stored(device: AuthenticatorApp) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM agencies_authenticatorapp WHERE id = %s", [device.pk])
        return repr(cursor.fetchone())


def test_the_key_is_stored_sealed_never_in_the_clear(lead: User) -> None:
    device = start_authenticator_app(lead)
    key = device.bin_key
    assert len(key) == 20  # 160 bits
    row = _stored(device)
    for clear in (key.hex(), key.hex().upper(), b32encode(key).decode()):
        assert clear not in row
    assert device.sealed_key.startswith("gAAAAA")  # a Fernet token: encrypted and signed
    assert sealing.unseal(device.sealed_key, purpose=AUTHENTICATOR_KEY_SEALED_AS) == key
    with pytest.raises(sealing.Unreadable):  # each purpose has its own key
        sealing.unseal(device.sealed_key, purpose="tac-webhooks")


def test_another_secret_key_reads_it_only_while_the_old_one_is_a_fallback(
    lead: User, settings: Any
) -> None:
    settings.SECRET_KEY = OLD_KEY
    device = start_authenticator_app(lead)
    key = device.bin_key
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    assert AuthenticatorApp.objects.get(pk=device.pk).bin_key == key
    settings.SECRET_KEY_FALLBACKS = []
    unreadable = AuthenticatorApp.objects.get(pk=device.pk)
    with pytest.raises(sealing.Unreadable):
        unreadable.bin_key  # noqa: B018
    # No code can be checked, and none is accepted; setting up again starts afresh.
    assert not unreadable.verify_token("123456")
    assert start_authenticator_app(lead).key_readable


def test_resealing_moves_every_key_onto_the_new_secret_key(lead: User, settings: Any) -> None:
    settings.SECRET_KEY = OLD_KEY
    device = start_authenticator_app(lead)
    key = device.bin_key
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    call_command("reseal_secrets", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.SECRET_KEY_FALLBACKS = []
    device.refresh_from_db()
    assert device.bin_key == key
    assert ("webhooks.WebhookSubscription", "secret", "tac-webhooks") in sealing.SEALED_COLUMNS


def test_resealing_says_when_a_key_no_longer_opens(lead: User, settings: Any) -> None:
    settings.SECRET_KEY = OLD_KEY
    start_authenticator_app(lead)
    settings.SECRET_KEY = NEW_KEY
    with pytest.raises(CommandError, match="1 sealed values"):
        call_command("reseal_secrets", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_a_code_is_accepted_once_even_by_two_requests_holding_the_device(lead: User) -> None:
    start_authenticator_app(lead)
    first, second = (AuthenticatorApp.objects.get(user=lead) for _ in range(2))
    code = totp_code(first.bin_key)
    assert first.verify_token(code)
    # The second copy was read before the first code was accepted: it still says no.
    assert not second.verify_token(code)
    assert AuthenticatorApp.objects.get(user=lead).last_t == first.last_t


def test_a_backup_code_or_junk_is_not_counted_as_a_wrong_app_code(lead: User) -> None:
    device = start_authenticator_app(lead)
    for token in (
        "abcdefgh",
        "12345",
        "\uff11\uff12\uff13\uff14\uff15\uff16",
        "",
    ):  # full-width digits
        assert not device.verify_token(token)
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
