"""A practitioner completes an early help assessment from a case and prints the family's copy;
two people editing the same draft field never lose each other's words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from assessments.definition import default_definition
from assessments.models import Assessment, AssessmentSection, AssessmentTemplate
from assessments.services.starting import start_assessment
from cases.models import Case, Child, Family, FamilyMember
from cases.services.lifecycle import open_case
from cases.services.teams import add_professional_to_team
from tests.e2e.steps import back_to_assessment, give_views, open_section, record_assessment_consent
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def template() -> AssessmentTemplate:
    # Transactional tests empty every table after they run, the seeded template included.
    template, _ = AssessmentTemplate.objects.get_or_create(
        code="caf-2009",
        version=1,
        defaults={
            "name": "Early help assessment",
            "definition": default_definition(),
            "is_default": True,
            "published_at": timezone.now(),
        },
    )
    return template


@pytest.fixture
def people() -> dict[str, User]:
    agency = Agency.objects.create(name="Eastfield Family Hub", kind=AgencyKind.EARLY_HELP)
    team = Team.objects.create(agency=agency, name="Eastfield early help team")
    school = Agency.objects.create(name="Brook Lane Primary", kind=AgencyKind.SCHOOL)
    return {
        "lead": User.objects.create_user(
            "lead@demo.tac.example",
            PASSWORD,
            full_name="Leah Leadworth",
            agency=agency,
            team=team,
            job_title="Family support worker",
        ),
        "school": User.objects.create_user(
            "school@demo.tac.example",
            PASSWORD,
            full_name="Sunita School",
            agency=school,
            job_title="Designated safeguarding lead",
        ),
    }


@pytest.fixture
def demo_case(people: dict[str, User], template: AssessmentTemplate) -> Case:
    family = Family.objects.create(name="The Brightwater family", postcode="DT2 4QB")
    child = Child.objects.create(
        family=family, given_names="Poppy", family_name="Brightwater", date_of_birth="2015-03-02"
    )
    FamilyMember.objects.create(
        family=family,
        given_names="Rose",
        family_name="Brightwater",
        relationship=FamilyMember.Relationship.MOTHER,
        parental_responsibility=FamilyMember.ParentalResponsibility.YES,
    )
    case = open_case(
        family, children=[child], by=people["lead"], interim_lead=people["lead"], status="ACTIVE"
    )
    add_professional_to_team(case, professional=people["school"], by=people["lead"])
    return case


def test_a_practitioner_completes_an_assessment_and_prints_the_family_copy(
    page: Any,
    demo_case: Case,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    sign_in(page, "lead@demo.tac.example")
    page.goto(f"/cases/{demo_case.pk}/")
    check_page(page, "assessment-case-panel")
    page.get_by_role("tab", name="Assessment").click()  # the case page's sections
    page.get_by_role("link", name="Start an assessment for Poppy Brightwater").click()
    check_page(page, "assessment-start")
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_load_state("domcontentloaded")
    expect(
        page.get_by_role("heading", name="Early help assessment of Poppy Brightwater")
    ).to_be_visible()
    check_page(page, "assessment-task-list")

    # Section K first: the family agrees to the assessment.
    open_section(page, "K. Consent statements")
    check_page(page, "assessment-consent")
    page.locator('form[action$="/consent/start/"]').get_by_role(
        "button", name="Record consent"
    ).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # nothing chosen: refused
    check_page(page, "assessment-consent-errors")
    record_assessment_consent(page, "start", given_by="Rose Brightwater (Mother)")
    back_to_assessment(page)
    page.get_by_role("button", name="First conversation held").click()
    page.wait_for_load_state("domcontentloaded")

    # The narrative comes first, and saves as it is typed.
    open_section(page, "What's happening for this family")
    page.get_by_label("What's happening for this family?").fill(
        "Rose says mornings are a battle and Poppy is often late for school."
    )
    page.get_by_text("Saved at").wait_for()
    check_page(page, "assessment-narrative-saved")
    back_to_assessment(page)

    open_section(page, "C. Assessment information")
    page.get_by_label("What has led to this assessment?").fill("Poppy's attendance has dropped.")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("domcontentloaded")
    back_to_assessment(page)

    open_section(page, "H. How the child is growing and developing")
    learning = page.locator("#form-el-learning")
    learning.get_by_label("Strengths").fill("Loves reading with her mum.")
    learning.get_by_label("Needs").fill("Misses the start of the school day.")
    learning.get_by_label("The child").check()
    learning.get_by_role("button", name="Save").click()
    page.wait_for_load_state("domcontentloaded")
    check_page(page, "assessment-domain")
    back_to_assessment(page)

    open_section(page, "I. Views of the child and family")
    child = page.locator("#form-view-child")
    child.get_by_role("button", name="Save views").click()
    page.wait_for_load_state("domcontentloaded")
    assert (
        "views in their own words, or say why" in page.locator(".govuk-error-summary").inner_text()
    )
    check_page(page, "assessment-views-errors")
    give_views(
        page,
        child="I want to get to school on time.",
        written_down_by="Leah Leadworth",
        parent="I need help with mornings.",
    )
    check_page(page, "assessment-views")
    back_to_assessment(page)

    open_section(page, "J. Conclusions, solutions and actions")
    page.get_by_label("What we think is happening, and why").fill("Mornings lack a routine.")
    page.get_by_label("What will happen next: who will do what, and by when").fill(
        "Rose and Poppy try the breakfast club from Monday; school checks in on Friday."
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("domcontentloaded")
    back_to_assessment(page)

    page.get_by_role("button", name="Draft shared with the family").click()
    page.wait_for_load_state("domcontentloaded")
    open_section(page, "K. Consent statements")
    record_assessment_consent(page, "completion", given_by="Rose Brightwater (Mother)")
    back_to_assessment(page)
    page.get_by_role("button", name="Complete the assessment").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_text("Assessment completed.")).to_be_visible()
    check_page(page, "assessment-completed")

    page.get_by_role("link", name="Check and print the family's copy").click()
    page.wait_for_load_state("domcontentloaded")
    check_page(page, "assessment-family-copy-check")
    page.get_by_role("link", name="Open the copy to print").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_text("breakfast club from Monday")).to_be_visible()
    expect(page.get_by_text("I want to get to school on time.")).to_be_visible()
    check_page(page, "assessment-family-copy")
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="Back to checking the copy")).to_be_hidden()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "assessment-family-copy.pdf"
    page.pdf(path=str(pdf))
    assert pdf.stat().st_size > 1000
    page.emulate_media(media="screen")
    page.get_by_role("link", name="Back to checking the copy").click()
    back_to_assessment(page)
    page.get_by_role("button", name="Record the date the family got its copy").click()
    page.wait_for_load_state("domcontentloaded")

    assessment = Assessment.objects.get(case=demo_case)
    assert assessment.status == Assessment.Status.COMPLETED
    assert assessment.family_copy_given_on == timezone.localdate()
    assert assessment.elements.get(element_code="learning").sources == ["child"]


def test_two_people_editing_the_same_field_lose_nothing(
    browser: Any,
    live_server: Any,
    demo_case: Case,
    people: dict[str, User],
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    # The school's safeguarding lead is the assessor; the lead professional may edit too.
    assessment = start_assessment(demo_case, child=demo_case.children.get(), by=people["school"])
    url = f"/assessments/{assessment.pk}/sections/story/"
    contexts = [browser.new_context(base_url=live_server.url, locale="en-GB") for _ in range(2)]
    try:
        first, second = (c.new_page() for c in contexts)
        for p in (first, second):
            p.set_default_timeout(15_000)
        sign_in(first, "school@demo.tac.example")
        sign_in(second, "lead@demo.tac.example")
        first.goto(url)
        second.goto(url)  # both opened the empty draft

        first.get_by_label("What's happening for this family?").fill(
            "School: Poppy arrives hungry."
        )
        first.get_by_text("Saved at").wait_for()

        mine = "Family worker: Rose works early shifts."
        box = second.get_by_label("What's happening for this family?")
        box.fill(mine)
        second.locator(".tac-conflict").wait_for()
        panel = second.locator(".tac-conflict")
        assert (
            "School: Poppy arrives hungry." in panel.locator('[data-testid="theirs"]').inner_text()
        )
        assert mine in panel.locator('[data-testid="yours"]').inner_text()
        assert box.input_value() == mine  # the second person's words stay in the box
        check_page(second, "assessment-edit-conflict")
        stored = AssessmentSection.objects.get(assessment=assessment, key="story").data
        assert stored["narrative"] == "School: Poppy arrives hungry."  # not overwritten

        # The second person takes their version into the box and adds to it: it saves as typed.
        second.get_by_role("button", name="Put their version in the box").click()
        assert box.input_value() == "School: Poppy arrives hungry."
        merged = "School: Poppy arrives hungry. " + mine
        box.fill(merged)
        second.get_by_text("Saved at").wait_for()
        stored = AssessmentSection.objects.get(assessment=assessment, key="story").data
        assert stored["narrative"] == merged

        # The first person's page is now out of date: their next change is a conflict too,
        # and they choose, having seen it, to save the text in their box.
        own = "School: Poppy arrives hungry most days. " + mine
        first.get_by_label("What's happening for this family?").fill(own)
        first.locator(".tac-conflict").wait_for()
        assert merged in first.locator('[data-testid="theirs"]').inner_text()
        first.get_by_role("button", name="Save the text in the box instead of theirs").click()
        first.wait_for_load_state("domcontentloaded")
        expect(first.get_by_text("Your changes have been saved.")).to_be_visible()
        stored = AssessmentSection.objects.get(assessment=assessment, key="story").data
        assert stored["narrative"] == own
    finally:
        for c in contexts:
            c.close()
