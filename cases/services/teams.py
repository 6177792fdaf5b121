"""The team around the child: its members and its lead professional (DOMAIN §5, §8.2)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.access import can_work_on_cases
from cases.models import (
    Case,
    FamilyMember,
    LeadProfessionalAssignment,
    TACRole,
    TeamMembership,
)
from cases.services.common import CaseError, record_event
from cases.services.reminders import schedule_lead_reminders, schedule_review_reminders

if TYPE_CHECKING:
    from agencies.models import User


@transaction.atomic
def add_professional_to_team(
    case: Case,
    *,
    professional: User,
    by: User,
    role: str = TACRole.PRACTITIONER,
    at: datetime | None = None,
) -> TeamMembership:
    """Add a professional to the TAC; returns their existing membership if they are on it."""
    if not professional.is_active:
        raise CaseError(f"{professional} no longer has an active account.", code="inactive")
    if not can_work_on_cases(professional):
        raise CaseError(
            f"{professional} does not work on cases, so cannot join a TAC.",
            code="administrator_cannot_join",
        )
    existing = case.memberships.active().filter(professional=professional).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            membership = TeamMembership.objects.create(
                case=case,
                kind=TeamMembership.Kind.PROFESSIONAL,
                professional=professional,
                role=role,
                joined_at=at or timezone.now(),
                added_by=by,
            )
    except IntegrityError:
        # Someone added them at the same moment: their membership stands.
        return case.memberships.active().get(professional=professional)
    record_event(
        case,
        "team.member_added",
        by=by,
        at=membership.joined_at,
        summary=f"{professional} ({professional.role_and_agency}) joined the TAC",
        data={"membership": membership.pk, "role": role},
    )
    return membership


@transaction.atomic
def add_family_member_to_team(
    case: Case,
    *,
    family_member: FamilyMember,
    by: User,
    role: str = TACRole.FAMILY_MEMBER,
    at: datetime | None = None,
) -> TeamMembership:
    """Add a parent, carer or network member to the TAC (the family is part of the team).

    ``at`` dates a membership that began earlier (the demo data's case histories).
    """
    if family_member.family_id != case.family_id:
        raise CaseError(f"{family_member} is not in {case.family}.", code="not_in_family")
    existing = case.memberships.active().filter(family_member=family_member).first()
    if existing is not None:
        return existing
    membership = TeamMembership.objects.create(
        case=case,
        kind=TeamMembership.Kind.FAMILY,
        family_member=family_member,
        role=role,
        joined_at=at or timezone.now(),
        added_by=by,
    )
    record_event(
        case,
        "team.member_added",
        by=by,
        at=at,
        summary=f"{family_member} joined the TAC",
        data={"membership": membership.pk, "role": role},
    )
    return membership


@transaction.atomic
def add_external_contact_to_team(
    case: Case,
    *,
    name: str,
    agency: str,
    email: str,
    by: User,
    role: str = TACRole.PRACTITIONER,
    at: datetime | None = None,
) -> TeamMembership:
    """Add someone without an account (a social worker, an advocate) to the TAC.

    ``at`` dates a membership that began earlier (the demo data's case histories).
    """
    if not name.strip():
        raise CaseError("Enter the contact's name.", code="name_required")
    membership = TeamMembership.objects.create(
        case=case,
        kind=TeamMembership.Kind.EXTERNAL,
        external_name=name.strip(),
        external_agency=agency.strip(),
        external_email=email.strip(),
        role=role,
        joined_at=at or timezone.now(),
        added_by=by,
    )
    record_event(
        case,
        "team.member_added",
        by=by,
        at=at,
        summary=f"{membership.external_name} ({membership.external_agency}) joined the TAC",
        data={"membership": membership.pk, "role": role},
    )
    return membership


@transaction.atomic
def remove_from_team(membership: TeamMembership, *, by: User, reason: str = "") -> None:
    """End a TAC membership. It takes effect on the removed person's very next request."""
    if membership.left_at is not None:
        return
    case = membership.case
    if (
        membership.professional_id
        and case.lead_assignments.active()
        .filter(professional_id=membership.professional_id)
        .exists()
    ):
        raise CaseError(
            "The lead professional cannot leave the TAC until a new lead is agreed.",
            code="lead_cannot_leave",
        )
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    record_event(
        case,
        "team.member_removed",
        by=by,
        summary=f"{membership.display_name} left the TAC",
        data={"membership": membership.pk, "reason": reason},
    )


@transaction.atomic
def assign_lead_professional(
    case: Case,
    *,
    professional: User,
    by: User,
    basis: str,
    change_reason: str = "",
    change_reason_detail: str = "",
    family_consulted: bool = False,
    family_preference: str = "",
    at: datetime | None = None,
) -> LeadProfessionalAssignment:
    """Make ``professional`` the case's lead, ending the previous assignment.

    A change of lead needs a ``change_reason`` (DOMAIN §5.4). The case row is
    locked so that concurrent assignments queue; the partial unique index
    ``one_active_lead_per_case`` is the last line of defence.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.is_open:
        raise CaseError("A closed case has no lead professional.", code="case_closed")
    if not can_work_on_cases(professional):
        raise CaseError(f"{professional} cannot be a lead professional.", code="not_eligible")
    if basis not in LeadProfessionalAssignment.Basis.values:
        raise CaseError("Choose how the lead professional was agreed.", code="basis_required")

    now = at or timezone.now()
    current = locked.lead_assignments.active().first()
    if current is not None:
        if current.professional_id == professional.pk:
            return current
        if not change_reason:
            raise CaseError(
                "Give the reason for changing the lead professional.",
                code="change_reason_required",
            )
        if change_reason not in LeadProfessionalAssignment.ChangeReason.values:
            raise CaseError("Choose a reason from the list.", code="change_reason_invalid")
        current.ended_at = now
        current.end_reason = LeadProfessionalAssignment.EndReason.REPLACED
        current.save(update_fields=["ended_at", "end_reason"])

    assignment = LeadProfessionalAssignment.objects.create(
        case=locked,
        professional=professional,
        agency=professional.agency,
        basis=basis,
        change_reason=change_reason,
        change_reason_detail=change_reason_detail,
        family_consulted=family_consulted,
        family_preference=family_preference,
        started_at=now,
        assigned_by=by,
    )
    if current is not None:
        # The outgoing lead stays on the TAC as a practitioner unless they leave.
        locked.memberships.active().filter(
            professional_id=current.professional_id, role=TACRole.LEAD_PROFESSIONAL
        ).update(role=TACRole.PRACTITIONER)
    membership = add_professional_to_team(
        locked, professional=professional, by=by, role=TACRole.LEAD_PROFESSIONAL, at=now
    )
    if membership.role != TACRole.LEAD_PROFESSIONAL:
        membership.role = TACRole.LEAD_PROFESSIONAL
        membership.save(update_fields=["role"])
    # Review reminders, and other reminders that copy the lead (an overdue action),
    # go to the lead: re-address them in this transaction.
    schedule_review_reminders(locked, by=by)
    schedule_lead_reminders(locked)
    record_event(
        locked,
        "lead.assigned" if current is None else "lead.changed",
        by=by,
        at=now,
        summary=f"{professional} ({professional.role_and_agency}) is lead professional",
        data={
            "assignment": assignment.pk,
            "basis": basis,
            "change_reason": change_reason,
            "previous": current.professional_id if current else None,
        },
    )
    return assignment
