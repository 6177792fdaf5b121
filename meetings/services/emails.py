"""What a meeting tells the people invited: invitations, changes, cancellations and minutes,
with a calendar entry, and text message reminders to family members who agreed to them,
through the one outbox (``notifications``)."""

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
from notifications.govuk_notify import TextMessage, UnsafeTextMessage, texts_enabled
from notifications.models import EmailOutbox, local_zone
from notifications.outbox import (
    About,
    Email,
    latest_about,
    queue_email,
    queue_text,
    undelivered_about,
    withdraw_unsent,
)
from notifications.services import notify

if TYPE_CHECKING:
    from agencies.models import User
    from cases.models import FamilyMember


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
    """Tell each of ``invitations`` (by default everyone invited). An invitation, a change
    or a cancellation also sets (or withdraws) the family's text reminders."""
    if invitations is None:
        invitations = meeting.invitations.select_related("professional")
    invitations = list(invitations)
    if purpose in {"invitation", "changed", "cancelled"}:
        plan_text_reminders(meeting, invitations)
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


# --- Text message reminders to the family -------------------------------------------

#: What a family member's text reminder is about, for the outbox.
ABOUT_TEXT_REMINDER = "meetings.text_reminder"
TEXT_TEMPLATE = "meeting_reminder_text"


def number_to_call(meeting: Meeting) -> str:
    """The number a family's text gives: the lead professional's, when it is recorded in a
    form a text can carry, otherwise the early help team's (``TAC_FAMILY_CONTACT_PHONE``)."""
    lead = meeting.case.lead_assignment
    for number in (lead.professional.phone if lead else "", settings.TAC_FAMILY_CONTACT_PHONE):
        try:
            TextMessage(
                first_name="A",
                date="Monday 1 January 2024",
                time="9am",
                phone_number=" ".join(number.split()),
            )
        except UnsafeTextMessage:
            continue
        return " ".join(number.split())
    return ""


def text_reminder_time(meeting: Meeting) -> dt.datetime:
    """When the reminder goes: ``TAC_MEETING_TEXT_REMINDER_HOURS`` before the meeting."""
    return meeting.starts_at - dt.timedelta(hours=settings.TAC_MEETING_TEXT_REMINDER_HOURS)


def plan_text_reminders(meeting: Meeting, invitations: Iterable[Invitation]) -> int:
    """Make the family's text reminders for these invitations match the meeting: withdraw
    any still waiting, then, while the meeting is arranged and ahead, queue one for each
    family member who agreed to texts and has a mobile number. Returns how many queued.

    The text says their first name, the meeting's date and time and a number to call,
    nothing more (``TextMessage``): not the child, the case or the place.
    """
    family = [i for i in invitations if i.family_member_id is not None]
    if not family:
        return 0
    withdraw_unsent(ABOUT_TEXT_REMINDER, [i.pk for i in family], kind=EmailOutbox.Kind.TEXT)
    if (
        meeting.status != Meeting.Status.SCHEDULED
        or meeting.starts_at <= timezone.now()
        or not texts_enabled(TEXT_TEMPLATE)
    ):
        return 0
    phone = number_to_call(meeting)
    starts_at = timezone.localtime(meeting.starts_at, local_zone())
    queued = 0
    for invitation in family:
        member = invitation.family_member
        if member is None or not member.takes_text_messages or not phone:
            continue
        try:
            message = TextMessage.for_meeting(
                first_name=member.first_name, starts_at=starts_at, phone_number=phone
            )
        except UnsafeTextMessage:
            # A first name a text cannot carry as it is (digits, say): no text rather
            # than a text that says something else. The meeting page says it was not sent.
            continue
        queued += (
            queue_text(
                member.mobile_phone,
                message,
                template=TEXT_TEMPLATE,
                about=(ABOUT_TEXT_REMINDER, invitation.pk),
                send_at=text_reminder_time(meeting),
            )
            is not None
        )
    return queued


def replan_member_text_reminders(member: FamilyMember) -> int:
    """After a family member's mobile number, agreement to texts or name changed: their
    reminders of meetings still ahead are withdrawn and, if they still agree, queued
    again as they now are. Returns how many queued."""
    invitations = Invitation.objects.filter(
        family_member=member,
        meeting__status=Meeting.Status.SCHEDULED,
        meeting__starts_at__gt=timezone.now(),
    ).select_related("meeting", "meeting__case", "family_member")
    return sum(plan_text_reminders(i.meeting, [i]) for i in invitations)


def _when(moment: dt.datetime) -> str:
    local = timezone.localtime(moment, local_zone())
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def text_reminder_states(meeting: Meeting) -> list[tuple[Invitation, str]]:
    """For the meeting's page, each family member invited and what became of their text
    reminder: sent, waiting, could not be sent, or why there is none."""
    family = list(
        meeting.invitations.filter(family_member__isnull=False).select_related("family_member")
    )
    texts = latest_about(ABOUT_TEXT_REMINDER, [i.pk for i in family], kind=EmailOutbox.Kind.TEXT)
    enabled = texts_enabled(TEXT_TEMPLATE)
    states = []
    for invitation in family:
        row = texts.get(invitation.pk)
        member = invitation.family_member
        if row is not None and row.status == EmailOutbox.Status.SENT and row.sent_at:
            state = f"Text reminder sent on {_when(row.sent_at)}"
        elif row is not None and row.status == EmailOutbox.Status.DEAD:
            state = "Text reminder could not be sent: tell them about the meeting another way"
        elif row is not None:
            state = f"Text reminder to be sent on {_when(row.next_attempt_at)}"
        elif not enabled:
            state = "No text reminder: text messages are not set up for this portal"
        elif member is None or not member.takes_text_messages:
            state = "No text reminder: they have not agreed to text messages"
        else:
            state = "No text reminder"
        states.append((invitation, state))
    return states
