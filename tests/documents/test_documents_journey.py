"""A school's safeguarding lead adds a signed consent form to a case in the browser, sees it
on the case and downloads it; a file carrying a virus is quarantined and they are told why.
The real ClamAV daemon scans every upload (tests/clamav.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case, Child, Family
from cases.services.lifecycle import open_case
from cases.services.teams import add_professional_to_team
from documents.models import Document, DocumentDownload
from tests import clamav
from tests.documents.conftest import PDF_BYTES
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEAD = "lead@demo.tac.example"
SCHOOL = "school@demo.tac.example"


def _professional(email: str, name: str, title: str, team: Team) -> User:
    return User.objects.create_user(
        email, PASSWORD, full_name=name, job_title=title, agency=team.agency, team=team
    )


@pytest.fixture
def starting_case() -> Case:
    """A case led by an early help worker with a school's safeguarding lead on its team;
    the journey adds every document."""
    hub = Agency.objects.create(name="Northgate Family Hub", kind=AgencyKind.EARLY_HELP)
    school = Agency.objects.create(name="Eastfield Primary School", kind=AgencyKind.SCHOOL)
    lead = _professional(
        LEAD,
        "Rowan Reid",
        "Family support worker",
        Team.objects.create(agency=hub, name="Northgate early help team"),
    )
    teacher = _professional(
        SCHOOL,
        "Sasha Teach",
        "Designated safeguarding lead",
        Team.objects.create(agency=school, name="Pastoral team"),
    )
    family = Family.objects.create(name="The Brookfield family", postcode="DT3 5QC")
    child = Child.objects.create(
        family=family, given_names="Poppy", family_name="Brookfield", date_of_birth="2017-03-02"
    )
    case = open_case(family, children=[child], by=lead, interim_lead=lead, status="ACTIVE")
    add_professional_to_team(case, professional=teacher, by=lead)
    return case


def test_a_member_adds_a_document_sees_it_on_the_case_and_downloads_it(
    page: Any,
    starting_case: Case,
    tmp_path: Path,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    case = starting_case
    consent = tmp_path / "consent-scan.pdf"
    consent.write_bytes(PDF_BYTES)
    infected = tmp_path / "report.txt"
    infected.write_bytes(clamav.EICAR)

    # 1. From the home page to the case, and its documents section.
    sign_in(page, SCHOOL)
    page.goto("/")
    page.get_by_role("link", name=case.reference).click()
    page.get_by_role("tab", name="Documents").click()  # the case page's sections
    expect(page.get_by_role("heading", name="Documents", exact=True)).to_be_visible()
    expect(page.get_by_text("No documents have been added to this case.")).to_be_visible()
    page.get_by_role("link", name="Add a document").click()
    expect(page.get_by_role("heading", name="Add a document")).to_be_visible()
    check_page(page, "documents-add")

    # 2. Sent with nothing filled in: every field says what it needs.
    page.get_by_role("button", name="Add the document").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Give the document a title")
    expect(summary).to_contain_text("Choose the file to add")
    check_page(page, "documents-add-errors")

    # 3. The signed consent form, scanned and added.
    page.get_by_label("Title").fill("Signed consent form")
    page.get_by_label("File").set_input_files(str(consent))
    page.get_by_label("Consent form").check()
    page.get_by_label("The whole team around the child").check()
    page.get_by_role("button", name="Add the document").click()
    expect(page.get_by_text("no virus was found")).to_be_visible()
    expect(page.get_by_role("heading", name="Signed consent form")).to_be_visible()
    check_page(page, "documents-detail")

    # 4. It is on the case page, and it downloads as an attachment.
    page.get_by_role("link", name="Back to the documents").click()
    page.get_by_role("link", name="Back to the case").click()
    panel = page.locator("table", has_text="Signed consent form")
    expect(panel).to_contain_text("Consent form")
    check_page(page, "case-with-documents")
    panel.get_by_role("link", name="Signed consent form").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download Signed consent form").click()
    download = download_info.value
    assert download.suggested_filename == "Signed consent form.pdf"
    assert Path(download.path()).read_bytes() == PDF_BYTES
    assert DocumentDownload.objects.filter(user__email=SCHOOL).count() == 1

    # 5. A file carrying a virus is quarantined, and the uploader is told why.
    page.get_by_role("link", name="Back to the documents").click()
    check_page(page, "documents-list")
    page.get_by_role("link", name="Add a document").click()
    page.get_by_label("Title").fill("School report")
    page.get_by_label("File").set_input_files(str(infected))
    page.get_by_label("Report", exact=True).check()
    page.get_by_role("button", name="Add the document").click()
    expect(page.get_by_text("The document was quarantined and nobody can open it.")).to_be_visible()
    expect(page.locator("main")).to_contain_text(clamav.SIGNATURE_NAME)
    check_page(page, "documents-quarantined")
    assert Document.objects.filter(case=case).count() == 2
