from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import Case
from meetings import services
from meetings.models import Action, Meeting, MeetingEmail
from meetings.tasks import send_meeting_emails
from notifications.models import SUBJECT_ACTION_DUE, Notification, Reminder
from notifications.services import dispatch_due_reminders
from tests.meetings.conftest import at

pytestmark = pytest.mark.django_db


def _action(case: Case, lead: User, member: User, days: int = 10) -> Action:
    school = case.memberships.active().get(professional=member)
    return services.add_action(
        case,
        by=lead,
        description="Attendance plan",
        owner=services.Owner(school),
        due_on=timezone.localdate() + dt.timedelta(days=days),
    )


def test_an_action_reminder_opens_the_action_and_names_nothing(
    case: Case, lead: User, member: User
) -> None:
    action = _action(case, lead, member)
    reminder = Reminder.objects.filter(subject_id=action.pk, rule__code="action.due").get()

    with time_machine.travel(reminder.fire_at + dt.timedelta(minutes=1)):
        assert dispatch_due_reminders() >= 1

    notification = Notification.objects.get(reminder=reminder)
    assert notification.recipient == member
    assert notification.link == reverse("meetings:update_action", args=[action.pk])
    assert "Attendance" not in notification.title


def test_a_done_action_sends_no_more_reminders(case: Case, lead: User, member: User) -> None:
    action = _action(case, lead, member)
    reminder = Reminder.objects.filter(subject_id=action.pk, rule__code="action.due").get()
    # Marked done behind the ledger's back: the dispatcher still checks before sending.
    Action.objects.filter(pk=action.pk).update(status=Action.Status.DONE)

    with time_machine.travel(reminder.fire_at + dt.timedelta(minutes=1)):
        dispatch_due_reminders()

    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.CANCELLED
    assert not Notification.objects.filter(reminder=reminder).exists()
    assert reminder.subject_type == SUBJECT_ACTION_DUE


def test_the_task_sends_what_the_outbox_holds(case: Case, lead: User) -> None:
    services.schedule_meeting(
        case,
        by=lead,
        kind=Meeting.Kind.REVIEW,
        starts_at=at(3),
        members=list(case.memberships.active()),
    )
    assert send_meeting_emails.apply().get() == 2
    assert len(mail.outbox) == 2
    assert set(MeetingEmail.objects.values_list("status", flat=True)) == {"sent"}
