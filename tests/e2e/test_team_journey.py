"""The lead professional builds the team around the child on the team page, and a
professional whose place ended loses sight of the case at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case, Child, Family, FamilyMember, Involvement, TACRole
from cases.services.lifecycle import open_case
from cases.services.teams import add_professional_to_team
from notifications.models import Notification
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEAD = "lead@demo.tac.example"
SCHOOL = "school@demo.tac.example"


def _professional(email: str, name: str, title: str, team: Team) -> User:
    return User.objects.create_user(
        email, PASSWORD, full_name=name, job_title=title, agency=team.agency, team=team
    )


@pytest.fixture
def starting_case() -> Case:
    """A case led by an early help worker with a school's safeguarding lead on its team;
    the health visitor is in the directory and the mother in the family's record. The
    journey makes every other change to the team."""
    hub = Agency.objects.create(name="Northgate Family Hub", kind=AgencyKind.EARLY_HELP)
    school = Agency.objects.create(name="Eastfield Primary School", kind=AgencyKind.SCHOOL)
    health = Agency.objects.create(
        name="Eastfield Health Visiting", kind=AgencyKind.HEALTH_VISITING
    )
    lead = _professional(
        LEAD,
        "Rowan Reid",
        "Family support worker",
        Team.objects.create(agency=hub, name="Northgate early help team"),
    )
    teacher = _professional(
        SCHOOL,
        "Sasha Teach",
        "Designated safeguarding lead",
        Team.objects.create(agency=school, name="Pastoral team"),
    )
    _professional(
        "health@demo.tac.example",
        "Hannah Visitor",
        "Health visitor",
        Team.objects.create(agency=health, name="Health visiting east"),
    )
    family = Family.objects.create(name="The Brookfield family", postcode="DT3 5QC")
    FamilyMember.objects.create(
        family=family,
        given_names="Maya",
        family_name="Brookfield",
        relationship=FamilyMember.Relationship.MOTHER,
        parental_responsibility=FamilyMember.ParentalResponsibility.YES,
    )
    child = Child.objects.create(
        family=family, given_names="Poppy", family_name="Brookfield", date_of_birth="2017-03-02"
    )
    case = open_case(family, children=[child], by=lead, interim_lead=lead, status="ACTIVE")
    add_professional_to_team(case, professional=teacher, by=lead)
    return case


def test_the_lead_builds_the_team_and_a_removed_member_loses_access(
    page: Any,
    starting_case: Case,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    case = starting_case
    # 1. The lead opens their case from "My work" and goes to its team page.
    sign_in(page, LEAD)
    page.goto("/cases/")
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", name="The Brookfield family")).to_be_visible()
    page.get_by_role("tab", name="Team").click()  # the case page's sections
    page.get_by_role("link", name="Team page: who is on the team").click()
    expect(page.get_by_role("heading", name="Team around the child")).to_be_visible()
    check_page(page, "team-page")

    # 2. A health visitor found in the directory by name.
    page.get_by_role("link", name="Add a professional").click()
    page.get_by_label("Search the directory").fill("Hannah")
    page.get_by_role("button", name="Search").click()
    check_page(page, "team-directory-results")
    page.get_by_label("Hannah Visitor, Health visitor, Eastfield Health Visiting").check()
    page.get_by_label("Practitioner").check()
    page.get_by_label("Occasional contributor").check()
    page.get_by_role("button", name="Add to the team").click()
    expect(page.get_by_text("Hannah Visitor is now on the team.")).to_be_visible()

    # 3. The mother, from the family's record.
    page.get_by_role("link", name="Add a family member").click()
    check_page(page, "team-add-family-member")
    page.get_by_role("button", name="Add to the team").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "team-add-family-member-errors")
    page.get_by_label("Maya Brookfield (Mother)").check()
    page.get_by_label("Family member", exact=True).check()
    page.get_by_role("button", name="Add to the team").click()
    expect(page.get_by_text("The family member is now on the team.")).to_be_visible()

    # 4. The health visitor becomes a core member.
    page.get_by_role("link", name="Change role of Hannah Visitor").click()
    check_page(page, "team-change-role")
    page.get_by_label("Core member").check()
    page.get_by_role("button", name="Save the role").click()
    expect(page.get_by_text("Their role on the team is changed.")).to_be_visible()

    # 5. The school's place ends, with a reason.
    page.get_by_role("link", name="End membership of Sasha Teach").click()
    check_page(page, "team-end-membership")
    page.get_by_label("Why is this place on the team ending?").fill(
        "Poppy has moved to another school"
    )
    page.get_by_role("button", name="End membership").click()
    expect(page.get_by_text("Sasha Teach's place on the team ended.")).to_be_visible()
    history = page.locator("table", has_text="Ended by, and why")
    expect(history).to_contain_text("Sasha Teach")
    expect(history).to_contain_text("Rowan Reid: Poppy has moved to another school")
    check_page(page, "team-with-history")
    page.get_by_role("button", name="Sign out").click()

    members = {
        (m.display_name, m.role, m.involvement, m.left_at is None) for m in case.memberships.all()
    }
    assert members == {
        ("Rowan Reid", TACRole.LEAD_PROFESSIONAL, Involvement.CORE, True),
        ("Hannah Visitor", TACRole.PRACTITIONER, Involvement.CORE, True),
        ("Maya Brookfield", TACRole.FAMILY_MEMBER, Involvement.CORE, True),
        ("Sasha Teach", TACRole.PRACTITIONER, Involvement.CORE, False),
    }
    assert Notification.objects.filter(recipient__email=SCHOOL).count() == 1

    # 6. The school's safeguarding lead signs in: the case is gone.
    sign_in(page, SCHOOL)
    page.goto("/cases/")
    expect(page.get_by_role("link", name=case.reference)).to_have_count(0)
    check_page(page, "team-removed-my-work")
    response = page.goto(f"/cases/{case.pk}/")
    assert response is not None
    assert response.status == 404
    response = page.goto(f"/cases/{case.pk}/team/")
    assert response is not None
    assert response.status == 404
