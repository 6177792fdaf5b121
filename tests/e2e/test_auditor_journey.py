"""Information governance signs in, opens the access report from the navigation, filters
it to one professional and downloads what it shows as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case, Child, Family
from cases.services.lifecycle import open_case
from cases.services.teams import add_professional_to_team
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def looked_at() -> Case:
    """A case that its lead and a school's member have each opened, in the ordinary way."""
    agency = Agency.objects.create(name="Eastfield Family Hub", kind=AgencyKind.EARLY_HELP)
    team = Team.objects.create(agency=agency, name="Eastfield early help team")
    school = Agency.objects.create(name="Riverside Primary School", kind=AgencyKind.SCHOOL)
    lead = User.objects.create_user(
        "lead@demo.tac.example", PASSWORD, full_name="Leah Leadworth", agency=agency, team=team
    )
    teacher = User.objects.create_user(
        "teacher@demo.tac.example", PASSWORD, full_name="Tariq Teacher", agency=school
    )
    User.objects.create_user(
        "auditor@demo.tac.example",
        PASSWORD,
        full_name="Ines Governance",
        role=User.Role.INFORMATION_GOVERNANCE,
    )
    family = Family.objects.create(name="The Brightwater family", postcode="DT2 4QB")
    first = Child.objects.create(
        family=family, given_names="Poppy", family_name="Brightwater", date_of_birth="2015-03-02"
    )
    second = Child.objects.create(
        family=family, given_names="Alfie", family_name="Brightwater", date_of_birth="2017-09-12"
    )
    case = open_case(family, children=[first, second], by=lead, interim_lead=lead, status="ACTIVE")
    add_professional_to_team(case, professional=teacher, by=lead)
    for user in (lead, teacher):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    return case


def test_the_auditor_filters_the_access_report_and_downloads_it(
    page: Any,
    looked_at: Case,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
    tmp_path: Path,
) -> None:
    sign_in(page, "auditor@demo.tac.example")
    menu = page.get_by_role("navigation", name="Menu")
    assert "Add a child" not in page.content()
    assert menu.get_by_role("link", name="Find a child").count() == 0
    # The home page is the auditor's first item; go there through the menu all the same.
    menu.get_by_role("link", name="Emergency access reviews").click()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Access report").click()
    expect(page.get_by_role("heading", name="Access report", level=1)).to_be_visible()
    # check_page also finds any content outside a landmark (the account bar is in the banner).
    check_page(page, "access-report")

    table = page.get_by_role("region", name="Accesses")
    assert "Leah Leadworth" in table.inner_text()
    assert "Tariq Teacher" in table.inner_text()
    assert "cases:detail" not in table.inner_text()

    page.get_by_label("Person").fill("tariq")
    page.get_by_label("Case reference").fill(looked_at.reference)
    page.get_by_label("Kind of access").select_option(label="Case page")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_role("heading", name="Accesses matching your filters")).to_be_visible()
    rows = page.get_by_role("region", name="Accesses").locator("tbody tr")
    assert rows.count() == 1  # one access, though it showed two children
    assert "Tariq Teacher" in rows.first.inner_text()
    assert "2 children" in rows.first.inner_text()
    # On a phone the table scrolls inside its own region, never the page (check_page: 390 px).
    check_page(page, "access-report-filtered")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download these accesses as CSV").click()
    download = info.value
    target = tmp_path / "report.csv"
    download.save_as(str(target))
    lines = list(csv.reader(io.StringIO(target.read_text())))
    assert lines[0][:4] == ["When", "Who", "Role and agency", "Case"]
    assert [(row[1], row[3], row[4], row[6]) for row in lines[1:]] == [
        ("Tariq Teacher", looked_at.reference, "Case page", "2")
    ]
