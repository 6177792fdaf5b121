"""What the outbox holds about a meeting, for the meetings tests."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from meetings.models import Meeting
from meetings.services.emails import ABOUT_INVITATION, ABOUT_MEETING
from notifications.models import EmailOutbox


def meeting_emails(meeting: Meeting) -> QuerySet[EmailOutbox]:
    """Outbox rows about ``meeting``: its invitations' emails and its minutes."""
    return EmailOutbox.objects.filter(
        Q(about_type=ABOUT_INVITATION, about_id__in=meeting.invitations.values("pk"))
        | Q(about_type=ABOUT_MEETING, about_id=meeting.pk)
    ).order_by("id")
