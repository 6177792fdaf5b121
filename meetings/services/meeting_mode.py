"""Meeting mode: attendance, the family's and professionals' words, decisions and dissent,
the lead professional, the next review, and the minutes (DOMAIN §3.4)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from cases.models import LeadProfessionalAssignment
from cases.services.common import lock_case, record_event
from cases.services.lifecycle import follow_first_tac_held
from cases.services.reviews import explain_review_beyond_guideline
from cases.services.teams import assign_lead_professional, ensure_lead_unchanged
from meetings.models import (
    Decision,
    Dissent,
    Invitation,
    Meeting,
    Review,
)
from meetings.services.cadence import local_date, max_review_interval_days, refresh_next_review_due
from meetings.services.common import (
    MeetingError,
    VersionConflict,
    ensure_can_run_meeting,
    lock_meeting,
)
from meetings.services.emails import ABOUT_MEETING, tell_about_meeting
from tac_portal.concurrency import StaleEdit
from tac_portal.validators import long_date

if TYPE_CHECKING:
    from agencies.models import User


@transaction.atomic
def record_attendance(
    invitation: Invitation, *, by: User, attendance: str, seen: str | None = None
) -> Invitation:
    """Record whether someone came. ``seen`` is the attendance the page showed: when
    someone else has recorded another since, nothing is written over theirs (None: no
    editor's page)."""
    meeting = lock_meeting(invitation.meeting)
    ensure_can_run_meeting(by, meeting)
    if attendance not in Invitation.Attendance.values:
        raise MeetingError({"attendance": "Choose whether they attended."}, code="attendance")
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if seen is not None and seen != locked.attendance != attendance:
        now = Invitation.Attendance(locked.attendance).label
        chosen = Invitation.Attendance(attendance).label
        raise StaleEdit(
            f"Someone recorded {locked.name}'s attendance as '{now}' since you opened this "
            f"page. Nothing has been saved: if '{chosen}' is right, record it again.",
            current=locked,
            refreshed={"seen": locked.attendance},
        )
    locked.attendance = attendance
    locked.save(update_fields=["attendance"])
    invitation.attendance = attendance
    return locked


MEETING_TEXT_FIELDS = ("family_views", "child_views", "progress_summary")


@transaction.atomic
def save_meeting_text(
    meeting: Meeting, *, by: User, field: str, text: str, version: int
) -> Meeting:
    """Autosave one of the meeting's free-text fields, refusing to overwrite a newer save.

    Raises ``VersionConflict`` (with the saved text) when ``version`` is not the
    version the editor loaded.
    """
    locked = lock_meeting(meeting)
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


def _update_unchanged_since(locked: Invitation, version: int) -> bool:
    """Whether the spoken update is as it was at ``version``: a reply (attending or
    apologies) recorded since moves the invitation's version, not the text being typed."""
    then = (
        locked.history.filter(version=version)  # type: ignore[attr-defined]
        .order_by("-pgh_id")
        .values_list("update_text", flat=True)
        .first()
    )
    return then is not None and then == locked.update_text


@transaction.atomic
def save_invitation_update(
    invitation: Invitation, *, by: User, text: str, version: int
) -> Invitation:
    """Autosave what someone said at the meeting (their update), versioned like the rest."""
    meeting = lock_meeting(invitation.meeting)
    ensure_can_run_meeting(by, meeting)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.version != version and not _update_unchanged_since(locked, version):
        if locked.update_text == text:
            return locked
        raise VersionConflict(locked.update_text, locked.version)
    locked.update_text = text
    locked.version += 1
    locked.save(update_fields=["update_text", "version"])
    return locked


@transaction.atomic
def add_decision(meeting: Meeting, *, by: User, text: str, rationale: str = "") -> Decision:
    locked = lock_meeting(meeting)
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
    locked = lock_meeting(decision.meeting)
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
    seen_lead: str | None = None,
) -> LeadProfessionalAssignment:
    """The TAC agrees who leads. At the first TAC this replaces the interim lead.

    ``seen_lead`` is the lead's assignment the page showed ("" for none): when the lead
    has changed since (a handover, another agreement), nothing is written over it.
    None means no editor's page.
    """
    locked = lock_meeting(meeting)
    ensure_can_run_meeting(by, locked)
    case = lock_case(locked.case)
    ensure_lead_unchanged(case, seen_lead)
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
def set_meeting_next_review(
    meeting: Meeting,
    *,
    by: User,
    next_review_on: dt.date,
    beyond_guideline_reason: str = "",
    seen: str | None = None,
) -> Meeting:
    """The review date the meeting agreed; it becomes the case's next review date once
    the meeting is held.

    A date more than three months after the meeting is accepted with a reason, which
    becomes the case's "why late" (timescales prompt, never block). ``seen`` is the
    agreed date the page showed (ISO, "" for none): a date agreed by someone else since
    is not written over (None: no editor's page).
    """
    locked = lock_meeting(meeting)
    ensure_can_run_meeting(by, locked)
    agreed = locked.next_review_on.isoformat() if locked.next_review_on else ""
    if seen is not None and seen != agreed and locked.next_review_on != next_review_on:
        raise StaleEdit(
            f"Someone set the next review to {_shown(locked.next_review_on)} since you "
            "opened this page. Nothing has been saved: check the date, then set it again "
            "if it needs to change.",
            current=locked,
            refreshed={"seen": agreed},
        )
    start = local_date(locked.starts_at)
    if next_review_on <= start:
        raise MeetingError(
            {"next_review_on": "The next review must be after this meeting."}, code="past"
        )
    limit = start + dt.timedelta(days=max_review_interval_days())
    if next_review_on > limit:
        explain_review_beyond_guideline(
            locked.case, due=next_review_on, reason=beyond_guideline_reason, by=by
        )
    locked.next_review_on = next_review_on
    locked.version += 1
    locked.save(update_fields=["next_review_on", "version", "updated_at"])
    if locked.status == Meeting.Status.HELD:
        Review.objects.filter(meeting=locked).update(next_review_on=next_review_on)
        refresh_next_review_due(locked.case, by=by)
    return locked


def _shown(day: dt.date | None) -> str:
    return long_date(day) if day else "no date"


@transaction.atomic
def finish_meeting(meeting: Meeting, *, by: User) -> Meeting:
    """Record that the meeting happened. The first TAC starts the plan (PLANNING → ACTIVE)."""
    locked = lock_meeting(meeting)
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
    follow_first_tac_held(case, by=by)
    refresh_next_review_due(case, by=by)
    return locked


@transaction.atomic
def publish_minutes(meeting: Meeting, *, by: User) -> Meeting:
    """Publish the minutes: the record freezes and every TAC member with an account is told
    (a link only, never the content)."""
    locked = lock_meeting(meeting)
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
        tell_about_meeting(
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
