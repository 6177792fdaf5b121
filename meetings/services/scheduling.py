"""Arranging a TAC meeting, inviting people, moving and cancelling it, and replies (DOMAIN §3.4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from cases.access import ensure_can_run_case
from cases.models import Case, TeamMembership
from cases.services.common import record_event
from meetings.models import (
    Invitation,
    Meeting,
    new_ical_uid,
)
from meetings.services.cadence import refresh_next_review_due
from meetings.services.common import MeetingError, ensure_can_run_meeting, lock_meeting
from meetings.services.emails import email_invitees
from notifications.models import local_zone
from tac_portal.concurrency import bump, ensure_current

if TYPE_CHECKING:
    from agencies.models import User


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
    email_invitees(meeting, purpose="invitation")
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
    locked = lock_meeting(meeting)
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
    email_invitees(locked, purpose="invitation", invitations=new)
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
    expected_version: int | None = None,
) -> Meeting:
    """Move a scheduled meeting; everyone invited gets an updated calendar entry (same UID).

    ``expected_version`` is the meeting's version the editor's page showed: a change
    saved since is not overwritten (``StaleEdit``), and nothing is written.
    """
    locked = lock_meeting(meeting)
    ensure_can_run_meeting(by, locked)
    ensure_current(locked, expected_version)
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
        update_fields=[
            "starts_at",
            "ends_at",
            "mode",
            "location",
            "ical_sequence",
            "updated_at",
            *bump(locked),
        ]
    )
    email_invitees(locked, purpose="changed")
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
def cancel_meeting(
    meeting: Meeting, *, by: User, reason: str, expected_version: int | None = None
) -> Meeting:
    """Cancel a scheduled meeting; everyone invited gets a cancellation (same UID).

    Refused with ``StaleEdit`` when the meeting changed since ``expected_version``.
    """
    locked = lock_meeting(meeting)
    ensure_can_run_meeting(by, locked)
    ensure_current(locked, expected_version)
    if locked.status != Meeting.Status.SCHEDULED:
        raise MeetingError("Only a meeting that has not happened can be cancelled.", code="held")
    if not reason.strip():
        raise MeetingError({"reason": "Say why the meeting is cancelled."}, code="reason")
    locked.status = Meeting.Status.CANCELLED
    locked.cancelled_reason = reason.strip()
    locked.ical_sequence += 1
    locked.save(
        update_fields=["status", "cancelled_reason", "ical_sequence", "updated_at", *bump(locked)]
    )
    email_invitees(locked, purpose="cancelled")
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
def record_response(
    invitation: Invitation, *, by: User, response: str, expected_version: int | None = None
) -> Invitation:
    """Record that someone is attending or sends apologies (themselves, or the organiser).

    With ``expected_version`` (the invitation's version the sender read), a reply recorded
    since is not overwritten: ``StaleEdit``, and nothing is written.
    """
    meeting = lock_meeting(invitation.meeting)
    if invitation.professional_id != by.pk:
        ensure_can_run_meeting(by, meeting)
    if response not in Invitation.Response.values:
        raise MeetingError({"response": "Choose attending or apologies."}, code="response")
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    ensure_current(
        locked,
        expected_version,
        message="Someone recorded a reply to this invitation since you read it. Check it, "
        "then send yours again.",
    )
    locked.response = response
    locked.responded_at = timezone.now()
    locked.save(update_fields=["response", "responded_at", *bump(locked)])
    invitation.refresh_from_db()
    return locked
