from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from cases.models import Case
from cases.services.reminders import schedule_review_reminders


@pytest.fixture
def set_review() -> Callable[[Case, dt.date | None], Case]:
    """Set a case's review date the way cases/services.py will: update, then reschedule."""

    def set_(case: Case, due: dt.date | None) -> Case:
        Case.objects.filter(pk=case.pk).update(next_review_due=due)
        schedule_review_reminders(case)
        case.refresh_from_db()
        return case

    return set_


@pytest.fixture(autouse=True)
def _reminder_rules(request: pytest.FixtureRequest) -> None:
    """The seeded rules: transactional tests (ours or others') empty every table."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("reminder_rules")


@pytest.fixture
def review_rules_only(reminder_rules: None) -> None:
    """Only the review ladder: for tests that count what one review date schedules."""
    from notifications.models import SUBJECT_CASE_REVIEW, ReminderRule

    ReminderRule.objects.exclude(subject_type=SUBJECT_CASE_REVIEW).update(is_active=False)


@pytest.fixture
def review_and_action_rules_only(reminder_rules: None) -> None:
    """The review and action ladders: for tests that model exactly what those schedule."""
    from notifications.models import SUBJECT_ACTION_DUE, SUBJECT_CASE_REVIEW, ReminderRule

    ReminderRule.objects.exclude(subject_type__in=[SUBJECT_CASE_REVIEW, SUBJECT_ACTION_DUE]).update(
        is_active=False
    )
