from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from icalendar import Calendar

from agencies.models import User
from cases.models import Case, CaseEvent, TeamMembership
from meetings import services
from meetings.models import Invitation, Meeting, MeetingEmail
from tests.meetings.conftest import at

pytestmark = pytest.mark.django_db


def _ics(email: MeetingEmail) -> dict[str, object]:
    calendar = Calendar.from_ical(email.ics)
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
        externals=[services.ExternalInvitee("Alex Advocate", "Demo Advocacy", "alex@adv.example")]
    )

    invitations = {i.name: i for i in meeting.invitations.all()}
    assert set(invitations) == {"Lena Lead", "Sam School", "Pat Parent", "Alex Advocate"}
    emails = list(MeetingEmail.objects.filter(meeting=meeting))
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
        for text in (email.body_text, email.ics, email.subject):
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

    sent = services.send_pending_meeting_emails()

    assert sent == 2
    assert MeetingEmail.objects.filter(status=MeetingEmail.Status.SENT).count() == 2
    message = mail.outbox[0]
    (attachment,) = message.attachments
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert meeting.ical_uid in attachment.get_payload(decode=True).decode()
    assert message.extra_headers["Message-ID"].startswith(f"<meeting-{meeting.pk}-")
    assert services.send_pending_meeting_emails() == 0


def test_a_failed_send_stays_in_the_outbox(
    case: Case, schedule: Callable[..., Meeting], settings: object
) -> None:
    schedule()
    settings.EMAIL_BACKEND = "tests.notifications.backends.FailingBackend"  # type: ignore[attr-defined]

    assert services.send_pending_meeting_emails() == 0

    rows = list(MeetingEmail.objects.all())
    assert all(r.status == MeetingEmail.Status.PENDING and r.attempts == 1 for r in rows)
    assert all(r.last_error for r in rows)


def test_reschedule_and_cancel_keep_the_uid_and_bump_the_sequence(
    case: Case, lead: User, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()
    services.reschedule_meeting(
        meeting, by=lead, starts_at=at(9), ends_at=at(9, 11), mode="video", location="Link"
    )
    services.cancel_meeting(meeting, by=lead, reason="The family asked to rearrange")

    changed = MeetingEmail.objects.filter(subject__contains="Changed").first()
    cancelled = MeetingEmail.objects.filter(subject__contains="Cancelled").first()
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
    with pytest.raises(services.MeetingError) as error:
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
    with pytest.raises(services.MeetingError):
        schedule(members=list(other.memberships.all()))
    assert not Meeting.objects.exists()
    assert not MeetingEmail.objects.exists()


def test_invitees_reply_for_themselves(
    case: Case, member: User, schedule: Callable[..., Meeting], outsider: User
) -> None:
    meeting = schedule()
    invitation = meeting.invitations.get(professional=member)
    services.record_response(invitation, by=member, response=Invitation.Response.APOLOGIES)
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.APOLOGIES
    lead_invitation = meeting.invitations.exclude(professional=member).first()
    assert lead_invitation is not None
    with pytest.raises(PermissionDenied):
        services.record_response(lead_invitation, by=member, response="attending")


def test_time_must_run_forwards(case: Case, schedule: Callable[..., Meeting]) -> None:
    with pytest.raises(services.MeetingError):
        schedule(ends_at=at(7, 9))
