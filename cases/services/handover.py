"""Handing the lead professional role to someone else (DOMAIN §5.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse

from cases.access import ensure_can_run_case
from cases.models import (
    Case,
    LeadHandover,
    LeadProfessionalAssignment,
)
from cases.services.common import CaseError, lock_case, record_event
from cases.services.teams import assign_lead_professional
from notifications.services import notify
from tac_portal.concurrency import StaleEdit

if TYPE_CHECKING:
    from agencies.models import User

#: Reasons for a handover. "Agreed at the first TAC" belongs to the first meeting.
HANDOVER_REASONS = [
    (value, label)
    for value, label in LeadProfessionalAssignment.ChangeReason.choices
    if value != LeadProfessionalAssignment.ChangeReason.AGREED_AT_FIRST_TAC
]


#: How a new lead was agreed at a handover (DOMAIN §5.4).
HANDOVER_BASES = [
    (value, label)
    for value, label in LeadProfessionalAssignment.Basis.choices
    if value
    in {
        LeadProfessionalAssignment.Basis.AGREED_AT_TAC,
        LeadProfessionalAssignment.Basis.FAMILY_CHOICE,
        LeadProfessionalAssignment.Basis.MANAGER_ALLOCATED,
    }
]


@transaction.atomic
def hand_over_lead(
    case: Case,
    *,
    to: User,
    by: User,
    expected_assignment_id: int | None,
    basis: str,
    reason: str,
    reason_detail: str = "",
    note: str,
    family_consulted: bool,
    family_note: str = "",
) -> LeadHandover:
    """Hand the lead professional role to ``to``, an active professional on the TAC.

    The outgoing lead's ``note`` is kept for their successor; the reason and the
    family's say go on the new assignment. ``expected_assignment_id`` is the
    assignment the form was written against: if the lead changed meanwhile the
    handover is refused rather than silently replacing someone else. The new lead
    is notified and the review reminders follow them.
    """
    locked = lock_case(case)
    if not locked.is_open:
        raise CaseError("This case is closed: it has no lead professional.", code="case_closed")
    ensure_can_run_case(by, locked)
    current = locked.lead_assignments.active().select_related("professional").first()
    if current is None:
        raise CaseError("This case has no lead professional to hand over.", code="no_lead")
    if expected_assignment_id is not None and current.pk != expected_assignment_id:
        raise StaleEdit(
            "The lead professional changed while you were writing. Check the case and try again.",
            current=current,
            refreshed={"expected_assignment": current.pk},
        )
    errors: dict[str, str] = {}
    if to.pk == current.professional_id:
        errors["to"] = f"{to} is already the lead professional. Choose someone else."
    elif not (
        locked.memberships.active().filter(professional=to, professional__is_active=True).exists()
    ):
        errors["to"] = "Choose a professional who is on the team around the child."
    if basis not in dict(HANDOVER_BASES):
        errors["basis"] = "Choose how the new lead professional was agreed."
    if reason not in dict(HANDOVER_REASONS):
        errors["reason"] = "Choose the reason for the handover."
    elif reason == LeadProfessionalAssignment.ChangeReason.OTHER and not reason_detail.strip():
        errors["reason_detail"] = "Describe the reason when you choose 'Other'."
    if not note.strip():
        errors["note"] = "Write a handover note for the new lead professional."
    if not family_consulted and not family_note.strip():
        errors["family_note"] = "Say why the family was not consulted."
    if errors:
        raise CaseError(errors, code="invalid")

    assignment = assign_lead_professional(
        locked,
        professional=to,
        by=by,
        basis=basis,
        change_reason=reason,
        change_reason_detail=reason_detail.strip(),
        family_consulted=family_consulted,
        family_preference=family_note.strip(),
    )
    now = assignment.started_at
    handover = LeadHandover.objects.create(
        case=locked,
        from_assignment=current,
        to_assignment=assignment,
        note=note.strip(),
        recorded_by=by,
        recorded_at=now,
    )
    record_event(
        locked,
        "lead.handed_over",
        by=by,
        at=now,
        summary=f"Lead handed over from {current.professional} to {to}: "
        f"{LeadProfessionalAssignment.ChangeReason(reason).label}"
        + ("" if family_consulted else " (family not consulted)"),
        data={
            "handover": handover.pk,
            "from": current.professional_id,
            "to": to.pk,
            "reason": reason,
            "family_consulted": family_consulted,
        },
    )
    notify(
        to,
        title="You are now the lead professional for a case",
        link=reverse("cases:detail", args=[locked.pk]),
        case=locked,
    )
    return handover
