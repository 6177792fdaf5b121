"""Idle timeout (30 minutes), absolute timeout (12 hours), deactivation ends sessions."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import time_machine
from django.contrib import admin
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.urls import reverse

from agencies.admin import UserAdmin
from agencies.models import User
from agencies.services import deactivate_user
from agencies.session_store import stored_key
from tests.helpers import client_for

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _signed_in(client: Client) -> bool:
    return client.get(reverse("cases:my_cases")).status_code == 200


def test_idle_for_30_minutes_signs_out(lead: User) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        client = client_for(lead)
        traveller.shift(dt.timedelta(minutes=29))
        assert _signed_in(client)
        traveller.shift(dt.timedelta(minutes=29))
        assert _signed_in(client)
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("cases:my_cases"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("agencies:sign_in"))
        page = client.get(response["Location"]).content.decode()
        assert "inactive for 30 minutes" in page
        assert "_auth_user_id" not in client.session


def test_12_hours_after_signing_in_signs_out_however_active(lead: User) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        client = client_for(lead)
        for _ in range(35):  # active every 20 minutes for 11 hours 40 minutes
            traveller.shift(dt.timedelta(minutes=20))
            assert _signed_in(client)
        traveller.shift(dt.timedelta(minutes=21))  # 12 hours 1 minute
        assert not _signed_in(client)


def test_deactivating_ends_every_session(lead: User, admin_user: User) -> None:
    first, second = client_for(lead), client_for(lead)
    other = client_for(admin_user)
    assert _signed_in(first)
    assert _signed_in(second)
    deactivate_user(lead, by=admin_user)
    lead.refresh_from_db()
    assert not lead.is_active
    assert not _signed_in(first)
    assert not _signed_in(second)
    remaining = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(lead.pk) not in remaining
    assert str(admin_user.pk) in remaining
    assert _signed_in(other)


def test_any_deactivation_stops_an_existing_session(lead_client: Client, lead: User) -> None:
    assert _signed_in(lead_client)
    User.objects.filter(pk=lead.pk).update(is_active=False)
    assert not _signed_in(lead_client)


def test_the_admin_deactivates_through_the_service(lead: User, admin_user: User) -> None:
    lead_client = client_for(lead)
    request = RequestFactory().post("/admin/agencies/user/")
    request.user = admin_user
    lead.is_active = False
    model_admin = UserAdmin(User, admin.site)
    form = SimpleNamespace(changed_data=["is_active"])
    model_admin.save_model(request, lead, form, change=True)
    assert not _signed_in(lead_client)
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(lead.pk) for s in Session.objects.all()
    )


def test_signing_out_deletes_the_session(lead: User) -> None:
    client = client_for(lead)
    key = client.session.session_key
    client.post(reverse("agencies:sign_out"))
    assert not Session.objects.filter(session_key=stored_key(key)).exists()
