"""Authentication evidence for docs/security.md (ASVS 5.0 V6, V9 and V11): how passwords
are typed, checked, stored and upgraded; second-factor codes; reset links that expire;
no built-in accounts; every sign-in step in the security log."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

import tac_portal.settings as production
from agencies.models import AuthenticatorApp, User
from agencies.services import replace_backup_codes
from tests.helpers import PASSWORD, totp_code


def _sign_in(client: Client, email: str, password: str) -> int:
    response = client.post(reverse("agencies:sign_in"), {"username": email, "password": password})
    return int(response.status_code)


def _code(device: AuthenticatorApp, drift: int = 0) -> str:
    return totp_code(device.bin_key, drift=drift)


@pytest.fixture
def production_hashers(settings: Any) -> None:
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


def test_password_boxes_are_masked_and_welcome_password_managers(
    client: Client, lead: User
) -> None:
    page = client.get(reverse("agencies:sign_in")).content.decode()
    box = re.search(r"<input[^>]*name=\"password\"[^>]*>", page)
    assert box is not None
    assert 'type="password"' in box.group(0)
    assert 'autocomplete="current-password"' in box.group(0)
    client.post(reverse("agencies:password_reset"), {"email": lead.email})
    link = re.search(r"http://localhost:8000(\S+)", str(mail.outbox[-1].body))
    assert link is not None
    set_password_url = client.get(link.group(1))["Location"]
    new_page = client.get(set_password_url).content.decode()
    boxes = re.findall(r"<input[^>]*name=\"new_password[12]\"[^>]*>", new_page)
    assert len(boxes) == 2
    for markup in boxes:
        assert 'type="password"' in markup
        assert 'autocomplete="new-password"' in markup
    for body in (page, new_page):
        # Nothing stops pasting or a password manager filling the box.
        assert "onpaste" not in body
        assert 'autocomplete="off"' not in body


def test_the_password_is_checked_exactly_as_typed(client: Client, lead: User) -> None:
    long_password = "the river lantern keeps its copper glow through every winter night 7"
    assert len(long_password) > 64
    lead.set_password(long_password)
    lead.save()
    for near_miss in (
        long_password.upper(),
        long_password + " ",
        " " + long_password,
        long_password[:64],
    ):
        assert _sign_in(Client(), lead.email, near_miss) == 200, near_miss
    assert _sign_in(client, lead.email, long_password) == 302


@pytest.mark.parametrize(
    "password",
    [
        "Early-Help 2026 is my job!",
        "our tac portal password 2026",
        "TEAM around the CHILD forever",
        "demo borough council rocks 99",
    ],
)
def test_context_words_are_refused_in_a_new_password(password: str, db: None) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert "must not contain the name of this service" in str(refused.value)


def test_the_councils_own_name_is_refused_whatever_it_is(settings: Any, db: None) -> None:
    settings.TAC_AUTHORITY_NAME = "Northmoor County Council"
    with pytest.raises(ValidationError):
        validate_password("i work at northmoor county council 1")
    validate_password("demo borough council rocks 99")  # no longer the council's name


def test_a_password_never_expires_with_age(client: Client, lead: User) -> None:
    with time_machine.travel(dt.datetime(2029, 6, 1, 9, 0, tzinfo=dt.UTC)):
        response = client.post(
            reverse("agencies:sign_in"), {"username": lead.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("home")


def test_no_account_exists_until_someone_creates_one(db: None) -> None:
    # The migrations create no users: there is no built-in admin, root or demo account.
    assert not User.objects.exists()


def test_passwords_are_stored_with_argon2_and_older_hashes_upgrade_at_sign_in(
    client: Client, lead: User, production_hashers: None
) -> None:
    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    User.objects.filter(pk=lead.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    assert _sign_in(client, lead.email, PASSWORD) == 302
    lead.refresh_from_db()
    assert lead.password.startswith("argon2$argon2id$")
    assert PASSWORD not in lead.password


def test_a_code_from_the_authenticator_app_works_once(
    client: Client, lead: User, settings: Any
) -> None:
    settings.TAC_REQUIRE_MFA = True
    device = AuthenticatorApp.objects.create(user=lead, name="Authenticator app", confirmed=True)
    code = _code(device)
    assert _sign_in(client, lead.email, PASSWORD) == 302
    half_signed_in = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert client.post(reverse("agencies:two_factor"), {"code": code}).status_code == 302
    assert client.get(reverse("cases:my_cases")).status_code == 200
    # The second factor, like the password, gives the session a new id.
    assert client.cookies[django_settings.SESSION_COOKIE_NAME].value != half_signed_in

    replay = Client()
    assert _sign_in(replay, lead.email, PASSWORD) == 302
    assert replay.post(reverse("agencies:two_factor"), {"code": code}).status_code == 200
    assert replay.get(reverse("cases:my_cases")).status_code == 302


def test_a_wrong_code_slows_down_the_next_tries(client: Client, lead: User, settings: Any) -> None:
    settings.TAC_REQUIRE_MFA = True
    device = AuthenticatorApp.objects.create(user=lead, name="Authenticator app", confirmed=True)
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        assert _sign_in(client, lead.email, PASSWORD) == 302
        wrong = _code(device, drift=-5)
        assert client.post(reverse("agencies:two_factor"), {"code": wrong}).status_code == 200
        # Straight after a wrong code even the right one is refused: guessing a
        # 6-digit code one try at a time, with a growing wait, takes too long.
        right = _code(device)
        assert client.post(reverse("agencies:two_factor"), {"code": right}).status_code == 200
        device.refresh_from_db()
        assert device.throttling_failure_count >= 1
        traveller.shift(dt.timedelta(seconds=5))
        right = _code(device)
        assert client.post(reverse("agencies:two_factor"), {"code": right}).status_code == 302


def test_second_factor_secrets_are_long_and_random(lead: User) -> None:
    first = AuthenticatorApp.objects.create(user=lead, name="Authenticator app", confirmed=False)
    second = AuthenticatorApp.objects.create(user=lead, name="Authenticator app", confirmed=False)
    assert len(first.bin_key) == 20  # 160 bits
    assert first.bin_key != second.bin_key
    assert (first.step, first.digits) == (30, 6)
    codes = replace_backup_codes(lead)
    assert len(codes) == len(set(codes)) == 10
    for code in codes:
        # Eight characters from 32: 40 bits, twice what ASVS asks of a lookup secret.
        assert re.fullmatch(r"[a-z2-7]{8}", code), code


def test_a_reset_link_expires_after_an_hour(lead: User) -> None:
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client = Client()
        client.post(reverse("agencies:password_reset"), {"email": lead.email})
        link = re.search(r"http://localhost:8000(\S+)", str(mail.outbox[-1].body))
        assert link is not None
        traveller.shift(dt.timedelta(minutes=61))
        page = client.get(link.group(1), follow=True).content.decode()
        assert "This link has expired" in page
        # A link whose signature was tampered with is refused the same way.
        tampered = link.group(1).rstrip("/")[:-1] + "x/"
        assert "This link has expired" in Client().get(tampered, follow=True).content.decode()


def test_every_step_of_signing_in_and_out_is_logged(
    client: Client, lead: User, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.TAC_REQUIRE_MFA = True
    device = AuthenticatorApp.objects.create(user=lead, name="Authenticator app", confirmed=True)
    with caplog.at_level(logging.INFO, logger="tac.security"):
        _sign_in(Client(), lead.email, "not the password")
        _sign_in(client, lead.email, PASSWORD)
        client.post(reverse("agencies:two_factor"), {"code": _code(device)})
        wrong = Client()
        _sign_in(wrong, lead.email, PASSWORD)
        wrong.post(reverse("agencies:two_factor"), {"code": _code(device, drift=-5)})
        client.post(reverse("agencies:sign_out"))
    records = [r for r in caplog.records if r.name == "tac.security"]
    events = [getattr(r, "event", "") for r in records]
    for event in (
        "sign_in_failed",
        "sign_in_password_ok",
        "two_factor_failed",
        "two_factor_ok",
        "sign_out",
    ):
        assert event in events
    for record in records:
        assert getattr(record, "ip", "-") != "-"
        if getattr(record, "event", "") != "sign_in_failed":
            assert getattr(record, "user_id", None) == lead.pk
        assert lead.email not in str(record.__dict__)
        assert PASSWORD not in str(record.__dict__)


def test_a_signed_in_professional_changes_their_password_giving_the_current_one(
    lead: User, caplog: pytest.LogCaptureFixture
) -> None:
    new = "a brand new long passphrase 2026"
    here, elsewhere = Client(), Client()
    assert _sign_in(here, lead.email, PASSWORD) == 302
    assert _sign_in(elsewhere, lead.email, PASSWORD) == 302
    page = here.get(reverse("agencies:password_change")).content.decode()
    assert 'name="old_password"' in page
    assert 'autocomplete="current-password"' in page

    wrong = here.post(
        reverse("agencies:password_change"),
        {"old_password": "not the password", "new_password1": new, "new_password2": new},
    )
    assert wrong.status_code == 200
    assert "Your current password is not correct" in wrong.content.decode()
    lead.refresh_from_db()
    assert lead.check_password(PASSWORD)

    guessable = here.post(
        reverse("agencies:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "early help keeps us busy",
            "new_password2": "early help keeps us busy",
        },
    )
    assert "must not contain the name of this service" in guessable.content.decode()

    with caplog.at_level(logging.INFO, logger="tac.security"):
        done = here.post(
            reverse("agencies:password_change"),
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        )
    assert done["Location"] == reverse("agencies:password_change_done")
    assert "Your password has been changed" in here.get(done["Location"]).content.decode()
    assert here.get(reverse("cases:my_cases")).status_code == 200
    assert elsewhere.get(reverse("cases:my_cases")).status_code == 302
    assert _sign_in(Client(), lead.email, new) == 302
    changed = [r for r in caplog.records if getattr(r, "event", "") == "password_changed"]
    assert changed[0].user_id == lead.pk  # type: ignore[attr-defined]


def test_every_signed_in_page_links_to_changing_the_password(lead_client: Client) -> None:
    for url in (reverse("cases:my_cases"), reverse("notifications:list")):
        body = lead_client.get(url).content.decode()
        assert f'href="{reverse("agencies:password_change")}"' in body
