"""Each rule of the access policy grants sight of a case; nothing else does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404, HttpRequest
from django.test import RequestFactory
from django.utils import timezone

from agencies.models import Team, User
from cases.access import can_work_on_cases, get_case_for_user
from cases.models import AccessPurpose, BreakGlassGrant, Case, RecordAccess, TeamMembership
from cases.services.common import CaseError
from cases.services.teams import add_professional_to_team, remove_from_team


def visible(user: User) -> set[Case]:
    cases = set(Case.objects.visible_to(user))
    # Lists ask the same rules as one set of ids (``listed_for``): always the same cases.
    assert set(Case.objects.listed_for(user)) == cases
    return cases


def request_by(user: User) -> HttpRequest:
    request = RequestFactory().get("/cases/")
    request.user = user
    return request


def fetch(user: User, pk: int) -> Case:
    return get_case_for_user(request_by(user), pk, purpose=AccessPurpose.CASE)


def test_rule_1_an_active_tac_member_sees_the_case(case: Case, member: User) -> None:
    assert visible(member) == {case}
    assert fetch(member, case.pk) == case


def test_rule_1_the_lead_professional_sees_the_case(case: Case, lead: User) -> None:
    # Even without a membership row, the lead assignment alone grants sight.
    TeamMembership.objects.filter(case=case, professional=lead).update(left_at=timezone.now())
    assert visible(lead) == {case}


def test_rule_2_a_manager_of_a_members_team_sees_the_case(
    case: Case, member: User, manager: User, school_team: Team
) -> None:
    other_manager = User.objects.create_user(
        "head@riverside.example", "x", full_name="Hana Head", role=User.Role.TEAM_MANAGER
    )
    assert visible(other_manager) == set()
    school_team.managers.add(other_manager)
    assert visible(other_manager) == {case}


def test_rule_2_a_manager_of_the_leads_team_sees_the_case(case: Case, manager: User) -> None:
    assert visible(manager) == {case}


def test_lists_gather_the_ids_once_and_fetch_the_cases_by_key(manager: User) -> None:
    # ``pk IN (UNION …)`` let PostgreSQL hash a large team's caseload and scan every
    # open case past it; the ids are gathered first (an InitPlan) instead.
    sql = str(Case.objects.listed_for(manager).query)
    assert '"cases_case"."id" = ANY(ARRAY(' in sql
    assert " UNION " in sql


def test_rule_2_the_lead_alone_grants_the_manager_sight(
    case: Case, lead: User, manager: User
) -> None:
    TeamMembership.objects.filter(case=case, professional=lead).update(left_at=timezone.now())
    TeamMembership.objects.filter(case=case).update(left_at=timezone.now())
    assert visible(manager) == {case}


def test_rule_3_the_coordinator_sees_every_case(case: Case, coordinator: User) -> None:
    assert visible(coordinator) == {case}


def test_it_hides_the_case_from_a_professional_with_no_relationship(
    case: Case, outsider: User
) -> None:
    assert visible(outsider) == set()
    with pytest.raises(Http404):
        fetch(outsider, case.pk)


def test_it_hides_every_case_from_a_system_administrator(case: Case, admin_user: User) -> None:
    assert visible(admin_user) == set()


def test_it_hides_every_case_from_information_governance_by_default(
    case: Case, auditor: User
) -> None:
    assert visible(auditor) == set()


def test_it_reports_a_missing_case_exactly_like_an_invisible_one(
    case: Case, outsider: User
) -> None:
    with pytest.raises(Http404) as invisible:
        fetch(outsider, case.pk)
    with pytest.raises(Http404) as missing:
        fetch(outsider, case.pk + 1000)
    assert str(invisible.value) == str(missing.value)


def test_it_stops_showing_the_case_once_a_member_leaves(
    case: Case, member: User, lead: User
) -> None:
    membership = case.memberships.active().get(professional=member)
    remove_from_team(membership, by=lead)
    assert visible(member) == set()


def test_it_hides_cases_from_a_deactivated_professional(case: Case, member: User) -> None:
    member.is_active = False
    member.save()
    assert visible(member) == set()


def test_a_manager_loses_sight_when_their_teams_members_leave(
    case: Case, member: User, lead: User, school_team: Team
) -> None:
    head = User.objects.create_user(
        "head@riverside.example", "x", full_name="Hana Head", role=User.Role.TEAM_MANAGER
    )
    school_team.managers.add(head)
    remove_from_team(case.memberships.active().get(professional=member), by=lead)
    assert visible(head) == set()


def test_fetching_a_case_logs_the_read_with_its_purpose(case: Case, member: User) -> None:
    fetch(member, case.pk)
    row = RecordAccess.objects.get()
    assert (row.user, row.case_id, row.purpose) == (member, case.pk, AccessPurpose.CASE)
    assert row.child_id == case.subjects.get().child_id


def test_a_case_reached_twice_in_one_request_is_logged_once(case: Case, member: User) -> None:
    request = request_by(member)
    get_case_for_user(request, case.pk, purpose=AccessPurpose.CASE)
    get_case_for_user(request, case.pk, purpose=AccessPurpose.MEETING)
    assert RecordAccess.objects.count() == 1


def test_a_refused_fetch_logs_nothing(case: Case, outsider: User) -> None:
    with pytest.raises(Http404):
        fetch(outsider, case.pk)
    assert not RecordAccess.objects.exists()


@pytest.mark.parametrize("persona", ["lead", "manager", "coordinator", "member"])
def test_practitioners_managers_and_the_coordinator_work_on_cases(
    persona: str, request: pytest.FixtureRequest
) -> None:
    assert can_work_on_cases(request.getfixturevalue(persona))


@pytest.mark.parametrize("persona", ["admin_user", "auditor"])
def test_administrators_and_information_governance_do_not(
    persona: str, case: Case, lead: User, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    assert not can_work_on_cases(user)
    with pytest.raises(CaseError):
        add_professional_to_team(case, professional=user, by=lead)


def test_lists_find_a_case_seen_by_emergency_access_until_the_grant_expires(
    case: Case, outsider: User
) -> None:
    grant = BreakGlassGrant.objects.create(
        user=outsider,
        case=case,
        reason_code=BreakGlassGrant.ReasonCode.SAFEGUARDING_CONCERN,
        justification="Child reported missing overnight; checking known contacts.",
        granted_at=timezone.now() - dt.timedelta(hours=5),
        expires_at=timezone.now() + dt.timedelta(hours=4),
    )
    assert visible(outsider) == {case}
    grant.expires_at = timezone.now() - dt.timedelta(minutes=1)
    grant.save()
    assert visible(outsider) == set()


def test_a_page_asks_each_access_question_once_but_a_change_asks_again(
    case: Case, lead: User, member: User
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.access import is_lead_professional

    shown = get_case_for_user(request_by(lead), case.pk, purpose=AccessPurpose.CASE)
    with CaptureQueriesContext(connection) as asked:
        assert is_lead_professional(lead, shown)
        assert is_lead_professional(lead, shown)
        assert not is_lead_professional(member, shown)
    assert len(asked) == 1 + 1  # once for each person
    posted = RequestFactory().post(f"/cases/{case.pk}/")
    posted.user = lead
    changing = get_case_for_user(posted, case.pk, purpose=AccessPurpose.CASE)
    with CaptureQueriesContext(connection) as asked:
        assert is_lead_professional(lead, changing)
        assert is_lead_professional(lead, changing)
    assert len(asked) == 2
