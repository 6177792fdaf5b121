"""Your sessions (ASVS 7.5.2): a professional sees where they are signed in and, giving
their password again, ends any or all of their other sessions."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import User, UserSession
from agencies.services import sign_out_everywhere
from agencies.session_store import describe_device, stored_key
from tests.helpers import PASSWORD

CHROME_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
FIREFOX_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
EDGE_ON_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)
NEW_PASSWORD = "a brand new long passphrase 2026"


def _signed_in_through_the_page(user: User, user_agent: str) -> Client:
    client = Client(headers={"user-agent": user_agent})
    response = client.post(
        reverse("agencies:sign_in"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def _signed_in(client: Client) -> bool:
    return client.get(reverse("cases:my_cases")).status_code == 200


def _row(client: Client) -> UserSession:
    return UserSession.objects.get(
        session_id=stored_key(client.cookies[settings.SESSION_COOKIE_NAME].value)
    )


def _page(client: Client) -> str:
    response = client.get(reverse("agencies:sessions"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_describes_a_browser_coarsely() -> None:
    assert describe_device(CHROME_ON_WINDOWS) == "Chrome on Windows"
    assert describe_device(FIREFOX_ON_LINUX) == "Firefox on Linux"
    assert describe_device(SAFARI_ON_IPHONE) == "Safari on iPhone"
    assert describe_device(EDGE_ON_MAC) == "Edge on macOS"
    assert describe_device("") == "A browser"


def test_it_lists_only_ones_own_sessions_that_are_still_live(lead: User, member: User) -> None:
    desk = _signed_in_through_the_page(lead, CHROME_ON_WINDOWS)
    laptop = _signed_in_through_the_page(lead, FIREFOX_ON_LINUX)
    _signed_in_through_the_page(member, SAFARI_ON_IPHONE)
    idle = _signed_in_through_the_page(lead, EDGE_ON_MAC)
    # Untouched for 31 minutes: past the idle limit, though the row is still there.
    last_saved = timezone.now() - dt.timedelta(minutes=31)
    Session.objects.filter(session_key=_row(idle).session_id).update(
        expire_date=last_saved + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )
    page = _page(desk)
    assert "Chrome on Windows <strong" in page
    assert "This session" in page
    assert "Firefox on Linux" in page
    assert f'href="{reverse("agencies:session_end", args=[_row(laptop).pk])}"' in page
    assert "Safari on iPhone" not in page
    assert "Edge on macOS" not in page
    # The session ids themselves are never shown.
    for client in (desk, laptop):
        assert client.cookies[settings.SESSION_COOKIE_NAME].value not in page


def test_it_is_reached_from_the_account_bar_and_the_password_page(lead_client: Client) -> None:
    link = f'href="{reverse("agencies:sessions")}"'
    assert link in lead_client.get(reverse("cases:my_cases")).content.decode()
    assert link in lead_client.get(reverse("agencies:password_change")).content.decode()


def test_it_asks_anyone_not_signed_in_to_sign_in(client: Client) -> None:
    for url in (
        reverse("agencies:sessions"),
        reverse("agencies:sessions_end_others"),
        reverse("agencies:session_end", args=[1]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("agencies:sign_in"))


def test_ending_another_session_with_the_password_signs_that_browser_out(
    lead: User, caplog: pytest.LogCaptureFixture
) -> None:
    desk = _signed_in_through_the_page(lead, CHROME_ON_WINDOWS)
    laptop = _signed_in_through_the_page(lead, FIREFOX_ON_LINUX)
    url = reverse("agencies:session_end", args=[_row(laptop).pk])
    confirm = desk.get(url).content.decode()
    assert "Firefox on Linux" in confirm
    assert 'name="password"' in confirm
    with caplog.at_level(logging.INFO, logger="tac.security"):
        response = desk.post(url, {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("agencies:sessions")
    page = _page(desk)
    assert "Your session on Firefox on Linux has been ended" in page
    assert "Firefox on Linux</td>" not in page
    assert not _signed_in(laptop)
    assert _signed_in(desk)
    ended = [r for r in caplog.records if getattr(r, "event", "") == "own_sessions_ended"]
    assert [(r.user_id, r.sessions_ended) for r in ended] == [(lead.pk, 1)]  # type: ignore[attr-defined]
    # The entry names the account by id only: no address, no name, no password.
    logged = repr(ended[0].__dict__)
    assert lead.email not in logged
    assert lead.full_name not in logged
    assert PASSWORD not in logged


def test_a_wrong_or_missing_password_ends_nothing(
    lead: User, caplog: pytest.LogCaptureFixture
) -> None:
    desk = _signed_in_through_the_page(lead, CHROME_ON_WINDOWS)
    laptop = _signed_in_through_the_page(lead, FIREFOX_ON_LINUX)
    one = reverse("agencies:session_end", args=[_row(laptop).pk])
    every = reverse("agencies:sessions_end_others")
    for url in (one, every):
        with caplog.at_level(logging.INFO, logger="tac.security"):
            wrong = desk.post(url, {"password": "not my password at all"})
        assert wrong.status_code == 200
        assert wrong.context["form"].errors == {"password": ["Your password is not correct"]}
        missing = desk.post(url, {"password": ""})
        assert missing.context["form"].errors == {"password": ["Enter your password"]}
        assert 'href="#id_password"' in missing.content.decode()  # the error summary
    assert _signed_in(laptop)
    assert UserSession.objects.filter(user=lead).count() == 2
    failed = [r for r in caplog.records if getattr(r, "event", "") == "reauthentication_failed"]
    assert [r.user_id for r in failed] == [lead.pk, lead.pk]  # type: ignore[attr-defined]
    assert not [r for r in caplog.records if getattr(r, "event", "") == "own_sessions_ended"]


def test_ending_a_session_that_has_already_ended_says_so_and_harms_nothing(
    lead: User,
) -> None:
    desk = _signed_in_through_the_page(lead, CHROME_ON_WINDOWS)
    laptop = _signed_in_through_the_page(lead, FIREFOX_ON_LINUX)
    url = reverse("agencies:session_end", args=[_row(laptop).pk])
    assert desk.post(url, {"password": PASSWORD}).status_code == 302
    again = desk.post(url, {"password": PASSWORD})
    assert again.status_code == 302
    assert again["Location"] == reverse("agencies:sessions")
    assert "That session had already ended" in _page(desk)
    never = desk.get(reverse("agencies:session_end", args=[999_999]))
    assert never.status_code == 302
    assert "That session had already ended" in _page(desk)
    assert _signed_in(desk)


def test_another_persons_session_cannot_be_ended(lead: User, member: User) -> None:
    desk = _signed_in_through_the_page(lead, CHROME_ON_WINDOWS)
    members = _signed_in_through_the_page(member, SAFARI_ON_IPHONE)
    url = reverse("agencies:session_end", args=[_row(members).pk])
    assert "Safari on iPhone" not in desk.get(url, follow=True).content.decode()
    response = desk.post(url, {"password": PASSWORD})
    assert response.status_code == 302
    assert "That session had already ended" in _page(desk)
    assert _signed_in(members)
    # Nor can this session be ended from its own page: signing out does that.
    this = desk.post(reverse("agencies:session_end", args=[_row(desk).pk]), {"password": PASSWORD})
    assert this.status_code == 302
    assert "That is the session you are using: to end it, sign out" in _page(desk)
    assert _signed_in(desk)


def test_ending_all_other_sessions_keeps_this_one(lead: User, member: User) -> None:
    desk = _signed_in_through_the_page(lead, CHROME_ON_WINDOWS)
    others = [
        _signed_in_through_the_page(lead, FIREFOX_ON_LINUX),
        _signed_in_through_the_page(lead, EDGE_ON_MAC),
    ]
    members = _signed_in_through_the_page(member, SAFARI_ON_IPHONE)
    url = reverse("agencies:sessions_end_others")
    confirm = desk.get(url).content.decode()
    assert "Firefox on Linux" in confirm
    assert "Edge on macOS" in confirm
    assert desk.post(url, {"password": PASSWORD}).status_code == 302
    assert "Your other sessions have been ended" in _page(desk)
    assert not any(_signed_in(client) for client in others)
    assert _signed_in(desk)
    assert _signed_in(members)
    # Asking again ends nothing more and says so.
    assert desk.post(url, {"password": PASSWORD}).status_code == 302
    assert "You had no other sessions" in _page(desk)
    assert _signed_in(desk)


def test_a_new_session_id_keeps_the_sessions_row(lead: User) -> None:
    desk = _signed_in_through_the_page(lead, CHROME_ON_WINDOWS)
    laptop = _signed_in_through_the_page(lead, FIREFOX_ON_LINUX)
    before = _row(desk)
    response = desk.post(
        reverse("agencies:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    after = _row(desk)  # a new session id ...
    assert after.session_id != before.session_id
    assert after.pk == before.pk  # ... and the same row
    # The new password ended the other session, and its row with it.
    assert UserSession.objects.filter(user=lead).count() == 1
    assert not _signed_in(laptop)


def test_signing_out_and_an_administrator_ending_sessions_remove_their_rows(
    lead: User, admin_user: User
) -> None:
    desk = _signed_in_through_the_page(lead, CHROME_ON_WINDOWS)
    _signed_in_through_the_page(lead, FIREFOX_ON_LINUX)
    desk.post(reverse("agencies:sign_out"))
    assert UserSession.objects.filter(user=lead).count() == 1
    sign_out_everywhere([lead], by=admin_user)
    assert not UserSession.objects.filter(user=lead).exists()


def test_the_page_makes_the_same_few_queries_however_many_sessions(
    lead: User, django_assert_num_queries: Any
) -> None:
    desk = _signed_in_through_the_page(lead, CHROME_ON_WINDOWS)
    _signed_in_through_the_page(lead, FIREFOX_ON_LINUX)
    _page(desk)  # warm: the first page after signing in may save the session
    # The session, the user, this page's sessions (one join, nothing decoded), the
    # messages and the account bar's unread notifications: however many sessions.
    with django_assert_num_queries(5):
        _page(desk)
    for _ in range(4):
        _signed_in_through_the_page(lead, EDGE_ON_MAC)
    with django_assert_num_queries(5):
        _page(desk)
