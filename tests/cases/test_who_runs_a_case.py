"""One rule decides who runs a case (its team, stages, plan and dates): ``can_run_case``.

Before it, three definitions disagreed: a manager of any TAC member could change the
review date and the plan, but not hand over the lead or close the case. Now the lead
professional, a manager of the lead's team and the coordinator run it; everyone else
who sees the case (a member, a manager of a member, someone with emergency access)
does not.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases import access
from cases.models import BreakGlassGrant, Case, LeadProfessionalAssignment
from cases.services.teams import assign_lead_professional
from tests.helpers import client_for


def _grant(case: Case, user: User) -> BreakGlassGrant:
    now = timezone.now()
    return BreakGlassGrant.objects.create(
        user=user,
        case=case,
        reason_code=BreakGlassGrant.ReasonCode.OTHER,
        justification="Out-of-hours call",
        granted_at=now,
        expires_at=now + dt.timedelta(hours=1),
    )


def test_the_lead_a_manager_of_the_lead_and_the_coordinator_run_the_case(
    case: Case, lead: User, manager: User, coordinator: User
) -> None:
    assert access.can_run_case(lead, case)
    assert access.can_run_case(manager, case)
    assert access.can_run_case(coordinator, case)


def test_a_manager_of_a_member_sees_the_case_but_does_not_run_it(
    case: Case, member_manager: User
) -> None:
    assert access.can_see_case(member_manager, case)
    assert not access.can_run_case(member_manager, case)
    with pytest.raises(PermissionDenied):
        access.ensure_can_run_case(member_manager, case)


def test_a_member_does_not_run_the_case(case: Case, member: User) -> None:
    assert access.can_see_case(member, case)
    assert not access.can_run_case(member, case)


def test_emergency_access_never_runs_a_case(case: Case, outsider: User) -> None:
    _grant(case, outsider)
    assert access.can_see_case(outsider, case)
    assert not access.can_run_case(outsider, case)
    assert not access.can_restrict(outsider, case)


def test_a_manager_of_a_former_lead_no_longer_runs_the_case(
    case: Case, lead: User, member: User, manager: User
) -> None:
    assign_lead_professional(
        case,
        professional=member,
        by=lead,
        basis=LeadProfessionalAssignment.Basis.AGREED_AT_TAC,
        change_reason=LeadProfessionalAssignment.ChangeReason.STANDARD_TRANSFER,
    )
    assert not access.can_run_case(manager, case)
    assert access.can_run_case(member, case)


def test_administrators_run_nothing(case: Case, admin_user: User) -> None:
    assert not access.can_run_case(admin_user, case)


def test_the_review_date_page_and_the_closure_page_agree_for_a_manager_of_a_member(
    case: Case, member_manager: User, manager: User
) -> None:
    # The same person gets the same answer from every page that runs the case.
    pages = ["cases:review_date", "cases:closure", "cases:lead_handover", "meetings:schedule"]
    refused = client_for(member_manager)
    allowed = client_for(manager)
    for name in pages:
        url = reverse(name, args=[case.pk])
        assert refused.get(url).status_code == 403, name
        assert allowed.get(url).status_code == 200, name
