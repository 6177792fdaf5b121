"""A practitioner keeps a family's record true from the case page: corrects a child's
date of birth with a reason and sees the history, adds a second carer with parental
responsibility, and adds the child's brother to the case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case, Child, DetailChange, Family, FamilyMember
from cases.services.lifecycle import open_case
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_case() -> Case:
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
    assert page.get_by_role("heading", name="The Meadowbank family").is_visible()
    check_page(page, "family-record-case-page")

    # Correct Alfie's date of birth: without a reason it is refused.
    page.get_by_role("tab", name="Family").click()  # the case page's sections
    page.get_by_role("link", name="Change Alfie Meadowbank's details").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_role("heading", name="Change Alfie Meadowbank's details").is_visible()
    check_page(page, "family-record-child-form")
    _fill_date(page, 19, 6, 2014)
    _submit(page, "Save the changes")
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_text(
        "Say why the name, date of birth or address is changing"
    ).first.is_visible()
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
    check_page(page, "family-record-adult-form")
    _submit(page, "Add this person")
    adults = page.locator(".govuk-summary-card", has_text="Dale Meadowbank")
    assert "Father" in adults.inner_text()
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
    assert page.locator(".govuk-summary-card__title", has_text="Noah Meadowbank").is_visible()
    check_page(page, "family-record-sibling-added")

    noah = Child.objects.get(given_names="Noah")
    assert noah.family_id == demo_case.family_id
    assert set(demo_case.children.values_list("given_names", flat=True)) == {"Alfie", "Noah"}
    assert demo_case.family.members.filter(parental_responsibility="yes").count() == 2
    assert list(DetailChange.objects.values_list("field_name", flat=True)) == ["date_of_birth"]
