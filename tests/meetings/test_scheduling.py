from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from agencies.models import User
from cases.models import Case, CaseEvent, TeamMembership
from meetings.models import Invitation, Meeting
from meetings.services.common import MeetingError
from meetings.services.meeting_mode import finish_meeting
from meetings.services.scheduling import (
    ExternalInvitee,
    cancel_meeting,
    invite_to_meeting,
    record_response,
    reschedule_meeting,
)
from notifications import outbox
from notifications.models import EmailOutbox
from tests.meetings.conftest import at
from tests.meetings.emails import meeting_emails

pytestmark = pytest.mark.django_db


def _ics(email: EmailOutbox) -> dict[str, object]:
    calendar = Calendar.from_ical(email.calendar)
    (event,) = calendar.walk("VEVENT")
    return {
        "method": str(calendar["METHOD"]),
        "uid": str(event["UID"]),
        "sequence": event.decoded("SEQUENCE"),
        "status": str(event["STATUS"]),
        "summary": str(event["SUMMARY"]),
        "start": event.decoded("DTSTART"),
    }


def test_it_invites_members_and_externals_with_a_calendar_file(
    case: Case, parent: TeamMembership, schedule: Callable[..., Meeting], member: User
) -> None:
    meeting = schedule(
        externals=[ExternalInvitee("Alex Advocate", "Demo Advocacy", "alex@adv.example")]
    )

    invitations = {i.name: i for i in meeting.invitations.all()}
    assert set(invitations) == {"Lena Lead", "Sam School", "Pat Parent", "Alex Advocate"}
    emails = list(meeting_emails(meeting))
    assert {e.to_address for e in emails} == {
        "lena.lead@northgate.example",
        "sam.school@riverside.example",
        "pat.parent@example.org",
        "alex@adv.example",
    }
    for email in emails:
        ics = _ics(email)
        assert ics["method"] == "REQUEST"
        assert ics["uid"] == meeting.ical_uid
        assert ics["sequence"] == 0
        assert ics["start"] == meeting.starts_at
        # No child's or family's name, no case details.
        child = case.children.get()
        for text in (email.body_text, email.calendar, email.subject):
            assert child.given_names not in text
            assert child.family_name not in text
            assert case.family.name not in text
            assert case.reference not in text
    professional = next(e for e in emails if e.to_address == member.email)
    assert f"/meetings/{meeting.pk}/" in professional.body_text
    family = next(e for e in emails if e.to_address == "pat.parent@example.org")
    assert "/meetings/" not in family.body_text
    assert CaseEvent.objects.filter(case=case, code="meeting.scheduled").exists()


def test_it_sends_the_outbox_with_the_ics_attached(
    case: Case, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()

    sent = outbox.send_pending_emails()

    assert sent == 2
    assert EmailOutbox.objects.filter(status=EmailOutbox.Status.SENT).count() == 2
    message = mail.outbox[0]
    (attachment,) = message.attachments
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert meeting.ical_uid in attachment.get_payload(decode=True).decode()
    row = meeting_emails(meeting).get(to_address=message.to[0])
    assert message.extra_headers["Message-ID"] == row.message_id
    assert outbox.send_pending_emails() == 0


def test_a_failed_send_stays_in_the_outbox(
    case: Case, schedule: Callable[..., Meeting], settings: object
) -> None:
    schedule()
    settings.EMAIL_BACKEND = "tests.notifications.backends.FailingBackend"  # type: ignore[attr-defined]

    assert outbox.send_pending_emails() == 0

    # The mail server could not be reached: the first email waits to be retried, and
    # the rest of the run was put back untried rather than each timing out in turn.
    first, second = EmailOutbox.objects.order_by("id")
    assert (first.status, first.attempts) == (EmailOutbox.Status.PENDING, 1)
    assert first.last_error == "ConnectionRefusedError"
    assert (second.status, second.attempts) == (EmailOutbox.Status.PENDING, 0)
    assert second.next_attempt_at < first.next_attempt_at


def test_reschedule_and_cancel_keep_the_uid_and_bump_the_sequence(
    case: Case, lead: User, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()
    reschedule_meeting(
        meeting, by=lead, starts_at=at(9), ends_at=at(9, 11), mode="video", location="Link"
    )
    cancel_meeting(meeting, by=lead, reason="The family asked to rearrange")

    changed = EmailOutbox.objects.filter(subject__contains="Changed").first()
    cancelled = EmailOutbox.objects.filter(subject__contains="Cancelled").first()
    assert changed is not None
    assert cancelled is not None
    assert _ics(changed)["uid"] == _ics(cancelled)["uid"] == meeting.ical_uid
    assert _ics(changed)["sequence"] == 1
    assert _ics(changed)["start"] == at(9)
    assert _ics(cancelled)["sequence"] == 2
    assert _ics(cancelled)["method"] == "CANCEL"
    assert _ics(cancelled)["status"] == "CANCELLED"
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


def test_professionals_only_needs_a_reason(case: Case, schedule: Callable[..., Meeting]) -> None:
    with pytest.raises(MeetingError) as error:
        schedule(professionals_only=True, members=[])
    assert "professionals_only_reason" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_only_the_lead_or_a_manager_schedules(
    case: Case, member: User, schedule: Callable[..., Meeting]
) -> None:
    with pytest.raises(PermissionDenied):
        schedule(by=member)


def test_nothing_is_written_when_an_invitee_is_invalid(
    case: Case, schedule: Callable[..., Meeting], make_case: Callable[..., Case]
) -> None:
    other = make_case()
    with pytest.raises(MeetingError):
        schedule(members=list(other.memberships.all()))
    assert not Meeting.objects.exists()
    assert not EmailOutbox.objects.exists()


def test_invitees_reply_for_themselves(
    case: Case, member: User, schedule: Callable[..., Meeting], outsider: User
) -> None:
    meeting = schedule()
    invitation = meeting.invitations.get(professional=member)
    record_response(invitation, by=member, response=Invitation.Response.APOLOGIES)
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.APOLOGIES
    lead_invitation = meeting.invitations.exclude(professional=member).first()
    assert lead_invitation is not None
    with pytest.raises(PermissionDenied):
        record_response(lead_invitation, by=member, response="attending")


def test_time_must_run_forwards(case: Case, schedule: Callable[..., Meeting]) -> None:
    with pytest.raises(MeetingError):
        schedule(ends_at=at(7, 9))


def test_someone_who_joined_later_is_invited_and_only_they_are_emailed(
    case: Case,
    lead: User,
    member: User,
    parent: TeamMembership,
    schedule: Callable[..., Meeting],
) -> None:
    school = case.memberships.active().get(professional=member)
    meeting = schedule(members=[school])
    before = set(EmailOutbox.objects.values_list("pk", flat=True))

    new = invite_to_meeting(
        meeting,
        by=lead,
        members=[parent],
        externals=[ExternalInvitee("Alex Advocate", "Demo Advocacy", "alex@adv.example")],
    )

    assert {i.name for i in new} == {"Pat Parent", "Alex Advocate"}
    sent = EmailOutbox.objects.exclude(pk__in=before)
    assert set(sent.values_list("to_address", flat=True)) == {
        "pat.parent@example.org",
        "alex@adv.example",
    }
    assert {_ics(e)["uid"] for e in sent} == {meeting.ical_uid}
    assert CaseEvent.objects.filter(case=case, code="meeting.invited").exists()


def test_inviting_again_or_to_a_held_meeting_is_refused(
    case: Case, lead: User, member: User, schedule: Callable[..., Meeting]
) -> None:
    school = case.memberships.active().get(professional=member)
    meeting = schedule(members=[school])
    count = Invitation.objects.count()
    with pytest.raises(MeetingError) as error:
        invite_to_meeting(meeting, by=lead, members=[school])
    assert "already invited" in error.value.message_dict["members"][0]
    with pytest.raises(MeetingError):
        invite_to_meeting(meeting, by=lead)
    with pytest.raises(PermissionDenied):
        invite_to_meeting(
            meeting,
            by=member,
            externals=[ExternalInvitee("Alex Advocate", "Demo Advocacy", "a@b.example")],
        )
    finish_meeting(meeting, by=lead)
    with pytest.raises(MeetingError):
        invite_to_meeting(
            meeting,
            by=lead,
            externals=[ExternalInvitee("Alex Advocate", "Demo Advocacy", "a@b.example")],
        )
    assert Invitation.objects.count() == count


def test_the_invite_page_offers_only_those_not_yet_invited(
    case: Case,
    lead_client: Client,
    member: User,
    parent: TeamMembership,
    schedule: Callable[..., Meeting],
) -> None:
    school = case.memberships.active().get(professional=member)
    meeting = schedule(members=[school])
    url = reverse("meetings:invite", args=[meeting.pk])
    page = lead_client.get(url).content.decode()
    assert "Pat Parent" in page
    assert "Sam School" not in page

    bad = lead_client.post(url, {"externals": "Alex Advocate, Demo Advocacy"})
    assert "Line 1: write the name, agency and email" in bad.content.decode()
    done = lead_client.post(url, {"members": [parent.pk]})
    assert done.status_code == 302
    assert meeting.invitations.filter(family_member=parent.family_member).exists()
