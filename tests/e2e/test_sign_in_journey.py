"""A lead professional signs in through a real browser and sees their cases."""

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


@pytest.fixture
def demo_lead() -> User:
    agency = Agency.objects.create(name="Eastfield Family Hub", kind=AgencyKind.EARLY_HELP)
    team = Team.objects.create(agency=agency, name="Eastfield early help team")
    return User.objects.create_user(
        "lead@demo.tac.example",
        PASSWORD,
        full_name="Leah Leadworth",
        job_title="Family support worker",
        agency=agency,
        team=team,
    )


@pytest.fixture
def demo_case(demo_lead: User) -> Case:
    family = Family.objects.create(name="The Brightwater family", postcode="DT2 4QB")
    child = Child.objects.create(
        family=family, given_names="Poppy", family_name="Brightwater", date_of_birth="2015-03-02"
    )
    return open_case(
        family, children=[child], by=demo_lead, interim_lead=demo_lead, status="ACTIVE"
    )


def test_it_signs_in_and_lists_the_leads_cases(
    page: Any,
    demo_case: Case,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    page.goto("/")
    check_page(page, "sign-in")

    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "sign-in-error")

    sign_in(page, "lead@demo.tac.example")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=demo_case.reference)
    assert "Poppy Brightwater" in row.inner_text()
    assert "Leah Leadworth" in row.inner_text()
    check_page(page, "my-cases")

    page.get_by_role("link", name=demo_case.reference).click()
    expect(page.get_by_role("heading", name="The Brightwater family")).to_be_visible()
    check_page(page, "case-page")

    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    check_page(page, "notifications")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to TAC Portal")).to_be_visible()
