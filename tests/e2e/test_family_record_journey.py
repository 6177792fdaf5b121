"""A practitioner keeps a family's record true from the case page: corrects a child's
date of birth with a reason and sees the history, adds a second carer with parental
responsibility who agreed to text reminders, and adds the child's brother to the case.
Starting the assessment, they are prompted for the facts the statutory returns need,
record ethnicity and special educational needs, and the coordinator sees them counted on
the equality dashboard (M16)."""

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
from cases.models import Case, Child, DetailChange, Family, FamilyMember
from cases.services.lifecycle import open_case
from dashboards.services import refresh_summaries
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
def demo_case(template: AssessmentTemplate) -> Case:
    agency = Agency.objects.create(name="Northgate Family Hub", kind=AgencyKind.EARLY_HELP)
    team = Team.objects.create(agency=agency, name="Northgate early help team")
    lead = User.objects.create_user(
        "lead@demo.tac.example",
        PASSWORD,
        full_name="Rowan Keeper",
        job_title="Family support worker",
        agency=agency,
        team=team,
    )
    User.objects.create_user(
        "coordinator@demo.tac.example",
        PASSWORD,
        full_name="Cora Coordinator",
        agency=agency,
        role=User.Role.COORDINATOR,
    )
    family = Family.objects.create(
        name="The Meadowbank family", address="4 Willow Lane\nDemoton", postcode="DT3 5QC"
    )
    FamilyMember.objects.create(
        family=family,
        given_names="Tess",
        family_name="Meadowbank",
        relationship=FamilyMember.Relationship.MOTHER,
        parental_responsibility=FamilyMember.ParentalResponsibility.YES,
    )
    child = Child.objects.create(
        family=family,
        given_names="Alfie",
        family_name="Meadowbank",
        date_of_birth=dt.date(2014, 6, 9),
        address=family.address,
        postcode=family.postcode,
    )
    return open_case(family, children=[child], by=lead, interim_lead=lead, status="ACTIVE")


def _fill_date(page: Any, day: int, month: int, year: int) -> None:
    page.get_by_label("Day").fill(str(day))
    page.get_by_label("Month").fill(str(month))
    page.get_by_label("Year").fill(str(year))


def _submit(page: Any, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state("domcontentloaded")


def test_a_practitioner_keeps_the_family_record_true(
    page: Any,
    demo_case: Case,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    sign_in(page, "lead@demo.tac.example")
    page.get_by_role("link", name=demo_case.reference).click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_role("heading", name="The Meadowbank family")).to_be_visible()
    check_page(page, "family-record-case-page")

    # Correct Alfie's date of birth: without a reason it is refused.
    page.get_by_role("tab", name="Family").click()  # the case page's sections
    page.get_by_role("link", name="Change Alfie Meadowbank's details").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_role("heading", name="Change Alfie Meadowbank's details")).to_be_visible()
    check_page(page, "family-record-child-form")
    _fill_date(page, 19, 6, 2014)
    _submit(page, "Save the changes")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(
        page.get_by_text("Say why the name, date of birth or address is changing").first
    ).to_be_visible()
    check_page(page, "family-record-child-errors")
    page.get_by_label("Why are these details changing?").fill(
        "Birth certificate seen at the home visit"
    )
    _submit(page, "Save the changes")
    # Back on the case page, its Family section open at the child's details.
    assert f"/cases/{demo_case.pk}/#" in page.url
    history = page.locator("#child-history")
    assert "Birth certificate seen at the home visit" in history.inner_text()
    assert "9 June 2014" in history.inner_text()
    assert "19 June 2014" in history.inner_text()
    assert "Rowan Keeper" in history.inner_text()
    check_page(page, "family-record-history")

    # A second carer, with parental responsibility, who lives elsewhere.
    page.get_by_role("link", name="Add a parent, carer or family member").click()
    page.wait_for_load_state("domcontentloaded")
    page.get_by_label("Given names").fill("Dale")
    page.get_by_label("Family name").fill("Meadowbank")
    page.get_by_label("Relationship to the child").select_option("father")
    page.locator("fieldset", has_text="Do they have parental responsibility?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("No, for example a parent who lives elsewhere").check()
    page.get_by_label("Phone number (optional)").fill("07700 900456")
    page.get_by_label("How do they prefer to be contacted? (optional)").select_option("text")
    # He agrees to text reminders of meetings, but the mobile number is forgotten first.
    page.get_by_label("They agreed to get text message reminders of meetings").check()
    _submit(page, "Add this person")
    expect(page.get_by_text("Enter their mobile number, or untick the text").first).to_be_visible()
    check_page(page, "family-record-adult-errors")
    page.get_by_label("Mobile number for text messages (optional)").fill("07700 900456")
    check_page(page, "family-record-adult-form")
    _submit(page, "Add this person")
    adults = page.locator(".govuk-summary-card", has_text="Dale Meadowbank")
    assert "Father" in adults.inner_text()
    row = adults.locator(".govuk-summary-list__row", has_text="Text messages")
    assert "Agreed to text reminders" in row.locator("dd").inner_text()
    row = adults.locator(".govuk-summary-list__row", has_text="Parental responsibility")
    assert row.locator("dd").inner_text() == "Yes"
    row = adults.locator(".govuk-summary-list__row", has_text="Lives with the child")
    assert row.locator("dd").inner_text() == "No"

    # Alfie's brother joins the case, after the duplicate check finds no one.
    page.get_by_role("link", name="Add a brother or sister to this case").click()
    page.wait_for_load_state("domcontentloaded")
    page.get_by_label("Child's given names").fill("Noah")
    page.get_by_label("Child's family name").fill("Meadowbank")
    _fill_date(page, 2, 3, 2018)
    page.get_by_label("Male", exact=True).check()
    check_page(page, "family-record-sibling-form")
    _submit(page, "Add the child")
    expect(page.locator(".govuk-summary-card__title", has_text="Noah Meadowbank")).to_be_visible()
    check_page(page, "family-record-sibling-added")

    noah = Child.objects.get(given_names="Noah")
    assert noah.family_id == demo_case.family_id
    assert set(demo_case.children.values_list("given_names", flat=True)) == {"Alfie", "Noah"}
    assert demo_case.family.members.filter(parental_responsibility="yes").count() == 2
    assert list(DetailChange.objects.values_list("field_name", flat=True)) == ["date_of_birth"]

    # Starting Alfie's assessment: the facts nobody has asked about yet are named, and
    # the assessment carries on without them.
    page.get_by_role("tab", name="Assessment").click()  # the case page's sections
    page.get_by_role("link", name="Start an assessment for Alfie Meadowbank").click()
    page.wait_for_load_state("domcontentloaded")
    _submit(page, "Start the assessment")
    banner = page.locator("#missing-facts")
    assert "ethnicity" in banner.inner_text()
    assert "special educational needs" in banner.inner_text()
    assert "You can carry on with the assessment without them." in banner.inner_text()
    check_page(page, "family-record-assessment-prompt")
    banner.get_by_role("link", name="Record Alfie Meadowbank's details").click()
    page.wait_for_load_state("domcontentloaded")
    page.get_by_label("Ethnicity").select_option("WROM")
    page.locator("fieldset", has_text="Special educational needs").get_by_label(
        "SEN support"
    ).check()
    page.locator("fieldset", has_text="Does the child have a disability?").get_by_label(
        "No", exact=True
    ).check()
    check_page(page, "family-record-statutory-facts")
    _submit(page, "Save the changes")
    alfie = page.locator(f"#child-{demo_case.children.get(given_names='Alfie').pk}")
    assert "Gypsy/Roma" in alfie.inner_text()
    assert "SEN support" in alfie.inner_text()
    check_page(page, "family-record-facts-saved")
    page.get_by_role("button", name="Continue the assessment of Alfie Meadowbank").click()
    page.wait_for_load_state("domcontentloaded")
    expect(
        page.get_by_role("heading", name="Early help assessment of Alfie Meadowbank")
    ).to_be_visible()
    banner = page.locator("#missing-facts")
    assert "ethnicity" not in banner.inner_text()  # first language is still to ask about
    assert "special educational needs" not in banner.inner_text()
    page.get_by_role("button", name="Sign out").click()

    # The equality figures are rebuilt on their schedule; the coordinator reads them.
    refresh_summaries()
    sign_in(page, "coordinator@demo.tac.example")
    page.get_by_role("link", name="Dashboard", exact=True).first.click()
    page.wait_for_load_state("domcontentloaded")
    # Each equality table is folded away under its caption: open the two to read.
    page.locator("summary", has_text="Equality: ethnicity").click()
    page.locator("summary", has_text="Equality: special educational needs").click()
    ethnicity = page.locator("table", has_text="Equality: ethnicity")
    row = ethnicity.locator("tr", has_text="Gypsy/Roma")
    assert row.locator("td").first.inner_text().strip() == "1"
    sen = page.locator("table", has_text="Equality: special educational needs")
    row = sen.locator("tr", has_text="SEN support")
    assert row.locator("td").first.inner_text().strip() == "1"
    check_page(page, "family-record-equality-dashboard")
