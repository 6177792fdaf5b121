"""Workers who leave: their caseload, who still has open work, and handing it all on.

A deactivated account's open items (cases it leads, places on teams, plan actions it
owns, requests to join a team) show on the dashboard of the coordinator and of the
managers of its team until they are reassigned. The caseload page lists them case by
case; ``reassign_caseload`` hands them on, in one go or case by case, through the
services of ``cases`` (the lead, the team) and ``meetings`` (the actions).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from agencies.models import User
from cases.access import ensure_can_reassign_caseload
from cases.models import Case, JoinRequest, LeadProfessionalAssignment, TeamMembership
from cases.services.leavers import (
    Handed,
    cases_held_by,
    check_handover_details,
    check_successor,
    hand_over_case_from_leaver,
)
from dashboards.metrics import Scope
from meetings.models import Action
from meetings.services.plan import hand_over_actions, has_open_work, open_actions_owned_by

#: How many leavers the dashboard lists before "and N more".
LEAVERS_LISTED = 20


@dataclass
class CaseHeld:
    """One case of a leaver's caseload, and their part in it."""

    case: Case
    lead_assignment_id: int | None = None
    member: bool = False
    waiting_to_join: bool = False
    actions: list[Action] = field(default_factory=list)


@dataclass(frozen=True)
class Leaver:
    professional: User
    leads: int
    memberships: int
    actions: int
    join_requests: int


def caseload(professional: User) -> list[CaseHeld]:
    """Every open case in which ``professional`` still has a part, oldest first."""
    actions = list(
        open_actions_owned_by(professional).select_related("case").order_by("due_on", "pk")
    )
    by_case: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        by_case[action.case_id].append(action)
    cases = (
        Case.objects.open()
        .filter(Q(pk__in=cases_held_by(professional).values("pk")) | Q(pk__in=list(by_case)))
        .prefetch_related("subjects__child")
        .order_by("opened_at", "pk")
    )
    leads = dict(
        LeadProfessionalAssignment.objects.active()
        .filter(professional=professional, case__in=cases)
        .values_list("case_id", "pk")
    )
    members = set(
        TeamMembership.objects.active()
        .filter(professional=professional, case__in=cases)
        .values_list("case_id", flat=True)
    )
    waiting = set(
        JoinRequest.objects.filter(
            requester=professional, status=JoinRequest.Status.PENDING, case__in=cases
        ).values_list("case_id", flat=True)
    )
    return [
        CaseHeld(
            case=case,
            lead_assignment_id=leads.get(case.pk),
            member=case.pk in members,
            waiting_to_join=case.pk in waiting,
            actions=by_case.get(case.pk, []),
        )
        for case in cases
    ]


def leavers_in(scope: Scope) -> QuerySet[User]:
    """Deactivated accounts in ``scope`` (the authority, or a manager's teams) that still
    hold open work."""
    users = User.objects.filter(is_active=False).filter(has_open_work())
    if scope.team_ids is not None:
        users = users.filter(team_id__in=scope.team_ids)
    return users.select_related("agency").order_by("full_name", "pk")


def leavers_with_open_work(scope: Scope) -> tuple[list[Leaver], int]:
    """The dashboard's "Workers who have left" section: each leaver and what they still
    hold, and how many leavers there are in all."""
    users = leavers_in(scope)
    total = users.count()
    listed = list(users[:LEAVERS_LISTED])
    ids = [u.pk for u in listed]
    leads = _counts(
        LeadProfessionalAssignment.objects.active().filter(
            professional_id__in=ids, case__closed_at__isnull=True
        ),
        "professional_id",
    )
    places = _counts(
        TeamMembership.objects.active().filter(
            professional_id__in=ids, case__closed_at__isnull=True
        ),
        "professional_id",
    )
    actions = _counts(
        Action.objects.filter(
            owner_professional_id__in=ids,
            status__in=Action.OPEN_STATUSES,
            case__closed_at__isnull=True,
        ),
        "owner_professional_id",
    )
    joins = _counts(
        JoinRequest.objects.filter(
            requester_id__in=ids,
            status=JoinRequest.Status.PENDING,
            case__closed_at__isnull=True,
        ),
        "requester_id",
    )
    return [
        Leaver(
            professional=u,
            leads=leads.get(u.pk, 0),
            memberships=places.get(u.pk, 0),
            actions=actions.get(u.pk, 0),
            join_requests=joins.get(u.pk, 0),
        )
        for u in listed
    ], total


def _counts(queryset: QuerySet[Any], by: str) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for key in queryset.values_list(by, flat=True):
        counts[key] += 1
    return counts


def successors_for(professional: User, by: User) -> QuerySet[User]:
    """Who may be offered to take ``professional``'s work: anyone active who works on
    cases, in the leaver's team, in the teams ``by`` manages, or ``by`` themself."""
    teams = [professional.team_id, *by.managed_teams.values_list("pk", flat=True)]
    return (
        User.objects.filter(
            is_active=True,
            role__in=User.CASE_WORKING_ROLES,
        )
        .filter(Q(team_id__in=[t for t in teams if t is not None]) | Q(pk=by.pk))
        .exclude(pk=professional.pk)
        .select_related("agency")
        .order_by("full_name", "pk")
    )


@transaction.atomic
def reassign_caseload(
    professional: User,
    *,
    by: User,
    successors: Mapping[int, User],
    expected_leads: Mapping[int, int | None],
    note: str,
    family_consulted: bool,
    family_note: str = "",
) -> list[Handed]:
    """Hand each case in ``successors`` (case id → who takes it) from ``professional``.

    All or nothing: a refusal on one case (its lead changed meanwhile, say) writes
    nothing at all. For each case the lead role and the place on the team move first
    (``cases.services.leavers``), then the open actions (``meetings``).
    """
    ensure_can_reassign_caseload(by, professional)
    check_handover_details(note=note, family_consulted=family_consulted, family_note=family_note)
    handed = []
    for case_id, to in sorted(successors.items()):
        check_successor(professional, to)
        case = Case.objects.get(pk=case_id)
        handed.append(
            hand_over_case_from_leaver(
                case,
                leaver=professional,
                to=to,
                by=by,
                note=note,
                family_consulted=family_consulted,
                family_note=family_note,
                expected_lead_id=expected_leads.get(case_id),
            )
        )
        hand_over_actions(case, from_professional=professional, to=to, by=by)
    return handed
