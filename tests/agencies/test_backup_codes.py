"""Backup codes (ASVS 6.5.1, 6.5.2): kept only as salted Argon2id hashes, each usable
once, even when the same code is sent twice at the same moment."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import django_otp
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from agencies.models import BackupCode, BackupCodeDevice, User
from agencies.services import replace_backup_codes
from tests.cases.test_races import run_together
from tests.helpers import PASSWORD, client_for


def _device(user: User) -> BackupCodeDevice:
    device: BackupCodeDevice = BackupCodeDevice.objects.get(user=user)
    return device


def _signed_in_halfway(user: User) -> Client:
    client = Client()
    response = client.post(
        reverse("agencies:sign_in"), {"username": user.email, "password": PASSWORD}
    )
    assert response["Location"].startswith(reverse("agencies:two_factor"))
    return client


@pytest.mark.django_db
def test_codes_are_stored_only_as_salted_argon2id_hashes(lead: User) -> None:
    codes = replace_backup_codes(lead)
    stored = list(
        BackupCode.objects.filter(device__user=lead).values_list("hashed_code", flat=True)
    )
    assert len(stored) == len(codes) == 10
    salts = set()
    for hashed in stored:
        assert hashed.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
        salt = hashed.split("$")[4]
        salts.add(salt)
        # The salt is at least 32 random bits (Django's is about 131).
        assert len(base64.b64decode(salt + "=" * (-len(salt) % 4))) >= 4
    assert len(salts) == 10
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM agencies_backupcode")
        everything = repr(cursor.fetchall())
    for code in codes:
        assert code not in everything
        assert code.upper() not in everything


@pytest.mark.django_db
def test_the_second_factor_page_finds_the_backup_codes(lead: User, settings: Any) -> None:
    settings.TAC_REQUIRE_MFA = True
    code = replace_backup_codes(lead)[3]
    assert [type(d) for d in django_otp.devices_for_user(lead)] == [BackupCodeDevice]
    client = _signed_in_halfway(lead)
    assert client.post(reverse("agencies:two_factor"), {"code": code}).status_code == 302
    assert client.get(reverse("cases:my_cases")).status_code == 200


@pytest.mark.django_db
def test_each_code_works_once(lead: User) -> None:
    codes = replace_backup_codes(lead)
    device = _device(lead)
    assert device.verify_token(codes[0])
    assert not device.verify_token(codes[0])
    device.throttle_reset()
    assert device.verify_token(codes[1].upper())
    assert BackupCode.objects.filter(device=device).count() == 8
    device.refresh_from_db()
    assert device.last_used_at is not None


@pytest.mark.django_db
def test_a_wrong_code_fails_and_slows_down_the_next_tries(lead: User) -> None:
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        codes = replace_backup_codes(lead)
        device = _device(lead)
        assert not device.verify_token("abcdefgh")
        # Straight after a wrong code even a right one is refused: django-otp's wait,
        # doubling with each wrong code in a row.
        assert not device.verify_token(codes[0])
        assert _device(lead).throttling_failure_count == 1
        traveller.shift(dt.timedelta(seconds=2))
        assert device.verify_token(codes[0])
        assert _device(lead).throttling_failure_count == 0


@pytest.mark.django_db
def test_an_authenticator_app_code_is_not_checked_or_counted_against_backup_codes(
    lead: User,
) -> None:
    codes = replace_backup_codes(lead)
    device = _device(lead)
    assert not device.verify_token("123456")
    assert _device(lead).throttling_failure_count == 0
    assert device.verify_token(codes[0])


@pytest.mark.django_db
def test_new_codes_replace_every_old_one(lead: User) -> None:
    old = replace_backup_codes(lead)
    new = replace_backup_codes(lead)
    assert set(old).isdisjoint(new)
    assert BackupCodeDevice.objects.filter(user=lead).count() == 1
    assert BackupCode.objects.filter(device__user=lead).count() == 10
    device = _device(lead)
    for code in old:
        assert not device.verify_token(code)
        device.throttle_reset()
    assert device.verify_token(new[9])


@pytest.mark.django_db(transaction=True)
def test_the_same_code_sent_twice_at_once_signs_in_only_once(lead: User, settings: Any) -> None:
    settings.TAC_REQUIRE_MFA = True
    code = replace_backup_codes(lead)[0]
    first, second = _signed_in_halfway(lead), _signed_in_halfway(lead)

    def submit(client: Client) -> Any:
        return lambda: client.post(reverse("agencies:two_factor"), {"code": code}).status_code

    results = run_together(submit(first), submit(second))

    assert sorted(str(result) for result in results) == ["200", "302"]
    assert BackupCode.objects.filter(device__user=lead).count() == 9


@pytest.mark.django_db(transaction=True)
def test_the_same_code_verified_twice_at_once_on_the_device_matches_once(lead: User) -> None:
    code = replace_backup_codes(lead)[0]

    def match() -> Any:
        return django_otp.match_token(User.objects.get(pk=lead.pk), code)

    results = run_together(match, match)

    assert sum(isinstance(r, BackupCodeDevice) for r in results) == 1
    assert results.count(None) == 1


@pytest.mark.django_db
def test_the_configuration_site_shows_backup_codes_by_person_never_the_codes(
    lead: User, admin_user: User
) -> None:
    replace_backup_codes(lead)
    hashes = list(BackupCode.objects.values_list("hashed_code", flat=True))
    client = client_for(admin_user)
    listing = client.get(reverse("admin:agencies_backupcodedevice_changelist"))
    assert listing.status_code == 200
    page = client.get(
        reverse("admin:agencies_backupcodedevice_change", args=[_device(lead).pk])
    ).content.decode()
    assert not any(h in page or h.split("$")[-1] in page for h in hashes)
    assert client.get(reverse("admin:agencies_backupcodedevice_add")).status_code == 403
    assert client.get(reverse("admin:agencies_authenticatorapp_add")).status_code == 403
