from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import Case, CaseEvent
from cases.services.lifecycle import change_status
from cases.services.teams import assign_lead_professional, remove_from_team
from meetings.models import Action, Meeting
from meetings.services.common import MeetingError
from meetings.services.plan import Owner, add_action, cancel_action, change_action, update_action
from meetings.services.scheduling import ExternalInvitee, invite_to_meeting, schedule_meeting
from notifications.models import SUBJECT_ACTION_DUE, EmailOutbox, Notification, Reminder
from notifications.services import dispatch_due_reminders
from notifications.tasks import send_emails
from tests.helpers import client_for, date_fields
from tests.meetings.conftest import at

pytestmark = pytest.mark.django_db


def _action(case: Case, lead: User, member: User, days: int = 10) -> Action:
    school = case.memberships.active().get(professional=member)
    return add_action(
        case,
        by=lead,
        description="Attendance plan",
        owner=Owner(school),
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
    schedule_meeting(
        case,
        by=lead,
        kind=Meeting.Kind.REVIEW,
        starts_at=at(3),
        members=list(case.memberships.active()),
    )
    assert send_emails.apply().get() == 2
    assert len(mail.outbox) == 2
    assert set(EmailOutbox.objects.values_list("status", flat=True)) == {"sent"}


# --- Changing and cancelling an action from its page -------------------------------------


def _pending(action: Action) -> set[tuple[int, dt.date]]:
    return set(
        Reminder.objects.filter(
            subject_type=SUBJECT_ACTION_DUE, subject_id=action.pk, status="pending"
        ).values_list("recipient_id", "due_on")
    )


def test_the_lead_moves_an_action_and_hands_it_on_with_a_reason(
    case: Case, lead: User, member: User
) -> None:
    action = _action(case, lead, member)
    later = timezone.localdate() + dt.timedelta(days=30)
    client = client_for(lead)
    url = reverse("meetings:change_action", args=[action.pk])
    assert "Change an action" in client.get(url).content.decode()
    lead_membership = case.memberships.active().get(professional=lead)

    response = client.post(
        url,
        {
            **date_fields("due_on", later),
            "owner": str(lead_membership.pk),
            "reason": "The school nurse is off until January",
            "version": str(action.version),
        },
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.due_on, action.owner_professional) == (later, lead)
    assert {recipient for recipient, _ in _pending(action)} == {lead.pk}
    assert {due for _, due in _pending(action)} == {later}
    assert action.updates.get().text == "Changed: The school nurse is off until January"


def test_a_stale_change_is_refused_and_keeps_what_was_typed(
    case: Case, lead: User, member: User
) -> None:
    action = _action(case, lead, member)
    stale = action.version
    change_action(action, by=lead, due_on=timezone.localdate() + dt.timedelta(days=20))
    later = timezone.localdate() + dt.timedelta(days=40)
    client = client_for(lead)
    url = reverse("meetings:change_action", args=[action.pk])
    school = case.memberships.active().get(professional=member)
    data = {**date_fields("due_on", later), "owner": str(school.pk), "version": str(stale)}

    refused = client.post(url, data)

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Someone changed this action since you opened it" in page
    for box, value in date_fields("due_on", later).items():  # what was typed is kept
        assert f'name="{box}" type="text" inputmode="numeric" value="{value}"' in page
    action.refresh_from_db()
    assert action.due_on == timezone.localdate() + dt.timedelta(days=20)
    # Having looked, sending it again with the version the page now carries works.
    data["version"] = str(action.version)
    assert client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert action.due_on == later


def test_cancelling_an_action_needs_a_reason_and_ends_its_reminders(
    case: Case, lead: User, member: User
) -> None:
    action = _action(case, lead, member)
    client = client_for(lead)
    url = reverse("meetings:cancel_action", args=[action.pk])

    missing = client.post(url, {"cancel-reason": " ", "cancel-version": str(action.version)})
    assert missing.status_code == 200
    assert "Say why the action is no longer needed." in missing.content.decode()
    assert _pending(action)

    done = client.post(
        url, {"cancel-reason": "Family moved school", "cancel-version": str(action.version)}
    )

    assert done.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.CANCELLED
    assert not _pending(action)
    assert action.updates.get().text == "No longer needed: Family moved school"
    # A finished action has no change page.
    assert client.get(reverse("meetings:change_action", args=[action.pk])).status_code == 404


def test_only_the_lead_or_a_manager_changes_or_cancels_an_action(
    case: Case, lead: User, member: User
) -> None:
    action = _action(case, lead, member)
    with pytest.raises(PermissionDenied):
        cancel_action(action, by=member, reason="Not my job")
    client = client_for(member)
    assert client.get(reverse("meetings:change_action", args=[action.pk])).status_code == 403
    refused = client.post(
        reverse("meetings:cancel_action", args=[action.pk]),
        {"cancel-reason": "Not my job", "cancel-version": str(action.version)},
    )
    assert refused.status_code == 403
    action.refresh_from_db()
    assert action.status == Action.Status.NOT_STARTED


def _pending_rules(action: Action) -> set[tuple[str, int]]:
    return set(
        Reminder.objects.pending()
        .filter(subject_type=SUBJECT_ACTION_DUE, subject_id=action.pk)
        .values_list("rule__code", "recipient_id")
    )


def test_a_new_lead_gets_the_overdue_copy_and_the_old_one_does_not(
    case: Case, lead: User, member: User, manager: User
) -> None:
    action = _action(case, lead, member, days=2)
    assert ("action.overdue_lead", lead.pk) in _pending_rules(action)

    assign_lead_professional(
        case,
        professional=member,
        by=manager,
        basis="MANAGER_ALLOCATED",
        change_reason="MANAGING_CASELOADS",
    )

    pending = _pending_rules(action)
    assert ("action.overdue_lead", member.pk) in pending
    assert ("action.overdue_lead", lead.pk) not in pending
    with time_machine.travel(timezone.now() + dt.timedelta(days=10)):
        dispatch_due_reminders()
    copies = Notification.objects.filter(reminder__rule__code="action.overdue_lead")
    assert list(copies.values_list("recipient_id", flat=True)) == [member.pk]


def test_changing_an_action_on_a_closed_case_brings_no_reminder_back(
    case: Case, lead: User, member: User, coordinator: User
) -> None:
    action = _action(case, lead, member)
    change_status(case, to=Case.Status.CLOSING, by=lead)
    change_status(case, to=Case.Status.CLOSED, by=lead, closure_reason="NEEDS_MET")
    assert _pending_rules(action) == set()

    with pytest.raises(MeetingError):  # a closed case's plan no longer changes
        change_action(action, by=coordinator, due_on=timezone.localdate() + dt.timedelta(days=20))
    update_action(action, by=member, progress_note="Still going")
    with pytest.raises(MeetingError):
        add_action(
            case,
            by=coordinator,
            description="Attendance plan",
            owner=Owner(case.memberships.active().get(professional=member)),
            due_on=timezone.localdate() + dt.timedelta(days=5),
        )

    assert _pending_rules(action) == set()
    assert Action.objects.filter(case=case).count() == 1


def test_moving_only_the_date_keeps_an_owner_who_has_left_the_team(
    case: Case, lead: User, member: User
) -> None:
    action = _action(case, lead, member)
    school = case.memberships.active().get(professional=member)
    remove_from_team(school, by=lead)
    action.refresh_from_db()
    client = client_for(lead)
    url = reverse("meetings:change_action", args=[action.pk])
    page = client.get(url).content.decode()
    assert "no longer on the team: keep as owner" in page
    later = timezone.localdate() + dt.timedelta(days=25)

    response = client.post(
        url, {**date_fields("due_on", later), "owner": "current", "version": str(action.version)}
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.due_on, action.owner_professional) == (later, member)
    event = CaseEvent.objects.filter(code="plan.action_changed").latest("at")
    assert "owner" not in event.data


def test_saving_an_unchanged_action_changes_nothing(case: Case, lead: User, member: User) -> None:
    action = _action(case, lead, member)
    school = case.memberships.active().get(professional=member)
    version = action.version

    change_action(action, by=lead, due_on=action.due_on, owner=Owner(school))

    action.refresh_from_db()
    assert action.version == version
    assert not CaseEvent.objects.filter(code="plan.action_changed").exists()


def test_a_closed_cases_plan_and_meetings_no_longer_change(
    case: Case, lead: User, member: User, coordinator: User
) -> None:
    action = _action(case, lead, member)
    meeting = schedule_meeting(case, by=lead, kind=Meeting.Kind.REVIEW, starts_at=at(3), members=[])
    change_status(case, to=Case.Status.CLOSING, by=lead)
    change_status(case, to=Case.Status.CLOSED, by=lead, closure_reason="NEEDS_MET")
    action.refresh_from_db()
    emails = EmailOutbox.objects.count()

    with pytest.raises(MeetingError):
        change_action(action, by=coordinator, due_on=timezone.localdate())
    with pytest.raises(MeetingError):
        cancel_action(action, by=coordinator, reason="Closed")
    with pytest.raises(MeetingError):
        invite_to_meeting(
            meeting,
            by=coordinator,
            externals=[ExternalInvitee("Alex Advocate", "Demo Advocacy", "a@b.example")],
        )
    client = client_for(coordinator)
    assert client.get(reverse("meetings:change_action", args=[action.pk])).status_code == 404
    assert client.get(reverse("meetings:invite", args=[meeting.pk])).status_code == 404
    assert EmailOutbox.objects.count() == emails


def test_the_change_page_shows_the_due_date_in_the_day_month_and_year_boxes(
    case: Case, lead: User, member: User
) -> None:
    # The browser's date input was filled in a format it could not read: it showed blank.
    action = _action(case, lead, member)
    page = client_for(lead).get(reverse("meetings:change_action", args=[action.pk]))
    html = page.content.decode()
    for box, value in date_fields("due_on", action.due_on).items():
        assert f'name="{box}" type="text" inputmode="numeric" value="{value}"' in html
    assert 'type="date"' not in html
