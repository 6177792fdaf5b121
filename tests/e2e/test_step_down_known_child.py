"""In a browser: a step-down for a child already known to early help reuses their record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Child, Family, StepDownIn
from cases.services.lifecycle import change_status, open_case
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def known_child() -> Child:
    """Poppy, whose earlier early help case closed; Leah led it."""
    agency = Agency.objects.create(name="Eastfield Family Hub", kind=AgencyKind.EARLY_HELP)
    team = Team.objects.create(agency=agency, name="Eastfield early help team")
    lead = User.objects.create_user(
        "lead@demo.tac.example",
        PASSWORD,
        full_name="Leah Leadworth",
        job_title="Family support worker",
        agency=agency,
        team=team,
    )
    User.objects.create_user(
        "coordinator@demo.tac.example",
        PASSWORD,
        full_name="Cody Coordinator",
        agency=agency,
        role=User.Role.COORDINATOR,
    )
    family = Family.objects.create(name="The Brightwater family", postcode="DT2 4QB")
    child = Child.objects.create(
        family=family,
        given_names="Poppy",
        family_name="Brightwater",
        date_of_birth="2015-03-02",
        postcode="DT2 4QB",
    )
    case = open_case(family, children=[child], by=lead, interim_lead=lead, status="ACTIVE")
    change_status(case, to="CLOSING", by=lead)
    change_status(case, to="CLOSED", by=lead, closure_reason="NEEDS_MET")
    return child


def test_the_coordinator_chooses_the_known_child(
    page: Any,
    known_child: Child,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    today = timezone.localdate()
    sign_in(page, "coordinator@demo.tac.example")
    page.goto("/cases/step-down/")
    for box, value in {
        "#id_family_name": "The Brightwater family",
        "#id_address": "7 Orchard Row\nDemoton",
        "#id_postcode": "DT2 4QB",
        "#id_child1_given_names": "Poppy",
        "#id_child1_family_name": "Brightwater",
        "#id_child1_dob_day": "2",
        "#id_child1_dob_month": "3",
        "#id_child1_dob_year": "2015",
        "#id_parent_given_names": "Jo",
        "#id_parent_family_name": "Brightwater",
        "#id_agreement_day": str(today.day),
        "#id_agreement_month": str(today.month),
        "#id_agreement_year": str(today.year),
        "#id_summary": "CIN plan met; family want to keep working with early help.",
    }.items():
        page.fill(box, value)
    page.check("#id_child1_sex_1")
    page.select_option("#id_parent_relationship", "mother")
    page.select_option(
        "#id_lead", label="Leah Leadworth, Family support worker, Eastfield Family Hub"
    )
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_text("may already be known to early help").first).to_be_visible()
    check_page(page, "step-down-matches")

    page.get_by_role("button", name="Open the case").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "step-down-matches-errors")

    page.get_by_label("Poppy Brightwater").check()
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_role("heading", name="The Brightwater family")).to_be_visible()
    case = StepDownIn.objects.get().case
    assert list(case.children.all()) == [known_child]
    assert Family.objects.count() == 1
