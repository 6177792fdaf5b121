"""The team around the child: its members and its lead professional (DOMAIN §5, §8.2)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cases.access import can_work_on_cases, ensure_can_end_membership, ensure_can_manage_team
from cases.models import (
    ROLES_FOR_KIND,
    Case,
    FamilyMember,
    Involvement,
    LeadProfessionalAssignment,
    TACRole,
    TeamMembership,
)
from cases.services.common import CaseError, lock_case, record_event
from cases.services.reminders import schedule_lead_reminders, schedule_review_reminders
from notifications.services import notify
from tac_portal.concurrency import bump, ensure_current, ensure_seen

if TYPE_CHECKING:
    from agencies.models import User


@transaction.atomic
def add_professional_to_team(
    case: Case,
    *,
    professional: User,
    by: User,
    role: str = TACRole.PRACTITIONER,
    involvement: str = Involvement.CORE,
    at: datetime | None = None,
) -> TeamMembership:
    """Add a professional to the TAC; returns their existing membership if they are on it.

    The building block: it checks nobody's permission (opening a case and assigning a lead
    use it). The team page adds people with ``add_professional``.
    """
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
                involvement=involvement,
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
    involvement: str = Involvement.CORE,
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
        involvement=involvement,
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
    """End a TAC membership. It takes effect on the removed person's very next request.

    The row stays, with who ended it, when and why: the team's history. The building
    block: the team page ends a place with ``end_membership``.
    """
    locked = TeamMembership.objects.select_for_update(of=("self",)).get(pk=membership.pk)
    if locked.left_at is not None:
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
    locked.left_at = timezone.now()
    locked.ended_by = by
    locked.end_reason = reason.strip()
    locked.save(update_fields=["left_at", "ended_by", "end_reason", *bump(locked)])
    # The caller's copy tells the same story as the row.
    for field in ("left_at", "ended_by_id", "end_reason", "version"):
        setattr(membership, field, getattr(locked, field))
    record_event(
        case,
        "team.member_removed",
        by=by,
        summary=f"{membership.display_name} left the TAC",
        data={"membership": membership.pk, "reason": locked.end_reason},
    )


def ensure_lead_unchanged(case: Case, seen: str | None) -> None:
    """Refuse a change based on an older lead: ``seen`` is the lead's assignment the
    editor's page showed ("" for none), None when no editor's page is behind the call.
    Call it with the case locked (``lock_case``)."""
    if seen is None:
        return
    current = case.lead_assignments.active().select_related("professional").first()
    who = current.professional.full_name if current else "nobody"
    ensure_seen(
        current,
        seen,
        str(current.pk) if current else "",
        message=f"The lead professional changed to {who} since you opened this page. "
        "Nothing has been saved: check who leads now, then record your choice again.",
        field="seen_lead",
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


# --- The team page: changes made by the people who run the case ----------------------

MSG_CASE_CLOSED = "The case is closed: its team can no longer change."
MSG_ROLE_INVALID = "Choose a role from the list"
MSG_INVOLVEMENT_INVALID = "Choose whether they are a core member or an occasional contributor"
MSG_REASON_REQUIRED = "Enter why this place on the team is ending"
MSG_ALREADY_ENDED = "This place on the team has already ended."
REASON_MAX_LENGTH = 2000

TITLE_ADDED = "You have been added to a team around the child"
TITLE_REMOVED = "Your place on a team around the child has ended"
TITLE_MEMBER_LEFT = "A member has left a team around the child you lead"


def _ensure_role(kind: str, role: str, involvement: str) -> None:
    errors: dict[str, ValidationError] = {}
    if role not in ROLES_FOR_KIND.get(kind, ()):
        errors["role"] = ValidationError(MSG_ROLE_INVALID, code="role_invalid")
    if involvement not in Involvement.values:
        errors["involvement"] = ValidationError(MSG_INVOLVEMENT_INVALID, code="involvement")
    if errors:
        raise CaseError(errors)


def _ensure_team_may_change(case: Case) -> None:
    if not case.is_open:
        raise CaseError(MSG_CASE_CLOSED, code="case_closed")


def _team_link(case: Case) -> str:
    return reverse("cases:team", args=[case.pk])


@transaction.atomic
def add_professional(
    case: Case,
    *,
    professional: User,
    by: User,
    role: str = TACRole.PRACTITIONER,
    involvement: str = Involvement.CORE,
) -> TeamMembership:
    """Add a professional found in the directory to the team, and tell them.

    Those who run the case do this (``cases.access.can_manage_team``). The professional
    sees the case from their very next request; so does their agency's partner system.
    """
    locked = lock_case(case)
    ensure_can_manage_team(by, locked)
    _ensure_team_may_change(locked)
    _ensure_role(TeamMembership.Kind.PROFESSIONAL, role, involvement)
    if locked.memberships.active().filter(professional=professional).exists():
        raise CaseError(
            {"professional": ValidationError(f"{professional} is already on the team.")}
        )
    membership = add_professional_to_team(
        locked, professional=professional, by=by, role=role, involvement=involvement
    )
    notify(professional, title=TITLE_ADDED, link=_team_link(locked), case=locked)
    return membership


@transaction.atomic
def add_family_member(
    case: Case,
    *,
    family_member: FamilyMember,
    by: User,
    role: str = TACRole.FAMILY_MEMBER,
    involvement: str = Involvement.CORE,
) -> TeamMembership:
    """Add a parent, carer or network member from the family record to the team.

    Family members have no account (DOMAIN §11.3): the lead tells them in person.
    """
    locked = lock_case(case)
    ensure_can_manage_team(by, locked)
    _ensure_team_may_change(locked)
    _ensure_role(TeamMembership.Kind.FAMILY, role, involvement)
    if family_member.family_id != locked.family_id:
        raise CaseError(
            {"family_member": ValidationError("Choose someone from this family's record.")}
        )
    if locked.memberships.active().filter(family_member=family_member).exists():
        raise CaseError(
            {"family_member": ValidationError(f"{family_member} is already on the team.")}
        )
    return add_family_member_to_team(
        locked, family_member=family_member, by=by, role=role, involvement=involvement
    )


def _locked_membership(membership: TeamMembership) -> TeamMembership:
    return (
        TeamMembership.objects.select_for_update(of=("self",))
        .select_related("case", "professional", "family_member")
        .get(pk=membership.pk)
    )


@transaction.atomic
def set_member_role(
    membership: TeamMembership,
    *,
    role: str,
    involvement: str,
    by: User,
    expected_version: int | None,
) -> TeamMembership:
    """Set someone's role on the team and whether they are a core member (DOMAIN §8.2).

    The lead professional's role follows the lead (a handover), so for the lead only
    ``involvement`` may change. Refused with ``StaleEdit`` if the membership changed since
    the editor saw it.
    """
    locked = _locked_membership(membership)
    case = locked.case
    ensure_can_manage_team(by, case)
    ensure_current(locked, expected_version)
    if locked.left_at is not None:
        raise CaseError(MSG_ALREADY_ENDED, code="membership_ended")
    _ensure_team_may_change(case)
    if locked.role == TACRole.LEAD_PROFESSIONAL:
        role = TACRole.LEAD_PROFESSIONAL
        if involvement not in Involvement.values:
            raise CaseError({"involvement": ValidationError(MSG_INVOLVEMENT_INVALID)})
    else:
        _ensure_role(locked.kind, role, involvement)
    if (locked.role, locked.involvement) == (role, involvement):
        return locked
    before = (locked.get_role_display(), locked.get_involvement_display())
    locked.role = role
    locked.involvement = involvement
    locked.save(update_fields=["role", "involvement", *bump(locked)])
    record_event(
        case,
        "team.role_changed",
        by=by,
        summary=f"{locked.display_name} is now {locked.get_role_display().lower()}, "
        f"{locked.get_involvement_display().lower()}",
        data={
            "membership": locked.pk,
            "role": role,
            "involvement": involvement,
            "before": list(before),
        },
    )
    return locked


@transaction.atomic
def end_membership(
    membership: TeamMembership, *, by: User, reason: str, expected_version: int | None
) -> TeamMembership:
    """End a place on the team, with a reason; the history stays.

    Those who run the case end anyone's place; any professional member may leave.
    Access ends at once, on the pages and for the partner API. The professional removed
    is told (a member who leaves is not: the lead is told instead).
    """
    locked = _locked_membership(membership)
    case = locked.case
    ensure_can_end_membership(by, case, professional_id=locked.professional_id)
    ensure_current(locked, expected_version)
    if locked.left_at is not None:
        raise CaseError(MSG_ALREADY_ENDED, code="membership_ended")
    reason = reason.strip()
    if not reason:
        raise CaseError({"reason": ValidationError(MSG_REASON_REQUIRED, code="required")})
    if len(reason) > REASON_MAX_LENGTH:
        message = f"The reason must be {REASON_MAX_LENGTH} characters or fewer"
        raise CaseError({"reason": ValidationError(message)})
    remove_from_team(locked, by=by, reason=reason)
    if locked.professional is not None and locked.professional_id != by.pk:
        notify(locked.professional, title=TITLE_REMOVED, link=reverse("cases:my_cases"), case=case)
    elif locked.professional_id == by.pk:
        lead = case.lead_assignments.active().select_related("professional").first()
        if lead is not None and lead.professional_id != by.pk:
            notify(lead.professional, title=TITLE_MEMBER_LEFT, link=_team_link(case), case=case)
    return locked


@transaction.atomic
def add_new_family_member(
    case: Case,
    *,
    given_names: str,
    family_name: str,
    relationship: str,
    parental_responsibility: str,
    by: User,
    role: str = TACRole.FAMILY_MEMBER,
    involvement: str = Involvement.CORE,
) -> TeamMembership:
    """Add someone who is not yet in the family's record: a relative or a friend of the
    family (a network member). They join the record and the team together."""
    ensure_can_manage_team(by, case)
    errors: dict[str, ValidationError] = {}
    if not given_names.strip():
        errors["given_names"] = ValidationError("Enter their given names", code="required")
    if not family_name.strip():
        errors["family_name"] = ValidationError("Enter their family name", code="required")
    if relationship not in FamilyMember.Relationship.values:
        errors["relationship"] = ValidationError("Choose their relationship to the family")
    if parental_responsibility not in FamilyMember.ParentalResponsibility.values:
        errors["parental_responsibility"] = ValidationError(
            "Say whether they have parental responsibility"
        )
    if errors:
        raise CaseError(errors)
    person = FamilyMember.objects.create(
        family_id=case.family_id,
        given_names=given_names.strip(),
        family_name=family_name.strip(),
        relationship=relationship,
        parental_responsibility=parental_responsibility,
    )
    return add_family_member(case, family_member=person, by=by, role=role, involvement=involvement)
