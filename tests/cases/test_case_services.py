"""The case services: each enforces its rule, writes its chronology event, and
writes nothing when it refuses."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from agencies.models import User
from cases.models import Case, CaseEvent, Child, Family, FamilyMember, LevelOfNeed
from cases.services.common import CaseError, ChildAlreadyInOpenCase
from cases.services.lifecycle import change_status, open_case, record_level_of_need
from cases.services.teams import (
    add_external_contact_to_team,
    add_family_member_to_team,
    add_professional_to_team,
    assign_lead_professional,
    remove_from_team,
)
from tests.helpers import active_leads


def test_it_opens_a_case_with_an_interim_lead(make_child: Callable[..., Child], lead: User) -> None:
    child = make_child()
    case = open_case(child.family, children=[child], by=lead, interim_lead=lead)
    assert case.reference.startswith("EH-")
    assert case.is_open
    [assignment] = active_leads(case)
    assert assignment.professional == lead
    assert assignment.basis == "INTERIM_INITIATOR"
    assert case.memberships.active().get().role == "lead_professional"
    codes = set(case.events.values_list("code", flat=True))
    assert codes == {"case.opened", "lead.assigned", "team.member_added"}


def test_it_refuses_a_child_already_in_an_open_case(
    case: Case, lead: User, make_child: Callable[..., Child]
) -> None:
    child = case.children.get()
    sibling = make_child(family=child.family, given_names="Alex")
    cases_before = Case.objects.count()
    with pytest.raises(ChildAlreadyInOpenCase) as excinfo:
        open_case(child.family, children=[sibling, child], by=lead)
    assert case.reference in str(excinfo.value.messages[0])
    assert Case.objects.count() == cases_before
    assert not sibling.case_subjects.exists()


def test_it_refuses_a_child_from_another_family(
    make_child: Callable[..., Child], make_family: Callable[..., Family], lead: User
) -> None:
    child = make_child()
    with pytest.raises(CaseError, match="not in"):
        open_case(make_family(), children=[child], by=lead)


def test_it_refuses_a_case_with_no_children(make_family: Callable[..., Family], lead: User) -> None:
    with pytest.raises(CaseError):
        open_case(make_family(), children=[], by=lead)


def test_it_links_a_re_referral(case: Case, lead: User) -> None:
    change_status(case, to=Case.Status.CLOSING, by=lead)
    change_status(case, to=Case.Status.CLOSED, by=lead, closure_reason="NEEDS_MET")
    child = case.children.get()
    new = open_case(child.family, children=[child], by=lead, previous_case=case)
    assert new.is_re_referral
    assert new.previous_case == case
    assert new.events.filter(code="case.re_referral").exists()


def test_it_needs_a_reason_to_change_the_lead(case: Case, lead: User, member: User) -> None:
    with pytest.raises(CaseError, match="reason"):
        assign_lead_professional(case, professional=member, by=lead, basis="AGREED_AT_TAC")
    assert [a.professional for a in active_leads(case)] == [lead]


def test_it_hands_the_lead_over_and_keeps_history(case: Case, lead: User, member: User) -> None:
    assign_lead_professional(
        case,
        professional=member,
        by=lead,
        basis="AGREED_AT_TAC",
        change_reason="AGREED_AT_FIRST_TAC",
        family_consulted=True,
        family_preference="The family asked for the school's safeguarding lead.",
    )
    [current] = active_leads(case)
    assert current.professional == member
    previous = case.lead_assignments.get(professional=lead)
    assert previous.ended_at == current.started_at
    assert previous.end_reason == "REPLACED"
    assert case.events.filter(code="lead.changed").exists()
    roles = dict(case.memberships.active().values_list("professional__email", "role"))
    assert roles == {member.email: "lead_professional", lead.email: "practitioner"}


def test_it_reassigning_the_same_lead_changes_nothing(case: Case, lead: User) -> None:
    events = case.events.count()
    assign_lead_professional(case, professional=lead, by=lead, basis="AGREED_AT_TAC")
    assert case.lead_assignments.count() == 1
    assert case.events.count() == events


def test_it_will_not_make_an_administrator_lead(case: Case, lead: User, admin_user: User) -> None:
    with pytest.raises(CaseError):
        assign_lead_professional(
            case,
            professional=admin_user,
            by=lead,
            basis="MANAGER_ALLOCATED",
            change_reason="OTHER",
        )


def test_it_records_level_of_need_with_rationale(
    case: Case, lead: User, level_targeted: LevelOfNeed
) -> None:
    with pytest.raises(CaseError):
        record_level_of_need(case, level=level_targeted, rationale="  ", by=lead)
    judgement = record_level_of_need(
        case, level=level_targeted, rationale="Several agencies are needed.", by=lead
    )
    case.refresh_from_db()
    assert case.current_level == level_targeted
    assert judgement.judged_by == lead
    assert case.events.filter(code="level.judged").exists()


def test_it_adds_and_removes_team_members(case: Case, lead: User, outsider: User) -> None:
    membership = add_professional_to_team(case, professional=outsider, by=lead)
    assert add_professional_to_team(case, professional=outsider, by=lead) == membership
    remove_from_team(membership, by=lead, reason="No longer involved")
    membership.refresh_from_db()
    assert membership.left_at is not None
    assert CaseEvent.objects.filter(case=case, code="team.member_removed").exists()


def test_it_keeps_the_lead_on_the_team(case: Case, lead: User) -> None:
    membership = case.memberships.active().get(professional=lead)
    with pytest.raises(CaseError, match="lead professional"):
        remove_from_team(membership, by=lead)


def test_it_adds_family_and_external_members(
    case: Case, lead: User, family_member: FamilyMember
) -> None:
    add_family_member_to_team(case, family_member=family_member, by=lead)
    external = add_external_contact_to_team(
        case,
        name="Robin Social",
        agency="Children's social care",
        email="",
        by=lead,
        role="social_worker",
    )
    assert external.agency_name == "Children's social care"
    assert case.memberships.active().count() == 4
