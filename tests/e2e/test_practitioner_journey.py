"""A practitioner finds a child, adds a near-duplicate with a reason, starts early help,
records the family's agreement and sharing preferences and raises a safeguarding concern."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case, Child, ChildRecordCheck, ConsentRecord, Family, SafeguardingConcern
from cases.services.lifecycle import open_case
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def known_child() -> Child:
    agency = Agency.objects.create(
        name="Eastfield Family Hub", kind=AgencyKind.EARLY_HELP, phone="0300 000 2222"
    )
    team = Team.objects.create(
        agency=agency, name="Eastfield early help team", phone="0300 000 2223"
    )
    lead = User.objects.create_user(
        "lead@demo.tac.example", PASSWORD, full_name="Leah Leadworth", agency=agency, team=team
    )
    family = Family.objects.create(name="The Ashdown family", postcode="DT2 4QB")
    child = Child.objects.create(
        family=family, given_names="Rowan", family_name="Ashdown", date_of_birth="2017-09-12",
        postcode="DT2 4QB",
    )  # fmt: skip
    open_case(family, children=[child], by=lead, interim_lead=lead, status="ACTIVE")
    return child


@pytest.fixture
def health_visitor() -> User:
    agency = Agency.objects.create(name="Demo Community Health", kind=AgencyKind.HEALTH_VISITING)
    team = Team.objects.create(agency=agency, name="Health visiting north")
    return User.objects.create_user(
        "practitioner@demo.tac.example", PASSWORD, full_name="Hana Visitor", agency=agency,
        team=team, job_title="Health visitor",
    )  # fmt: skip


def test_a_practitioner_journey_from_search_to_safeguarding_concern(
    page: Any,
    known_child: Child,
    health_visitor: User,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    sign_in(page, "practitioner@demo.tac.example")
    page.goto("/cases/")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    check_page(page, "journey-my-work")

    # Find a child: a sound-alike spelling of a child in a case she cannot see.
    page.get_by_role("button", name="Find a child").click()
    check_page(page, "journey-find-child")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "journey-find-child-errors")
    page.get_by_label("Given names").fill("Rowen")
    page.get_by_label("Family name").fill("Ashdowne")
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("2017")
    page.get_by_role("button", name="Search").click()
    known = page.get_by_text("Known to early help: contact Eastfield Family Hub, 0300 000 2223")
    expect(known).to_be_visible()
    assert page.get_by_text("Rowan Ashdown").count() == 0
    check_page(page, "journey-find-child-results")

    # Add a new child: the same matching warns of the near-duplicate.
    page.get_by_role("button", name="Add a new child").click()
    assert page.get_by_label("Child's given names").input_value() == "Rowen"
    page.get_by_label("Female", exact=True).check()
    page.get_by_label("Address").fill("9 Mill Row\nDemoton")
    page.get_by_label("Postcode").fill("DT3 1XY")
    page.get_by_label("Parent or carer's given names (optional)").fill("Jo")
    page.get_by_label("Parent or carer's family name (optional)").fill("Ashdowne")
    page.get_by_label("Their relationship to the child").select_option("mother")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Start early help myself").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("This child may already have a record")).to_be_visible()
    check_page(page, "journey-add-child-possible-matches")

    page.get_by_role("button", name="Add a new record anyway").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "journey-add-child-errors")
    page.get_by_label("I have looked at the possible matches").check()
    page.get_by_label("Why are you adding a new record?").fill(
        "Different child: Rowen lives with her mother at a new address; checked with her."
    )
    page.get_by_role("button", name="Add a new record anyway").click()
    expect(page.get_by_text("You are the interim lead")).to_be_visible()
    check_page(page, "journey-case-started")
    child = Child.objects.get(given_names="Rowen")
    case = Case.objects.get(subjects__child=child)
    assert case.lead_assignment is not None
    assert case.lead_assignment.professional == health_visitor
    assert ChildRecordCheck.objects.get(child=child).possible_matches == [known_child.pk]

    # The family's agreement to early help, then their sharing preferences.
    page.get_by_role("tab", name="Family").click()  # the case page's sections
    page.get_by_role("link", name="Record agreement or sharing preferences").click()
    check_page(page, "journey-consent-form")
    page.get_by_label("Agreement to early help").check()
    page.get_by_label("Who gave it?").select_option(label="Jo Ashdowne (Mother)")
    page.get_by_label("Adult", exact=True).check()
    page.get_by_label("In writing").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # the date is missing
    check_page(page, "journey-consent-errors")
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Agreement to early help")).to_be_visible()

    page.get_by_role("tab", name="Family").click()  # the case page's sections
    page.get_by_role("link", name="Record agreement or sharing preferences").click()
    page.get_by_label("Sharing preference").check()
    page.get_by_label("Who gave it?").select_option(label="Jo Ashdowne (Mother)")
    page.get_by_label("Adult", exact=True).check()
    page.get_by_label("Verbally").check()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Additional information").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Sharing preference")).to_be_visible()
    check_page(page, "journey-case-with-consent")
    assert ConsentRecord.objects.filter(case=case).count() == 2

    # A safeguarding concern: recorded at once, with the MASH contact.
    page.get_by_role("button", name="Raise a safeguarding concern").click()
    # It asks what was seen or heard before anything is recorded.
    expect(page.get_by_role("heading", name="Raise a safeguarding concern")).to_be_visible()
    assert not SafeguardingConcern.objects.filter(case=case).exists()
    check_page(page, "journey-safeguarding-concern-question")
    page.get_by_label("What did you see or hear?").fill(
        "Rowen said she was frightened to go home tonight."
    )
    page.get_by_role("button", name="Record the concern and show the MASH contact").click()
    expect(page.get_by_role("heading", name="Contact the MASH now")).to_be_visible()
    expect(page.get_by_text(settings.TAC_MASH_CONTACT).first).to_be_visible()
    check_page(page, "journey-safeguarding-concern")
    concern = SafeguardingConcern.objects.get(case=case)
    assert concern.raised_by == health_visitor
