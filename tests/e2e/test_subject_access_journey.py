"""Information governance answers a subject access request: signs in, logs the request
from the navigation, finds everything held about the child, reviews the flagged names,
discloses one with a reason, exports the package and downloads it. Every page is
checked with axe."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case, Child, Family, FamilyMember
from cases.services.lifecycle import open_case
from disclosures.models import Disclosure, Redaction, SubjectAccessRequest
from meetings.services.contributions import add_contribution
from tests.helpers import PASSWORD, fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def held() -> Case:
    """A case about Poppy, whose brother Alfie and mother Rhiannon are named in its record."""
    agency = Agency.objects.create(name="Eastfield Family Hub", kind=AgencyKind.EARLY_HELP)
    team = Team.objects.create(agency=agency, name="Eastfield early help team")
    lead = User.objects.create_user(
        "lead@demo.tac.example", PASSWORD, full_name="Leah Leadworth", agency=agency, team=team
    )
    User.objects.create_user(
        "governance@demo.tac.example",
        PASSWORD,
        full_name="Ines Governance",
        role=User.Role.INFORMATION_GOVERNANCE,
    )
    family = Family.objects.create(name="The Brightwater family", postcode="DT2 4QB")
    poppy = Child.objects.create(
        family=family, given_names="Poppy", family_name="Brightwater", date_of_birth="2015-03-02"
    )
    Child.objects.create(
        family=family, given_names="Alfie", family_name="Brightwater", date_of_birth="2017-09-12"
    )
    FamilyMember.objects.create(
        family=family,
        given_names="Rhiannon",
        family_name="Brightwater",
        relationship=FamilyMember.Relationship.MOTHER,
        parental_responsibility=FamilyMember.ParentalResponsibility.YES,
    )
    case = open_case(family, children=[poppy], by=lead, interim_lead=lead, status="ACTIVE")
    add_contribution(
        case, by=lead, body="Poppy says Alfie takes her things; Rhiannon is working on it."
    )
    return case


def test_governance_answers_a_subject_access_request(
    page: Any,
    held: Case,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    sign_in(page, "governance@demo.tac.example")
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Subject access requests"
    ).click()
    expect(page.get_by_role("heading", name="Subject access requests", level=1)).to_be_visible()
    check_page(page, "sar-list")

    page.get_by_role("button", name="Log a subject access request").click()
    check_page(page, "sar-find-person")
    page.get_by_role("button", name="Find the person").click()
    expect(page.get_by_role("link", name="Enter the person's last name")).to_be_visible()
    check_page(page, "sar-find-person-errors")

    page.get_by_label("A child", exact=True).check()
    page.get_by_label("First name (optional)").fill("Poppy")
    page.get_by_label("Last name").fill("Brightwater")
    page.get_by_role("button", name="Find the person").click()

    expect(page.get_by_role("heading", name="About the request")).to_be_visible()
    check_page(page, "sar-about-the-request")
    page.get_by_label("Poppy Brightwater, born 2 March 2015").check()
    page.get_by_label("Name of the person who made the request").fill("Rhiannon Brightwater")
    page.get_by_label("A parent or carer, for a child").check()
    received = timezone.localdate() - dt.timedelta(days=3)
    fill_date(page, "Date the request was received", received)
    page.get_by_label("Yes, the child was consulted").check()
    page.get_by_role("button", name="Log the request").click()

    expect(page.get_by_role("heading", name="Poppy Brightwater")).to_be_visible()
    sar = SubjectAccessRequest.objects.get()
    assert sar.due_on.strftime("%-d %B %Y") in page.content()
    check_page(page, "sar-request")

    page.get_by_role("button", name="Find everything held about this person").click()
    expect(
        page.get_by_role("heading", name="Review what is held about Poppy Brightwater")
    ).to_be_visible()
    assert "Poppy says [Redacted] takes her things; [Redacted] is working on it." in page.content()
    check_page(page, "sar-review")

    mother = Redaction.objects.get(item__kind="Contribution", term="Rhiannon")
    page.locator(f"a[href$='/redactions/{mother.pk}/']").click()
    expect(page.get_by_role("heading", name=re.compile("Redact or disclose"))).to_be_visible()
    page.get_by_label("Disclose it").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_role("link", name="Enter why")).to_be_visible()
    check_page(page, "sar-redaction-errors")
    page.get_by_label("Why?").fill("The requester's own name")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator("main")).to_contain_text(
        "Poppy says [Redacted] takes her things; Rhiannon is working on it."
    )

    page.get_by_role("button", name="Export the package").first.click()
    expect(page.get_by_role("heading", name="Package ready")).to_be_visible()
    check_page(page, "sar-package-ready")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download the package")).click()
    archive = zipfile.ZipFile(Path(download_info.value.path()))
    html = archive.read(f"{sar.reference}.html").decode()
    assert "Poppy says [Redacted] takes her things; Rhiannon is working on it." in html
    assert "Alfie" not in html

    disclosure = Disclosure.objects.get()
    sar.refresh_from_db()
    assert sar.status == SubjectAccessRequest.Status.DISCLOSED
    assert disclosure.requested_by.email == "governance@demo.tac.example"
    assert list(sar.events.values_list("code", flat=True)) == [
        "sar.logged",
        "sar.searched",
        "sar.unredacted",
        "sar.export_started",
        "sar.disclosed",
        "sar.downloaded",
    ]
