"""Password reset by email: a link only, no account disclosure, two-factor still needed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from agencies.models import AuthenticatorApp, User

NEW_PASSWORD = "a brand new long passphrase 2026"


def _request_reset(client: Client, email: str) -> str:
    response = client.post(reverse("agencies:password_reset"), {"email": email})
    assert response.status_code == 302
    return str(response["Location"])


def test_the_email_contains_a_link_and_no_personal_data(client: Client, lead: User) -> None:
    assert _request_reset(client, lead.email.upper()) == reverse("agencies:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [lead.email]
    text = str(message.subject) + str(message.body)
    assert re.search(r"http://localhost:8000/accounts/password-reset/[^/\s]+/[^/\s]+/", text)
    assert lead.email not in text
    assert lead.full_name not in text
    assert "Lena" not in text


def test_an_unknown_address_gets_the_same_answer_and_no_email(client: Client, db: None) -> None:
    assert _request_reset(client, "nobody@nowhere.example") == reverse(
        "agencies:password_reset_done"
    )
    assert mail.outbox == []
    page = client.get(reverse("agencies:password_reset_done")).content.decode()
    assert "If the address you entered belongs to an account" in page


def test_an_invalid_address_shows_a_gov_uk_error(client: Client, db: None) -> None:
    response = client.post(reverse("agencies:password_reset"), {"email": "not-an-email"})
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'id="id_email-error"' in body
    assert 'value="not-an-email"' in body


def _follow_reset_link(client: Client) -> str:
    link = re.search(r"http://localhost:8000(\S+)", str(mail.outbox[-1].body))
    assert link is not None
    response = client.get(link.group(1))
    assert response.status_code == 302  # the token moves out of the URL into the session
    return str(response["Location"])


def test_reset_then_sign_in_still_asks_for_the_code(
    client: Client, lead: User, settings: Any
) -> None:
    settings.TAC_REQUIRE_MFA = True
    AuthenticatorApp.objects.create(user=lead, name="Authenticator app", confirmed=True)
    _request_reset(client, lead.email)
    set_password_url = _follow_reset_link(client)
    weak = client.post(set_password_url, {"new_password1": "short", "new_password2": "short"})
    assert "There is a problem" in weak.content.decode()
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("agencies:password_reset_complete")
    assert "_auth_user_id" not in client.session  # a reset never signs in

    signed_in = client.post(
        reverse("agencies:sign_in"), {"username": lead.email, "password": NEW_PASSWORD}
    )
    assert signed_in["Location"].startswith(reverse("agencies:two_factor"))
    assert client.get(reverse("cases:my_cases")).status_code == 302


def test_a_reset_link_works_once(client: Client, lead: User) -> None:
    _request_reset(client, lead.email)
    link = re.search(r"http://localhost:8000(\S+)", str(mail.outbox[-1].body))
    assert link is not None
    set_password_url = _follow_reset_link(client)
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client().get(link.group(1), follow=True)
    assert "This link has expired" in again.content.decode()


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("x7" * 5, False),  # 10 characters: too short
        ("river lantern copper", True),  # no composition rules
        ("password1234", False),  # common
        ("correct horse " * 4 + "battery", True),  # 63 characters
        ("a" * 127 + "b", True),  # 128 characters
        ("a" * 128 + "b", False),  # 129 characters
    ],
)
def test_password_rules(password: str, ok: bool, db: None) -> None:
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)
