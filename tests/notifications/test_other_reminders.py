"""Consent re-checks (at each review, and at 12 and 16) and break-glass review reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine

from agencies.models import User
from audit.services import grant_break_glass, review_break_glass
from cases.models import Case
from cases.services.reminders import next_consent_birthday
from notifications.models import (
    SUBJECT_BREAK_GLASS_REVIEW,
    SUBJECT_CONSENT_AGE,
    SUBJECT_CONSENT_RECHECK,
    Notification,
    Reminder,
)
from notifications.services import dispatch_due_reminders

pytestmark = pytest.mark.django_db

UTC = dt.UTC
SetReview = Callable[[Case, dt.date | None], Case]


def _pending(subject_type: str) -> list[tuple[str, str, dt.date]]:
    return sorted(
        (r.rule.code, r.recipient.full_name, r.due_on)
        for r in Reminder.objects.filter(
            subject_type=subject_type, status="pending"
        ).select_related("rule", "recipient")
    )


@pytest.mark.parametrize(
    ("born", "today", "expected"),
    [
        (dt.date(2015, 6, 10), dt.date(2027, 1, 1), dt.date(2027, 6, 10)),  # 12th ahead
        (dt.date(2015, 6, 10), dt.date(2027, 6, 10), dt.date(2027, 6, 10)),  # today counts
        (dt.date(2015, 6, 10), dt.date(2027, 6, 11), dt.date(2031, 6, 10)),  # then the 16th
        (dt.date(2008, 1, 1), dt.date(2027, 1, 1), None),  # already past 16
        (dt.date(2016, 2, 29), dt.date(2027, 1, 1), dt.date(2028, 2, 29)),  # a leap year again
        (dt.date(2015, 2, 28), dt.date(2027, 3, 1), dt.date(2031, 2, 28)),
        (None, dt.date(2027, 1, 1), None),
    ],
)
def test_the_next_consent_birthday(
    born: dt.date | None, today: dt.date, expected: dt.date | None
) -> None:
    assert next_consent_birthday(born, today) == expected


def test_a_29_february_birthday_falls_on_1_march_in_common_years() -> None:
    # 2100 is not a leap year (a century not divisible by 400 is not).
    assert next_consent_birthday(dt.date(2088, 2, 29), dt.date(2099, 1, 1)) == dt.date(2100, 3, 1)


@time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC), tick=False)
def test_consent_is_rechecked_at_each_review_and_when_a_child_reaches_12(
    case: Case, set_review: SetReview
) -> None:
    child = case.children.get()
    child.date_of_birth = dt.date(2015, 5, 20)  # 12 on 20 May 2027
    child.save()

    set_review(case, dt.date(2027, 4, 1))
    assert _pending(SUBJECT_CONSENT_RECHECK) == [
        ("consent.recheck", "Lena Lead", dt.date(2027, 4, 1))
    ]
    assert _pending(SUBJECT_CONSENT_AGE) == [("consent.age", "Lena Lead", dt.date(2027, 5, 20))]

    set_review(case, dt.date(2027, 4, 15))  # the review moves: so does its consent re-check
    assert _pending(SUBJECT_CONSENT_RECHECK) == [
        ("consent.recheck", "Lena Lead", dt.date(2027, 4, 15))
    ]


@time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC), tick=False)
def test_closing_the_case_cancels_the_consent_rechecks(case: Case, set_review: SetReview) -> None:
    child = case.children.get()
    child.date_of_birth = dt.date(2015, 5, 20)
    child.save()
    set_review(case, dt.date(2027, 4, 1))

    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.CLOSED,
        closure_reason="NEEDS_MET",
        closed_at=dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC),
    )
    set_review(case, None)

    assert _pending(SUBJECT_CONSENT_RECHECK) == []
    assert _pending(SUBJECT_CONSENT_AGE) == []


def test_break_glass_awaits_information_governance_until_reviewed(
    case: Case, outsider: User, auditor: User
) -> None:
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC), tick=False):
        grant_break_glass(
            case, user=outsider, reason_code="SAFEGUARDING_CONCERN", justification="Police call-out"
        )
    assert _pending(SUBJECT_BREAK_GLASS_REVIEW) == [
        ("break_glass.awaiting_review", auditor.full_name, dt.date(2027, 3, 1))
    ]

    # The next working day at 08:00 it reaches information governance, once.
    with time_machine.travel(dt.datetime(2027, 3, 2, 8, 1, tzinfo=UTC), tick=False):
        assert dispatch_due_reminders() == 1
        assert dispatch_due_reminders() == 0
    note = Notification.objects.get(recipient=auditor, reminder__isnull=False)
    assert note.title == "An emergency access grant is awaiting review"
    assert note.link == "/audit/break-glass/"


def test_a_reviewed_grant_is_not_reminded(case: Case, outsider: User, auditor: User) -> None:
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC), tick=False):
        grant = grant_break_glass(
            case, user=outsider, reason_code="SAFEGUARDING_CONCERN", justification="Police call-out"
        )
        review_break_glass(grant, by=auditor, outcome="APPROPRIATE")

    assert _pending(SUBJECT_BREAK_GLASS_REVIEW) == []
    with time_machine.travel(dt.datetime(2027, 3, 2, 8, 1, tzinfo=UTC), tick=False):
        assert dispatch_due_reminders() == 0
