"""A practitioner records an unborn child against the expectant mother from "Add a child",
early help starts, and after the birth records it: the same record becomes the child's,
with its case and history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case, CaseSubject, Child, DetailChange
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def midwife() -> User:
    agency = Agency.objects.create(name="Northgate Family Hub", kind=AgencyKind.EARLY_HELP)
    team = Team.objects.create(agency=agency, name="Northgate early help team")
    return User.objects.create_user(
        "worker@demo.tac.example",
        PASSWORD,
        full_name="Rowan Keeper",
        job_title="Family support worker",
        agency=agency,
        team=team,
    )


def _fill_date(page: Any, group: str, day: dt.date) -> None:
    fields = page.get_by_role("group", name=group)
    fields.get_by_label("Day").fill(str(day.day))
    fields.get_by_label("Month").fill(str(day.month))
    fields.get_by_label("Year").fill(str(day.year))


def _submit(page: Any, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state("domcontentloaded")


def test_an_unborn_child_is_recorded_and_then_the_birth(
    page: Any,
    midwife: User,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    edd = timezone.localdate() + dt.timedelta(days=30)
    born = timezone.localdate()
    sign_in(page, "worker@demo.tac.example")
    page.get_by_role("link", name="My work").first.click()
    page.wait_for_load_state("domcontentloaded")
    page.get_by_role("button", name="Add a child").click()
    page.wait_for_load_state("domcontentloaded")
    page.get_by_role("link", name="Record an unborn child").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_role("heading", name="Record an unborn child")).to_be_visible()
    check_page(page, "unborn-form")

    # Without the mother's names it is refused, with the reasons on the fields.
    _fill_date(page, "Expected date of delivery", edd)
    _submit(page, "Record the unborn child")
    expect(page.get_by_text("Enter the expectant mother's given names").first).to_be_visible()
    check_page(page, "unborn-form-errors")
    page.get_by_label("Expectant mother's given names").fill("Rosa")
    page.get_by_label("Expectant mother's family name").fill("Lindqvist")
    page.get_by_label("Address").fill("2 Quay Row\nDemoton")
    page.get_by_label("Postcode").fill("DT1 4QR")
    _submit(page, "Record the unborn child")

    # Early help starts: the case page shows the unborn child and the expected date.
    page.get_by_role("tab", name="Family").click()  # the case page's sections
    expect(page.get_by_role("heading", name="Unborn baby Lindqvist")).to_be_visible()
    expect(page.get_by_text(f"{edd:%-d %B %Y}").first).to_be_visible()
    check_page(page, "unborn-case-page")
    child = Child.objects.get(family_name="Lindqvist")
    case = Case.objects.get(subjects__child=child)
    assert child.is_unborn
    assert child.expectant_mother is not None
    assert child.expectant_mother.full_name == "Rosa Lindqvist"

    # After the birth: record it from the child's card.
    page.get_by_role("link", name="Record the birth of Unborn baby Lindqvist").click()
    page.wait_for_load_state("domcontentloaded")
    check_page(page, "record-birth")
    _fill_date(page, "Date of birth", born)
    page.get_by_label("Child's given names").fill("Ada")
    page.get_by_label("Female").check()
    _submit(page, "Record the birth")

    expect(page.get_by_role("heading", name="Ada Lindqvist")).to_be_visible()
    expect(page.get_by_text("The birth of Ada Lindqvist was recorded.")).to_be_visible()
    check_page(page, "born-case-page")
    child.refresh_from_db()
    assert not child.is_unborn
    assert child.date_of_birth == born
    assert child.expected_date_of_delivery == edd
    assert CaseSubject.objects.filter(case=case, child=child, is_open=True).exists()
    assert DetailChange.objects.filter(child=child, field_name="is_unborn").exists()
