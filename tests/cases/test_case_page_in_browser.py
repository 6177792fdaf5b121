"""The case page of a busy case, in Chromium: everything before its history fits in
three screens at 1280 px, and axe finds nothing blocking.

A page test, not a journey: the busy case is built with the services in a fixture.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import Case
from cases.services.consent import raise_safeguarding_concern
from cases.services.reviews import set_next_review_due
from meetings.models import Meeting
from meetings.services.contributions import add_contribution
from meetings.services.plan import Owner, add_action, add_outcome
from meetings.services.scheduling import schedule_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: One screen: the viewport the page is measured in.
WIDTH, HEIGHT = 1280, 800


@pytest.fixture
def busy_case(case: Case, lead: User, member: User) -> Case:
    """A busy case: a long plan, many meetings, contributions, steps and concerns."""
    today = timezone.localdate()
    outcomes = [
        add_outcome(case, by=lead, statement=f"We will {what}.")
        for what in (
            "get to school on time every day",
            "have calmer evenings at home",
            "know who to call when things get hard",
        )
    ]
    members = list(case.memberships.active())
    for n in range(24):
        add_action(
            case,
            by=lead,
            description=f"Step {n + 1} of the plan: a weekly check-in with the family.",
            owner=Owner(members[n % len(members)]),
            due_on=today + dt.timedelta(days=n - 5),
            outcomes=[outcomes[n % 3]],
        )
    now = timezone.now()
    for n in range(10):
        schedule_meeting(
            case,
            by=lead,
            kind=Meeting.Kind.REVIEW,
            starts_at=now + dt.timedelta(days=7 * (n + 1)),
            ends_at=now + dt.timedelta(days=7 * (n + 1), hours=1),
            location="Riverside Primary School, room 2",
            members=members,
        )
    for n in range(30):
        add_contribution(
            case,
            by=member if n % 2 else lead,
            body=f"Update {n + 1}: attendance and home life this week, in a few lines. " * 3,
        )
    for n in range(15):
        set_next_review_due(case, due=today + dt.timedelta(days=30 + n), by=lead)
    for _ in range(2):
        raise_safeguarding_concern(
            case, by=member, what_was_seen_or_heard="A bruise on the arm, explained."
        )
    return case


def test_a_busy_case_fits_in_three_screens_before_its_history(
    page: Any,
    sign_in: Callable[[Any, str], None],
    check_page: Callable[[Any, str], None],
    busy_case: Case,
    lead: User,
) -> None:
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    sign_in(page, lead.email)
    page.goto(reverse("cases:detail", args=[busy_case.pk]))
    page.get_by_role("heading", name="What happens next").wait_for()
    # Measured as the document's y of the top of the history section: everything above
    # it (header, summary, what happens next, and every section) must fit in three
    # viewports of 800 px.
    before_history = page.evaluate(
        "document.getElementById('history').getBoundingClientRect().top + window.scrollY"
    )
    tops = page.evaluate(
        "[...document.querySelectorAll('main [id]')].filter(e => /^H2|SECTION|NAV|DL$/"
        ".test(e.tagName)).map(e => e.id + ' ' + Math.round(e.getBoundingClientRect().top"
        " + window.scrollY))"
    )
    assert before_history <= 3 * HEIGHT, f"{before_history} px before the history: {tops}"
    check_page(page, "case-page-busy")
    # Each section is a tab: choosing one shows it in place.
    page.get_by_role("tab", name="Team").click()
    page.get_by_role("link", name="Team page: who is on the team").wait_for()
    assert page.url.endswith("#team")
    page.get_by_role("tab", name="Contributions").click()
    page.get_by_role("link", name="See every contribution").click()
    page.get_by_role("heading", name="Contributions from the team", level=1).wait_for()
    check_page(page, "case-contributions")
    page.goto(reverse("cases:chronology", args=[busy_case.pk]))
    page.get_by_label("Kind of step").select_option(label="Safeguarding")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("heading", name="Steps matching your filters").wait_for()
    check_page(page, "case-history")
