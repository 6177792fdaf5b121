"""Closing a case (DOMAIN §3.7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.access import ensure_can_run_case
from cases.models import (
    Case,
    CaseClosure,
    ClosureReason,
)
from cases.services.common import CaseError, TransitionNotAllowed, lock_case, record_event
from cases.services.lifecycle import change_status

if TYPE_CHECKING:
    from agencies.models import User

#: Reasons a case may be closed through the closure form. A step-up closes through
#: social care's decision, and "no further action" belongs to triage.
CLOSURE_FORM_REASONS = [
    (value, label)
    for value, label in ClosureReason.choices
    if value not in {ClosureReason.STEPPED_UP, ClosureReason.NFA_AFTER_TRIAGE}
]


@transaction.atomic
def close_case(
    case: Case,
    *,
    by: User,
    reason: str,
    reason_detail: str = "",
    progress_summary: str,
    outcomes_achieved: str,
    outcomes_detail: str,
    child_views: str,
    family_views: str,
    continuing_support: str,
    post_closure_actions: str = "",
) -> CaseClosure:
    """Close an active case with the closure record of DOMAIN §3.7.

    The case moves active → closing → closed through the state machine, which
    ends the lead assignment and cancels the case's reminders. Two people
    closing at once: the second is told the case is already closed.
    """
    locked = lock_case(case)
    # Checked before who is acting: once closed, the lead role has ended.
    if not locked.is_open:
        raise CaseError("This case is already closed.", code="already_closed")
    ensure_can_run_case(by, locked)
    if locked.status not in {Case.Status.ACTIVE, Case.Status.CLOSING}:
        if locked.status == Case.Status.STEP_UP_REQUESTED:
            raise CaseError(
                "This case is waiting for social care's decision on a step-up. "
                "Record the decision first.",
                code="step_up_pending",
            )
        raise TransitionNotAllowed(locked, Case.Status.CLOSED)
    errors: dict[str, str] = {}
    if reason not in dict(CLOSURE_FORM_REASONS):
        errors["reason"] = "Choose the reason the case is closing."
    elif reason == ClosureReason.OTHER and not reason_detail.strip():
        errors["reason_detail"] = "Describe the reason when you choose 'Other'."
    required = {
        "progress_summary": (progress_summary, "Summarise the progress made."),
        "outcomes_detail": (
            outcomes_detail,
            "Say which outcomes were achieved, and why any were not.",
        ),
        "child_views": (child_views, "Record the child's views on closure."),
        "family_views": (family_views, "Record the family's views on closure."),
        "continuing_support": (
            continuing_support,
            "Say who will continue to support the family, or that no one will.",
        ),
    }
    for field, (value, message) in required.items():
        if not value.strip():
            errors[field] = message
    if outcomes_achieved not in CaseClosure.OutcomesAchieved.values:
        errors["outcomes_achieved"] = "Choose whether the plan's outcomes were achieved."
    if errors:
        raise CaseError(errors, code="invalid")

    now = timezone.now()
    if locked.status == Case.Status.ACTIVE:
        change_status(locked, to=Case.Status.CLOSING, by=by, at=now)
    change_status(
        locked,
        to=Case.Status.CLOSED,
        by=by,
        closure_reason=reason,
        closure_reason_detail=reason_detail.strip(),
        at=now,
    )
    try:
        with transaction.atomic():
            closure = CaseClosure.objects.create(
                case=locked,
                reason=reason,
                reason_detail=reason_detail.strip(),
                progress_summary=progress_summary.strip(),
                outcomes_achieved=outcomes_achieved,
                outcomes_detail=outcomes_detail.strip(),
                child_views=child_views.strip(),
                family_views=family_views.strip(),
                continuing_support=continuing_support.strip(),
                post_closure_actions=post_closure_actions.strip(),
                closed_by=by,
                closed_at=now,
            )
    except IntegrityError:  # pragma: no cover - the row lock above serialises closures
        raise CaseError("This case is already closed.", code="already_closed") from None
    record_event(
        locked,
        "closure.recorded",
        by=by,
        at=now,
        summary=f"Closure recorded: {ClosureReason(reason).label}; "
        f"{CaseClosure.OutcomesAchieved(outcomes_achieved).label.lower()}",
        data={"closure": closure.pk, "reason": reason, "outcomes": outcomes_achieved},
    )
    case.refresh_from_db()
    return closure
