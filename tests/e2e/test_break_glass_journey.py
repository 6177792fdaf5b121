"""A police officer with no relationship to a case uses emergency (break-glass) access."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import BreakGlassGrant, Case, Child, Family
from cases.services.lifecycle import open_case
from tests.helpers import PASSWORD, fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_case() -> Case:
    agency = Agency.objects.create(name="Eastfield Family Hub", kind=AgencyKind.EARLY_HELP)
    team = Team.objects.create(agency=agency, name="Eastfield early help team")
    lead = User.objects.create_user(
        "lead@demo.tac.example", PASSWORD, full_name="Leah Leadworth", agency=agency, team=team
    )
    family = Family.objects.create(name="The Brightwater family", postcode="DT2 4QB")
    child = Child.objects.create(
        family=family, given_names="Poppy", family_name="Brightwater", date_of_birth="2015-03-02"
    )
    return open_case(family, children=[child], by=lead, interim_lead=lead, status="ACTIVE")


@pytest.fixture
def officer() -> User:
    agency = Agency.objects.create(name="Demo Constabulary", kind=AgencyKind.POLICE)
    team = Team.objects.create(agency=agency, name="Neighbourhood policing")
    return User.objects.create_user(
        "officer@demo.tac.example", PASSWORD, full_name="Olly Officer", agency=agency, team=team
    )


def test_an_officer_gets_emergency_access_to_a_case(
    page: Any,
    demo_case: Case,
    officer: User,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    sign_in(page, "officer@demo.tac.example")
    page.get_by_text("In an emergency: a case you are not part of").click()
    page.get_by_role("link", name="Ask for emergency access").click()
    expect(page.get_by_role("heading", name="Emergency access to a case")).to_be_visible()
    check_page(page, "break-glass-request")

    page.get_by_role("button", name="Get emergency access").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "break-glass-request-errors")

    # The officer knows the child, not the case reference: a search like "Find a child".
    page.get_by_label("Child's first name").fill("Poppy")
    page.get_by_label("Child's last name").fill("Brightwater")
    fill_date(page, "Child's date of birth (optional)", dt.date(2015, 3, 2))
    page.get_by_label("Out-of-hours duty").check()
    page.get_by_label("Explain why you need to see this case now").fill(
        "Called to the family home overnight; need the lead professional's details."
    )
    page.get_by_role("button", name="Get emergency access").click()
    page.wait_for_load_state("domcontentloaded")

    expect(page.get_by_role("heading", name="Choose the case you need")).to_be_visible()
    assert not BreakGlassGrant.objects.exists()
    check_page(page, "break-glass-matches")
    page.get_by_role("button", name=f"Get emergency access to case {demo_case.reference}").click()
    page.wait_for_load_state("domcontentloaded")

    expect(page.get_by_role("heading", name="The Brightwater family")).to_be_visible()
    banner = page.get_by_role("region", name="Emergency access")
    assert "You have emergency access until" in banner.inner_text()
    assert "this is being reviewed" in banner.inner_text()
    check_page(page, "case-page-break-glass")
    assert BreakGlassGrant.objects.filter(user=officer, case=demo_case).count() == 1
