"""django-axes: 5 failures lock one (email address, IP address) pair out for 15 minutes."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from agencies.models import User
from tests.helpers import PASSWORD

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _attempt(client: Client, email: str, password: str, ip: str = "192.0.2.10") -> int:
    response = client.post(
        reverse("agencies:sign_in"), {"username": email, "password": password}, REMOTE_ADDR=ip
    )
    return response.status_code


def _fail_five_times(client: Client, email: str) -> None:
    for _ in range(5):
        _attempt(client, email, "not-the-password")


def test_five_failures_lock_the_pair_and_the_right_password_is_then_refused(
    client: Client, lead: User
) -> None:
    _fail_five_times(client, lead.email)
    response = client.post(
        reverse("agencies:sign_in"),
        {"username": lead.email, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 429
    body = response.content.decode()
    assert "You cannot sign in for 15 minutes" in body
    assert "Wait 15 minutes" in body
    assert "govuk-header" in body  # the rate-limit page is in the portal's layout
    assert lead.email not in body
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client: Client, lead: User) -> None:
    for _ in range(4):
        assert _attempt(client, lead.email, "not-the-password") == 200
    assert _attempt(client, lead.email, PASSWORD) == 302


def test_the_lock_counts_an_address_in_any_case(client: Client, lead: User) -> None:
    for variant in [lead.email, lead.email.upper(), f" {lead.email} ", lead.email.title()] * 2:
        _attempt(client, variant, "not-the-password")
    assert _attempt(client, lead.email, PASSWORD) == 429


def test_another_ip_address_is_not_locked(client: Client, lead: User) -> None:
    _fail_five_times(client, lead.email)
    assert _attempt(Client(), lead.email, PASSWORD, ip="198.51.100.7") == 302


def test_another_account_from_the_same_ip_is_not_locked(
    client: Client, lead: User, member: User
) -> None:
    _fail_five_times(client, lead.email)
    assert _attempt(Client(), member.email, PASSWORD) == 302


def test_the_lock_ends_after_15_minutes_never_permanently(client: Client, lead: User) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        _fail_five_times(client, lead.email)
        traveller.shift(dt.timedelta(minutes=14))
        assert _attempt(client, lead.email, PASSWORD) == 429
        traveller.shift(dt.timedelta(minutes=2))
        assert _attempt(client, lead.email, PASSWORD) == 302


def test_lockouts_and_failures_are_logged_without_the_address_or_password(
    client: Client, lead: User, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="tac.security"):
        _fail_five_times(client, lead.email)
        _attempt(client, lead.email, PASSWORD)
    records = [r for r in caplog.records if r.name == "tac.security"]
    events = [getattr(r, "event", "") for r in records]
    assert events.count("sign_in_failed") >= 5
    assert "sign_in_locked_out" in events
    for record in records:
        text = str(record.__dict__)
        assert lead.email not in text
        assert PASSWORD not in text
        assert "not-the-password" not in text
        assert record.ip == "192.0.2.10"  # type: ignore[attr-defined]
    hashes = {getattr(r, "username_hash", None) for r in records} - {None}
    assert len(hashes) == 1


def test_many_accounts_tried_from_one_address_stop_that_address_only(
    client: Client, lead: User, member: User, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.TAC_SIGN_IN_FAILURES_PER_ADDRESS = 6
    for n in range(6):  # one try each at six accounts, none of them locked by itself
        assert _attempt(client, f"someone{n}@demo.tac.example", "not-the-password") == 200
    with caplog.at_level(logging.WARNING, logger="tac.security"):
        refused = client.post(
            reverse("agencies:sign_in"),
            {"username": lead.email, "password": PASSWORD},
            REMOTE_ADDR="192.0.2.10",
        )
    assert "Too many sign-ins have failed from your network" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert any(getattr(r, "event", "") == "sign_in_address_throttled" for r in caplog.records)
    # Another address is not held back, and the hold ends with the cool-off.
    assert _attempt(Client(), member.email, PASSWORD, ip="198.51.100.7") == 302
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=16)):
        assert _attempt(Client(), lead.email, PASSWORD) == 302
