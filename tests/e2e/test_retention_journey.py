"""Information governance signs in, reviews the records due for disposal, places a legal
hold on one case, confirms the other's disposal, lifts the hold and confirms that one
too; the disposal register then names both, and no page has an accessibility fault."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case, CaseSubject, Child, Family
from meetings.models import Review
from retention import services
from retention.parts import REMOVED
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFIRM_LABEL = "I have checked this record and it may be disposed of as described"


def _closed_case(reference: str, given_names: str, lead: User) -> Case:
    """A case closed in 2019 about a child born in 2000: 25 in 2025, so due now."""
    family = Family.objects.create(name=f"The {given_names} Marchbank family")
    child = Child.objects.create(
        family=family,
        given_names=given_names,
        family_name="Marchbank",
        date_of_birth=dt.date(2000, 6, 1),
    )
    closed = dt.datetime(2019, 7, 1, 10, tzinfo=dt.UTC)
    case = Case.objects.create(
        reference=reference,
        family=family,
        status=Case.Status.CLOSED,
        opened_at=closed - dt.timedelta(days=200),
        closed_at=closed,
        closure_reason="NEEDS_MET",
        opened_by=lead,
    )
    CaseSubject.objects.create(case=case, child=child, is_open=False)
    Review.objects.create(
        case=case,
        reviewed_at=closed,
        child_views=f"{given_names} likes the youth club",
        recorded_by=lead,
    )
    return case


@pytest.fixture
def due_for_disposal() -> tuple[Case, Case]:
    """Two closed cases past their schedule, listed by the nightly task."""
    agency = Agency.objects.create(name="Eastfield Family Hub", kind=AgencyKind.EARLY_HELP)
    team = Team.objects.create(agency=agency, name="Eastfield early help team")
    lead = User.objects.create_user(
        "lead@demo.tac.example", PASSWORD, full_name="Leah Leadworth", agency=agency, team=team
    )
    User.objects.create_user(
        "auditor@demo.tac.example",
        PASSWORD,
        full_name="Ines Governance",
        role=User.Role.INFORMATION_GOVERNANCE,
    )
    first = _closed_case("EH-001901", "Wren", lead)
    second = _closed_case("EH-001902", "Ashby", lead)
    services.list_due_records()
    return first, second


def _open_retention(page: Any) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Retention").click()
    expect(page.get_by_role("heading", name="Records due for disposal", level=1)).to_be_visible()


def _confirm(page: Any, reference: str, check_page: Callable[[Any, str], None]) -> None:
    page.get_by_role("link", name=f"Review {reference}").click()
    page.get_by_label(CONFIRM_LABEL).check()
    page.get_by_role("button", name="Confirm disposal").click()
    expect(page.get_by_text(f"{reference}: anonymised.")).to_be_visible()


def test_governance_reviews_holds_and_confirms_disposal(
    page: Any,
    due_for_disposal: tuple[Case, Case],
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    first, second = due_for_disposal
    sign_in(page, "auditor@demo.tac.example")
    _open_retention(page)
    due = page.get_by_role("table", name="Due for disposal, earliest first")
    expect(due.get_by_role("cell", name=first.reference, exact=True)).to_be_visible()
    expect(due.get_by_role("cell", name=second.reference, exact=True)).to_be_visible()
    check_page(page, "retention-due")

    # A legal hold on the second case.
    page.get_by_role("link", name="Legal holds").click()
    check_page(page, "retention-holds-empty")
    page.get_by_role("link", name="Place a legal hold").click()
    page.get_by_role("button", name="Place the hold").click()
    expect(page.get_by_role("link", name="Enter the case reference")).to_be_visible()
    check_page(page, "retention-place-hold-errors")
    page.get_by_label("Case reference").fill(second.reference)
    page.get_by_label("This case and everything recorded on it").check()
    page.get_by_label("Why must these records be kept?").fill("A claim against the council")
    page.get_by_role("button", name="Place the hold").click()
    expect(page.get_by_text(f"Legal hold placed on {second.reference}.")).to_be_visible()
    expect(page.get_by_role("cell", name=f"Case {second.reference}")).to_be_visible()

    # The held case cannot be confirmed; the other can, once the box is ticked.
    _open_retention(page)
    expect(page.get_by_text("Legal hold", exact=True)).to_be_visible()
    page.get_by_role("link", name=f"Review {second.reference}").click()
    expect(page.get_by_text("A legal hold covers this record")).to_be_visible()
    assert page.get_by_role("button", name="Confirm disposal").count() == 0
    check_page(page, "retention-held-item")
    page.get_by_role("link", name="Back to records due for disposal").click()
    page.get_by_role("link", name=f"Review {first.reference}").click()
    check_page(page, "retention-item")
    page.get_by_role("button", name="Confirm disposal").click()
    expect(
        page.get_by_role("link", name="Confirm that this record may be disposed of")
    ).to_be_visible()
    check_page(page, "retention-item-error")
    page.get_by_label(CONFIRM_LABEL).check()
    page.get_by_role("button", name="Confirm disposal").click()
    expect(page.get_by_text(f"{first.reference}: anonymised.")).to_be_visible()
    assert Review.objects.get(case=first).child_views == REMOVED
    assert Review.objects.get(case=second).child_views == "Ashby likes the youth club"

    # The hold is lifted with its reason; the second case can go too.
    page.get_by_role("link", name="Legal holds").click()
    page.get_by_role("link", name="Lift legal hold").click()
    check_page(page, "retention-lift-hold")
    page.get_by_label("Why can the hold be lifted?").fill("The claim was settled")
    page.get_by_role("button", name="Lift the hold").click()
    expect(page.get_by_text("Legal hold lifted.")).to_be_visible()
    _open_retention(page)
    _confirm(page, second.reference, check_page)
    expect(page.get_by_text("No records are due for disposal.")).to_be_visible()

    page.get_by_role("link", name="Disposal register").click()
    register = page.get_by_role("table", name="Disposals, newest first")
    expect(register.get_by_role("cell", name=first.reference, exact=True)).to_be_visible()
    expect(register.get_by_role("cell", name=second.reference, exact=True)).to_be_visible()
    assert "Wren" not in page.content()
    check_page(page, "retention-register")
