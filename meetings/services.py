"""TAC meetings, the plan, reviews and contributions: every write goes through these functions.

Each runs in one transaction, checks who may do it, writes the case chronology
(``CaseEvent``) for case-level steps and queues its side effects so that they
happen only after commit:

- invitations with a calendar file, changes, cancellations and minutes go
  through ``notifications``: ``notify()`` for professionals (an in-app notice
  and the email together), the same outbox without a notice for family members
  and attendees without an account; written in the transaction, sent after
  commit (and by the sender's minute if the broker was down);
- action reminders are ledger rows (``notifications.Reminder``) moved in the
  same transaction as the due date or owner they are about;
- ``Case.next_review_due`` is recomputed from the meetings, reviews and the
  review cadence (``refresh_next_review_due``) whenever any of them changes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cases import access
from cases.access import can_see_case, ensure_can_run_case
from cases.models import Case, LeadProfessionalAssignment, TeamMembership
from cases.services.common import record_event
from cases.services.lifecycle import change_status
from cases.services.reviews import LateReasonError, clean_late_reason, set_next_review_due
from cases.services.teams import assign_lead_professional
from meetings.models import (
    OUTCOME_TAGS,
    Action,
    ActionUpdate,
    CaseDiscussion,
    Contribution,
    Decision,
    Dissent,
    FamilyFeedback,
    Invitation,
    Meeting,
    Outcome,
    Review,
    new_ical_uid,
)
from notifications.models import SUBJECT_ACTION_DUE, Audience, local_zone
from notifications.outbox import About, Email, queue_email, undelivered_about
from notifications.services import notify, schedule_reminders

if TYPE_CHECKING:
    from agencies.models import User

logger = logging.getLogger(__name__)


class MeetingError(ValidationError):
    """A meeting or plan rule was broken; the message says which, and nothing was written."""


class VersionConflict(MeetingError):
    """Someone saved this since the editor loaded it; their text is in ``current``."""

    def __init__(self, current: str, version: int) -> None:
        self.current = current
        self.version = version
        super().__init__(
            "Someone else changed this while you were typing. Your text has not been saved: "
            "compare it with theirs below, then save again.",
            code="version_conflict",
        )


# --- Review cadence ----------------------------------------------------------


def first_review_weeks() -> int:
    return settings.TAC_FIRST_REVIEW_WEEKS


def review_interval_weeks() -> int:
    return settings.TAC_REVIEW_INTERVAL_WEEKS


def max_review_interval_days() -> int:
    return settings.TAC_MAX_REVIEW_INTERVAL_DAYS


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, local_zone()).date()


@dataclass(frozen=True)
class Cadence:
    """Where a case stands in its review cycle."""

    anchor: dt.date | None  # the plan start or the last review
    due: dt.date | None  # when the next review is due


def review_cadence(case: Case) -> Cadence:
    """The next review date the cadence gives, from the case's meetings and reviews.

    1. The events are the reviews (at a meeting or without one) and the held
       meetings that are not reviews (the first TAC). The anchor is the latest.
    2. From the anchor: the date agreed then, else the first-review interval
       (when the anchor is the first TAC, where the plan starts) or the review
       interval; never later than the maximum interval after the anchor.
    3. A meeting scheduled on or after the anchor brings the date to that
       meeting, still within the maximum interval.
    Before any event the date is the first scheduled meeting, or none.
    """
    # (when, source, id, agreed date): a review wins a tie with a meeting, then the newer row.
    events: list[tuple[dt.datetime, int, int, dt.date | None]] = [
        (held_at, 0, pk, agreed)
        for pk, held_at, agreed in Meeting.objects.filter(
            case=case, status=Meeting.Status.HELD, held_at__isnull=False, review__isnull=True
        ).values_list("pk", "held_at", "next_review_on")
        if held_at is not None
    ]
    events += [
        (reviewed_at, 1, pk, agreed)
        for pk, reviewed_at, agreed in Review.objects.filter(case=case).values_list(
            "pk", "reviewed_at", "next_review_on"
        )
    ]
    scheduled = [
        _local_date(starts_at)
        for starts_at in Meeting.objects.filter(case=case, status=Meeting.Status.SCHEDULED)
        .order_by("starts_at", "id")
        .values_list("starts_at", flat=True)
    ]
    if not events:
        return Cadence(anchor=None, due=scheduled[0] if scheduled else None)
    moment, source, _, agreed = max(events)
    anchor = _local_date(moment)
    # A held meeting that is not a review is the first TAC: the plan starts there.
    weeks = first_review_weeks() if source == 0 else review_interval_weeks()
    ceiling = anchor + dt.timedelta(days=max_review_interval_days())
    due = min(agreed or anchor + dt.timedelta(weeks=weeks), ceiling)
    next_meeting = next((day for day in scheduled if day >= anchor), None)
    if next_meeting is not None:
        due = min(next_meeting, ceiling)
    return Cadence(anchor=anchor, due=due)


def refresh_next_review_due(case: Case, *, by: User) -> Case:
    """Make ``case.next_review_due`` match its meetings, reviews and cadence."""
    if not case.is_open:
        return case
    return set_next_review_due(case, due=review_cadence(case).due, by=by)


# --- Permissions -------------------------------------------------------------


def active_membership(user: User, case: Case) -> TeamMembership | None:
    return (
        case.memberships.active()
        .filter(professional=user)
        .select_related("professional__agency")
        .first()
    )


def can_run_meeting(user: User, meeting: Meeting) -> bool:
    """``cases.access.can_run_meeting`` for this meeting."""
    return access.can_run_meeting(
        user, meeting.case, chair_id=meeting.chair_id, note_taker_id=meeting.note_taker_id
    )


def ensure_can_run_meeting(user: User, meeting: Meeting) -> None:
    if not can_run_meeting(user, meeting):
        raise PermissionDenied("Only the lead professional, the chair or the note-taker can.")


def _ensure_not_frozen(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError("This meeting was cancelled.", code="cancelled")
    if meeting.minutes_published_at is not None:
        raise MeetingError(
            "The minutes are published, so the meeting record can no longer change.",
            code="frozen",
        )


def _locked_meeting(meeting: Meeting) -> Meeting:
    locked = Meeting.objects.select_for_update().select_related("case").get(pk=meeting.pk)
    _ensure_not_frozen(locked)
    return locked


# --- Emails ------------------------------------------------------------------


def _portal_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def build_ics(meeting: Meeting, *, method: str, attendee: str) -> str:
    """An iCalendar file for ``meeting``: the same UID for its whole life, SEQUENCE bumped
    on every change. It names no child or family: only "TAC meeting" and a link."""
    from icalendar import Calendar, Event, vCalAddress

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
    from email.utils import parseaddr

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


def _tell(
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


def _email_invitees(
    meeting: Meeting, *, purpose: str, invitations: Iterable[Invitation] | None = None
) -> None:
    """Tell each of ``invitations`` (by default everyone invited)."""
    if invitations is None:
        invitations = meeting.invitations.select_related("professional")
    for invitation in invitations:
        _tell(
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


#: Room for a few sentences in the family's words, not a document.
FEEDBACK_WORDS_MAX = 2000
#: The same for a note on an outcome's review.
NOTE_MAX = 2000


# --- Scheduling --------------------------------------------------------------


@dataclass(frozen=True)
class ExternalInvitee:
    name: str
    agency: str
    email: str


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime | None) -> None:
    if ends_at is not None and ends_at <= starts_at:
        raise MeetingError({"ends_at": "The meeting must end after it starts."}, code="ends")


@transaction.atomic
def schedule_meeting(
    case: Case,
    *,
    by: User,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    mode: str = Meeting.Mode.IN_PERSON,
    location: str = "",
    chair: User | None = None,
    note_taker: User | None = None,
    members: Sequence[TeamMembership] = (),
    externals: Sequence[ExternalInvitee] = (),
    professionals_only: bool = False,
    professionals_only_reason: str = "",
) -> Meeting:
    """Schedule a TAC meeting and invite ``members`` of the TAC and ``externals``.

    Everyone invited with an email address gets an invitation with a calendar
    file after commit. A meeting without the family needs a reason (DOMAIN §3.4).
    """
    ensure_can_run_case(by, case)
    if not case.is_open:
        raise MeetingError("A closed case has no meetings.", code="case_closed")
    if kind not in Meeting.Kind.values:
        raise MeetingError({"kind": "Choose the kind of meeting."}, code="kind")
    if mode not in Meeting.Mode.values:
        raise MeetingError({"mode": "Choose how people will meet."}, code="mode")
    _check_times(starts_at, ends_at)
    if professionals_only and not professionals_only_reason.strip():
        raise MeetingError(
            {"professionals_only_reason": "Explain why the family will not be at this meeting."},
            code="reason_required",
        )
    for membership in members:
        if membership.case_id != case.pk or membership.left_at is not None:
            raise MeetingError("Only current TAC members can be invited.", code="not_member")
        if professionals_only and membership.kind == TeamMembership.Kind.FAMILY:
            raise MeetingError(
                "A professionals-only meeting cannot invite the family.", code="family"
            )
    for person in (chair, note_taker):
        if person is not None and not case.memberships.active().filter(professional=person):
            raise MeetingError(
                "The chair and note-taker must be professionals on the TAC.", code="chair"
            )
    now = timezone.now()
    meeting = Meeting.objects.create(
        case=case,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        mode=mode,
        location=location.strip(),
        chair=chair,
        note_taker=note_taker,
        professionals_only=professionals_only,
        professionals_only_reason=professionals_only_reason.strip(),
        created_by=by,
        ical_uid=new_ical_uid(),
    )
    for membership in members:
        _invite_member(meeting, membership, now=now)
    for external in externals:
        if not external.name.strip():
            raise MeetingError({"externals": "Give each attendee's name."}, code="name")
        Invitation.objects.create(
            meeting=meeting,
            kind=Invitation.Kind.EXTERNAL,
            name=external.name.strip(),
            agency=external.agency.strip(),
            email=external.email.strip(),
            invited_at=now,
        )
    _email_invitees(meeting, purpose="invitation")
    record_event(
        case,
        "meeting.scheduled",
        by=by,
        summary=f"{meeting.get_kind_display()} arranged for "
        f"{timezone.localtime(starts_at, local_zone()):%d %B %Y, %H:%M}",
        data={"meeting": meeting.pk, "kind": kind, "professionals_only": professionals_only},
    )
    refresh_next_review_due(case, by=by)
    return meeting


@transaction.atomic
def invite_to_meeting(
    meeting: Meeting,
    *,
    by: User,
    members: Sequence[TeamMembership] = (),
    externals: Sequence[ExternalInvitee] = (),
) -> list[Invitation]:
    """Invite more people to a meeting already arranged: someone who joined the team
    since, or an attendee without an account. Only they get an invitation email."""
    locked = _locked_meeting(meeting)
    ensure_can_run_meeting(by, locked)
    if not locked.case.is_open:
        raise MeetingError("This case is closed: no one more is invited.", code="case_closed")
    if locked.status != Meeting.Status.SCHEDULED:
        raise MeetingError("Only a meeting still to happen takes more invitations.", code="held")
    if not members and not externals:
        raise MeetingError(
            {"members": "Choose someone to invite, or add an attendee without an account."},
            code="nobody",
        )
    invited = locked.invitations.all()
    invited_people = {(i.professional_id, i.family_member_id) for i in invited} - {(None, None)}
    invited_memberships = {i.membership_id for i in invited}
    for membership in members:
        if membership.case_id != locked.case_id or membership.left_at is not None:
            raise MeetingError(
                {"members": "Only current TAC members can be invited."}, code="member"
            )
        person = (membership.professional_id, membership.family_member_id)
        if membership.pk in invited_memberships or person in invited_people:
            raise MeetingError(
                {"members": f"{membership.display_name} is already invited."}, code="invited"
            )
        if locked.professionals_only and membership.kind == TeamMembership.Kind.FAMILY:
            raise MeetingError(
                {"members": "A professionals-only meeting cannot invite the family."},
                code="family",
            )
    for external in externals:
        if not external.name.strip():
            raise MeetingError({"externals": "Give each attendee's name."}, code="name")
    now = timezone.now()
    for membership in members:
        _invite_member(locked, membership, now=now)
    for external in externals:
        Invitation.objects.create(
            meeting=locked,
            kind=Invitation.Kind.EXTERNAL,
            name=external.name.strip(),
            agency=external.agency.strip(),
            email=external.email.strip(),
            invited_at=now,
        )
    new = list(locked.invitations.filter(invited_at=now).select_related("professional"))
    _email_invitees(locked, purpose="invitation", invitations=new)
    record_event(
        locked.case,
        "meeting.invited",
        by=by,
        summary=f"{len(new)} more invited to the {locked.get_kind_display().lower()}",
        data={"meeting": locked.pk, "invitations": [i.pk for i in new]},
    )
    return new


def _invite_member(meeting: Meeting, membership: TeamMembership, *, now: dt.datetime) -> None:
    if membership.kind == TeamMembership.Kind.PROFESSIONAL and membership.professional:
        Invitation.objects.get_or_create(
            meeting=meeting,
            professional=membership.professional,
            defaults={
                "kind": Invitation.Kind.PROFESSIONAL,
                "membership": membership,
                "name": str(membership.professional),
                "agency": membership.professional.role_and_agency,
                "invited_at": now,
            },
        )
    elif membership.kind == TeamMembership.Kind.FAMILY and membership.family_member:
        member = membership.family_member
        Invitation.objects.get_or_create(
            meeting=meeting,
            family_member=member,
            defaults={
                "kind": Invitation.Kind.FAMILY,
                "membership": membership,
                "name": member.full_name,
                "agency": member.get_relationship_display(),
                "email": member.email,
                "invited_at": now,
            },
        )
    else:
        Invitation.objects.create(
            meeting=meeting,
            kind=Invitation.Kind.EXTERNAL,
            membership=membership,
            name=membership.external_name,
            agency=membership.external_agency,
            email=membership.external_email,
            invited_at=now,
        )


@transaction.atomic
def reschedule_meeting(
    meeting: Meeting,
    *,
    by: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None,
    mode: str,
    location: str,
) -> Meeting:
    """Move a scheduled meeting; everyone invited gets an updated calendar entry (same UID)."""
    locked = _locked_meeting(meeting)
    ensure_can_run_meeting(by, locked)
    if locked.status != Meeting.Status.SCHEDULED:
        raise MeetingError("Only a meeting that has not happened can be moved.", code="held")
    if mode not in Meeting.Mode.values:
        raise MeetingError({"mode": "Choose how people will meet."}, code="mode")
    _check_times(starts_at, ends_at)
    previous = locked.starts_at
    locked.starts_at = starts_at
    locked.ends_at = ends_at
    locked.mode = mode
    locked.location = location.strip()
    locked.ical_sequence += 1
    locked.save(
        update_fields=["starts_at", "ends_at", "mode", "location", "ical_sequence", "updated_at"]
    )
    _email_invitees(locked, purpose="changed")
    record_event(
        locked.case,
        "meeting.rescheduled",
        by=by,
        summary=f"{locked.get_kind_display()} moved to "
        f"{timezone.localtime(starts_at, local_zone()):%d %B %Y, %H:%M}",
        data={"meeting": locked.pk, "from": previous.isoformat()},
    )
    refresh_next_review_due(locked.case, by=by)
    meeting.refresh_from_db()
    return locked


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, by: User, reason: str) -> Meeting:
    """Cancel a scheduled meeting; everyone invited gets a cancellation (same UID)."""
    locked = _locked_meeting(meeting)
    ensure_can_run_meeting(by, locked)
    if locked.status != Meeting.Status.SCHEDULED:
        raise MeetingError("Only a meeting that has not happened can be cancelled.", code="held")
    if not reason.strip():
        raise MeetingError({"reason": "Say why the meeting is cancelled."}, code="reason")
    locked.status = Meeting.Status.CANCELLED
    locked.cancelled_reason = reason.strip()
    locked.ical_sequence += 1
    locked.save(update_fields=["status", "cancelled_reason", "ical_sequence", "updated_at"])
    _email_invitees(locked, purpose="cancelled")
    record_event(
        locked.case,
        "meeting.cancelled",
        by=by,
        summary=f"{locked.get_kind_display()} cancelled",
        data={"meeting": locked.pk, "reason": locked.cancelled_reason},
    )
    refresh_next_review_due(locked.case, by=by)
    meeting.refresh_from_db()
    return locked


@transaction.atomic
def record_response(invitation: Invitation, *, by: User, response: str) -> Invitation:
    """Record that someone is attending or sends apologies (themselves, or the organiser)."""
    meeting = _locked_meeting(invitation.meeting)
    if invitation.professional_id != by.pk:
        ensure_can_run_meeting(by, meeting)
    if response not in Invitation.Response.values:
        raise MeetingError({"response": "Choose attending or apologies."}, code="response")
    invitation.response = response
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["response", "responded_at"])
    return invitation


# --- Meeting mode ------------------------------------------------------------


@transaction.atomic
def record_attendance(invitation: Invitation, *, by: User, attendance: str) -> Invitation:
    meeting = _locked_meeting(invitation.meeting)
    ensure_can_run_meeting(by, meeting)
    if attendance not in Invitation.Attendance.values:
        raise MeetingError({"attendance": "Choose whether they attended."}, code="attendance")
    invitation.attendance = attendance
    invitation.save(update_fields=["attendance"])
    return invitation


MEETING_TEXT_FIELDS = ("family_views", "child_views", "progress_summary")


@transaction.atomic
def save_meeting_text(
    meeting: Meeting, *, by: User, field: str, text: str, version: int
) -> Meeting:
    """Autosave one of the meeting's free-text fields, refusing to overwrite a newer save.

    Raises ``VersionConflict`` (with the saved text) when ``version`` is not the
    version the editor loaded.
    """
    locked = _locked_meeting(meeting)
    ensure_can_run_meeting(by, locked)
    if field not in MEETING_TEXT_FIELDS:
        raise MeetingError("That part of the meeting record cannot be typed in.", code="field")
    current = getattr(locked, field)
    saved_version = locked.text_version(field)
    if saved_version != version:
        if current == text:
            return locked
        raise VersionConflict(current, saved_version)
    setattr(locked, field, text)
    locked.text_versions = {**locked.text_versions, field: saved_version + 1}
    locked.version += 1
    locked.save(update_fields=[field, "text_versions", "version", "updated_at"])
    return locked


@transaction.atomic
def save_invitation_update(
    invitation: Invitation, *, by: User, text: str, version: int
) -> Invitation:
    """Autosave what someone said at the meeting (their update), versioned like the rest."""
    meeting = _locked_meeting(invitation.meeting)
    ensure_can_run_meeting(by, meeting)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.version != version:
        if locked.update_text == text:
            return locked
        raise VersionConflict(locked.update_text, locked.version)
    locked.update_text = text
    locked.version += 1
    locked.save(update_fields=["update_text", "version"])
    return locked


@transaction.atomic
def add_decision(meeting: Meeting, *, by: User, text: str, rationale: str = "") -> Decision:
    locked = _locked_meeting(meeting)
    ensure_can_run_meeting(by, locked)
    if not text.strip():
        raise MeetingError({"text": "Write down the decision."}, code="text")
    return Decision.objects.create(
        meeting=locked,
        text=text.strip(),
        rationale=rationale.strip(),
        recorded_by=by,
        recorded_at=timezone.now(),
    )


@transaction.atomic
def add_dissent(decision: Decision, *, by: User, invitation: Invitation, text: str) -> Dissent:
    """Record "I see this differently because…" against a decision, by an attendee."""
    locked = _locked_meeting(decision.meeting)
    ensure_can_run_meeting(by, locked)
    if invitation.meeting_id != locked.pk:
        raise MeetingError({"invitation": "Choose someone invited to this meeting."}, code="who")
    if not text.strip():
        raise MeetingError({"dissent": "Write how they see it differently."}, code="text")
    return Dissent.objects.create(
        decision=decision,
        invitation=invitation,
        by_name=invitation.name,
        by_role=invitation.agency,
        text=text.strip(),
        recorded_by=by,
        recorded_at=timezone.now(),
    )


@transaction.atomic
def agree_lead_professional(
    meeting: Meeting,
    *,
    by: User,
    professional: User,
    family_preference: str = "",
    family_consulted: bool = True,
) -> LeadProfessionalAssignment:
    """The TAC agrees who leads. At the first TAC this replaces the interim lead."""
    locked = _locked_meeting(meeting)
    ensure_can_run_meeting(by, locked)
    case = locked.case
    if not case.memberships.active().filter(professional=professional).exists():
        raise MeetingError(
            {"professional": "The lead professional must be a professional on the TAC."},
            code="not_member",
        )
    current = case.lead_assignments.active().first()
    change_reason = ""
    if current is not None and current.professional_id != professional.pk:
        first_tac = current.basis == LeadProfessionalAssignment.Basis.INTERIM_INITIATOR
        change_reason = (
            LeadProfessionalAssignment.ChangeReason.AGREED_AT_FIRST_TAC
            if first_tac
            else LeadProfessionalAssignment.ChangeReason.OTHER
        )
    assignment = assign_lead_professional(
        case,
        professional=professional,
        by=by,
        basis=LeadProfessionalAssignment.Basis.AGREED_AT_TAC,
        change_reason=change_reason,
        change_reason_detail="Agreed at a TAC meeting" if change_reason else "",
        family_consulted=family_consulted,
        family_preference=family_preference.strip(),
    )
    if (
        current is not None
        and current.professional_id == professional.pk
        and (current.basis == LeadProfessionalAssignment.Basis.INTERIM_INITIATOR)
    ):
        # The interim lead was agreed: record the basis and the family's preference.
        current.basis = LeadProfessionalAssignment.Basis.AGREED_AT_TAC
        current.family_consulted = family_consulted
        current.family_preference = family_preference.strip()
        current.save(update_fields=["basis", "family_consulted", "family_preference"])
        record_event(
            case,
            "lead.agreed",
            by=by,
            summary=f"{professional} agreed as lead professional at the TAC",
            data={"assignment": current.pk, "meeting": locked.pk},
        )
    return assignment


@transaction.atomic
def set_meeting_next_review(meeting: Meeting, *, by: User, next_review_on: dt.date) -> Meeting:
    """The review date the meeting agreed; it counts once the meeting is held."""
    locked = _locked_meeting(meeting)
    ensure_can_run_meeting(by, locked)
    start = _local_date(locked.starts_at)
    if next_review_on <= start:
        raise MeetingError(
            {"next_review_on": "The next review must be after this meeting."}, code="past"
        )
    limit = start + dt.timedelta(days=max_review_interval_days())
    if next_review_on > limit:
        raise MeetingError(
            {
                "next_review_on": f"Reviews are never more than three months apart: choose a date "
                f"on or before {limit:%d %B %Y}."
            },
            code="too_far",
        )
    locked.next_review_on = next_review_on
    locked.version += 1
    locked.save(update_fields=["next_review_on", "version", "updated_at"])
    if locked.status == Meeting.Status.HELD:
        Review.objects.filter(meeting=locked).update(next_review_on=next_review_on)
        refresh_next_review_due(locked.case, by=by)
    return locked


@transaction.atomic
def finish_meeting(meeting: Meeting, *, by: User) -> Meeting:
    """Record that the meeting happened. The first TAC starts the plan (PLANNING → ACTIVE)."""
    locked = _locked_meeting(meeting)
    ensure_can_run_meeting(by, locked)
    if locked.status != Meeting.Status.SCHEDULED:
        raise MeetingError("This meeting is already recorded as held.", code="held")
    now = timezone.now()
    locked.status = Meeting.Status.HELD
    locked.held_at = min(now, locked.starts_at)
    locked.save(update_fields=["status", "held_at", "updated_at"])
    case = locked.case
    if locked.kind != Meeting.Kind.INITIAL:
        Review.objects.create(
            case=case,
            meeting=locked,
            reviewed_at=locked.held_at,
            child_views=locked.child_views,
            parent_views=locked.family_views,
            summary=locked.progress_summary,
            next_review_on=locked.next_review_on,
            recorded_by=by,
        )
    record_event(
        case,
        "meeting.held",
        by=by,
        summary=f"{locked.get_kind_display()} held",
        data={"meeting": locked.pk},
    )
    if case.status == Case.Status.PLANNING and case.can_move_to(Case.Status.ACTIVE):
        change_status(case, to=Case.Status.ACTIVE, by=by, note="First TAC held")
        case.refresh_from_db()
    refresh_next_review_due(case, by=by)
    return locked


@transaction.atomic
def publish_minutes(meeting: Meeting, *, by: User) -> Meeting:
    """Publish the minutes: the record freezes and every TAC member with an account is told
    (a link only, never the content)."""
    locked = _locked_meeting(meeting)
    ensure_can_run_meeting(by, locked)
    if locked.status != Meeting.Status.HELD:
        raise MeetingError("Record the meeting as held before publishing minutes.", code="held")
    now = timezone.now()
    locked.minutes_published_at = now
    locked.save(update_fields=["minutes_published_at", "updated_at"])
    if hasattr(locked, "review"):
        # The review row keeps the family's words as published.
        Review.objects.filter(meeting=locked).update(
            child_views=locked.child_views,
            parent_views=locked.family_views,
            summary=locked.progress_summary,
            next_review_on=locked.next_review_on,
        )
    members = locked.case.memberships.active().filter(professional__isnull=False)
    for membership in members.select_related("professional"):
        _tell(
            locked,
            purpose="minutes",
            professional=membership.professional,
            address="",
            about=(ABOUT_MEETING, locked.pk),
        )
    record_event(
        locked.case,
        "meeting.minutes_published",
        by=by,
        summary=f"Minutes of the {locked.get_kind_display().lower()} published",
        data={"meeting": locked.pk},
    )
    refresh_next_review_due(locked.case, by=by)
    return locked


# --- The plan: outcomes and actions -----------------------------------------


def _ensure_can_edit_plan(user: User, case: Case, meeting: Meeting | None) -> None:
    if meeting is not None:
        ensure_can_run_meeting(user, meeting)
    else:
        ensure_can_run_case(user, case)


@transaction.atomic
def add_outcome(
    case: Case,
    *,
    by: User,
    statement: str,
    meeting: Meeting | None = None,
    framework_tags: Iterable[str] = (),
    how_we_will_know: str = "",
    baseline_scale: int | None = None,
    target_scale: int | None = None,
) -> Outcome:
    """Add an outcome in the family's words to the plan."""
    if meeting is not None:
        meeting = _locked_meeting(meeting)
    _ensure_can_edit_plan(by, case, meeting)
    if not statement.strip():
        raise MeetingError(
            {"statement": "Write what will be different, in the family's words."}, code="text"
        )
    tags = list(dict.fromkeys(framework_tags))
    known = {code for code, _ in OUTCOME_TAGS}
    if any(t not in known for t in tags):
        raise MeetingError({"framework_tags": "Choose tags from the list."}, code="tags")
    for name, value in (("baseline_scale", baseline_scale), ("target_scale", target_scale)):
        if value is not None and not 0 <= value <= 10:
            raise MeetingError({name: "Use a number from 0 to 10."}, code="scale")
    outcome = Outcome.objects.create(
        case=case,
        meeting=meeting,
        statement=statement.strip(),
        framework_tags=tags,
        how_we_will_know=how_we_will_know.strip(),
        baseline_scale=baseline_scale,
        target_scale=target_scale,
        created_by=by,
    )
    record_event(
        case,
        "plan.outcome_added",
        by=by,
        summary="Outcome added to the plan",
        data={"outcome": outcome.pk},
    )
    return outcome


@transaction.atomic
def review_outcome(
    outcome: Outcome,
    *,
    by: User,
    status: str,
    current_scale: int | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Outcome:
    """At a review: how far the family has come towards an outcome, and whether it is met.

    The change history keeps every earlier status, scale and note; the chronology
    says what changed. With ``expected_version``, a review saved since the editor
    loaded it is refused rather than overwritten.
    """
    locked = Outcome.objects.select_for_update().select_related("case").get(pk=outcome.pk)
    _ensure_can_edit_plan(by, locked.case, None)
    if not locked.case.is_open:
        raise MeetingError("This case is closed: its plan is no longer reviewed.", code="closed")
    if expected_version is not None and expected_version != locked.version:
        raise MeetingError(
            "Someone reviewed this outcome since you opened it. Check what they recorded "
            "below, then save yours again if it still stands.",
            code="stale",
        )
    errors: dict[str, str] = {}
    if len(note.strip()) > NOTE_MAX:
        errors["note"] = f"Keep the note to {NOTE_MAX:,} characters or fewer."
    if status not in Outcome.Status.values:
        errors["status"] = "Choose where this outcome stands."
    if current_scale is not None and not 0 <= current_scale <= 10:
        errors["current_scale"] = "Use a number from 0 to 10."
    if errors:
        raise MeetingError(errors, code="invalid")
    previous = (locked.status, locked.current_scale)
    locked.status = status
    locked.current_scale = current_scale
    locked.review_note = note.strip()
    locked.reviewed_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["status", "current_scale", "review_note", "reviewed_at", "version"])
    record_event(
        locked.case,
        "plan.outcome_reviewed",
        by=by,
        summary=f"Outcome reviewed: {locked.get_status_display().lower()}",
        data={
            "outcome": locked.pk,
            "from": {"status": previous[0], "scale": previous[1]},
            "to": {"status": status, "scale": current_scale},
        },
    )
    return locked


def _action_audiences(action: Action) -> dict[str, list[User]]:
    audiences: dict[str, list[User]] = {}
    if action.owner_professional is not None and action.owner_professional.is_active:
        audiences[Audience.OWNER] = [action.owner_professional]
    lead = action.case.lead_assignments.active().select_related("professional").first()
    if lead is not None:
        audiences[Audience.LEAD] = [lead.professional]
    return audiences


def schedule_action_reminders(action: Action) -> int:
    """Bring an action's reminders in line with its due date, owner and status.

    Owners get the due-soon, due and overdue reminders; the lead only the
    overdue copy (the rules say which audience each goes to). Done and
    cancelled actions have none, and neither has any action of a closed case
    (closing cancelled them; a later change to the action must not bring them back).
    """
    case_open = Case.objects.filter(pk=action.case_id, closed_at__isnull=True).exists()
    due = action.due_on if action.is_open and case_open else None
    return schedule_reminders(
        SUBJECT_ACTION_DUE,
        action.pk,
        case=action.case,
        due_on=due,
        audiences=_action_audiences(action) if due is not None else {},
    )


def schedule_case_action_reminders(case: Case) -> int:
    """Re-address the reminders of every open action of ``case`` (its lead changed).

    The action rows are locked, so a concurrent change to one of them either
    finishes first (and is read here) or waits and then sees the new lead.
    """
    actions = (
        Action.objects.select_for_update(of=("self",))
        .filter(case_id=case.pk, status__in=Action.OPEN_STATUSES)
        .select_related("case", "owner_professional")
        .order_by("id")
    )
    return sum(schedule_action_reminders(action) for action in actions)


@dataclass(frozen=True)
class Owner:
    """Who owns an action: a TAC member, or a family network member named here."""

    membership: TeamMembership | None = None
    network_name: str = ""


@transaction.atomic
def add_action(
    case: Case,
    *,
    by: User,
    description: str,
    owner: Owner,
    due_on: dt.date,
    meeting: Meeting | None = None,
    start_on: dt.date | None = None,
    outcomes: Sequence[Outcome] = (),
) -> Action:
    """Add a SMART action owned by one TAC member (professional, family or network member)."""
    if meeting is not None:
        meeting = _locked_meeting(meeting)
    _ensure_can_edit_plan(by, case, meeting)
    if not Case.objects.get(pk=case.pk).is_open:
        raise MeetingError("This case is closed: its plan no longer changes.", code="case_closed")
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = "Describe what will be done."
    if start_on is not None and due_on < start_on:
        errors["due_on"] = "The due date must be on or after the start date."
    membership = owner.membership
    if membership is not None and (membership.case_id != case.pk or membership.left_at):
        errors["owner"] = "Choose a current member of the TAC."
    if membership is None and not owner.network_name.strip():
        errors["owner"] = "Choose who owns the action."
    if any(o.case_id != case.pk for o in outcomes):
        errors["outcomes"] = "Choose outcomes from this plan."
    if errors:
        raise MeetingError(errors, code="invalid")
    action = Action(
        case=case,
        meeting=meeting,
        description=description.strip(),
        start_on=start_on,
        due_on=due_on,
        created_by=by,
    )
    if membership is not None and membership.professional is not None:
        action.owner_professional = membership.professional
        action.owner_agency = membership.professional.agency
    elif membership is not None and membership.family_member is not None:
        action.owner_family_member = membership.family_member
    elif membership is not None:
        action.owner_name = membership.external_name
    else:
        action.owner_name = owner.network_name.strip()
    action.save()
    action.outcomes.set(outcomes)
    schedule_action_reminders(action)
    record_event(
        case,
        "plan.action_added",
        by=by,
        summary=f"Action for {action.owner_role_and_agency} due {due_on:%d %B %Y}",
        data={"action": action.pk},
    )
    return action


@transaction.atomic
def change_action(
    action: Action,
    *,
    by: User,
    due_on: dt.date | None = None,
    owner: Owner | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Action:
    """Move an action's due date or hand it to another owner (the lead or a manager).

    Its reminders follow in the same transaction: the new owner gets them, the
    old one no longer does. ``reason`` goes on the action's progress notes.
    With ``expected_version``, a change made since the editor loaded it is refused.
    """
    locked = Action.objects.select_for_update().select_related("case").get(pk=action.pk)
    ensure_can_run_case(by, locked.case)
    if expected_version is not None and expected_version != locked.version:
        raise MeetingError(
            "Someone changed this action since you opened it. Check it below, then "
            "make your change again.",
            code="stale",
        )
    if not locked.is_open:
        raise MeetingError("A finished action cannot be changed.", code="closed")
    if not locked.case.is_open:
        raise MeetingError("This case is closed: its plan no longer changes.", code="case_closed")
    changes: dict[str, object] = {}
    if due_on is not None and due_on != locked.due_on:
        if locked.start_on is not None and due_on < locked.start_on:
            raise MeetingError(
                {"due_on": "The due date must be on or after the start date."}, code="due"
            )
        changes["due_on"] = [locked.due_on.isoformat(), due_on.isoformat()]
        locked.due_on = due_on
    if owner is not None:
        membership = owner.membership
        if membership is not None and (
            membership.case_id != locked.case_id or membership.left_at is not None
        ):
            raise MeetingError({"owner": "Choose a current member of the TAC."}, code="owner")
        if membership is None and not owner.network_name.strip():
            raise MeetingError({"owner": "Choose who owns the action."}, code="owner")
        before = _owner_key(locked)
        locked.owner_professional = membership.professional if membership else None
        locked.owner_agency = (
            membership.professional.agency if membership and membership.professional else None
        )
        locked.owner_family_member = membership.family_member if membership else None
        locked.owner_name = membership.external_name if membership else owner.network_name.strip()
        if locked.owner_professional or locked.owner_family_member:
            locked.owner_name = ""
        if _owner_key(locked) != before:
            changes["owner"] = locked.owner_display
    if not changes:
        return locked
    locked.version += 1
    locked.save()
    schedule_action_reminders(locked)
    if reason.strip():
        ActionUpdate.objects.create(
            action=locked, by=by, at=timezone.now(), text=f"Changed: {reason.strip()}"
        )
    record_event(
        locked.case,
        "plan.action_changed",
        by=by,
        summary="Action's due date or owner changed",
        data={"action": locked.pk, **changes},
    )
    action.refresh_from_db()
    return locked


def _owner_key(action: Action) -> tuple[int | None, int | None, str]:
    return (action.owner_professional_id, action.owner_family_member_id, action.owner_name)


@transaction.atomic
def cancel_action(
    action: Action, *, by: User, reason: str, expected_version: int | None = None
) -> Action:
    """The lead or a manager takes an action out of the plan, saying why.

    Its reminders are cancelled in the same transaction.
    """
    locked = Action.objects.select_for_update().select_related("case").get(pk=action.pk)
    ensure_can_run_case(by, locked.case)
    if expected_version is not None and expected_version != locked.version:
        raise MeetingError(
            "Someone changed this action since you opened it. Check it below first.",
            code="stale",
        )
    if not locked.is_open:
        raise MeetingError("This action is already finished.", code="closed")
    if not locked.case.is_open:
        raise MeetingError("This case is closed: its plan no longer changes.", code="case_closed")
    if not reason.strip():
        raise MeetingError({"reason": "Say why the action is no longer needed."}, code="reason")
    now = timezone.now()
    locked.status = Action.Status.CANCELLED
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    ActionUpdate.objects.create(
        action=locked, by=by, at=now, text=f"No longer needed: {reason.strip()}"
    )
    schedule_action_reminders(locked)
    record_event(
        locked.case,
        "plan.action_cancelled",
        by=by,
        summary="Action taken out of the plan",
        data={"action": locked.pk},
    )
    return locked


def can_update_action(user: User, action: Action) -> bool:
    """``cases.access.can_update_action`` for this action."""
    return access.can_update_action(user, action.case, owner_id=action.owner_professional_id)


@transaction.atomic
def update_action(
    action: Action,
    *,
    by: User,
    status: str | None = None,
    progress_note: str = "",
    expected_version: int | None = None,
) -> Action:
    """The owner (or the lead professional) records progress on an action.

    ``status`` moves it (done, in progress, …); ``progress_note`` is added to its
    updates. Reminders stop when it is done or cancelled. Raises
    ``PermissionDenied`` for anyone else and ``MeetingError`` for bad input, or,
    with ``expected_version``, for an update made since the editor loaded it.
    """
    locked = Action.objects.select_for_update().select_related("case").get(pk=action.pk)
    if not can_update_action(by, locked):
        raise PermissionDenied("Only the action's owner or the lead professional can update it.")
    if expected_version is not None and expected_version != locked.version:
        raise MeetingError(
            "Someone updated this action since you opened it. Check its latest status "
            "below, then send your update again.",
            code="stale",
        )
    if status is not None and status not in Action.Status.values:
        raise MeetingError({"status": "Choose a status from the list."}, code="status")
    if status is None and not progress_note.strip():
        raise MeetingError({"progress_note": "Write a progress note."}, code="note")
    now = timezone.now()
    fields = ["version", "updated_at"]
    previous = locked.status
    if status is not None and status != locked.status:
        locked.status = status
        locked.completed_at = now if status == Action.Status.DONE else None
        fields += ["status", "completed_at"]
    locked.version += 1
    locked.save(update_fields=fields)
    if progress_note.strip():
        ActionUpdate.objects.create(action=locked, by=by, at=now, text=progress_note.strip())
    schedule_action_reminders(locked)
    if locked.status != previous:
        record_event(
            locked.case,
            "plan.action_updated",
            by=by,
            summary=f"Action marked {locked.get_status_display().lower()}",
            data={"action": locked.pk, "from": previous, "to": locked.status},
        )
    action.refresh_from_db()
    return locked


REVIEW_STATUSES = (
    Action.Status.DONE,
    Action.Status.IN_PROGRESS,
    Action.Status.CARRIED_FORWARD,
    Action.Status.CANCELLED,
)


@transaction.atomic
def review_action(
    action: Action, *, by: User, meeting: Meeting, status: str, note: str = ""
) -> Action:
    """At a review meeting: done, in progress, carried forward or cancelled, with a note."""
    locked_meeting = _locked_meeting(meeting)
    ensure_can_run_meeting(by, locked_meeting)
    if action.case_id != locked_meeting.case_id:
        raise MeetingError("That action is not in this plan.", code="case")
    if status not in REVIEW_STATUSES:
        raise MeetingError({"status": "Choose what happened to the action."}, code="status")
    locked = Action.objects.select_for_update().select_related("case").get(pk=action.pk)
    previous = locked.status
    now = timezone.now()
    locked.status = status
    locked.completed_at = now if status == Action.Status.DONE else None
    locked.version += 1
    locked.save(update_fields=["status", "completed_at", "version", "updated_at"])
    text = f"Reviewed at the meeting: {locked.get_status_display().lower()}"
    if note.strip():
        text = f"{text}. {note.strip()}"
    ActionUpdate.objects.create(action=locked, by=by, at=now, text=text)
    schedule_action_reminders(locked)
    record_event(
        locked.case,
        "plan.action_reviewed",
        by=by,
        summary=f"Action reviewed: {locked.get_status_display().lower()}",
        data={"action": locked.pk, "from": previous, "to": status, "meeting": meeting.pk},
    )
    return locked


# --- Reviews without a meeting -----------------------------------------------


@transaction.atomic
def record_review_without_meeting(
    case: Case,
    *,
    by: User,
    child_views: str,
    parent_views: str,
    summary: str = "",
    progress: str = "",
    next_review_on: dt.date | None = None,
) -> Review:
    """A review by collecting updates, with the child's and parents' views (both required).

    It moves the next review date just as a review meeting does.
    """
    ensure_can_run_case(by, case)
    if not case.is_open:
        raise MeetingError("A closed case is not reviewed.", code="case_closed")
    errors: dict[str, str] = {}
    if not child_views.strip():
        errors["child_views"] = (
            "Record the child's views in their own words (or why they could not give them)."
        )
    if not parent_views.strip():
        errors["parent_views"] = "Record the parents' or carers' views in their own words."
    if progress and progress not in Review.Progress.values:
        errors["progress"] = "Choose how things have changed."
    today = timezone.localdate()
    limit = today + dt.timedelta(days=max_review_interval_days())
    if next_review_on is not None and not today < next_review_on <= limit:
        errors["next_review_on"] = (
            f"Choose a date after today and on or before {limit:%d %B %Y} "
            "(reviews are never more than three months apart)."
        )
    if errors:
        raise MeetingError(errors, code="invalid")
    review = Review.objects.create(
        case=case,
        reviewed_at=timezone.now(),
        child_views=child_views.strip(),
        parent_views=parent_views.strip(),
        summary=summary.strip(),
        progress=progress,
        next_review_on=next_review_on,
        recorded_by=by,
    )
    record_event(
        case,
        "review.recorded",
        by=by,
        summary="Plan reviewed without a meeting",
        data={"review": review.pk},
    )
    refresh_next_review_due(case, by=by)
    return review


@transaction.atomic
def record_family_feedback(
    review: Review,
    *,
    by: User,
    given_by: str,
    answer: str,
    in_their_words: str = "",
    may_quote: bool = False,
) -> FamilyFeedback:
    """The family's answer at a review to "is this working for you?" (DOMAIN §9.2 A4).

    One review may have several answers (the child's and a parent's, say). Words may
    be quoted on the dashboards only when the family agreed and there are words to quote.
    """
    case = Case.objects.select_for_update().get(pk=review.case_id)
    ensure_can_run_case(by, case)
    if not case.is_open:
        raise MeetingError("This case is closed: feedback is no longer recorded.", code="closed")
    words = in_their_words.strip()
    errors: dict[str, str] = {}
    if given_by not in FamilyFeedback.GivenBy.values:
        errors["given_by"] = "Choose who gave the feedback."
    if answer not in FamilyFeedback.Answer.values:
        errors["answer"] = "Choose the family's answer: is this working for them?"
    if len(words) > FEEDBACK_WORDS_MAX:
        errors["in_their_words"] = (
            f"Keep their words to {FEEDBACK_WORDS_MAX:,} characters or fewer "
            f"(this is {len(words):,})."
        )
    if may_quote and not words:
        errors["may_quote"] = "There are no words to quote: write their words or untick this."
    if errors:
        raise MeetingError(errors, code="invalid")
    # The same answer sent twice (a double click, a resent form) is kept once.
    same = FamilyFeedback.objects.filter(
        review=review,
        given_by=given_by,
        answer=answer,
        in_their_words=words,
        recorded_by=by,
        recorded_at__gte=timezone.now() - dt.timedelta(minutes=10),
    ).first()
    if same is not None:
        return same
    feedback = FamilyFeedback.objects.create(
        review=review,
        given_by=given_by,
        answer=answer,
        in_their_words=words,
        may_quote=may_quote,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    record_event(
        case,
        "review.feedback",
        by=by,
        summary="Family feedback recorded at a review",
        data={"review": review.pk, "feedback": feedback.pk},
    )
    return feedback


@transaction.atomic
def stop_quoting_feedback(feedback: FamilyFeedback, *, by: User) -> FamilyFeedback:
    """The family no longer agrees their words are shown: they leave the dashboards at once.

    The feedback itself stays (it still counts as returned).
    """
    locked = (
        FamilyFeedback.objects.select_for_update()
        .select_related("review__case")
        .get(pk=feedback.pk)
    )
    case = locked.review.case
    ensure_can_run_case(by, case)
    if not locked.may_quote:
        return locked
    locked.may_quote = False
    locked.save(update_fields=["may_quote"])
    record_event(
        case,
        "review.feedback_unquoted",
        by=by,
        summary="The family's words are no longer shown on the dashboards",
        data={"feedback": locked.pk},
    )
    return locked


# --- Contributions and reflective discussions -------------------------------


@transaction.atomic
def add_contribution(
    case: Case, *, by: User, body: str, meeting: Meeting | None = None
) -> Contribution:
    """Add to the contribution stream. Any active TAC member can; it is attributed by role
    and agency as they are today."""
    access.ensure_can_contribute(by, case)
    membership = active_membership(by, case)
    if not body.strip():
        raise MeetingError({"body": "Write your contribution."}, code="body")
    if meeting is not None and meeting.case_id != case.pk:
        raise MeetingError("That meeting is not on this case.", code="meeting")
    if meeting is not None:
        meeting = _locked_meeting(meeting)
    contribution = Contribution.objects.create(
        case=case,
        author=by,
        author_role=by.job_title or (membership.get_role_display() if membership else ""),
        author_agency=by.agency.name if by.agency else "",
        meeting=meeting,
        body=body.strip(),
        created_at=timezone.now(),
    )
    record_event(
        case,
        "contribution.added",
        by=by,
        summary=f"Contribution from {by.role_and_agency}",
        data={"contribution": contribution.pk},
    )
    return contribution


@transaction.atomic
def record_case_discussion(
    case: Case,
    *,
    by: User,
    held_on: dt.date,
    question: str,
    hypotheses: str = "",
    learning: str = "",
    next_steps: str = "",
    participants: Sequence[User] = (),
) -> CaseDiscussion:
    """A reflective case discussion, seen only by its participants (and whoever recorded it).

    Deliberately not in the chronology (DOMAIN §9.2 D1).
    """
    if not access.can_discuss(by, case):
        raise PermissionDenied("Only the team around the child can record a discussion.")
    if not question.strip():
        raise MeetingError({"question": "Write the question the discussion explored."}, code="q")
    if held_on > timezone.localdate():
        raise MeetingError({"held_on": "The discussion date must be today or earlier."}, code="d")
    people = {p.pk: p for p in participants}
    people[by.pk] = by
    for person in people.values():
        if not can_see_case(person, case):
            raise MeetingError(
                {"participants": f"{person} cannot see this case."}, code="participant"
            )
    discussion = CaseDiscussion.objects.create(
        case=case,
        held_on=held_on,
        question=question.strip(),
        hypotheses=hypotheses.strip(),
        learning=learning.strip(),
        next_steps=next_steps.strip(),
        created_by=by,
    )
    discussion.participants.set(people.values())
    return discussion


@transaction.atomic
def record_action_late_reason(action: Action, *, by: User, reason: str) -> Action:
    """Say why an overdue action is late (an empty reason clears it)."""
    ensure_can_run_case(by, action.case)
    reason = clean_late_reason(reason)
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.status not in Action.OPEN_STATUSES or action.due_on >= timezone.localdate():
        raise LateReasonError("This action is not overdue.", code="not_overdue")
    action.late_reason = reason
    action.save(update_fields=["late_reason", "updated_at"])
    record_event(
        action.case,
        "action.late_reason_recorded",
        by=by,
        summary=f"Why an action is late: {reason}" if reason else "Action late reason cleared",
        data={"action": action.pk, "due_on": action.due_on.isoformat()},
    )
    return action
