"""The case page's feed carries the members' own words; steps on the case are in its
history, and nothing is shown twice."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import Case
from cases.services.reviews import set_next_review_due
from meetings.panels import CONTRIBUTIONS_SHOWN
from meetings.services.contributions import add_contribution
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def _section(page: str, section_id: str) -> str:
    start = page.index(f'id="{section_id}"')
    return page[start : page.index("</section>", start)]


def test_the_feed_has_contributions_and_the_history_has_the_steps(
    case: Case, lead: User, member: User
) -> None:
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1), tick=False):
        add_contribution(case, by=member, body="Attendance is up to 92% this term.")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2), tick=False):
        set_next_review_due(case, due=timezone.localdate() + dt.timedelta(days=20), by=lead)

    page = client_for(member).get(reverse("cases:detail", args=[case.pk])).content.decode()
    feed = _section(page, "contributions")
    history = _section(page, "history")
    assert "Attendance is up to 92% this term." in feed
    assert "Next review due" not in feed
    assert "Next review due" in history
    # The contribution's own step is not repeated in the history: its words are above.
    assert "Contribution from" not in page
    assert page.count("Attendance is up to 92% this term.") == 1


def test_the_feed_shows_the_latest_few_and_links_to_every_contribution(
    case: Case, member: User
) -> None:
    for n in range(CONTRIBUTIONS_SHOWN + 2):
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=n), tick=False):
            add_contribution(case, by=member, body=f"Update number {n}.")
    client = client_for(member)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    feed = _section(page, "contributions")
    assert f"Update number {CONTRIBUTIONS_SHOWN + 1}." in feed
    assert "Update number 0." not in feed
    every = reverse("meetings:contributions", args=[case.pk])
    assert every in feed
    full = client.get(every).content.decode()
    assert all(f"Update number {n}." in full for n in range(CONTRIBUTIONS_SHOWN + 2))


def test_only_those_who_see_the_case_read_its_contributions(case: Case, outsider: User) -> None:
    response = client_for(outsider).get(reverse("meetings:contributions", args=[case.pk]))
    assert response.status_code == 404
