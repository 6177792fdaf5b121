"""What the assessment services share: who may change an assessment, its row lock and its moves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessments.models import (
    Assessment,
)
from cases import access
from cases.models import Case
from cases.services.common import record_event
from notifications.models import SUBJECT_ASSESSMENT_DRAFT, Audience
from notifications.services import schedule_reminders

if TYPE_CHECKING:
    from agencies.models import User


S = Assessment.Status


class AssessmentError(ValidationError):
    """An assessment rule was broken; the message says which, and nothing was written."""


def can_edit(user: User, assessment: Assessment) -> bool:
    """``cases.access.can_edit_assessment`` for this assessment."""
    return access.can_edit_assessment(user, assessment.case, assessor_id=assessment.assessor_id)


def ensure_can_edit(user: User, assessment: Assessment) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may change ``assessment``."""
    if not can_edit(user, assessment):
        raise PermissionDenied("Only the assessor or the lead professional can change this.")


def can_start(user: User, case: Case) -> bool:
    """``cases.access.can_start_assessment``."""
    return access.can_start_assessment(user, case)


def ensure_open(assessment: Assessment) -> None:
    if not assessment.is_open:
        raise AssessmentError(
            f"This assessment is {assessment.get_status_display().lower()} and can no longer "
            "be changed. Revise it to start a new version.",
            code="read_only",
        )


def lock_assessment(assessment: Assessment) -> Assessment:
    locked = (
        Assessment.objects.select_for_update()
        .select_related("case", "template")
        .get(pk=assessment.pk)
    )
    # Keep the caller's object in step with what we are about to write.
    assessment.status = locked.status
    return locked


def reschedule_draft_reminder(assessment: Assessment) -> None:
    due = timezone.localdate(assessment.started_at) if assessment.is_drafting else None
    schedule_reminders(
        SUBJECT_ASSESSMENT_DRAFT,
        assessment.pk,
        case=assessment.case,
        due_on=due,
        audiences={Audience.OWNER: [assessment.assessor]} if due else {},
    )


def move_assessment(
    assessment: Assessment,
    to: str,
    *,
    by: User,
    code: str,
    summary: str,
    note: str = "",
    **extra: Any,
) -> None:
    previous = assessment.status
    assessment.status = to
    assessment.lock_version += 1
    fields = ["status", "lock_version", "updated_at", *extra]
    for name, value in extra.items():
        setattr(assessment, name, value)
    assessment.save(update_fields=fields)
    record_event(
        assessment.case,
        code,
        by=by,
        summary=summary,
        data={"assessment": assessment.pk, "from": previous, "to": to}
        | ({"note": note} if note else {}),
    )
    reschedule_draft_reminder(assessment)
