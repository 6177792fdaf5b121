"""The lead professional moves the next review date and sees it on the case page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case, Child, Family
from cases.services.lifecycle import open_case
from cases.services.reviews import set_next_review_due
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_case() -> Case:
    agency = Agency.objects.create(name="Northgate Family Hub", kind=AgencyKind.EARLY_HELP)
    team = Team.objects.create(agency=agency, name="Northgate early help team")
    lead = User.objects.create_user(
        "lead@demo.tac.example",
        PASSWORD,
        full_name="Rowan Reviewer",
        job_title="Family support worker",
        agency=agency,
        team=team,
    )
    family = Family.objects.create(name="The Meadowbank family", postcode="DT3 5QC")
    child = Child.objects.create(
        family=family, given_names="Alfie", family_name="Meadowbank", date_of_birth="2014-06-09"
    )
    case = open_case(family, children=[child], by=lead, interim_lead=lead, status="ACTIVE")
    set_next_review_due(case, due=timezone.localdate() + dt.timedelta(days=14), by=lead)
    return case


def test_the_lead_moves_the_review_date(
    page: Any,
    demo_case: Case,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    new = timezone.localdate() + dt.timedelta(days=30)
    sign_in(page, "lead@demo.tac.example")
    page.goto(f"/cases/{demo_case.pk}/")
    expect(page.get_by_role("heading", name="In their own words")).to_be_visible()
    check_page(page, "review-date-case-page")

    page.get_by_role("link", name="Change the next review date").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_role("heading", name="Change the next review date")).to_be_visible()
    check_page(page, "review-date-form")

    # Nothing entered: the error summary, and nothing changes.
    page.get_by_role("button", name="Change the review date").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_text("Enter the new review date").first).to_be_visible()
    check_page(page, "review-date-errors")

    page.get_by_label("Day").fill(str(new.day))
    page.get_by_label("Month").fill(str(new.month))
    page.get_by_label("Year").fill(str(new.year))
    page.get_by_label("Why is the review date changing?").fill(
        "The family asked to meet after the school holiday"
    )
    page.get_by_role("button", name="Change the review date").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.url.endswith(f"/cases/{demo_case.pk}/")
    row = page.locator(".govuk-summary-list__row", has_text="Next review due")
    assert new.strftime("%-d %B %Y") in row.inner_text()
    check_page(page, "review-date-changed")
    demo_case.refresh_from_db()
    assert demo_case.next_review_due == new
