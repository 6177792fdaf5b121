"""Changing the next review date, with a reason that becomes "why late" when it is late."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import Case, CaseEvent
from cases.services.lifecycle import change_status
from cases.services.reviews import set_next_review_due
from notifications.models import Notification, Reminder
from notifications.services import dispatch_due_reminders
from notifications.working_days import add_working_days
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def _url(case: Case) -> str:
    return reverse("cases:review_date", args=[case.pk])


MOVED = "The family asked to move the meeting"


def _data(day: dt.date | None, reason: str = MOVED) -> dict[str, str]:
    parts = ["", "", ""] if day is None else [str(day.day), str(day.month), str(day.year)]
    return {
        "next_review_due_day": parts[0],
        "next_review_due_month": parts[1],
        "next_review_due_year": parts[2],
        "reason": reason,
    }


FEB_31 = _data(None) | {
    "next_review_due_day": "31",
    "next_review_due_month": "2",
    "next_review_due_year": "2027",
}


def _opened_long_ago(case: Case, days: int = 60) -> None:
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - dt.timedelta(days=days))
    case.refresh_from_db()


def test_the_lead_moves_the_date_and_the_case_page_shows_it(
    case: Case, lead: User, lead_client: Client, reminder_rules: None
) -> None:
    new = timezone.localdate() + dt.timedelta(days=20)
    page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert _url(case) in page
    response = lead_client.post(_url(case), _data(new))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.next_review_due == new
    # On time: nothing to explain on dashboards.
    assert case.review_late_reason == ""
    event = CaseEvent.objects.get(case=case, code="review.date_moved")
    assert "The family asked to move the meeting" in event.summary
    assert event.actor == lead
    # Reminders follow the date.
    pending = Reminder.objects.filter(case=case, subject_type="case.review", status="pending")
    assert pending.exists()
    assert set(pending.values_list("due_on", flat=True)) == {new}
    shown = lead_client.get(response["Location"]).content.decode()
    assert new.strftime("%-d %B %Y") in shown


def test_when_the_review_is_overdue_the_reason_is_kept_as_why_late(
    case: Case, lead: User, manager_client: Client, coordinator_client: Client
) -> None:
    _opened_long_ago(case)
    set_next_review_due(case, due=timezone.localdate() - dt.timedelta(days=3), by=lead)
    new = timezone.localdate() + dt.timedelta(days=7)
    assert manager_client.post(_url(case), _data(new)).status_code == 302
    case.refresh_from_db()
    assert case.next_review_due == new
    assert case.review_late_reason == "The family asked to move the meeting"
    # Moved again while on time: the earlier "why late" no longer applies.
    later = new + dt.timedelta(days=7)
    assert coordinator_client.post(_url(case), _data(later, "School trip")).status_code == 302
    case.refresh_from_db()
    assert case.next_review_due == later
    assert case.review_late_reason == ""


def test_a_date_in_the_past_keeps_the_reason_and_reminds_the_lead(
    case: Case, lead: User, reminder_rules: None
) -> None:
    london = ZoneInfo("Europe/London")
    # A Wednesday at noon; the date moved to five working days before it, so the
    # "overdue" reminder to the lead falls due today at 08:00.
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=london), tick=False):
        _opened_long_ago(case)
        today = timezone.localdate()
        past = today - dt.timedelta(days=7)
        assert add_working_days(past, 5) == today
        lead_client = client_for(lead)  # signed in at the travelled-to time
        response = lead_client.post(_url(case), _data(past, "Review held late: illness"))
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.next_review_due == past
        assert case.review_late_reason == "Review held late: illness"
        assert dispatch_due_reminders() >= 1
        titles = set(Notification.objects.filter(recipient=lead).values_list("title", flat=True))
        # Today's rung of the review ladder, and the consent re-check that went with the
        # review date, caught up and saying it is late.
        assert titles == {
            "A case review is 5 working days overdue",
            "Check the family's consent and sharing preferences (overdue)",
        }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_data(None), "Enter the new review date"),
        ({**_data(None), "next_review_due_day": "3"}, "must include a month and year"),
        (FEB_31, "New review date must be a real date"),
        (_data(dt.date(2027, 1, 1), reason="  "), "Enter why the review date is changing"),
        (_data(dt.date(2027, 1, 1), reason="x" * 201), "200 characters or fewer"),
    ],
)
def test_bad_input_is_explained_and_kept(
    case: Case, lead_client: Client, data: dict[str, str], message: str
) -> None:
    before = Case.objects.get(pk=case.pk)
    response = lead_client.post(_url(case), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    # What was typed is kept.
    for value in data.values():
        if value.strip():
            assert f'value="{value}"' in body or value in body
    case.refresh_from_db()
    assert case.next_review_due == before.next_review_due
    assert not CaseEvent.objects.filter(case=case, code="review.date_moved").exists()


def test_a_date_before_the_case_opened_is_refused(case: Case, lead_client: Client) -> None:
    before_opened = timezone.localdate() - dt.timedelta(days=30)
    body = lead_client.post(_url(case), _data(before_opened)).content.decode()
    assert "when the case opened" in body
    case.refresh_from_db()
    assert case.next_review_due != before_opened
    assert case.review_late_reason == ""


def test_a_date_beyond_the_guideline_is_accepted_and_its_reason_is_why_late(
    case: Case, lead_client: Client
) -> None:
    """Timescales prompt, never block: more than 3 months away is kept, with its reason."""
    too_far = timezone.localdate() + dt.timedelta(days=200)
    response = lead_client.post(_url(case), _data(too_far, reason="Family abroad until June"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.next_review_due == too_far
    assert case.review_late_reason == "Family abroad until June"


def test_the_same_date_is_refused(case: Case, lead: User, lead_client: Client) -> None:
    due = timezone.localdate() + dt.timedelta(days=10)
    set_next_review_due(case, due=due, by=lead)
    body = lead_client.post(_url(case), _data(due)).content.decode()
    assert "enter a different date" in body


def test_a_closed_case_has_no_review_date(
    case: Case, lead: User, coordinator_client: Client
) -> None:
    change_status(case, to=Case.Status.CLOSING, by=lead, note="Needs met")
    change_status(case, to=Case.Status.CLOSED, by=lead, closure_reason="NEEDS_MET", note="Done")
    # Closing ends the lead's assignment; the coordinator still runs the case.
    assert "This case is closed" in coordinator_client.get(_url(case)).content.decode()
    day = timezone.localdate() + dt.timedelta(days=5)
    response = coordinator_client.post(_url(case), _data(day))
    assert response.status_code == 200
    assert "This case is closed" in response.content.decode()
    case.refresh_from_db()
    assert case.next_review_due is None


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("lead", 200),
        ("manager", 200),
        ("coordinator", 200),
        ("member", 403),
        ("outsider", 404),
        ("admin_user", 404),
        ("auditor", 404),
    ],
)
def test_who_may_change_the_date(
    case: Case, persona: str, status: int, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(_url(case)).status_code == status
    day = timezone.localdate() + dt.timedelta(days=10)
    assert client.post(_url(case), _data(day)).status_code == (302 if status == 200 else status)
    case.refresh_from_db()
    assert (case.next_review_due == day) is (status == 200)


def test_someone_who_cannot_run_the_case_sees_no_link(case: Case, member_client: Client) -> None:
    page = member_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert _url(case) not in page


def test_signed_out_visitors_are_sent_to_sign_in(case: Case, client: Client) -> None:
    assert client.get(_url(case)).status_code == 302


def test_the_page_runs_a_fixed_number_of_queries(
    case: Case, lead_client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(20):
        assert lead_client.get(_url(case)).status_code == 200


def test_two_people_moving_the_date_at_once_never_overwrite_each_other(
    case: Case, lead_client: Client, manager_client: Client, reminder_rules: None
) -> None:
    # Both open the page while the case shows the same review date.
    seen = lead_client.get(_url(case)).context["form"]["seen_due"].value()
    assert manager_client.get(_url(case)).context["form"]["seen_due"].value() == seen
    first = timezone.localdate() + dt.timedelta(days=20)
    second = timezone.localdate() + dt.timedelta(days=30)
    assert lead_client.post(_url(case), _data(first) | {"seen_due": seen}).status_code == 302

    refused = manager_client.post(_url(case), _data(second) | {"seen_due": seen})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Someone changed the next review date to" in page
    assert first.strftime("%-d %B %Y") in page
    case.refresh_from_db()
    assert case.next_review_due == first
    # What they typed is kept, and saving again (having seen the new date) goes through.
    form = refused.context["form"]
    assert form["reason"].value() == MOVED
    again = manager_client.post(_url(case), _data(second) | {"seen_due": form["seen_due"].value()})
    assert again.status_code == 302
    case.refresh_from_db()
    assert case.next_review_due == second
