"""The migration that moves meeting emails into the one outbox, both ways."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from cases.models import TeamMembership
from meetings.models import Meeting
from notifications.models import EmailOutbox
from tests.helpers import migrate_to

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("meetings", "0005_outcome_reviews")]
AFTER = [("meetings", "0007_delete_meetingemail")]
FIELDS = ("to_address", "subject", "body_text", "message_id", "status", "attempts", "last_error")


def test_it_moves_every_meeting_email_and_back(
    schedule: Callable[..., Meeting], parent: TeamMembership, at_latest_afterwards: None
) -> None:
    meeting = schedule()
    professional = meeting.invitations.filter(kind="professional").first()
    family = meeting.invitations.get(kind="family")
    assert professional is not None
    EmailOutbox.objects.all().delete()  # written by today's code; the old rows come next

    old = migrate_to(BEFORE).get_model("meetings", "MeetingEmail")
    now = timezone.now()

    def row(n: int, **fields: object) -> None:
        values: dict[str, object] = {
            "meeting_id": meeting.pk,
            "to_address": f"person{n}@example.org",
            "subject": "TAC Portal: Invitation: TAC meeting",
            "body_text": "You are invited.",
            "ics": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
            "ics_method": "REQUEST",
            "message_id": f"<meeting-{meeting.pk}-{n}@tac-portal>",
            "next_attempt_at": now + dt.timedelta(minutes=n),
            "created_at": now,
        }
        old.objects.create(**(values | fields))

    row(1, invitation_id=professional.pk)
    row(2, invitation_id=family.pk, status="sending", attempts=2)
    row(3, invitation_id=family.pk, status="dead", attempts=8, last_error="TimeoutError")
    row(4, status="sent", attempts=1, sent_at=now, ics="", ics_method="")  # the minutes
    before = sorted(old.objects.values_list(*FIELDS))

    migrate_to(AFTER)

    moved = {e.message_id: e for e in EmailOutbox.objects.all()}
    assert len(moved) == 4
    first = moved[f"<meeting-{meeting.pk}-1@tac-portal>"]
    assert (first.about_type, first.about_id) == ("meetings.invitation", professional.pk)
    assert first.recipient_id == professional.professional_id
    assert first.calendar.startswith("BEGIN:VCALENDAR")
    assert (first.calendar_method, first.status) == ("REQUEST", "pending")
    sending = moved[f"<meeting-{meeting.pk}-2@tac-portal>"]
    assert (sending.status, sending.attempts, sending.recipient_id) == ("pending", 2, None)
    dead = moved[f"<meeting-{meeting.pk}-3@tac-portal>"]
    assert (dead.status, dead.last_error) == ("dead", "TimeoutError")
    minutes = moved[f"<meeting-{meeting.pk}-4@tac-portal>"]
    assert (minutes.about_type, minutes.about_id) == ("meetings.meeting", meeting.pk)
    assert (minutes.status, minutes.sent_at) == ("sent", now)

    old = migrate_to(BEFORE).get_model("meetings", "MeetingEmail")

    after = sorted(old.objects.values_list(*FIELDS))
    # Everything came back; only "sending" became "pending" on the way.
    assert after == sorted(
        (*b[:4], "pending" if b[4] == "sending" else b[4], *b[5:]) for b in before
    )
    assert not EmailOutbox.objects.exists()
    assert set(old.objects.values_list("invitation_id", flat=True)) == {
        professional.pk,
        family.pk,
        None,
    }
