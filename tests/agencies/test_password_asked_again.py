"""A signed-in person's password, asked again (to end other sessions, to set a new
password), is checked the way a sign-in is: wrong ones count towards the lockout, and at
the lockout the session that was guessing is ended."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import User
from tests.helpers import PASSWORD

WRONG = "not-the-password"
NEW_PASSWORD = "a brand new long passphrase 2026"


def _signed_in(user: User) -> Client:
    client = Client()
    response = client.post(
        reverse("agencies:sign_in"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def _is_signed_in(client: Client) -> bool:
    return client.get(reverse("cases:my_cases")).status_code == 200


def _end_others(client: Client, password: str) -> int:
    response = client.post(reverse("agencies:sessions_end_others"), {"password": password})
    return response.status_code


def _change_password(client: Client, current: str) -> int:
    response = client.post(
        reverse("agencies:password_change"),
        {"old_password": current, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    return response.status_code


def test_four_wrong_passwords_then_the_right_one_ends_the_other_sessions(lead: User) -> None:
    desk, laptop = _signed_in(lead), _signed_in(lead)
    for _ in range(4):
        assert _end_others(desk, WRONG) == 200
    assert _end_others(desk, PASSWORD) == 302
    assert _is_signed_in(desk)
    assert not _is_signed_in(laptop)


def test_the_fifth_wrong_password_ends_the_guessing_session_and_locks_the_account(
    lead: User, caplog: pytest.LogCaptureFixture
) -> None:
    taken, owners = _signed_in(lead), _signed_in(lead)
    for _ in range(4):
        assert _end_others(taken, WRONG) == 200
    with caplog.at_level(logging.INFO, logger="tac.security"):
        response = taken.post(reverse("agencies:sessions_end_others"), {"password": WRONG})
    assert response.status_code == 429
    assert "You cannot sign in for 15 minutes" in response.content.decode()
    assert not _is_signed_in(taken)
    # The owner's session is untouched; the account's password cannot be guessed on.
    assert _is_signed_in(owners)
    assert _end_others(owners, PASSWORD) == 429
    refused = Client().post(
        reverse("agencies:sign_in"), {"username": lead.email, "password": PASSWORD}
    )
    assert refused.status_code == 429
    events = [getattr(r, "event", "") for r in caplog.records]
    assert "reauthentication_locked_out" in events
    assert lead.email not in caplog.text


def test_wrong_current_passwords_on_change_password_count_the_same(lead: User) -> None:
    client = _signed_in(lead)
    for _ in range(4):
        assert _change_password(client, WRONG) == 200
    assert _change_password(client, WRONG) == 429
    assert not _is_signed_in(client)
    lead.refresh_from_db()
    assert lead.check_password(PASSWORD)


def test_a_wrong_current_password_says_so_on_the_field(lead: User) -> None:
    client = _signed_in(lead)
    response = client.post(
        reverse("agencies:password_change"),
        {"old_password": WRONG, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Your current password is not correct" in response.content.decode()
