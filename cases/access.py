"""The access policy: who may see a case (ARCHITECTURE §5).

This module is the only way code obtains a ``Case`` on behalf of a user. Each
rule that grants access is written as its own line so that tests cover every
branch. A case the user may not see is reported exactly like a missing one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Now
from django.http import Http404

from audit.models import BreakGlassGrant
from cases.models import Case, LeadProfessionalAssignment, TeamMembership

if TYPE_CHECKING:
    from agencies.models import User

_NOTHING = Q(pk__in=[])


def visible_cases_filter(user: User, *, include_break_glass: bool = True) -> Q:
    """A filter on ``Case`` matching the cases ``user`` has a legitimate relationship with.

    ``include_break_glass=False`` leaves out rule 4, to tell whether someone is
    looking at a case only by emergency access.
    """
    if not user.is_authenticated or not user.is_active:
        return _NOTHING
    if user.is_system_administrator:
        # Administrators configure the service; they see no case.
        return _NOTHING
    if user.is_coordinator:
        # Rule 3: the early help coordinator is authority-wide.
        return Q()

    active_members = TeamMembership.objects.active().filter(case=OuterRef("pk"))
    active_leads = LeadProfessionalAssignment.objects.active().filter(case=OuterRef("pk"))
    managed_teams = user.managed_teams.values("pk")

    # Rule 1: an active member of the TAC, or its lead professional.
    rule_member = Exists(active_members.filter(professional=user))
    rule_lead = Exists(active_leads.filter(professional=user))
    # Rule 2: manager of a team with a member on the TAC, or whose member is the lead.
    rule_manager_member = Exists(active_members.filter(professional__team__in=managed_teams))
    rule_manager_lead = Exists(active_leads.filter(professional__team__in=managed_teams))
    # Rule 4: an unexpired break-glass grant (emergency access) for the case.
    grants = BreakGlassGrant.objects.filter(case=OuterRef("pk"), user=user, expires_at__gt=Now())
    rule_break_glass = Exists(grants)

    relationship = Q(rule_member) | Q(rule_lead) | Q(rule_manager_member) | Q(rule_manager_lead)
    return relationship | Q(rule_break_glass) if include_break_glass else relationship


def get_case_for_user(user: User, pk: int | str) -> Case:
    """The case with ``pk`` if ``user`` may see it.

    Raises ``Http404`` both when the case does not exist and when the user has no
    legitimate relationship with it, so the two cannot be told apart.
    """
    try:
        return Case.objects.visible_to(user).select_related("family", "current_level").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No case found") from None


def get_case_for_history(user: User, pk: int | str) -> Case:
    """The case whose change history ``user`` may read: information governance only.

    The history is a forensic tool. Information governance officers may open it for
    any case; for everyone else (the lead included) it does not exist (``Http404``).
    """
    if not user.is_authenticated or not user.is_active:
        raise Http404("No case found")
    if not user.is_information_governance:
        raise Http404("No case found")
    try:
        return Case.objects.select_related("family").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No case found") from None


def can_see_case(user: User, case: Case) -> bool:
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


def break_glass_grant_in_use(user: User, case: Case) -> BreakGlassGrant | None:
    """The grant through which ``user`` sees ``case``, when no other rule lets them."""
    relationship = visible_cases_filter(user, include_break_glass=False)
    if Case.objects.filter(relationship, pk=case.pk).exists():
        return None
    return (
        BreakGlassGrant.objects.active()
        .filter(user=user, case=case)
        .order_by("-expires_at")
        .first()
    )


def is_lead_professional(user: User, case: Case) -> bool:
    return case.lead_assignments.active().filter(professional=user).exists()


def ensure_can_manage_case(user: User, case: Case) -> None:
    """The lead professional, a manager with sight of the case, or the coordinator.

    Raises ``PermissionDenied`` for a user who can see the case but may not run it.
    """
    from django.core.exceptions import PermissionDenied

    is_manager = user.is_coordinator or user.role == user.Role.TEAM_MANAGER
    if is_manager and can_see_case(user, case):
        return
    if is_lead_professional(user, case):
        return
    raise PermissionDenied("Only the lead professional or a manager can do this.")
