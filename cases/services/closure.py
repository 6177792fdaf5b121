"""Closing a case (DOMAIN §3.7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.access import can_close_case, ensure_can_run_case
from cases.models import (
    Case,
    CaseClosure,
    ClosureReason,
)
from cases.services.common import CaseError, TransitionNotAllowed, lock_case, record_event
from cases.services.lifecycle import change_status

if TYPE_CHECKING:
    from agencies.models import User

S = Case.Status
R = ClosureReason

#: The reasons offered at each stage, first the one that stage most often closes for,
#: with wording that fits it. A step-up closes through social care's decision.
_LATER: list[tuple[str, str]] = [
    (R.SINGLE_AGENCY, "Needs can be met by a single agency"),
    (R.CONSENT_WITHDRAWN, "The family no longer wants early help"),
    (R.DISENGAGED, "The family has not engaged despite attempts"),
    (R.MOVED_OUT_OF_AREA, "The family moved out of the area"),
    (R.AGED_OUT, "The young person aged out"),
    (R.OTHER, "Other"),
]
_BEFORE_ASSESSMENT: list[tuple[str, str]] = [
    (R.NFA_AFTER_TRIAGE, "No further action: advice or signposting only"),
    (R.CONSENT_WITHDRAWN, "The family declined early help"),
    (R.SINGLE_AGENCY, "Needs can be met by a single agency"),
    (R.MOVED_OUT_OF_AREA, "The family moved out of the area"),
    (R.AGED_OUT, "The young person aged out"),
    (R.OTHER, "Other"),
]
_STAGE_REASONS: dict[str, list[tuple[str, str]]] = {
    S.IDENTIFIED: _BEFORE_ASSESSMENT,
    S.REQUEST_SUBMITTED: _BEFORE_ASSESSMENT,
    S.TRIAGED: _BEFORE_ASSESSMENT,
    S.CONSENT_PENDING: _BEFORE_ASSESSMENT,
    S.ASSESSING: [(R.NEEDS_MET, "Needs met: no plan is needed"), *_LATER],
    S.PLANNING: [(R.NEEDS_MET, "Needs met before a plan was agreed"), *_LATER],
    S.ACTIVE: [(R.NEEDS_MET, "Outcomes achieved: needs met"), *_LATER],
    S.REASSESSING: [(R.NEEDS_MET, "Outcomes achieved: needs met"), *_LATER],
    S.CLOSING: [(R.NEEDS_MET, "Outcomes achieved: needs met"), *_LATER],
    # Offered so that the form can say why it cannot close yet: the decision comes first.
    S.STEP_UP_REQUESTED: [(R.NEEDS_MET, "Outcomes achieved: needs met"), *_LATER],
}

#: Where the state machine draws a closed status of its own for a stage and reason,
#: the case goes there directly; otherwise it passes through "closing" to "closed".
_DRAWN_ENDINGS: dict[tuple[str, str], str] = {
    (S.TRIAGED, R.NFA_AFTER_TRIAGE): S.CLOSED_NFA,
    (S.CONSENT_PENDING, R.CONSENT_WITHDRAWN): S.CLOSED_DECLINED,
    (S.ASSESSING, R.NEEDS_MET): S.CLOSED_NEEDS_MET,
}

#: Every reason the closure form can offer, at any stage.
CLOSURE_FORM_REASONS = [
    (value, label) for value, label in ClosureReason.choices if value != R.STEPPED_UP
]


def closure_reasons_for(status: str) -> list[tuple[str, str]]:
    """The closure reasons that fit a case in ``status`` (none once it is closed)."""
    return list(_STAGE_REASONS.get(status, []))


def closure_asks_about_outcomes(status: str) -> bool:
    """Whether a plan exists to say how its outcomes went (not before the first TAC)."""
    return status not in Case.BEFORE_PLAN


def _closing_path(status: str, reason: str) -> list[str]:
    drawn = _DRAWN_ENDINGS.get((status, reason))
    if drawn is not None:
        return [drawn]
    if status == S.CLOSING:
        return [S.CLOSED]
    return [S.CLOSING, S.CLOSED]


@transaction.atomic
def close_case(
    case: Case,
    *,
    by: User,
    reason: str,
    reason_detail: str = "",
    progress_summary: str,
    outcomes_achieved: str = "",
    outcomes_detail: str = "",
    child_views: str,
    family_views: str,
    continuing_support: str,
    post_closure_actions: str = "",
) -> CaseClosure:
    """Close the case from whatever open stage it is in, with the closure record of
    DOMAIN §3.7 and a reason that fits the stage (``closure_reasons_for``).

    The case moves through the state machine (to "closing" and "closed", or to the
    closed status drawn for that stage and reason), which ends the lead assignment and
    cancels the case's reminders. Before a plan exists nothing is asked about its
    outcomes. Two people closing at once: the second is told the case is already closed.
    """
    locked = lock_case(case)
    # Checked before who is acting: once closed, the lead role has ended.
    if not locked.is_open:
        raise CaseError("This case is already closed.", code="already_closed")
    ensure_can_run_case(by, locked)
    if locked.status == Case.Status.STEP_UP_REQUESTED:
        raise CaseError(
            "This case is waiting for social care's decision on a step-up. "
            "Record the decision first.",
            code="step_up_pending",
        )
    if not can_close_case(by, locked):  # pragma: no cover - every other open stage closes
        raise TransitionNotAllowed(locked, Case.Status.CLOSED)
    stage = locked.status
    asks_outcomes = closure_asks_about_outcomes(stage)
    errors: dict[str, str] = {}
    if reason not in dict(closure_reasons_for(stage)):
        errors["reason"] = "Choose the reason the case is closing."
    elif reason == ClosureReason.OTHER and not reason_detail.strip():
        errors["reason_detail"] = "Describe the reason when you choose 'Other'."
    required = {
        "progress_summary": (progress_summary, "Summarise the progress made."),
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
    if asks_outcomes:
        if outcomes_achieved not in CaseClosure.OutcomesAchieved.values or (
            outcomes_achieved == CaseClosure.OutcomesAchieved.NO_PLAN
        ):
            errors["outcomes_achieved"] = "Choose whether the plan's outcomes were achieved."
        if not outcomes_detail.strip():
            errors["outcomes_detail"] = "Say which outcomes were achieved, and why any were not."
    else:
        outcomes_achieved = CaseClosure.OutcomesAchieved.NO_PLAN
    if errors:
        raise CaseError(errors, code="invalid")

    now = timezone.now()
    for to in _closing_path(stage, reason):
        change_status(
            locked,
            to=to,
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
