"""What a meeting tells the people invited: invitations, changes, cancellations and minutes,
with a calendar entry, through the one outbox (``notifications``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from email.utils import parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from meetings.models import (
    Invitation,
    Meeting,
    new_ical_uid,
)
from notifications.models import local_zone
from notifications.outbox import About, Email, queue_email, undelivered_about
from notifications.services import notify

if TYPE_CHECKING:
    from agencies.models import User


def _portal_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def build_ics(meeting: Meeting, *, method: str, attendee: str) -> str:
    """An iCalendar file for ``meeting``: the same UID for its whole life, SEQUENCE bumped
    on every change. It names no child or family: only "TAC meeting" and a link."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.TAC_SERVICE_NAME}//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", meeting.ical_uid or new_ical_uid())
    event.add("sequence", meeting.ical_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at or meeting.starts_at + dt.timedelta(hours=1))
    event.add("summary", f"{meeting.get_kind_display()} ({settings.TAC_SERVICE_NAME})")
    location = meeting.get_mode_display()
    if meeting.location:
        location = f"{location}: {meeting.location}"
    event.add("location", location)
    event.add(
        "description",
        f"Details for invited professionals: {_portal_url(meeting_path(meeting))}",
    )
    organiser = vCalAddress(f"mailto:{_from_address()}")
    organiser.params["cn"] = settings.TAC_SERVICE_NAME
    event.add("organizer", organiser)
    event.add("attendee", vCalAddress(f"mailto:{attendee}"))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    calendar.add_component(event)
    return str(calendar.to_ical().decode())


def _from_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "no-reply@tac.example"


def meeting_path(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


#: What an email or in-app notice is about, for the outbox (notifications.outbox.About).
ABOUT_INVITATION = "meetings.invitation"


ABOUT_MEETING = "meetings.meeting"


_SUBJECTS = {
    "invitation": "Invitation: TAC meeting",
    "changed": "Changed: TAC meeting",
    "cancelled": "Cancelled: TAC meeting",
    "minutes": "TAC meeting minutes are ready",
}


#: The in-app notice a professional gets with the email: no names, no case details.
_TITLES = {
    "invitation": "You are invited to a TAC meeting",
    "changed": "A TAC meeting you are invited to has changed",
    "cancelled": "A TAC meeting you were invited to has been cancelled",
    "minutes": "The minutes of a TAC meeting are ready",
}


def _meeting_email(meeting: Meeting, *, purpose: str, to_address: str, has_account: bool) -> Email:
    method = {"invitation": "REQUEST", "changed": "REQUEST", "cancelled": "CANCEL"}.get(purpose, "")
    context = {
        "purpose": purpose,
        "meeting": meeting,
        "starts_at": timezone.localtime(meeting.starts_at, local_zone()),
        "url": _portal_url(meeting_path(meeting)) if has_account else "",
        "service_name": settings.TAC_SERVICE_NAME,
        "authority_name": settings.TAC_AUTHORITY_NAME,
    }
    return Email(
        subject=f"{settings.TAC_SERVICE_NAME}: {_SUBJECTS[purpose]}",
        text=render_to_string("meetings/email/meeting_email.txt", context),
        calendar=build_ics(meeting, method=method, attendee=to_address) if method else "",
        calendar_method=method,
    )


def tell_about_meeting(
    meeting: Meeting,
    *,
    purpose: str,
    professional: User | None,
    address: str,
    about: About,
) -> None:
    """A professional gets an in-app notice and the email (``notify``); anyone else,
    the email alone, in the same outbox."""
    if professional is not None:
        notify(
            professional,
            title=_TITLES[purpose],
            link=meeting_path(meeting),
            case=meeting.case,
            email=_meeting_email(
                meeting, purpose=purpose, to_address=professional.email, has_account=True
            ),
            about=about,
        )
    elif address:
        queue_email(
            address,
            _meeting_email(meeting, purpose=purpose, to_address=address, has_account=False),
            about=about,
        )


def email_invitees(
    meeting: Meeting, *, purpose: str, invitations: Iterable[Invitation] | None = None
) -> None:
    """Tell each of ``invitations`` (by default everyone invited)."""
    if invitations is None:
        invitations = meeting.invitations.select_related("professional")
    for invitation in invitations:
        tell_about_meeting(
            meeting,
            purpose=purpose,
            professional=invitation.professional,
            address=invitation.email,
            about=(ABOUT_INVITATION, invitation.pk),
        )


def undelivered_invitations(meeting: Meeting) -> list[Invitation]:
    """The people invited whose invitation, change or cancellation could not be delivered
    (the mail server refused it, or every attempt failed): the organiser tells them
    another way, or corrects the address and asks an administrator to retry."""
    invitations = list(meeting.invitations.all())
    failed = undelivered_about(ABOUT_INVITATION, [i.pk for i in invitations])
    return [i for i in invitations if i.pk in failed]
