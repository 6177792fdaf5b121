"""The team page: who is on the team around the child, who was, and changing it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from agencies.directory import find_professionals
from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case, CaseEvent, Family, FamilyMember, Involvement, TACRole, TeamMembership
from cases.services import teams
from cases.services.common import CaseError
from cases.services.lifecycle import change_status
from notifications.models import EmailOutbox, Notification
from tac_portal.concurrency import StaleEdit
from tests.helpers import PASSWORD, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def health_visitor(db: None) -> User:
    agency = Agency.objects.create(name="Demoton Community Health", kind=AgencyKind.HEALTH_VISITING)
    team = Team.objects.create(agency=agency, name="Health visiting north")
    return User.objects.create_user(
        "holly.visitor@health.example",
        PASSWORD,
        full_name="Holly Visitor",
        job_title="Health visitor",
        agency=agency,
        team=team,
    )


@pytest.fixture
def bare_case(make_case: Callable[..., Case]) -> Case:
    """An active case with only its lead on the team."""
    return make_case()


def _membership(case: Case, user: User) -> TeamMembership:
    return TeamMembership.objects.get(case=case, professional=user, left_at__isnull=True)


# --- The directory -------------------------------------------------------------------


def test_the_directory_finds_people_by_name_agency_team_or_title(
    health_visitor: User, lead: User, admin_user: User
) -> None:
    assert find_professionals("holly") == [health_visitor]
    assert find_professionals("community health") == [health_visitor]
    assert find_professionals("visiting north") == [health_visitor]
    assert find_professionals("health visitor") == [health_visitor]
    assert find_professionals("") == []
    assert find_professionals("a") == []
    # System administrators join no team, so the directory never lists them.
    assert find_professionals("ada") == []


def test_the_directory_leaves_out_inactive_accounts(health_visitor: User) -> None:
    User.objects.filter(pk=health_visitor.pk).update(is_active=False)
    assert find_professionals("holly") == []


# --- Services ------------------------------------------------------------------------


def test_the_lead_adds_a_professional_who_is_told_without_case_details(
    bare_case: Case, lead: User, health_visitor: User
) -> None:
    membership = teams.add_professional(
        bare_case,
        professional=health_visitor,
        by=lead,
        role=TACRole.PRACTITIONER,
        involvement=Involvement.OCCASIONAL,
    )
    assert membership.involvement == Involvement.OCCASIONAL
    assert membership.added_by == lead
    event = CaseEvent.objects.filter(case=bare_case, code="team.member_added").latest("id")
    assert event.data["membership"] == membership.pk
    notice = Notification.objects.get(recipient=health_visitor)
    assert notice.link == reverse("cases:team", args=[bare_case.pk])
    email = EmailOutbox.objects.get(recipient=health_visitor)
    child = bare_case.children.get()
    for detail in (child.given_names, child.family_name, "Testfamily"):
        assert detail not in email.subject + email.body_text + email.body_html
    # It names the case by its reference and the child's initials, never a name.
    assert bare_case.notification_label in email.subject
    assert Case.objects.visible_to(health_visitor).filter(pk=bare_case.pk).exists()
    # Membership rows keep their change history.
    assert membership.history.count() == 1  # type: ignore[attr-defined]


def test_adding_someone_twice_is_refused_on_the_field(case: Case, lead: User, member: User) -> None:
    with pytest.raises(CaseError) as refused:
        teams.add_professional(case, professional=member, by=lead)
    assert "professional" in refused.value.error_dict
    assert case.memberships.filter(professional=member).count() == 1


def test_a_member_may_not_change_the_team(
    case: Case, member: User, health_visitor: User, family_member: FamilyMember
) -> None:
    with pytest.raises(PermissionDenied):
        teams.add_professional(case, professional=health_visitor, by=member)
    with pytest.raises(PermissionDenied):
        teams.add_family_member(case, family_member=family_member, by=member)
    lead_row = case.memberships.get(role=TACRole.LEAD_PROFESSIONAL)
    with pytest.raises(PermissionDenied):
        teams.end_membership(lead_row, by=member, reason="No", expected_version=None)
    assert not case.memberships.filter(professional=health_visitor).exists()


def test_the_manager_and_coordinator_change_the_team_too(
    bare_case: Case, manager: User, coordinator: User, health_visitor: User, member: User
) -> None:
    teams.add_professional(bare_case, professional=health_visitor, by=manager)
    teams.add_professional(bare_case, professional=member, by=coordinator)
    assert bare_case.memberships.active().count() == 3


def test_a_closed_case_keeps_its_team(
    bare_case: Case, lead: User, coordinator: User, health_visitor: User
) -> None:
    change_status(bare_case, to=Case.Status.CLOSING, by=lead)
    change_status(bare_case, to=Case.Status.CLOSED, by=lead, closure_reason="NEEDS_MET")
    with pytest.raises(CaseError, match="closed"):
        teams.add_professional(bare_case, professional=health_visitor, by=coordinator)


def test_a_family_member_joins_from_the_family_record(
    case: Case, lead: User, family_member: FamilyMember, make_family: Callable[..., Family]
) -> None:
    membership = teams.add_family_member(
        case, family_member=family_member, by=lead, role=TACRole.FAMILY_MEMBER
    )
    assert membership.kind == TeamMembership.Kind.FAMILY
    other = FamilyMember.objects.create(
        family=make_family(), given_names="Oli", family_name="Other", relationship="father"
    )
    with pytest.raises(CaseError) as refused:
        teams.add_family_member(case, family_member=other, by=lead)
    assert "family_member" in refused.value.error_dict
    with pytest.raises(CaseError):
        teams.add_family_member(
            case, family_member=family_member, by=lead, role=TACRole.FAMILY_MEMBER
        )


def test_a_role_that_does_not_fit_the_person_is_refused(
    case: Case, lead: User, family_member: FamilyMember, health_visitor: User
) -> None:
    with pytest.raises(CaseError) as refused:
        teams.add_family_member(case, family_member=family_member, by=lead, role=TACRole.NOTE_TAKER)
    assert "role" in refused.value.error_dict
    with pytest.raises(CaseError) as refused:
        teams.add_professional(
            case, professional=health_visitor, by=lead, role=TACRole.LEAD_PROFESSIONAL
        )
    assert "role" in refused.value.error_dict


def test_setting_a_role_carries_the_version_the_editor_saw(
    case: Case, lead: User, member: User
) -> None:
    membership = _membership(case, member)
    seen = membership.version
    changed = teams.set_member_role(
        membership,
        role=TACRole.NOTE_TAKER,
        involvement=Involvement.OCCASIONAL,
        by=lead,
        expected_version=seen,
    )
    assert (changed.role, changed.involvement, changed.version) == (
        TACRole.NOTE_TAKER,
        Involvement.OCCASIONAL,
        seen + 1,
    )
    assert CaseEvent.objects.filter(case=case, code="team.role_changed").count() == 1
    with pytest.raises(StaleEdit):
        teams.set_member_role(
            membership,
            role=TACRole.PRACTITIONER,
            involvement=Involvement.CORE,
            by=lead,
            expected_version=seen,
        )
    membership.refresh_from_db()
    assert membership.role == TACRole.NOTE_TAKER


def test_the_leads_role_stays_lead(case: Case, lead: User) -> None:
    membership = _membership(case, lead)
    changed = teams.set_member_role(
        membership,
        role=TACRole.PRACTITIONER,
        involvement=Involvement.OCCASIONAL,
        by=lead,
        expected_version=membership.version,
    )
    assert changed.role == TACRole.LEAD_PROFESSIONAL
    assert changed.involvement == Involvement.OCCASIONAL


def test_ending_a_membership_keeps_history_and_ends_access_at_once(
    case: Case, lead: User, member: User
) -> None:
    membership = _membership(case, member)
    with pytest.raises(CaseError) as refused:
        teams.end_membership(membership, by=lead, reason="  ", expected_version=None)
    assert "reason" in refused.value.error_dict
    ended = teams.end_membership(
        membership,
        by=lead,
        reason="School work with the family has finished",
        expected_version=membership.version,
    )
    assert ended.left_at is not None
    assert ended.ended_by == lead
    assert ended.end_reason == "School work with the family has finished"
    assert not Case.objects.visible_to(member).filter(pk=case.pk).exists()
    event = CaseEvent.objects.get(case=case, code="team.member_removed")
    assert event.actor == lead
    assert event.data["reason"] == "School work with the family has finished"
    notice = Notification.objects.get(recipient=member)
    assert notice.link == reverse("cases:my_cases")
    with pytest.raises(CaseError, match="already ended"):
        teams.end_membership(membership, by=lead, reason="Again", expected_version=None)


def test_ending_with_an_old_version_is_refused(case: Case, lead: User, member: User) -> None:
    membership = _membership(case, member)
    seen = membership.version
    teams.set_member_role(
        membership,
        role=TACRole.OBSERVER,
        involvement=Involvement.CORE,
        by=lead,
        expected_version=seen,
    )
    with pytest.raises(StaleEdit):
        teams.end_membership(membership, by=lead, reason="Finished", expected_version=seen)
    assert _membership(case, member).left_at is None


def test_any_member_may_leave_and_the_lead_is_told(case: Case, lead: User, member: User) -> None:
    membership = _membership(case, member)
    teams.end_membership(
        membership, by=member, reason="Moved to another school", expected_version=None
    )
    assert Notification.objects.filter(recipient=lead).count() == 1
    assert not Notification.objects.filter(recipient=member).exists()


def test_the_lead_cannot_leave_before_a_new_lead_is_agreed(case: Case, lead: User) -> None:
    with pytest.raises(CaseError, match="new lead"):
        teams.end_membership(
            _membership(case, lead), by=lead, reason="Leaving", expected_version=None
        )


# --- Pages ---------------------------------------------------------------------------


def _team(case: Case) -> str:
    return reverse("cases:team", args=[case.pk])


def test_the_case_page_links_to_the_team_page(case: Case, lead_client: Client) -> None:
    page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert _team(case) in page


def test_the_team_page_lists_members_and_history(
    case: Case, lead: User, member: User, lead_client: Client, family_member: FamilyMember
) -> None:
    teams.add_family_member(case, family_member=family_member, by=lead)
    teams.end_membership(
        _membership(case, member), by=lead, reason="Work finished", expected_version=None
    )
    page = lead_client.get(_team(case)).content.decode()
    assert "Lena Lead" in page
    assert "Pat Parent" in page
    assert "Who has left the team" in page
    assert "Sam School" in page
    assert "Work finished" in page
    assert "Add a professional" in page


def test_a_member_sees_the_team_but_not_the_changes(
    case: Case, member: User, member_client: Client
) -> None:
    page = member_client.get(_team(case)).content.decode()
    assert "Add a professional" not in page
    membership = _membership(case, member)
    assert reverse("cases:team_member_end", args=[case.pk, membership.pk]) in page
    assert (
        member_client.get(reverse("cases:team_add_professional", args=[case.pk])).status_code == 403
    )


def test_an_outsider_gets_a_404(case: Case, outsider_client: Client) -> None:
    assert outsider_client.get(_team(case)).status_code == 404


def test_the_lead_finds_and_adds_a_professional_once(
    bare_case: Case, lead_client: Client, health_visitor: User
) -> None:
    url = reverse("cases:team_add_professional", args=[bare_case.pk])
    results = lead_client.post(url, {"action": "search", "query": "holly"})
    assert "Holly Visitor" in results.content.decode()
    token = results.context["form"]["submission_token"].value()
    data = {
        "action": "add",
        "query": "holly",
        "professional": str(health_visitor.pk),
        "role": TACRole.PRACTITIONER,
        "involvement": Involvement.CORE,
        "submission_token": token,
    }
    first = lead_client.post(url, data)
    assert first.status_code == 302
    assert first["Location"] == _team(bare_case)
    again = lead_client.post(url, data)
    assert again.status_code == 302
    assert bare_case.memberships.filter(professional=health_visitor).count() == 1


def test_an_empty_search_and_a_missing_choice_say_what_to_do(
    bare_case: Case, lead_client: Client
) -> None:
    url = reverse("cases:team_add_professional", args=[bare_case.pk])
    page = lead_client.post(url, {"action": "search", "query": ""}).content.decode()
    assert "Enter a name, job title, agency or team to search for" in page
    page = lead_client.post(url, {"action": "add", "query": "x"}).content.decode()
    assert "Choose who to add to the team" in page


def test_the_lead_adds_the_mother_from_the_family_record(
    case: Case, lead_client: Client, family_member: FamilyMember
) -> None:
    url = reverse("cases:team_add_family_member", args=[case.pk])
    page = lead_client.get(url)
    assert "Pat Parent (Mother)" in page.content.decode()
    response = lead_client.post(
        url,
        {
            "family_member": str(family_member.pk),
            "role": TACRole.FAMILY_MEMBER,
            "involvement": Involvement.CORE,
            "submission_token": page.context["form"]["submission_token"].value(),
        },
    )
    assert response.status_code == 302
    assert case.memberships.active().filter(family_member=family_member).exists()


def test_the_role_page_refuses_a_stale_edit(
    case: Case, lead: User, member: User, lead_client: Client
) -> None:
    membership = _membership(case, member)
    url = reverse("cases:team_member_role", args=[case.pk, membership.pk])
    data = {"version": str(membership.version), "role": "note_taker", "involvement": "core"}
    assert lead_client.post(url, data).status_code == 302
    page = lead_client.post(url, data | {"role": "observer"}).content.decode()
    assert "Someone else changed this since you opened it" in page
    membership.refresh_from_db()
    assert membership.role == TACRole.NOTE_TAKER


def test_ending_a_membership_needs_a_reason_and_ends_access(
    case: Case, member: User, lead_client: Client, member_client: Client
) -> None:
    membership = _membership(case, member)
    url = reverse("cases:team_member_end", args=[case.pk, membership.pk])
    page = lead_client.post(url, {"version": str(membership.version), "reason": ""})
    assert "Enter why this place on the team is ending" in page.content.decode()
    done = lead_client.post(url, {"version": str(membership.version), "reason": "Finished"})
    assert done.status_code == 302
    assert member_client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert member_client.get(_team(case)).status_code == 404


def test_a_member_leaves_and_lands_on_their_cases(
    case: Case, member: User, member_client: Client, lead: User
) -> None:
    membership = _membership(case, member)
    lead_row = _membership(case, lead)
    refused = member_client.post(
        reverse("cases:team_member_end", args=[case.pk, lead_row.pk]),
        {"version": str(lead_row.version), "reason": "x"},
    )
    assert refused.status_code == 403
    url = reverse("cases:team_member_end", args=[case.pk, membership.pk])
    done = member_client.post(url, {"version": str(membership.version), "reason": "Moving on"})
    assert done.status_code == 302
    assert done["Location"] == reverse("cases:my_cases")


def test_meeting_mode_links_to_the_team_page() -> None:
    with open("templates/meetings/run.html", encoding="utf-8") as template:
        assert "{% url 'cases:team' case.pk %}" in template.read()


def test_a_professional_without_a_relationship_is_not_logged_in_with_the_team(
    case: Case, outsider: User
) -> None:
    client = client_for(outsider)
    assert client.get(_team(case)).status_code == 404


def test_someone_new_to_the_family_record_joins_the_record_and_the_team(
    case: Case, lead_client: Client
) -> None:
    url = reverse("cases:team_add_new_family_member", args=[case.pk])
    page = lead_client.get(url)
    token = page.context["form"]["submission_token"].value()
    empty = lead_client.post(url, {"submission_token": token}).content.decode()
    assert "Enter their given names" in empty
    assert "Choose their relationship to the family" in empty
    data = {
        "given_names": "Gran",
        "family_name": "Example",
        "relationship": FamilyMember.Relationship.GRANDPARENT,
        "parental_responsibility": FamilyMember.ParentalResponsibility.NO,
        "role": TACRole.FAMILY_NETWORK_MEMBER,
        "involvement": Involvement.OCCASIONAL,
        "submission_token": token,
    }
    assert lead_client.post(url, data).status_code == 302
    assert lead_client.post(url, data).status_code == 302
    person = FamilyMember.objects.get(given_names="Gran")
    assert person.family_id == case.family_id
    membership = case.memberships.get(family_member=person)
    assert (membership.role, membership.involvement) == (
        TACRole.FAMILY_NETWORK_MEMBER,
        Involvement.OCCASIONAL,
    )


def test_only_those_who_run_the_case_add_someone_new(
    case: Case, member: User, member_client: Client
) -> None:
    url = reverse("cases:team_add_new_family_member", args=[case.pk])
    assert member_client.get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        teams.add_new_family_member(
            case,
            given_names="Gran",
            family_name="Example",
            relationship="grandparent",
            parental_responsibility="no",
            by=member,
        )
    assert not FamilyMember.objects.filter(given_names="Gran").exists()
