"""The lead professional steps a case up to children's social care, who accept it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case, Child, Family, StepUpReferral
from cases.services.lifecycle import open_case
from cases.services.teams import add_professional_to_team
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_case() -> Case:
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
    family = Family.objects.create(name="The Brightwater family", postcode="DT2 4QB")
    child = Child.objects.create(
        family=family, given_names="Poppy", family_name="Brightwater", date_of_birth="2015-03-02"
    )
    return open_case(family, children=[child], by=lead, interim_lead=lead, status="ACTIVE")


def test_the_lead_steps_a_case_up_and_social_care_accept(
    page: Any,
    demo_case: Case,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    sign_in(page, "lead@demo.tac.example")
    page.goto(f"/cases/{demo_case.pk}/")
    expect(page.get_by_role("heading", name="The Brightwater family")).to_be_visible()
    check_page(page, "step-up-case-page-active")

    page.get_by_role("tab", name="Team").click()  # the case page's sections
    page.get_by_role("link", name="Record a step-up to children's social care").click()
    page.wait_for_load_state("domcontentloaded")
    expect(
        page.get_by_role("heading", name="Record a step-up to children's social care")
    ).to_be_visible()
    check_page(page, "step-up-request")

    page.get_by_role("button", name="Record the step-up").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "step-up-request-errors")

    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Time").fill("00:05")
    page.get_by_label("Who made the referral?").select_option(
        label="Leah Leadworth, Family support worker, Eastfield Family Hub"
    )
    page.get_by_label("Why was the child referred to children's social care?").fill(
        "Poppy disclosed being hit at home; needs unmet despite the plan."
    )
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Record the step-up").click()
    page.wait_for_load_state("domcontentloaded")

    expect(page.get_by_text("Step-up recorded.")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Step-up requested")).to_be_visible()
    check_page(page, "step-up-case-page-waiting")

    page.get_by_role("tab", name="Team").click()  # the case page's sections
    page.get_by_role("link", name="Record social care's decision").click()
    page.wait_for_load_state("domcontentloaded")
    check_page(page, "step-up-decision")
    page.get_by_label("They accepted the referral").check()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Allocated social worker's name").fill("Sasha Socialworker")
    page.get_by_label("Social worker's team").fill("Assessment team 2")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state("domcontentloaded")

    expect(page.get_by_role("heading", name="The Brightwater family")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Closed: stepped up")).to_be_visible()
    expect(page.get_by_text("Stepped up to children's social care").first).to_be_visible()
    page.get_by_role("tab", name="Team").click()  # the case page's sections
    expect(page.get_by_role("cell", name="Sasha Socialworker")).to_be_visible()
    check_page(page, "step-up-case-page-closed")

    demo_case.refresh_from_db()
    assert demo_case.status == Case.Status.CLOSED_STEPPED_UP
    assert demo_case.closure_reason == "STEPPED_UP"
    assert StepUpReferral.objects.get(case=demo_case).decision == "ACCEPTED"


def test_the_other_episode_pages_pass_axe_with_and_without_errors(
    page: Any,
    demo_case: Case,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    agency = Agency.objects.get(name="Eastfield Family Hub")
    User.objects.create_user(
        "coordinator@demo.tac.example",
        PASSWORD,
        full_name="Cody Coordinator",
        agency=agency,
        role=User.Role.COORDINATOR,
    )
    add_professional_to_team(
        demo_case,
        professional=User.objects.create_user(
            "school@demo.tac.example", PASSWORD, full_name="Skye School", agency=agency
        ),
        by=demo_case.opened_by,
    )
    sign_in(page, "coordinator@demo.tac.example")
    pages = [
        (f"/cases/{demo_case.pk}/lead/handover/", "Hand over", "lead-handover"),
        (f"/cases/{demo_case.pk}/close/", "Close the case", "closure"),
        ("/cases/step-down/", "Open the case", "step-down-in"),
    ]
    for url, button, name in pages:
        page.goto(url)
        check_page(page, name)
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state("domcontentloaded")
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check_page(page, f"{name}-errors")
    demo_case.refresh_from_db()
    assert demo_case.status == Case.Status.ACTIVE
