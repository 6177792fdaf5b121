"""Session evidence for docs/security.md (ASVS 5.0 V3.3 and V7): new ids at sign-in, dead ids
after sign-out, ids the server made itself, other sessions ended by a new password, and
a sign-out button on every signed-in page, and administrators who can end sessions."""

from __future__ import annotations

import logging
import re
import string

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from agencies.models import User
from agencies.services import sign_out_everywhere
from agencies.session_store import SessionStore, stored_key
from cases.models import Case
from tests.helpers import PASSWORD, client_for

NEW_PASSWORD = "a brand new long passphrase 2026"


def _signed_in(client: Client) -> bool:
    return client.get(reverse("cases:my_cases")).status_code == 200


def _session_key(client: Client) -> str:
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


def _sign_in(client: Client, user: User, password: str = PASSWORD) -> int:
    response = client.post(
        reverse("agencies:sign_in"), {"username": user.email, "password": password}
    )
    return int(response.status_code)


def test_signing_in_issues_a_new_session_id_and_kills_the_old_one(lead: User) -> None:
    before = SessionStore()
    before["seen_the_sign_in_page"] = True
    before.create()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = str(before.session_key)
    assert _sign_in(client, lead) == 302
    after = _session_key(client)
    assert after != before.session_key
    assert Session.objects.filter(session_key=stored_key(after)).exists()
    assert not Session.objects.filter(session_key=stored_key(before.session_key)).exists()
    # Someone who planted the old id learns nothing from it.
    planted = Client()
    planted.cookies[settings.SESSION_COOKIE_NAME] = str(before.session_key)
    assert not _signed_in(planted)
    assert _signed_in(client)


def test_signing_out_makes_the_old_session_id_useless(lead: User) -> None:
    client = Client()
    assert _sign_in(client, lead) == 302
    old = _session_key(client)
    assert _signed_in(client)
    client.post(reverse("agencies:sign_out"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old
    assert not _signed_in(replay)
    assert not Session.objects.filter(session_key=stored_key(old)).exists()


def test_a_session_id_the_server_did_not_issue_signs_nobody_in(lead: User) -> None:
    made_up = Client()
    made_up.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32
    assert not _signed_in(made_up)
    # Nor does a session row that names the user without the password's hash in it.
    forged = SessionStore()
    forged[SESSION_KEY] = str(lead.pk)
    forged["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    forged.create()
    forged_client = Client()
    forged_client.cookies[settings.SESSION_COOKIE_NAME] = str(forged.session_key)
    assert not _signed_in(forged_client)


def test_the_store_keeps_only_a_hash_of_each_session_id(lead: User) -> None:
    client = Client()
    assert _sign_in(client, lead) == 302
    key = _session_key(client)
    stored = Session.objects.get(session_key=stored_key(key))
    assert stored.session_key != key
    assert not Session.objects.filter(session_key=key).exists()
    assert len(stored.session_key) == 40
    # What the table holds, given as the cookie, signs nobody in.
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = stored.session_key
    assert not _signed_in(stolen)
    assert _signed_in(client)


def test_session_ids_are_long_random_and_never_repeat(lead: User) -> None:
    keys = set()
    for _ in range(5):
        client = Client()
        assert _sign_in(client, lead) == 302
        keys.add(_session_key(client))
    assert len(keys) == 5
    alphabet = set(string.ascii_lowercase + string.digits)
    for key in keys:
        # 32 characters from 36: about 165 bits, from the operating system's CSPRNG.
        assert len(key) == 32
        assert set(key) <= alphabet


def test_a_new_password_ends_every_other_session(lead: User) -> None:
    elsewhere = client_for(lead)
    assert _signed_in(elsewhere)
    resetting = Client()
    resetting.post(reverse("agencies:password_reset"), {"email": lead.email})
    link = re.search(r"http://localhost:8000(\S+)", str(mail.outbox[-1].body))
    assert link is not None
    set_password_url = resetting.get(link.group(1))["Location"]
    done = resetting.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == reverse("agencies:password_reset_complete")
    assert not _signed_in(elsewhere)
    fresh = Client()
    assert _sign_in(fresh, lead, NEW_PASSWORD) == 302
    assert _signed_in(fresh)


def test_every_signed_in_page_offers_sign_out(case: Case, lead_client: Client) -> None:
    sign_out = reverse("agencies:sign_out")
    for url in (
        reverse("cases:my_cases"),
        reverse("cases:detail", args=[case.pk]),
        reverse("notifications:list"),
        reverse("cases:detail", args=[case.pk + 1000]),  # the not-found page too
    ):
        body = lead_client.get(url).content.decode()
        assert f'<form method="post" action="{sign_out}"' in body, url
        assert ">Sign out</button>" in body, url


def test_session_and_csrf_cookies_are_http_only_and_same_site(client: Client, lead: User) -> None:
    page = client.get(reverse("agencies:sign_in"))
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"
    response = client.post(
        reverse("agencies:sign_in"), {"username": lead.email, "password": PASSWORD}
    )
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    # The session id travels only in Set-Cookie, never in the page or a URL.
    assert session.value not in response.content.decode()
    assert session.value not in response["Location"]


def test_an_administrator_signs_chosen_people_out_without_deactivating_them(
    lead: User, member: User, admin_user: User, caplog: pytest.LogCaptureFixture
) -> None:
    leads_desk, leads_laptop, members = client_for(lead), client_for(lead), client_for(member)
    admin = client_for(admin_user)
    with caplog.at_level(logging.INFO, logger="tac.security"):
        response = admin.post(
            "/admin/agencies/user/",
            {"action": "sign_out_selected", "_selected_action": [lead.pk]},
        )
    assert response.status_code == 302
    assert not _signed_in(leads_desk)
    assert not _signed_in(leads_laptop)
    assert _signed_in(members)
    assert _signed_in(admin)
    lead.refresh_from_db()
    assert lead.is_active
    assert _sign_in(Client(), lead) == 302
    ended = [r for r in caplog.records if getattr(r, "event", "") == "sessions_ended"]
    assert ended[0].sessions_ended == 2  # type: ignore[attr-defined]
    assert ended[0].by_user_id == admin_user.pk  # type: ignore[attr-defined]


def test_an_administrator_signs_everyone_out_at_once(
    lead: User, member: User, admin_user: User
) -> None:
    clients = [client_for(lead), client_for(member), client_for(lead)]
    assert sign_out_everywhere(User.objects.all(), by=admin_user) == 3
    assert not any(_signed_in(client) for client in clients)
