"""The migrations that hash the backup codes kept in the clear by django-otp's static
devices, take clock drift away from every authenticator app, and seal the apps' keys."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import AuthenticatorApp, BackupCode, BackupCodeDevice, User
from tests.helpers import migrate_to, totp_code

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_HASHING = [("agencies", "0008_all_partner_scopes")]
HASHED = [("agencies", "0009_hashed_backup_codes")]
NO_DRIFT = [("agencies", "0010_totp_tolerance_zero")]
BEFORE_SEALING = [("agencies", "0014_hashed_session_keys")]
SEALED = [("agencies", "0015_authenticator_apps_sealed")]
KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key


def test_static_backup_codes_become_hashed_codes_that_still_work(
    lead: User, member: User, at_latest_afterwards: None
) -> None:
    # django-otp's tables are its own: today's models write them as they were.
    migrate_to(BEFORE_HASHING)
    device = StaticDevice.objects.create(
        user_id=lead.pk, name="Backup codes", confirmed=True, throttling_failure_count=2
    )
    kept = ["abcdefgh", "stuvwxyz", "a2b3c4d5"]
    for token in [*kept, "Typed-By-Hand"]:
        StaticToken.objects.create(device=device, token=token)
    StaticDevice.objects.create(user_id=member.pk, name="Backup codes", confirmed=True)

    migrate_to(HASHED)

    assert not StaticDevice.objects.exists()
    converted = BackupCodeDevice.objects.get(user=lead)
    assert (converted.name, converted.confirmed) == ("Backup codes", True)
    assert converted.throttling_failure_count == 2
    hashes = list(BackupCode.objects.filter(device=converted).values_list("hashed_code", flat=True))
    assert len(hashes) == 3
    assert all(h.startswith("argon2$argon2id$") for h in hashes)
    assert not any(code in h for h in hashes for code in kept)
    assert BackupCodeDevice.objects.get(user=member).codes.count() == 0
    converted.throttle_reset()
    assert converted.verify_token("stuvwxyz")
    assert not converted.verify_token("stuvwxyz")


def test_every_authenticator_app_loses_its_clock_drift(
    lead: User, at_latest_afterwards: None
) -> None:
    migrate_to(HASHED)  # before the database refused drift
    device = TOTPDevice.objects.create(user=lead, name="Authenticator app", tolerance=1)

    migrate_to(NO_DRIFT)

    device.refresh_from_db()
    assert device.tolerance == 0


def test_authenticator_apps_keep_their_keys_sealed_and_their_codes_still_work(
    lead: User, member: User, at_latest_afterwards: None
) -> None:
    migrate_to(BEFORE_SEALING)
    TOTPDevice.objects.create(
        user=lead, name="Authenticator app", key=KEY, tolerance=0, throttling_failure_count=1
    )
    TOTPDevice.objects.create(user=member, name="Authenticator app", confirmed=False, tolerance=0)

    migrate_to(SEALED)

    assert not TOTPDevice.objects.exists()
    app = AuthenticatorApp.objects.get(user=lead)
    assert (app.name, app.confirmed, app.throttling_failure_count) == ("Authenticator app", True, 1)
    assert KEY not in app.sealed_key
    assert app.bin_key == bytes.fromhex(KEY)
    assert not AuthenticatorApp.objects.get(user=member).confirmed
    app.throttle_reset()
    assert app.verify_token(totp_code(app.bin_key))

    migrate_to(BEFORE_SEALING)  # and back: the keys in the clear again

    assert TOTPDevice.objects.get(user=lead).key == KEY
