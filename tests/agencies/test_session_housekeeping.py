"""Expired sessions are deleted every hour, with their owners' rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from agencies.models import User, UserSession
from agencies.tasks import clear_expired_sessions
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def test_expired_sessions_and_their_rows_go_and_live_ones_stay(lead: User, member: User) -> None:
    for user in (lead, member):
        Client().post(reverse("agencies:sign_in"), {"username": user.email, "password": PASSWORD})
    assert UserSession.objects.count() == 2
    ended = UserSession.objects.get(user=lead).session
    ended.expire_date = ended.expire_date - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)
    ended.save()

    assert clear_expired_sessions() >= 1
    assert not Session.objects.filter(pk=ended.pk).exists()
    assert list(UserSession.objects.values_list("user", flat=True)) == [member.pk]
    assert clear_expired_sessions() == 0  # nothing more to do
