"""Who may read the access reports (who looked at what).

A report someone may not read is a 404, exactly like a missing one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from django.shortcuts import get_object_or_404

from agencies.models import User
from cases.models import Case

if TYPE_CHECKING:
    from audit.models import BreakGlassGrant


def _is_governance(user: User) -> bool:
    return user.is_active and user.is_information_governance


def can_read_case_access_report(user: User, case: Case) -> bool:
    """The case's lead professional, their team managers, and information governance."""
    if _is_governance(user):
        return True
    leads = case.lead_assignments.active()
    return leads.filter(professional=user).exists() or (
        leads.filter(professional__team__managers=user).exists()
    )


def can_read_professional_access_report(user: User, professional: User) -> bool:
    """The professional's team managers, and information governance."""
    if _is_governance(user):
        return True
    return (
        professional.team_id is not None
        and user.managed_teams.filter(pk=professional.team_id).exists()
    )


def get_case_for_access_report(user: User, pk: int) -> Case:
    case = get_object_or_404(Case, pk=pk)
    if not can_read_case_access_report(user, case):
        raise Http404("No case found")
    return case


def get_professional_for_access_report(user: User, pk: int) -> User:
    professional = get_object_or_404(User, pk=pk)
    if not can_read_professional_access_report(user, professional):
        raise Http404("No professional found")
    return professional


def get_grant_for_review(user: User, pk: int) -> BreakGlassGrant:
    from audit.models import BreakGlassGrant

    if not _is_governance(user):
        raise Http404("No grant found")
    return get_object_or_404(BreakGlassGrant.objects.select_related("user", "case"), pk=pk)


def ensure_governance(user: User) -> None:
    if not _is_governance(user):
        raise Http404("Not found")
