"""Meeting emails go through notifications: a notice and the email for professionals, the
email alone for everyone else, and the organiser learns when one could not be delivered."""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import reverse

from agencies.models import User
from cases.models import Case, TeamMembership
from meetings.models import Meeting
from meetings.services.emails import ABOUT_INVITATION
from meetings.services.meeting_mode import finish_meeting, publish_minutes
from notifications import outbox
from notifications.models import EmailOutbox, Notification, NotificationPreference
from tests.helpers import client_for
from tests.meetings.emails import meeting_emails
from tests.notifications.backends import ScriptedBackend

pytestmark = pytest.mark.django_db


def test_professionals_get_a_notice_and_the_family_only_the_email(
    case: Case, parent: TeamMembership, schedule: Callable[..., Meeting], lead: User, member: User
) -> None:
    meeting = schedule()

    notices = Notification.objects.order_by("recipient__full_name")
    assert [(n.recipient, n.title) for n in notices] == [
        (lead, "You are invited to a TAC meeting"),
        (member, "You are invited to a TAC meeting"),
    ]
    assert {n.link for n in notices} == {f"/meetings/{meeting.pk}/"}
    emails = {e.to_address: e for e in meeting_emails(meeting)}
    assert emails[member.email].notification == notices.get(recipient=member)
    assert emails[member.email].recipient == member
    family = emails["pat.parent@example.org"]
    assert (family.notification, family.recipient) == (None, None)
    invitation = meeting.invitations.get(family_member=parent.family_member)
    assert (family.about_type, family.about_id) == (ABOUT_INVITATION, invitation.pk)


def test_a_digest_reader_still_gets_the_calendar_entry_at_once(
    case: Case, schedule: Callable[..., Meeting], member: User
) -> None:
    NotificationPreference.objects.create(user=member, email_frequency="daily_digest")
    meeting = schedule()
    row = meeting_emails(meeting).get(to_address=member.email)
    assert row.calendar_method == "REQUEST"
    assert Notification.objects.get(recipient=member).awaiting_digest is False


def test_minutes_wait_for_the_digest_of_those_who_take_one(
    case: Case, schedule: Callable[..., Meeting], lead: User, member: User
) -> None:
    meeting = schedule(days=0)
    finish_meeting(meeting, by=lead)
    NotificationPreference.objects.create(user=member, email_frequency="daily_digest")
    EmailOutbox.objects.all().delete()

    publish_minutes(meeting, by=lead)

    assert [e.to_address for e in meeting_emails(meeting)] == [lead.email]
    minutes = Notification.objects.get(recipient=member, title__contains="minutes")
    assert minutes.awaiting_digest is True


@pytest.fixture
def refusing(settings: Any) -> Iterator[type[ScriptedBackend]]:
    settings.EMAIL_BACKEND = "tests.notifications.backends.ScriptedBackend"
    ScriptedBackend.reset()
    yield ScriptedBackend
    ScriptedBackend.reset()


def test_the_organiser_sees_whose_invitation_could_not_be_delivered(
    case: Case,
    parent: TeamMembership,
    schedule: Callable[..., Meeting],
    lead: User,
    member: User,
    refusing: type[ScriptedBackend],
) -> None:
    meeting = schedule()
    url = reverse("meetings:detail", args=[meeting.pk])
    assert "could not be delivered" not in client_for(lead).get(url).content.decode()
    refusing.BY_ADDRESS["pat.parent@example.org"] = smtplib.SMTPRecipientsRefused(
        {"pat.parent@example.org": (554, b"5.1.1 no such user")}
    )

    assert outbox.send_pending_emails() == 2

    to_family = meeting_emails(meeting).get(to_address="pat.parent@example.org")
    assert (to_family.status, to_family.attempts) == ("dead", 1)
    page = client_for(lead).get(url).content.decode()
    assert "The invitation to Pat Parent could not be delivered." in page
    assert "Sam School could not be delivered" not in page
    # A TAC member who does not run the meeting is not shown it.
    assert "could not be delivered" not in client_for(member).get(url).content.decode()

    # Once an administrator has it sent again, the warning goes.
    refusing.BY_ADDRESS.clear()
    admin = User.objects.create_user(
        "ada.admin@demo-la.example", full_name="Ada Admin", role=User.Role.SYSTEM_ADMINISTRATOR
    )
    outbox.retry_undelivered_emails(by=admin)
    assert outbox.send_pending_emails() == 1
    assert "could not be delivered" not in client_for(lead).get(url).content.decode()
