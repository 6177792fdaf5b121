"""A case walked from "Add a child" to "Closed" using only the case page's "What happens
next" buttons and the pages they lead to. Nothing but the practitioner's account and the
assessment template exists before sign-in: the child, the case and every later stage are
made through the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from assessments.definition import default_definition
from assessments.models import AssessmentTemplate
from cases.models import Case, CaseClosure, Child
from tests.e2e.steps import (
    back_to_assessment,
    give_views,
    next_step,
    open_section,
    record_assessment_consent,
    stage_is,
)
from tests.helpers import PASSWORD, fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def practitioner() -> User:
    # Transactional tests empty every table after they run, the seeded template included.
    AssessmentTemplate.objects.get_or_create(
        code="caf-2009",
        version=1,
        defaults={
            "name": "Early help assessment",
            "definition": default_definition(),
            "is_default": True,
            "published_at": timezone.now(),
        },
    )
    agency = Agency.objects.create(name="Hollins Primary School", kind=AgencyKind.SCHOOL)
    team = Team.objects.create(agency=agency, name="Pastoral team")
    return User.objects.create_user(
        "pastoral@demo.tac.example",
        PASSWORD,
        full_name="Priya Pastoral",
        agency=agency,
        team=team,
        job_title="Pastoral lead",
    )


def save_text(page: Any, label: str, text: str) -> None:
    page.get_by_label(label).fill(text)


def test_a_case_from_a_new_child_to_closed_by_what_happens_next(
    page: Any,
    practitioner: User,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    sign_in(page, "pastoral@demo.tac.example")
    page.goto("/")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()

    # A new child, and early help started by the practitioner (the interim lead).
    page.get_by_role("button", name="Find a child").click()
    page.get_by_label("Given names").fill("Robin")
    page.get_by_label("Family name").fill("Fernley")
    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2016")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Add a new child").click()
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Address").fill("4 Quarry Lane\nDemoton")
    page.get_by_label("Postcode").fill("DT4 2PL")
    page.get_by_label("Parent or carer's given names (optional)").fill("Jo")
    page.get_by_label("Parent or carer's family name (optional)").fill("Fernley")
    page.get_by_label("Their relationship to the child").select_option("mother")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Start early help myself").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You are the interim lead")).to_be_visible()
    case = Case.objects.get(subjects__child=Child.objects.get(given_names="Robin"))

    # Need identified: ask the family for their agreement.
    stage_is(page, "Need identified")
    check_page(page, "whole-case-identified")
    next_step(page, "Ask the family for their agreement")
    check_page(page, "whole-case-ask-family")
    page.get_by_role("button", name="Ask the family for their agreement").click()
    stage_is(page, "Awaiting family's agreement")

    # Starting the assessment moves the case to assessing.
    next_step(page, "Start the assessment of Robin Fernley")
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_load_state("domcontentloaded")
    case.refresh_from_db()
    assert case.status == Case.Status.ASSESSING

    open_section(page, "K. Consent statements")
    record_assessment_consent(page, "start", given_by="Jo Fernley (Mother)")
    back_to_assessment(page)
    page.get_by_role("button", name="First conversation held").click()
    page.wait_for_load_state("domcontentloaded")
    open_section(page, "What's happening for this family")
    save_text(page, "What's happening for this family?", "Robin is anxious about school.")
    page.get_by_text("Saved at").wait_for()
    back_to_assessment(page)
    open_section(page, "C. Assessment information")
    save_text(page, "What has led to this assessment?", "Robin's attendance has dropped.")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("domcontentloaded")
    back_to_assessment(page)
    open_section(page, "I. Views of the child and family")
    give_views(
        page,
        child="I want to feel OK at school.",
        written_down_by="Priya Pastoral",
        parent="We need help getting him in.",
    )
    back_to_assessment(page)
    open_section(page, "J. Conclusions, solutions and actions")
    save_text(page, "What we think is happening, and why", "Worry about friendships.")
    save_text(
        page,
        "What will happen next: who will do what, and by when",
        "A TAC with the school nurse and the family.",
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("domcontentloaded")
    back_to_assessment(page)
    page.get_by_role("button", name="Draft shared with the family").click()
    page.wait_for_load_state("domcontentloaded")
    open_section(page, "K. Consent statements")
    record_assessment_consent(page, "completion", given_by="Jo Fernley (Mother)")
    back_to_assessment(page)
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.get_by_text("Assessment completed.")).to_be_visible()

    # Completing it moves the case to planning: the first TAC agrees the plan.
    page.goto(f"/cases/{case.pk}/")
    stage_is(page, "Planning")
    check_page(page, "whole-case-planning")
    next_step(page, "Arrange the first TAC meeting")
    page.get_by_label("Initial TAC meeting").check()
    day = timezone.localdate() + dt.timedelta(days=1)
    fill_date(page, "Date of the meeting", day)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("11:00")
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Place, or how to join").fill("Hollins Primary, room 4")
    for checkbox in page.locator("input[name=members]").all():
        checkbox.check()
    page.get_by_role("button", name="Arrange meeting and send invitations").click()
    expect(page.get_by_text("Meeting arranged.")).to_be_visible()

    page.goto(f"/cases/{case.pk}/")
    next_step(page, "Run the first TAC meeting")
    expect(page.get_by_role("link", name="Raise a safeguarding concern")).to_be_visible()
    # Timescales prompt, never block: a review four months away asks why, then is kept.
    later = day + dt.timedelta(days=120)
    fill_date(page, "Next review date", later)
    page.get_by_role("button", name="Set next review date").click()
    prompt = page.locator("#next-review .govuk-error-message")
    expect(prompt).to_contain_text("say why the review will be later")
    page.get_by_label("If the date is more than 3 months away, why?").fill(
        "The family is away for the summer"
    )
    page.get_by_role("button", name="Set next review date").click()
    expect(page.locator("#next-review").get_by_text("Agreed:")).to_be_visible()
    check_page(page, "whole-case-meeting-mode")
    page.get_by_role("button", name="Finish meeting").click()
    page.wait_for_load_state("domcontentloaded")
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE
    assert case.next_review_due == later
    assert case.review_late_reason == "The family is away for the summer"

    # Active plan: agree to close, then record the closure.
    page.goto(f"/cases/{case.pk}/")
    stage_is(page, "Active plan")
    check_page(page, "whole-case-active")
    page.locator("#next-steps").get_by_role("link", name="Agree that the case should close").click()
    page.get_by_label("Note for the chronology (optional)").fill("Agreed with Jo at the review.")
    page.get_by_role("button", name="Agree that the case should close").click()
    stage_is(page, "Closing")
    next_step(page, "Record the closure")
    check_page(page, "whole-case-closure")
    page.get_by_label("Outcomes achieved: needs met").check()
    save_text(page, "Summary of progress", "Robin attends every day.")
    page.get_by_label("All outcomes achieved").check()
    save_text(page, "Which outcomes were achieved, and why were any not?", "Both achieved.")
    save_text(page, "The child's views on closure", "School feels OK now.")
    save_text(page, "The family's views on closure", "Jo is confident to carry on.")
    save_text(page, "Who will continue to support the family?", "The pastoral team.")
    page.get_by_role("button", name="Close the case").click()
    expect(page.get_by_text("The case is closed.")).to_be_visible()
    stage_is(page, "Closed")
    # Closed in the last 12 months: the child can start a new, linked case.
    expect(
        page.locator("#next-steps").get_by_role(
            "button", name="Start a new case for Robin Fernley (re-referral)"
        )
    ).to_be_visible()
    check_page(page, "whole-case-closed")
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert case.lead_assignments.active().count() == 0
    assert CaseClosure.objects.get(case=case).family_views == "Jo is confident to carry on."
