"""The system administrator brings a caseload in: from sign-in, through the navigation,
a file with problems (the dry run says which rows and columns), then the corrected file,
confirmed and imported; every page checked with axe."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from agencies.models import Team, User
from cases.models import Child
from imports.models import ImportBatch, ImportedRecord
from tests import personas
from tests.imports.caseload import good_file, mixed_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def authority() -> User:
    """The lead and the school's member have accounts; Jamie Fairweather is in the portal
    already; Ada administers the service."""
    early_help = personas.early_help_team(personas.early_help_agency())
    school: Team = personas.school_team(personas.school_agency())
    personas.lead(early_help)
    personas.member(school)
    personas.child(personas.family(1))
    return personas.admin_user()


def test_the_administrator_checks_a_file_then_imports_the_corrected_one(
    page: Any,
    authority: User,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
    tmp_path: Path,
) -> None:
    sign_in(page, authority.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Import records").click()
    expect(page.get_by_role("heading", name="Import records", level=1)).to_be_visible()
    check_page(page, "import-records")

    page.get_by_role("link", name="Upload a file").click()
    check_page(page, "import-upload")
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("link", name="Choose a CSV or XLSX file to upload")).to_be_visible()
    check_page(page, "import-upload-error")

    with_problems = tmp_path / "caseload.xlsx"
    with_problems.write_bytes(mixed_file())
    page.get_by_label("Upload a file").set_input_files(str(with_problems))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Dry run")).to_be_visible()
    table = page.get_by_role("table", name="Row by row")
    assert (
        table.get_by_role("row")
        .filter(has_text="C4")
        .filter(has_text="Column date_of_birth")
        .count()
        == 1
    )
    assert (
        table.get_by_role("row")
        .filter(has_text="C3")
        .filter(has_text="Matches an existing record")
        .count()
        == 1
    )
    assert page.get_by_role("button", name="Confirm and import").count() == 0
    check_page(page, "import-dry-run-problems")

    page.get_by_role("link", name="Upload a corrected file").click()
    corrected = tmp_path / "caseload-corrected.xlsx"
    corrected.write_bytes(good_file())
    page.get_by_label("Upload a file").set_input_files(str(corrected))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("10 records will be created")).to_be_visible()
    check_page(page, "import-dry-run")
    assert not ImportedRecord.objects.exists()

    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    check_page(page, "import-complete")
    batch = ImportBatch.objects.get(file_name="caseload-corrected.xlsx")
    assert batch.status == ImportBatch.Status.DONE
    assert ImportedRecord.objects.filter(batch=batch).count() == 10
    assert Child.objects.filter(family_name="Okafor").count() == 2

    page.get_by_role("link", name="Back to import records").click()
    expect(page.get_by_role("link", name="caseload-corrected.xlsx")).to_be_visible()
