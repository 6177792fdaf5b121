"""A health visitor finds a child known to early help, asks to join the team, and sees
the case once the lead professional agrees."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case, Child, Family
from cases.services.lifecycle import open_case
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEAD = "lead@demo.tac.example"
HEALTH = "health@demo.tac.example"


@pytest.fixture
def known_case() -> Case:
    hub = Agency.objects.create(
        name="Northgate Family Hub", kind=AgencyKind.EARLY_HELP, phone="0300 000 2223"
    )
    health = Agency.objects.create(
        name="Eastfield Health Visiting", kind=AgencyKind.HEALTH_VISITING
    )
    lead = User.objects.create_user(
        LEAD,
        PASSWORD,
        full_name="Rowan Reid",
        job_title="Family support worker",
        agency=hub,
        team=Team.objects.create(agency=hub, name="Northgate early help team"),
    )
    User.objects.create_user(
        HEALTH,
        PASSWORD,
        full_name="Hannah Visitor",
        job_title="Health visitor",
        agency=health,
        team=Team.objects.create(agency=health, name="Health visiting east"),
    )
    family = Family.objects.create(name="The Brookfield family", postcode="DT3 5QC")
    child = Child.objects.create(
        family=family, given_names="Poppy", family_name="Brookfield", date_of_birth="2017-03-02"
    )
    return open_case(family, children=[child], by=lead, interim_lead=lead, status="ACTIVE")


def test_a_professional_asks_to_join_and_the_lead_agrees(
    page: Any,
    known_case: Case,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    case = known_case
    # 1. The health visitor finds the child: known to early help, nothing more.
    sign_in(page, HEALTH)
    page.goto("/cases/")
    page.get_by_role("button", name="Find a child").click()
    page.get_by_label("Given names").fill("Poppy")
    page.get_by_label("Family name").fill("Brookfield")
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2017")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Known to early help: contact Northgate Family Hub")).to_be_visible()
    expect(page.get_by_text(case.reference)).to_have_count(0)
    check_page(page, "join-find-child")

    # 2. She asks to join, saying why.
    page.get_by_role("button", name="Ask to join this child's team").click()
    check_page(page, "join-ask")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "join-ask-errors")
    page.get_by_label("Why do you need to work with this family?").fill(
        "I am the health visitor for Poppy's baby brother and visit the family monthly."
    )
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your request to join the team was sent")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # 3. The lead is told, and agrees from the team page.
    sign_in(page, LEAD)
    page.goto("/notifications/")
    page.get_by_role(
        "link", name="A professional has asked to join a team around the child you lead"
    ).click()
    expect(page.get_by_role("heading", name="Team around the child")).to_be_visible()
    check_page(page, "join-team-page-with-request")
    page.get_by_role("link", name="Hannah Visitor").click()
    check_page(page, "join-decision")
    page.get_by_label("Yes, add them to the team").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("Hannah Visitor is now on the team.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # 4. The health visitor now sees the case in "My work".
    sign_in(page, HEALTH)
    page.goto("/cases/")
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", name="The Brookfield family")).to_be_visible()
    check_page(page, "join-case-page")
