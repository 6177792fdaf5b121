"""Every write to a case goes through these functions (ARCHITECTURE §4).

Each runs in one transaction, enforces the case's invariants and writes the
chronology event that tells the story of the case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cases.models import (
    Case,
    CaseEvent,
    CaseSubject,
    Child,
    ClosureReason,
    Family,
    FamilyMember,
    LeadProfessionalAssignment,
    LevelOfNeed,
    LevelOfNeedJudgement,
    TACRole,
    TeamMembership,
)
from notifications.services import cancel_reminders_for, schedule_review_reminders

if TYPE_CHECKING:
    from agencies.models import User


class CaseError(ValidationError):
    """A case rule was broken; the message says which, and nothing was written."""


class ChildAlreadyInOpenCase(CaseError):
    def __init__(self, child: Child, existing: Case) -> None:
        self.child = child
        self.existing = existing
        super().__init__(
            f"{child.full_name} is already a subject of open case {existing.reference}. "
            "Add to that case's plan instead of opening another.",
            code="child_in_open_case",
        )


class TransitionNotAllowed(CaseError):
    def __init__(self, case: Case, to: str) -> None:
        super().__init__(
            f"A case that is '{case.get_status_display()}' cannot move to "
            f"'{Case.Status(to).label if to in Case.Status.values else to}'.",
            code="transition_not_allowed",
        )


def record_event(
    case: Case,
    code: str,
    *,
    by: User | None,
    summary: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    """Add an entry to the case chronology."""
    return CaseEvent.objects.create(
        case=case, code=code, actor=by, summary=summary, data=data or {}, at=at or timezone.now()
    )


def _next_reference() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('cases_case_reference_seq')")
        (number,) = cursor.fetchone()
    return f"EH-{number:06d}"


def _existing_open_case(child: Child) -> Case | None:
    subject = CaseSubject.objects.filter(child=child, is_open=True).select_related("case").first()
    return subject.case if subject else None


@transaction.atomic
def open_case(
    family: Family,
    *,
    children: Sequence[Child],
    by: User,
    status: str = Case.Status.IDENTIFIED,
    interim_lead: User | None = None,
    previous_case: Case | None = None,
    opened_at: datetime | None = None,
) -> Case:
    """Open an early help case for ``children`` of ``family``.

    Raises ``ChildAlreadyInOpenCase`` (naming the existing case) when any child is
    already the subject of an open case; nothing is written in that case, even
    when two requests race (the database's partial unique index decides).
    ``interim_lead`` holds the lead professional role until one is agreed
    (DOMAIN §5.4).
    """
    if not children:
        raise CaseError("Choose at least one child for the case.", code="no_children")
    if status not in Case.OPEN_STATUSES:
        raise CaseError("A new case must start in an open status.", code="closed_status")
    for child in children:
        if child.family_id != family.pk:
            raise CaseError(
                f"{child.full_name} is not in {family.name}.", code="child_not_in_family"
            )
        existing = _existing_open_case(child)
        if existing is not None:
            raise ChildAlreadyInOpenCase(child, existing)

    now = opened_at or timezone.now()
    case = Case.objects.create(
        reference=_next_reference(),
        family=family,
        status=status,
        opened_at=now,
        opened_by=by,
        previous_case=previous_case,
        is_re_referral=previous_case is not None,
    )
    for child in children:
        try:
            with transaction.atomic():
                CaseSubject.objects.create(case=case, child=child, is_open=True)
        except IntegrityError:
            # Another transaction opened a case for this child after our check.
            existing = _existing_open_case(child)
            if existing is None:  # pragma: no cover - the constraint named another row
                raise
            raise ChildAlreadyInOpenCase(child, existing) from None

    record_event(
        case,
        "case.opened",
        by=by,
        at=now,
        summary=f"Case opened for {len(children)} child(ren)",
        data={"children": [c.pk for c in children], "status": status},
    )
    if previous_case is not None:
        record_event(
            case,
            "case.re_referral",
            by=by,
            at=now,
            data={"previous_case": previous_case.reference},
        )
    if interim_lead is not None:
        assign_lead_professional(
            case,
            professional=interim_lead,
            by=by,
            basis=LeadProfessionalAssignment.Basis.INTERIM_INITIATOR,
            at=now,
        )
    return case


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
    if professional.is_system_administrator:
        raise CaseError(
            "System administrators cannot join a TAC.", code="administrator_cannot_join"
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
) -> TeamMembership:
    """Add a parent, carer or network member to the TAC (the family is part of the team)."""
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
        joined_at=timezone.now(),
        added_by=by,
    )
    record_event(
        case,
        "team.member_added",
        by=by,
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
) -> TeamMembership:
    """Add someone without an account (a social worker, an advocate) to the TAC."""
    if not name.strip():
        raise CaseError("Enter the contact's name.", code="name_required")
    membership = TeamMembership.objects.create(
        case=case,
        kind=TeamMembership.Kind.EXTERNAL,
        external_name=name.strip(),
        external_agency=agency.strip(),
        external_email=email.strip(),
        role=role,
        joined_at=timezone.now(),
        added_by=by,
    )
    record_event(
        case,
        "team.member_added",
        by=by,
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
    if professional.is_system_administrator or not professional.is_active:
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
    # Review reminders go to the lead: re-address them in this transaction.
    schedule_review_reminders(locked, by=by)
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


def _end_lead_assignment(case: Case, *, reason: str, at: datetime) -> None:
    case.lead_assignments.active().update(ended_at=at, end_reason=reason)


@transaction.atomic
def change_status(
    case: Case,
    *,
    to: str,
    by: User,
    closure_reason: str = "",
    closure_reason_detail: str = "",
    note: str = "",
    at: datetime | None = None,
) -> Case:
    """Move a case along one transition of the state machine (DOMAIN §3.1).

    Raises ``TransitionNotAllowed`` for any move not drawn there. Moving into a
    terminal status closes the case: it frees its children for a new case and
    ends the lead professional assignment.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if to not in Case.Status.values or not locked.can_move_to(to):
        raise TransitionNotAllowed(locked, to)
    now = at or timezone.now()
    previous = locked.status
    locked.status = to
    fields = ["status", "updated_at"]

    if to in Case.TERMINAL_STATUSES:
        reason = closure_reason or Case.DEFAULT_CLOSURE_REASONS.get(to, "")
        if not reason:
            raise CaseError("Choose the reason the case is closing.", code="closure_reason")
        if reason not in ClosureReason.values:
            raise CaseError("Choose a closure reason from the list.", code="closure_reason")
        if reason == ClosureReason.OTHER and not closure_reason_detail.strip():
            raise CaseError("Describe the reason when you choose 'Other'.", code="closure_detail")
        locked.closure_reason = reason
        locked.closure_reason_detail = closure_reason_detail
        locked.closed_at = now
        locked.next_review_due = None
        fields += ["closure_reason", "closure_reason_detail", "closed_at", "next_review_due"]
        locked.subjects.update(is_open=False)
        end_reason = (
            LeadProfessionalAssignment.EndReason.CSC_LEAD
            if reason == ClosureReason.STEPPED_UP
            else LeadProfessionalAssignment.EndReason.CASE_CLOSED
        )
        _end_lead_assignment(locked, reason=end_reason, at=now)

    locked.save(update_fields=fields)
    if to in Case.TERMINAL_STATUSES:
        cancel_reminders_for(locked)
    record_event(
        locked,
        "case.closed" if to in Case.TERMINAL_STATUSES else "case.status_changed",
        by=by,
        at=now,
        summary=f"{Case.Status(previous).label} → {Case.Status(to).label}",
        data={"from": previous, "to": to, "note": note, "closure_reason": locked.closure_reason},
    )
    case.refresh_from_db()
    return locked


@transaction.atomic
def record_level_of_need(
    case: Case,
    *,
    level: LevelOfNeed,
    rationale: str,
    by: User,
    family_informed: bool = False,
    at: datetime | None = None,
) -> LevelOfNeedJudgement:
    """Record a named professional's judgement of the level of need.

    The rationale is required: levels are never computed (DOMAIN §4.1).
    """
    if not rationale.strip():
        raise CaseError(
            {"rationale": "Explain why you judge the need to be at this level."},
            code="rationale_required",
        )
    now = at or timezone.now()
    judgement = LevelOfNeedJudgement.objects.create(
        case=case,
        level=level,
        rationale=rationale.strip(),
        family_informed=family_informed,
        judged_by=by,
        judged_at=now,
    )
    case.current_level = level
    case.save(update_fields=["current_level", "updated_at"])
    record_event(
        case,
        "level.judged",
        by=by,
        at=now,
        summary=str(level),
        data={"judgement": judgement.pk, "level": level.code},
    )
    return judgement


@transaction.atomic
def set_next_review_due(case: Case, *, due: date | None, by: User) -> Case:
    """Set (or clear) when the case's plan is next reviewed.

    Review reminders are moved in the same transaction, so they follow the date
    whatever happens to Celery.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.is_open:
        raise CaseError("A closed case has no review date.", code="case_closed")
    previous = locked.next_review_due
    if previous == due:
        return locked
    locked.next_review_due = due
    locked.save(update_fields=["next_review_due", "updated_at"])
    schedule_review_reminders(locked, by=by)
    record_event(
        locked,
        "review.date_set",
        by=by,
        summary=f"Next review due {due:%d %B %Y}" if due else "Next review date cleared",
        data={
            "from": previous.isoformat() if previous else None,
            "to": due.isoformat() if due else None,
        },
    )
    case.next_review_due = due
    return locked


def open_cases_for(children: Iterable[Child]) -> dict[int, Case]:
    """The open case of each child that has one, keyed by child id."""
    subjects = CaseSubject.objects.filter(child__in=list(children), is_open=True).select_related(
        "case"
    )
    return {s.child_id: s.case for s in subjects}
