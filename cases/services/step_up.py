"""Step-up to children's social care, and social care's decision (DOMAIN §4.2)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.access import can_step_up, ensure_can_run_case
from cases.models import (
    Case,
    CaseEvent,
    ClosureReason,
    StepUpReferral,
    TACRole,
)
from cases.services.common import CaseError, TransitionNotAllowed, lock_case, record_event
from cases.services.lifecycle import change_status
from cases.services.reviews import set_next_review_due
from cases.services.teams import add_external_contact_to_team
from notifications.services import notify
from notifications.working_days import add_working_days

if TYPE_CHECKING:
    from agencies.models import User

#: A declined step-up is followed by a TAF review within this many working days (DOMAIN §4.2).
REVIEW_AFTER_DECLINE_WORKING_DAYS = 10


@transaction.atomic
def request_step_up(
    case: Case,
    *,
    by: User,
    referred_at: datetime,
    referred_by: User,
    reason: str,
    family_informed: bool,
    family_not_informed_reason: str = "",
) -> StepUpReferral:
    """Record a referral to children's social care; the case waits for its decision.

    Open from every stage after triage (``Case.STEP_UP_FROM``). The case moves to
    "step-up requested" and stays open with its lead professional and TAC until
    social care decides.
    """
    locked = lock_case(case)
    ensure_can_run_case(by, locked)
    if not can_step_up(by, locked):
        if locked.status == Case.Status.STEP_UP_REQUESTED:
            raise CaseError(
                "A step-up is already waiting for social care's decision.", code="pending"
            )
        raise TransitionNotAllowed(locked, Case.Status.STEP_UP_REQUESTED)
    errors: dict[str, str] = {}
    if referred_at > timezone.now():
        errors["referred_day"] = "The date of the referral must be today or in the past."
    if not reason.strip():
        errors["reason"] = "Enter why the child was referred to children's social care."
    if not family_informed and not family_not_informed_reason.strip():
        errors["family_not_informed_reason"] = "Say why the family was not told."
    if not locked.memberships.active().filter(professional=referred_by).exists():
        errors["referred_by"] = "Choose who made the referral from the team around the child."
    if errors:
        raise CaseError(errors, code="invalid")

    now = timezone.now()
    change_status(locked, to=Case.Status.STEP_UP_REQUESTED, by=by, at=now)
    referral = StepUpReferral.objects.create(
        case=locked,
        referred_at=referred_at,
        referred_by=referred_by,
        reason=reason.strip(),
        family_informed=family_informed,
        family_not_informed_reason="" if family_informed else family_not_informed_reason.strip(),
        recorded_by=by,
        recorded_at=now,
    )
    record_event(
        locked,
        "step_up.requested",
        by=by,
        at=now,
        summary=f"Referred to children's social care by {referred_by} on "
        f"{timezone.localtime(referred_at):%d %B %Y at %H:%M}"
        + ("" if family_informed else " (family not told)"),
        data={"referral": referral.pk, "family_informed": family_informed},
    )
    return referral


def stage_before_step_up(case: Case) -> str:
    """The stage the case was in when it was last stepped up (from its chronology)."""
    event = (
        CaseEvent.objects.filter(
            case=case,
            code="case.status_changed",
            data__to=Case.Status.STEP_UP_REQUESTED,
        )
        .order_by("-at", "-id")
        .first()
    )
    previous = event.data.get("from") if event is not None else None
    if previous in Case.STEP_UP_FROM and case.can_move_to(previous):
        return str(previous)
    return Case.Status.ACTIVE


def pending_step_up(case: Case) -> StepUpReferral | None:
    return case.step_ups.filter(decision=StepUpReferral.Decision.PENDING).first()


@transaction.atomic
def record_step_up_decision(
    case: Case,
    *,
    by: User,
    accepted: bool,
    decided_at: datetime,
    note: str = "",
    social_worker_name: str = "",
    social_worker_agency: str = "",
    social_worker_email: str = "",
    decline_outcome: str = "",
) -> StepUpReferral:
    """Record children's social care's decision on the case's pending step-up.

    Accepted: the allocated social worker joins the TAC as an external contact
    and the case closes ``STEPPED_UP``, ending the lead assignment (reason
    ``CSC_LEAD``) and its reminders. Declined: the case goes back to the stage it
    was in before the step-up and its next review is brought within ten working
    days, with a prompt to the lead.
    A second decision on the same referral is refused.
    """
    locked = lock_case(case)
    referral = (
        StepUpReferral.objects.select_for_update()
        .filter(case=locked, decision=StepUpReferral.Decision.PENDING)
        .first()
    )
    # Checked before who is acting: once accepted, the lead role has ended.
    if referral is None or locked.status != Case.Status.STEP_UP_REQUESTED:
        raise CaseError(
            "There is no step-up waiting for social care's decision on this case.",
            code="no_pending_step_up",
        )
    ensure_can_run_case(by, locked)
    errors: dict[str, str] = {}
    if decided_at > timezone.now():
        errors["decided_day"] = "The date of the decision must be today or in the past."
    elif timezone.localdate(decided_at) < timezone.localdate(referral.referred_at):
        errors["decided_day"] = "The date of the decision must be on or after the referral."
    if accepted and not social_worker_name.strip():
        errors["social_worker_name"] = "Enter the name of the allocated social worker."
    if not accepted and decline_outcome not in StepUpReferral.DeclineOutcome.values:
        errors["decline_outcome"] = "Choose what social care decided."
    if errors:
        raise CaseError(errors, code="invalid")

    now = timezone.now()
    # A decision dated the day of the referral is never timed before it.
    referral.decided_at = max(decided_at, referral.referred_at)
    referral.decision_note = note.strip()
    referral.decision_recorded_by = by
    referral.decision_recorded_at = now
    lead = locked.lead_assignments.active().select_related("professional").first()
    if accepted:
        referral.decision = StepUpReferral.Decision.ACCEPTED
        referral.social_worker = add_external_contact_to_team(
            locked,
            name=social_worker_name,
            agency=social_worker_agency or "Children's social care",
            email=social_worker_email,
            by=by,
            role=TACRole.SOCIAL_WORKER,
        )
        referral.save()
        now = timezone.now()  # after the social worker joined, so the chronology reads in order
        record_event(
            locked,
            "step_up.accepted",
            by=by,
            at=now,
            summary=f"Children's social care accepted the referral; "
            f"{referral.social_worker.external_name} is the allocated social worker",
            data={"referral": referral.pk, "social_worker": referral.social_worker.pk},
        )
        change_status(
            locked,
            to=Case.Status.CLOSED_STEPPED_UP,
            by=by,
            closure_reason=ClosureReason.STEPPED_UP,
            note="Children's social care took the lead",
            at=now,
        )
    else:
        referral.decision = StepUpReferral.Decision.DECLINED
        referral.decline_outcome = decline_outcome
        review_by = add_working_days(timezone.localdate(now), REVIEW_AFTER_DECLINE_WORKING_DAYS)
        referral.review_due_by = review_by
        referral.save()
        change_status(
            locked, to=stage_before_step_up(locked), by=by, note="Step-up not accepted", at=now
        )
        record_event(
            locked,
            "step_up.declined",
            by=by,
            at=now,
            summary=f"Children's social care did not accept the referral "
            f"({StepUpReferral.DeclineOutcome(decline_outcome).label}); "
            f"hold a TAF review by {review_by:%d %B %Y}",
            data={"referral": referral.pk, "outcome": decline_outcome},
        )
        locked.refresh_from_db()
        current_due = locked.next_review_due
        if current_due is None or current_due > review_by:
            set_next_review_due(locked, due=review_by, by=by)
        if lead is not None:
            notify(
                lead.professional,
                title="A step-up was not accepted: hold a review within 10 working days",
                link=reverse("cases:detail", args=[locked.pk]),
                case=locked,
            )
    case.refresh_from_db()
    return referral
