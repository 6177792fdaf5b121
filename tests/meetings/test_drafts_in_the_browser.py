"""Meeting mode's drafts on the device (ASVS 14.3.1, 14.3.3): sealed with a key only the
person's signed-in page carries, and cleared from the browser at sign-out."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import User
from meetings.drafts import draft_key
from meetings.models import Meeting
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def test_the_key_is_256_bits_per_person_and_dies_with_the_password(
    lead: User, member: User
) -> None:
    key = draft_key(lead)
    assert len(base64.b64decode(key)) == 32
    assert draft_key(lead) == key
    assert draft_key(member) != key
    lead.set_password("a different long passphrase 2026")
    lead.save()
    assert draft_key(lead) != key


def test_meeting_mode_gives_the_key_to_its_script_and_nowhere_else(
    schedule: Callable[..., Meeting], lead: User, lead_client: Client
) -> None:
    meeting = schedule()
    body = lead_client.get(reverse("meetings:run", args=[meeting.pk])).content.decode()
    key = draft_key(lead)
    assert f'data-draft-key="{key}"' in body
    assert body.count(key) == 1
    other = lead_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert key not in other


def test_signing_out_tells_the_browser_to_clear_what_the_portal_kept(lead: User) -> None:
    client = client_for(lead)
    response = client.post(reverse("agencies:sign_out"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_every_signed_in_page_warns_before_signing_out_over_unsaved_notes(
    lead_client: Client,
) -> None:
    body = lead_client.get(reverse("cases:my_cases")).content.decode()
    assert "data-sign-out" in body
    assert 'id="sign-out-warning"' in body
