"""An assessment's states: awaiting consent, in progress, shared, complete, abandoned,
escalated (DOMAIN §2.3)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from assessments.definition import (
    Definition,
)
from assessments.models import (
    OPEN_STATUSES,
    Assessment,
    ViewRecord,
)
from assessments.services.common import (
    AssessmentError,
    S,
    ensure_can_edit,
    lock_assessment,
    move_assessment,
)
from assessments.services.starting import start_assessment
from cases.access import can_see_case
from cases.services.common import record_event
from cases.services.lifecycle import follow_assessment_completed
from notifications.models import SUBJECT_FIRST_TAC, Audience
from notifications.services import schedule_reminders
from tac_portal.concurrency import STALE_MESSAGE, ensure_seen
from tac_portal.validators import long_date

if TYPE_CHECKING:
    from agencies.models import User


def _expect(assessment: Assessment, *statuses: str, action: str) -> None:
    if assessment.status not in statuses:
        raise AssessmentError(
            f"You cannot {action} an assessment that is {assessment.get_status_display().lower()}.",
            code="transition_not_allowed",
        )


@transaction.atomic
def mark_awaiting_consent(assessment: Assessment, *, by: User) -> Assessment:
    """The family has not yet agreed to the assessment."""
    ensure_can_edit(by, assessment)
    locked = lock_assessment(assessment)
    _expect(locked, S.DRAFT, action="wait for consent on")
    if locked.consent_to_assessment_id:
        raise AssessmentError("Consent to the assessment is already recorded.", code="consented")
    move_assessment(
        locked,
        S.AWAITING_CONSENT,
        by=by,
        code="assessment.awaiting_consent",
        summary="Assessment waiting for the family's consent",
    )
    return locked


@transaction.atomic
def begin_assessment(assessment: Assessment, *, by: User) -> Assessment:
    """The first conversation with the family has been held: draft → in progress."""
    ensure_can_edit(by, assessment)
    locked = lock_assessment(assessment)
    _expect(locked, S.DRAFT, action="begin")
    if not locked.consent_to_assessment_id:
        raise AssessmentError(
            "Record the family's consent to the assessment first (section K).",
            code="no_consent",
        )
    move_assessment(
        locked,
        S.IN_PROGRESS,
        by=by,
        code="assessment.in_progress",
        summary="First conversation with the family held",
    )
    return locked


@transaction.atomic
def share_with_family(assessment: Assessment, *, by: User) -> Assessment:
    """The draft has been read back to the family or a copy given: in progress → shared."""
    ensure_can_edit(by, assessment)
    locked = lock_assessment(assessment)
    _expect(locked, S.IN_PROGRESS, action="share")
    move_assessment(
        locked,
        S.SHARED_WITH_FAMILY,
        by=by,
        code="assessment.shared_with_family",
        summary="Draft assessment shared with the family",
        shared_with_family_at=timezone.now(),
    )
    return locked


def completion_problems(assessment: Assessment) -> list[str]:
    """What still stops ``assessment`` being completed, in plain words (empty when none)."""
    definition = Definition(assessment.template.definition)
    answers = {s.key: s.data for s in assessment.sections.all()}
    problems = []
    for section in definition.sections:
        for f in section.get("fields", []):
            if (
                f.get("required")
                and not str(answers.get(section["key"], {}).get(f["key"], "")).strip()
            ):
                problems.append(f"{section['title']}: answer “{f['label']}”.")
    views = list(assessment.views.all())
    child_view = next((v for v in views if v.speaker == ViewRecord.Speaker.CHILD), None)
    if child_view is None or not (child_view.is_given or child_view.not_obtained_reason.strip()):
        problems.append(
            "Views: record the child's views in their own words, or why they could not be given."
        )
    if not any(v.is_given for v in views if v.speaker == ViewRecord.Speaker.PARENT_CARER):
        problems.append("Views: record at least one parent's or carer's views in their own words.")
    if not assessment.consent_to_share_id:
        problems.append("Consent: record what the family agreed can be stored and shared.")
    return problems


@transaction.atomic
def complete_assessment(assessment: Assessment, *, by: User) -> Assessment:
    """Complete an assessment shared with the family; it becomes read-only.

    Requires the family's views, the conclusions and the sharing consent
    (``completion_problems``). A revision supersedes the version it revised.
    Schedules the "first TAC not held" reminder for the lead professional, and
    moves the case on (``cases.services.lifecycle.follow_assessment_completed``).
    """
    ensure_can_edit(by, assessment)
    locked = lock_assessment(assessment)
    _expect(locked, S.SHARED_WITH_FAMILY, action="complete")
    problems = completion_problems(locked)
    if problems:
        raise AssessmentError(problems, code="incomplete")
    now = timezone.now()
    move_assessment(
        locked,
        S.COMPLETED,
        by=by,
        code="assessment.completed",
        summary="Assessment completed",
        completed_at=now,
    )
    previous = locked.previous_version
    if previous is not None and previous.status == S.COMPLETED:
        previous.status = S.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
        record_event(
            locked.case,
            "assessment.superseded",
            by=by,
            summary="Earlier assessment superseded by its revision",
            data={"assessment": previous.pk, "by_assessment": locked.pk},
        )
    # The case moves on with it: to planning, or back to its active plan.
    follow_assessment_completed(locked.case, by=by)
    lead = locked.case.lead_assignment
    schedule_reminders(
        SUBJECT_FIRST_TAC,
        locked.case_id,
        case=locked.case,
        due_on=timezone.localdate(now),
        audiences={Audience.LEAD: [lead.professional] if lead else []},
    )
    return locked


@transaction.atomic
def abandon_assessment(assessment: Assessment, *, reason: str, by: User) -> Assessment:
    """The family declined or the assessment stopped; the reason is kept."""
    ensure_can_edit(by, assessment)
    locked = lock_assessment(assessment)
    _expect(locked, S.DRAFT, S.AWAITING_CONSENT, S.IN_PROGRESS, action="abandon")
    if not reason.strip():
        raise AssessmentError({"reason": "Say why the assessment is being stopped."})
    move_assessment(
        locked,
        S.ABANDONED,
        by=by,
        code="assessment.abandoned",
        summary="Assessment stopped",
        abandoned_reason=reason.strip(),
    )
    return locked


@transaction.atomic
def escalate_safeguarding(assessment: Assessment, *, note: str, by: User) -> Assessment:
    """Record that a safeguarding concern was referred under local procedures.

    Never blocked by the form's state: anyone who can see the case may record
    it. An assessment being written pauses (and resumes later); a finished one
    keeps its status and the chronology records the escalation.
    """
    if not can_see_case(by, assessment.case):
        raise PermissionDenied("You cannot see this case.")
    locked = lock_assessment(assessment)
    if locked.is_open and locked.status != S.SAFEGUARDING_ESCALATED:
        move_assessment(
            locked,
            S.SAFEGUARDING_ESCALATED,
            by=by,
            code="assessment.safeguarding_escalated",
            summary="Safeguarding concern referred; assessment paused",
            status_before_escalation=locked.status,
            note=note.strip(),
        )
    else:
        record_event(
            locked.case,
            "assessment.safeguarding_escalated",
            by=by,
            summary="Safeguarding concern referred",
            data={"assessment": locked.pk, "note": note.strip()},
        )
    return locked


@transaction.atomic
def resume_after_escalation(assessment: Assessment, *, by: User) -> Assessment:
    """Children's social care decided early help is right: carry on (→ in progress)."""
    ensure_can_edit(by, assessment)
    locked = lock_assessment(assessment)
    _expect(locked, S.SAFEGUARDING_ESCALATED, action="resume")
    move_assessment(
        locked,
        S.IN_PROGRESS,
        by=by,
        code="assessment.resumed",
        summary="Assessment resumed after the safeguarding decision",
        status_before_escalation="",
    )
    return locked


@transaction.atomic
def revise_assessment(assessment: Assessment, *, by: User) -> Assessment:
    """Start a new version of a completed assessment, copying its content.

    The completed one stays as it is until the revision completes, when it is
    superseded. Views and consent are asked for again.
    """
    ensure_can_edit(by, assessment)
    locked = lock_assessment(assessment)
    _expect(locked, S.COMPLETED, action="revise")
    if locked.next_versions.filter(status__in=OPEN_STATUSES).exists():
        raise AssessmentError("A revision of this assessment is already being written.")
    return start_assessment(locked.case, child=locked.child, by=by, previous_version=locked)


@transaction.atomic
def record_family_copy_given(
    assessment: Assessment, *, given_on: dt.date, by: User, seen: str | None = None
) -> Assessment:
    """Record the day the family was given its own copy (DOMAIN §2.2 J).

    ``seen`` is the day the page showed (ISO, "" for none): a day recorded since by
    someone else is not silently overwritten (None: no person's page).
    """
    ensure_can_edit(by, assessment)
    locked = lock_assessment(assessment)
    given = locked.family_copy_given_on
    ensure_seen(
        locked,
        seen,
        given.isoformat() if given else "",
        message=f"Someone recorded that the family was given its copy on {long_date(given)} "
        "since you opened this page. Nothing has been saved: check the date, then record "
        "it again if it is wrong."
        if given
        else STALE_MESSAGE,
    )
    if given_on > timezone.localdate():
        raise AssessmentError({"given_on": "The date must be today or in the past."})
    if given_on < timezone.localdate(locked.started_at):
        raise AssessmentError({"given_on": "The date must be after the assessment started."})
    locked.family_copy_given_on = given_on
    locked.save(update_fields=["family_copy_given_on", "updated_at"])
    record_event(
        locked.case,
        "assessment.family_copy_given",
        by=by,
        summary="Family given its copy of the assessment",
        data={"assessment": locked.pk, "given_on": given_on.isoformat()},
    )
    return locked
