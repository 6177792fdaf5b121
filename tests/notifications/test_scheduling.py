"""schedule_review_reminders keeps the ledger in line with the review date and lead."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine

from agencies.models import User
from cases.models import Case
from cases.services.lifecycle import change_status
from cases.services.reminders import schedule_review_reminders
from cases.services.reviews import set_next_review_due
from cases.services.teams import assign_lead_professional
from notifications.models import SUBJECT_CASE_REVIEW, Notification, Reminder
from notifications.services import cancel_reminders_for, dispatch_due_reminders

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("review_rules_only")]

SetReview = Callable[[Case, dt.date | None], Case]
UTC = dt.UTC
DUE = dt.date(2027, 4, 1)  # a Thursday just after Easter


def _pending(case: Case) -> set[tuple[str, str, dt.date, dt.datetime]]:
    return {
        (r.rule.code, r.recipient.full_name, r.due_on, r.fire_at)
        for r in Reminder.objects.filter(
            case=case, status="pending", subject_type=SUBJECT_CASE_REVIEW
        ).select_related("rule", "recipient")
    }


@pytest.fixture
def people(manager: User, coordinator: User) -> None:
    """Mo manages Lena's team; Cora is the coordinator."""


@time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC), tick=False)
def test_it_writes_the_review_ladder_in_working_days(
    case: Case, set_review: SetReview, people: None
) -> None:
    set_review(case, DUE)

    assert _pending(case) == {
        # 5 working days before, counting back over Easter; 08:00 GMT.
        ("review.due_soon", "Lena Lead", DUE, dt.datetime(2027, 3, 23, 8, 0, tzinfo=UTC)),
        # On the day: 08:00 BST.
        ("review.due", "Lena Lead", DUE, dt.datetime(2027, 4, 1, 7, 0, tzinfo=UTC)),
        ("review.overdue", "Lena Lead", DUE, dt.datetime(2027, 4, 8, 7, 0, tzinfo=UTC)),
        ("review.overdue_manager", "Mo Manager", DUE, dt.datetime(2027, 4, 8, 7, 0, tzinfo=UTC)),
        (
            "review.overdue_coordinator",
            "Cora Coordinator",
            DUE,
            dt.datetime(2027, 4, 22, 7, 0, tzinfo=UTC),
        ),
    }


@time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC), tick=False)
def test_it_is_idempotent(case: Case, set_review: SetReview, people: None) -> None:
    set_review(case, DUE)
    schedule_review_reminders(case)
    schedule_review_reminders(case)
    assert Reminder.objects.filter(case=case).count() == 5


@time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC), tick=False)
def test_it_cancels_old_rows_and_writes_new_ones_when_the_date_moves(
    case: Case, set_review: SetReview, people: None
) -> None:
    set_review(case, DUE)
    set_review(case, dt.date(2027, 5, 6))

    assert {r[2] for r in _pending(case)} == {dt.date(2027, 5, 6)}
    assert Reminder.objects.filter(case=case, due_on=DUE, status="cancelled").count() == 5

    # Moving it back brings the cancelled rows back rather than failing on the key.
    set_review(case, DUE)
    assert {r[2] for r in _pending(case)} == {DUE}
    assert Reminder.objects.filter(case=case).count() == 10


@time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC), tick=False)
def test_it_follows_a_change_of_lead(
    case: Case, set_review: SetReview, member: User, manager: User
) -> None:
    set_review(case, DUE)
    assign_lead_professional(
        case,
        professional=member,
        by=manager,
        basis="MANAGER_ALLOCATED",
        change_reason="MANAGING_CASELOADS",
    )
    schedule_review_reminders(case)

    recipients = {(code, name) for code, name, _, _ in _pending(case)}
    # Sam's team has no manager, so only Sam gets the lead's reminders now.
    assert recipients == {
        ("review.due_soon", "Sam School"),
        ("review.due", "Sam School"),
        ("review.overdue", "Sam School"),
    }


@time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC), tick=False)
def test_it_cancels_everything_when_the_review_is_completed_or_the_case_closes(
    case: Case, set_review: SetReview, lead: User, people: None
) -> None:
    set_review(case, DUE)
    set_review(case, None)
    assert _pending(case) == set()

    set_review(case, DUE)
    change_status(case, to=Case.Status.CLOSING, by=lead)
    change_status(case, to=Case.Status.CLOSED, by=lead, closure_reason="NEEDS_MET")
    # Closing the case cancelled them in the same transaction.
    assert _pending(case) == set()
    assert cancel_reminders_for(case) == 0
    schedule_review_reminders(case)
    assert _pending(case) == set()


@time_machine.travel(dt.datetime(2027, 3, 31, 9, 0, tzinfo=UTC), tick=False)
def test_it_does_not_write_reminders_whose_day_has_passed(
    case: Case, set_review: SetReview, people: None
) -> None:
    set_review(case, DUE)
    # "Due in 5 working days" would be stale; the rest are still to come.
    assert {code for code, *_ in _pending(case)} == {
        "review.due",
        "review.overdue",
        "review.overdue_manager",
        "review.overdue_coordinator",
    }


# Tuesday 6 April 2027: DUE (Thursday 1 April) was 3 working days ago.
THREE_DAYS_LATE = dt.datetime(2027, 4, 6, 9, 0, tzinfo=UTC)


@time_machine.travel(THREE_DAYS_LATE, tick=False)
def test_a_date_moved_into_the_past_tells_the_lead_at_once(
    case: Case, set_review: SetReview, people: None, lead: User
) -> None:
    set_review(case, DUE)

    pending = _pending(case)
    # Not the stale "due soon"; "due today" goes out now, the overdue rungs when they come.
    assert {code for code, *_ in pending} == {
        "review.due",
        "review.overdue",
        "review.overdue_manager",
        "review.overdue_coordinator",
    }
    assert ("review.due", "Lena Lead", DUE, THREE_DAYS_LATE) in pending

    assert dispatch_due_reminders() == 1
    notification = Notification.objects.get()
    assert notification.recipient == lead
    assert notification.title == "A case review is overdue: its date passed 3 working days ago"


@time_machine.travel(dt.datetime(2027, 4, 14, 9, 0, tzinfo=UTC), tick=False)
def test_only_the_latest_rung_that_has_passed_is_caught_up(
    case: Case, set_review: SetReview, people: None
) -> None:
    set_review(case, DUE)  # 9 working days ago: past the +5 rungs, before the +15 one

    now = dt.datetime(2027, 4, 14, 9, 0, tzinfo=UTC)
    assert {(code, who) for code, who, _, at in _pending(case) if at == now} == {
        ("review.overdue", "Lena Lead"),
        ("review.overdue_manager", "Mo Manager"),
    }
    assert "review.due" not in {code for code, *_ in _pending(case)}
    dispatch_due_reminders()
    titles = set(Notification.objects.values_list("title", flat=True))
    assert titles == {
        "A case review is 9 working days overdue",
        "A case review in your team is 9 working days overdue",
    }
    # Scheduling again (a lead change, say) sends nothing twice.
    set_review(case, DUE)
    assert dispatch_due_reminders() == 0


@time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC), tick=False)
def test_a_moved_date_never_leaves_two_pending_keys(
    case: Case, set_review: SetReview, people: None
) -> None:
    for due in [DUE, dt.date(2027, 4, 2), DUE, dt.date(2027, 6, 1)]:
        set_review(case, due)
    assert (
        Reminder.objects.filter(case=case, status="pending").values("due_on").distinct().count()
        == 1
    )


@time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC), tick=False)
def test_the_case_service_moves_reminders_with_the_review_date(
    case: Case, lead: User, people: None
) -> None:
    set_next_review_due(case, due=DUE, by=lead)
    first = {due for _, _, due, _ in _pending(case)}
    set_next_review_due(case, due=DUE + dt.timedelta(days=14), by=lead)
    moved = {due for _, _, due, _ in _pending(case)}
    assert first == {DUE}
    assert moved == {DUE + dt.timedelta(days=14)}
    assert case.events.filter(code="review.date_set").count() == 2
