"""Asking to join a case's team, and the decision (DOMAIN §8.2).

A professional who found a child with "find a child" is told only that the child is
known to early help; they may ask to join that case's team, saying why. The lead
professional is told, and those who run the case approve (the professional joins the
team, and is told) or decline (the professional is told). The request itself shows the
professional nothing of the case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cases.access import can_ask_to_join, ensure_can_manage_team
from cases.models import Case, Involvement, JoinRequest, TACRole
from cases.services.common import CaseError, lock_case, record_event
from cases.services.teams import add_professional
from notifications.services import notify
from tac_portal.concurrency import bump, ensure_current

if TYPE_CHECKING:
    from agencies.models import User

MSG_REASON_REQUIRED = "Enter why you need to work with this family"
MSG_CANNOT_ASK = "You cannot ask to join this team."
MSG_DECIDED = "This request has already been decided."
REASON_MAX_LENGTH = 2000

TITLE_ASKED = "A professional has asked to join a team around the child you lead"
TITLE_DECLINED = "Your request to join a team around the child was declined"


@transaction.atomic
def ask_to_join(case: Case, *, by: User, reason: str) -> JoinRequest:
    """Ask to join ``case``'s team; a second ask while one waits returns the first."""
    locked = lock_case(case)
    if not can_ask_to_join(by, locked):
        raise PermissionDenied(MSG_CANNOT_ASK)
    reason = reason.strip()
    if not reason:
        raise CaseError({"reason": ValidationError(MSG_REASON_REQUIRED, code="required")})
    if len(reason) > REASON_MAX_LENGTH:
        message = f"The reason must be {REASON_MAX_LENGTH} characters or fewer"
        raise CaseError({"reason": ValidationError(message)})
    waiting = locked.join_requests.filter(requester=by, status=JoinRequest.Status.PENDING)
    if (existing := waiting.first()) is not None:
        return existing
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                case=locked, requester=by, reason=reason, requested_at=timezone.now()
            )
    except IntegrityError:
        return waiting.get()
    record_event(
        locked,
        "team.join_requested",
        by=by,
        at=join_request.requested_at,
        summary=f"{by} ({by.role_and_agency}) asked to join the TAC",
        data={"join_request": join_request.pk},
    )
    lead = locked.lead_assignments.active().select_related("professional").first()
    if lead is not None:
        notify(
            lead.professional,
            title=TITLE_ASKED,
            link=reverse("cases:team", args=[locked.pk]),
            case=locked,
        )
    return join_request


@transaction.atomic
def decide_join_request(
    join_request: JoinRequest,
    *,
    approve: bool,
    by: User,
    expected_version: int | None,
    role: str = TACRole.PRACTITIONER,
    involvement: str = Involvement.CORE,
) -> JoinRequest:
    """Approve (the requester joins the team, and is told) or decline (they are told)."""
    locked = (
        JoinRequest.objects.select_for_update(of=("self",))
        .select_related("case", "requester")
        .get(pk=join_request.pk)
    )
    ensure_can_manage_team(by, locked.case)
    ensure_current(locked, expected_version)
    if locked.status != JoinRequest.Status.PENDING:
        raise CaseError(MSG_DECIDED, code="decided")
    now = timezone.now()
    fields = ["status", "decided_by", "decided_at", *bump(locked)]
    if approve:
        if locked.case.memberships.active().filter(professional=locked.requester).exists():
            locked.membership = locked.case.memberships.active().get(professional=locked.requester)
        else:
            locked.membership = add_professional(
                locked.case,
                professional=locked.requester,
                by=by,
                role=role,
                involvement=involvement,
            )
        fields.append("membership")
        locked.status = JoinRequest.Status.APPROVED
    else:
        locked.status = JoinRequest.Status.DECLINED
    locked.decided_by = by
    locked.decided_at = now
    locked.save(update_fields=fields)
    record_event(
        locked.case,
        "team.join_approved" if approve else "team.join_declined",
        by=by,
        at=now,
        summary=f"{by} {'approved' if approve else 'declined'} {locked.requester}'s request "
        "to join the TAC",
        data={"join_request": locked.pk},
    )
    if not approve:
        # Not named: someone refused a place on the team is told no more of the case.
        notify(locked.requester, title=TITLE_DECLINED, link=reverse("cases:my_cases"))
    return locked
