"""Steps on the case and members' contributions share one feed on the case page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import Case
from cases.services.reviews import set_next_review_due
from meetings.services.contributions import add_contribution
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def test_a_step_and_a_contribution_appear_in_one_feed_newest_first(
    case: Case, lead: User, member: User
) -> None:
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1), tick=False):
        add_contribution(case, by=member, body="Attendance is up to 92% this term.")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2), tick=False):
        set_next_review_due(case, due=timezone.localdate() + dt.timedelta(days=20), by=lead)

    page = client_for(member).get(reverse("cases:detail", args=[case.pk])).content.decode()
    feed = page[page.index('id="contributions-heading"') :]
    step = feed.index("Next review due")
    words = feed.index("Attendance is up to 92% this term.")
    assert step < words  # the later step first
    assert "step on the case" in feed
