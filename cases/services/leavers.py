"""Workers who leave: handing a professional's cases to someone else (DOMAIN §5.4).

When a professional leaves (their account is deactivated) or is about to, the
coordinator or a manager of their team hands each of their cases to a successor: the
lead professional role, their place on the team, and any request to join a team that
was still waiting. An open case that had a lead keeps one at every moment: the new
lead's assignment replaces the old in the same transaction, and the leaver's place on
the team ends only after that. Their plan actions follow in ``meetings``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cases.access import can_work_on_cases, ensure_can_reassign_caseload
from cases.models import (
    Case,
    CaseQuerySet,
    JoinRequest,
    LeadHandover,
    LeadProfessionalAssignment,
)
from cases.services.common import CaseError, lock_case, record_event
from cases.services.teams import (
    add_professional_to_team,
    assign_lead_professional,
    remove_from_team,
)
from notifications.services import notify
from tac_portal.concurrency import bump

if TYPE_CHECKING:
    from agencies.models import User

TITLE_NEW_LEAD = "You are now the lead professional for a case: tell the family"
TITLE_OLD_LEAD = "A case you led has a new lead professional"
END_REASON = "Left the role: their cases were reassigned"
NOTE_MAX_LENGTH = 4000

MSG_CHOOSE_SUCCESSOR = "Choose who takes over"
MSG_SAME_PERSON = "Choose someone other than the professional who is leaving"
MSG_NOTE_REQUIRED = "Write a handover note for the new lead professional"
MSG_FAMILY_NOTE_REQUIRED = "Say why the family was not consulted, and how they will be told"
MSG_LEAD_CHANGED = (
    "The lead professional of {reference} changed while you were choosing. "
    "Check the caseload and try again."
)


def cases_held_by(professional: User) -> CaseQuerySet:
    """The open cases ``professional`` leads, is on the team of, or asked to join."""
    return (
        Case.objects.open()
        .filter(
            Q(lead_assignments__professional=professional, lead_assignments__ended_at=None)
            | Q(memberships__professional=professional, memberships__left_at=None)
            | Q(
                join_requests__requester=professional,
                join_requests__status=JoinRequest.Status.PENDING,
            )
        )
        .distinct()
    )


@dataclass(frozen=True)
class Handed:
    """What one case's handover changed."""

    case: Case
    new_lead: LeadProfessionalAssignment | None
    membership_ended: bool
    requests_withdrawn: int


def check_successor(leaver: User, to: User | None) -> None:
    """Raise ``CaseError`` on the field ``to`` unless ``to`` can take ``leaver``'s work."""
    if to is None:
        raise CaseError({"to": ValidationError(MSG_CHOOSE_SUCCESSOR, code="required")})
    if to.pk == leaver.pk:
        raise CaseError({"to": ValidationError(MSG_SAME_PERSON, code="same")})
    if not can_work_on_cases(to):
        message = f"{to} cannot take on cases. Choose someone who works on cases"
        raise CaseError({"to": ValidationError(message, code="not_eligible")})


def check_handover_details(*, note: str, family_consulted: bool, family_note: str) -> None:
    errors: dict[str, ValidationError] = {}
    if not note.strip():
        errors["note"] = ValidationError(MSG_NOTE_REQUIRED, code="required")
    elif len(note) > NOTE_MAX_LENGTH:
        message = f"The note must be {NOTE_MAX_LENGTH} characters or fewer"
        errors["note"] = ValidationError(message, code="max_length")
    if not family_consulted and not family_note.strip():
        errors["family_note"] = ValidationError(MSG_FAMILY_NOTE_REQUIRED, code="required")
    if errors:
        raise CaseError(errors)


@transaction.atomic
def hand_over_case_from_leaver(
    case: Case,
    *,
    leaver: User,
    to: User,
    by: User,
    note: str,
    family_consulted: bool,
    family_note: str = "",
    expected_lead_id: int | None = None,
) -> Handed:
    """Hand ``leaver``'s part in ``case`` to ``to``.

    If the leaver leads the case, ``to`` becomes its lead (allocated by a manager, the
    worker left the role) with the handover ``note``, and both are told; the family's
    say is recorded on the new assignment. ``to`` joins the team if they are not on it,
    the leaver's place on the team ends, and a request of theirs to join the team is
    withdrawn. ``expected_lead_id`` is the lead assignment the manager saw: if the
    lead changed meanwhile, nothing is written. A case the leaver has no part in is
    left as it is.
    """
    locked = lock_case(case)
    ensure_can_reassign_caseload(by, leaver)
    if not locked.is_open:
        raise CaseError(f"{locked.reference} is closed: nothing to hand over.", code="case_closed")
    check_successor(leaver, to)
    check_handover_details(note=note, family_consulted=family_consulted, family_note=family_note)
    current = locked.lead_assignments.active().first()
    if expected_lead_id is not None and (current is None or current.pk != expected_lead_id):
        raise CaseError(MSG_LEAD_CHANGED.format(reference=locked.reference), code="lead_changed")
    leads = current is not None and current.professional_id == leaver.pk
    membership = locked.memberships.active().filter(professional=leaver).first()
    now = timezone.now()

    new_lead: LeadProfessionalAssignment | None = None
    if leads or membership is not None:
        add_professional_to_team(locked, professional=to, by=by)
    if leads:
        assert current is not None  # noqa: S101 - ``leads`` says so
        new_lead = assign_lead_professional(
            locked,
            professional=to,
            by=by,
            basis=LeadProfessionalAssignment.Basis.MANAGER_ALLOCATED,
            change_reason=LeadProfessionalAssignment.ChangeReason.WORKER_LEFT_ROLE,
            family_consulted=family_consulted,
            family_preference=family_note.strip(),
            at=now,
        )
        LeadHandover.objects.create(
            case=locked,
            from_assignment=current,
            to_assignment=new_lead,
            note=note.strip(),
            recorded_by=by,
            recorded_at=now,
        )
        record_event(
            locked,
            "lead.handed_over",
            by=by,
            at=now,
            summary=f"Lead handed over from {leaver} to {to}: worker left the role"
            + ("" if family_consulted else " (family not consulted)"),
            data={
                "from": leaver.pk,
                "to": to.pk,
                "reason": LeadProfessionalAssignment.ChangeReason.WORKER_LEFT_ROLE,
                "family_consulted": family_consulted,
            },
        )
        notify(
            to,
            title=TITLE_NEW_LEAD,
            link=reverse("cases:detail", args=[locked.pk]),
            case=locked,
        )
        if leaver.is_active:
            notify(leaver, title=TITLE_OLD_LEAD, link=reverse("cases:my_cases"), case=locked)

    withdrawn = 0
    waiting = locked.join_requests.select_for_update().filter(
        requester=leaver, status=JoinRequest.Status.PENDING
    )
    for join_request in waiting:
        join_request.status = JoinRequest.Status.DECLINED
        join_request.decided_by = by
        join_request.decided_at = now
        join_request.save(update_fields=["status", "decided_by", "decided_at", *bump(join_request)])
        record_event(
            locked,
            "team.join_withdrawn",
            by=by,
            at=now,
            summary=f"{leaver}'s request to join the TAC was withdrawn: they left the role",
            data={"join_request": join_request.pk},
        )
        withdrawn += 1

    if membership is not None:
        remove_from_team(membership, by=by, reason=END_REASON)
    ensure_keeps_a_lead(locked, had_lead=current is not None)
    return Handed(
        case=locked,
        new_lead=new_lead,
        membership_ended=membership is not None,
        requests_withdrawn=withdrawn,
    )


def ensure_keeps_a_lead(case: Case, *, had_lead: bool) -> None:
    """The invariant: an open case that had a lead professional still has exactly one."""
    if not case.is_open or not had_lead:
        return
    active = case.lead_assignments.active().count()
    if active != 1:  # pragma: no cover - the services above never get here
        raise CaseError("An open case must keep its lead professional.", code="no_lead")
