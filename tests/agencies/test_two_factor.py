"""TOTP two-factor sign-in: enrolment with a local QR code, codes, backup codes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import AuthenticatorApp, BackupCode, User
from agencies.services import replace_backup_codes
from tests.helpers import PASSWORD, client_for, totp_code


def code_for(device: AuthenticatorApp) -> str:
    return totp_code(device.bin_key)


def confirmed_device(user: User) -> AuthenticatorApp:
    device: AuthenticatorApp = AuthenticatorApp.objects.create(
        user=user, name="Authenticator app", confirmed=True
    )
    return device


def sign_in(client: Client, user: User) -> str:
    response = client.post(
        reverse("agencies:sign_in"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return str(response["Location"])


@pytest.fixture
def mfa_on(settings: Any) -> None:
    settings.TAC_REQUIRE_MFA = True


def test_the_sign_in_page_does_not_warn_when_two_factor_is_on(client: Client, mfa_on: None):
    body = client.get(reverse("agencies:sign_in")).content.decode()
    assert "two-factor sign-in is turned off" not in body


def test_enrolment_with_a_local_qr_code_then_backup_codes(
    client: Client, lead: User, mfa_on: None
) -> None:
    location = sign_in(client, lead)
    assert location.startswith(reverse("agencies:two_factor"))
    response = client.get(location)
    assert response["Location"] == reverse("agencies:two_factor_setup")

    page = client.get(reverse("agencies:two_factor_setup")).content.decode()
    assert "<svg" in page
    assert 'role="img"' in page
    assert "<img" not in page
    assert "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    device = AuthenticatorApp.objects.get(user=lead, confirmed=False)
    shown_key = re.search(r'id="setup-key">([A-Z2-7 ]+)<', page)
    assert shown_key is not None
    assert len(shown_key.group(1).replace(" ", "")) == 32

    wrong = client.post(reverse("agencies:two_factor_setup"), {"code": "000000"})
    assert wrong.status_code == 200
    body = wrong.content.decode()
    assert "There is a problem" in body
    assert 'id="id_code-error"' in body
    assert client.get(reverse("cases:my_cases")).status_code == 302

    # After a wrong code, django-otp refuses every code for a moment (throttling).
    device.refresh_from_db()
    device.throttle_reset()
    done = client.post(reverse("agencies:two_factor_setup"), {"code": code_for(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert BackupCode.objects.filter(device__user=lead).count() == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("cases:my_cases")).status_code == 200


def test_a_wrong_code_is_refused_with_a_field_error(
    client: Client, lead: User, mfa_on: None, caplog: pytest.LogCaptureFixture
) -> None:
    confirmed_device(lead)
    sign_in(client, lead)
    with caplog.at_level("INFO", logger="tac.security"):
        response = client.post(reverse("agencies:two_factor"), {"code": "123456"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'href="#id_code"' in body
    assert "The code is not correct" in body
    assert 'value="123456"' not in body
    failures = [r for r in caplog.records if getattr(r, "event", "") == "two_factor_failed"]
    assert failures
    assert "123456" not in str(failures[0].__dict__)
    assert client.get(reverse("cases:my_cases")).status_code == 302


def test_the_right_code_verifies_the_session(client: Client, lead: User, mfa_on: None) -> None:
    device = confirmed_device(lead)
    sign_in(client, lead)
    response = client.post(reverse("agencies:two_factor"), {"code": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("cases:my_cases")).status_code == 200


def test_a_backup_code_works_once(client: Client, lead: User, mfa_on: None) -> None:
    confirmed_device(lead)
    code = replace_backup_codes(lead)[0]
    sign_in(client, lead)
    assert client.post(reverse("agencies:two_factor"), {"code": code.upper()}).status_code == 302
    assert client.get(reverse("cases:my_cases")).status_code == 200

    again = Client()
    sign_in(again, lead)
    assert again.post(reverse("agencies:two_factor"), {"code": code}).status_code == 200
    assert again.get(reverse("cases:my_cases")).status_code == 302


@pytest.mark.parametrize(
    "path",
    ["/", "/cases/", "/notifications/", "/admin/", "/admin/agencies/user/"],
)
def test_every_page_needs_the_second_factor_when_required(
    admin_user: User, mfa_on: None, path: str
) -> None:
    client = client_for(admin_user)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("agencies:two_factor"))


def test_the_api_answers_a_problem_before_the_second_factor(
    lead_client: Client, mfa_on: None
) -> None:
    response = lead_client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401


def test_signing_out_and_password_reset_stay_open_before_the_second_factor(
    lead_client: Client, mfa_on: None
) -> None:
    assert lead_client.get(reverse("agencies:password_reset")).status_code == 200
    assert lead_client.get("/healthz").status_code in {200, 503}
    assert lead_client.post(reverse("agencies:sign_out")).status_code == 302


def test_nothing_changes_when_two_factor_is_off_for_users_without_a_device(
    lead_client: Client,
) -> None:
    assert lead_client.get(reverse("cases:my_cases")).status_code == 200


def test_a_user_with_a_device_is_asked_for_a_code_even_when_not_required(
    client: Client, lead: User
) -> None:
    confirmed_device(lead)
    assert sign_in(client, lead).startswith(reverse("agencies:two_factor"))
    assert client.get(reverse("cases:my_cases")).status_code == 302


def test_the_next_page_is_kept_but_never_another_site(
    client: Client, lead: User, mfa_on: None
) -> None:
    device = confirmed_device(lead)
    sign_in(client, lead)
    response = client.post(
        reverse("agencies:two_factor"),
        {"code": code_for(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")
