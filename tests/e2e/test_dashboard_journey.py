"""A team manager opens the caseload dashboard, follows an overdue figure to its list
and records why a review is late; the coordinator of a large authority types the agency
to filter by."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case, Child, Family
from cases.services.lifecycle import open_case
from dashboards.services import refresh_summaries
from meetings.models import FamilyFeedback, Review
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def overdue_case() -> Case:
    agency = Agency.objects.create(name="Eastfield Family Hub", kind=AgencyKind.EARLY_HELP)
    team = Team.objects.create(agency=agency, name="Eastfield early help team", locality="East")
    lead = User.objects.create_user(
        "lead@demo.tac.example", PASSWORD, full_name="Leah Leadworth", agency=agency, team=team
    )
    manager = User.objects.create_user(
        "manager@demo.tac.example",
        PASSWORD,
        full_name="Mina Manager",
        agency=agency,
        role=User.Role.TEAM_MANAGER,
    )
    team.managers.add(manager)
    family = Family.objects.create(name="The Brightwater family", postcode="DT2 4QB")
    child = Child.objects.create(
        family=family, given_names="Poppy", family_name="Brightwater", date_of_birth="2015-03-02"
    )
    case = open_case(family, children=[child], by=lead, interim_lead=lead, status="ACTIVE")
    review = Review.objects.create(
        case=case,
        reviewed_at=timezone.now() - dt.timedelta(days=30),
        child_views="ok",
        recorded_by=lead,
    )
    FamilyFeedback.objects.create(
        review=review,
        given_by="parent",
        answer="working",
        in_their_words="We have one person to call now.",
        may_quote=True,
        recorded_by=lead,
        recorded_at=timezone.now(),
    )
    case.next_review_due = timezone.localdate() - dt.timedelta(days=4)
    case.save(update_fields=["next_review_due"])
    refresh_summaries()
    return case


def test_a_manager_reads_the_dashboard_and_explains_a_late_review(
    page: Any,
    overdue_case: Case,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    sign_in(page, "manager@demo.tac.example")
    page.goto("/dashboards/")
    expect(page.get_by_role("heading", name="Caseload dashboard")).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert page.locator("svg[role=img]").count() >= 7
    check_page(page, "dashboard-team")

    page.get_by_role("link", name="List the overdue reviews and say why they are late").click()
    expect(page.get_by_role("heading", name="Overdue reviews")).to_be_visible()
    expect(page.get_by_role("link", name=overdue_case.reference, exact=True)).to_be_visible()
    check_page(page, "dashboard-overdue-reviews")

    page.get_by_role("link", name=f"Say why it is late for {overdue_case.reference}").click()
    page.get_by_label("Why is it late?").fill("The family asked to move the meeting")
    check_page(page, "dashboard-late-reason")
    page.get_by_role("button", name="Save the reason").click()

    expect(page.get_by_role("heading", name="Overdue reviews")).to_be_visible()
    expect(page.get_by_text("The family asked to move the meeting")).to_be_visible()
    overdue_case.refresh_from_db()
    assert overdue_case.review_late_reason == "The family asked to move the meeting"


def test_the_coordinator_reads_the_authority_dashboard_and_filters_it(
    page: Any,
    overdue_case: Case,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    agency = Agency.objects.get(name="Eastfield Family Hub")
    User.objects.create_user(
        "coordinator@demo.tac.example",
        PASSWORD,
        full_name="Cora Coordinator",
        agency=agency,
        role=User.Role.COORDINATOR,
    )
    sign_in(page, "coordinator@demo.tac.example")
    page.goto("/dashboards/")
    expect(page.get_by_role("heading", name="Caseload dashboard")).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert page.locator("svg[role=img]").count() >= 7
    expect(page.get_by_text("We have one person to call now.")).to_be_visible()
    check_page(page, "dashboard-authority")

    page.get_by_role("link", name="List the overdue reviews and say why they are late").click()
    expect(page.get_by_role("link", name=overdue_case.reference, exact=True)).to_be_visible()
    check_page(page, "dashboard-authority-overdue-reviews")


def test_the_coordinator_of_a_large_authority_types_the_agency_to_filter_by(
    page: Any,
    overdue_case: Case,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    hub = Agency.objects.get(name="Eastfield Family Hub")
    User.objects.create_user(
        "coordinator@demo.tac.example",
        PASSWORD,
        full_name="Cora Coordinator",
        agency=hub,
        role=User.Role.COORDINATOR,
    )
    for i in range(70):  # too many to list
        Agency.objects.create(name=f"Northgate primary school {i:02d}", kind=AgencyKind.SCHOOL)
    refresh_summaries()
    sign_in(page, "coordinator@demo.tac.example")
    page.goto("/dashboards/")
    box = page.get_by_role("textbox", name="Lead professional's agency")
    expect(box).to_be_visible()
    expect(page.get_by_text("agencies in all. Type part of the agency's name.")).to_be_visible()
    open_episodes = page.locator("#open-episodes + .tac-tiles .tac-tile__value")
    expect(open_episodes).to_have_text("1")

    # Several match: choose one from the list.
    box.fill("primary school 1")
    page.get_by_role("button", name="Show").click()
    expect(
        page.get_by_role("heading", name="10 agencies have “primary school 1” in their name")
    ).to_be_visible()
    check_page(page, "dashboard-agency-matches")
    page.get_by_role("link", name="Northgate primary school 12").click()
    expect(box).to_have_value("Northgate primary school 12")
    expect(open_episodes).to_have_text("0")
    expect(page.locator("#agency-matches")).to_have_count(0)

    # One matches: applied at once; its overdue reviews are a link away, by id.
    box.fill("eastfield")
    page.get_by_role("button", name="Show").click()
    expect(box).to_have_value("Eastfield Family Hub")
    expect(open_episodes).to_have_text("1")
    page.get_by_role("link", name="List the overdue reviews and say why they are late").click()
    expect(page.get_by_role("link", name=overdue_case.reference, exact=True)).to_be_visible()
    expect(box).to_have_value("Eastfield Family Hub")
    page.go_back()

    # None: said at the box, which keeps what was typed.
    box.fill("Westmoor academy")
    page.get_by_role("button", name="Show").click()
    error = page.get_by_role("link", name='No agency has "Westmoor academy" in its name')
    expect(error).to_be_visible()
    error.click()
    expect(box).to_be_focused()
    expect(box).to_have_value("Westmoor academy")
    check_page(page, "dashboard-agency-not-found")

    # Emptied: every agency again.
    box.fill("")
    page.get_by_role("button", name="Show").click()
    expect(open_episodes).to_have_text("1")
    expect(page.get_by_role("heading", name="There is a problem")).to_have_count(0)


def _box(page: Any, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return dict(box)


def test_charts_sit_beside_their_tables_and_stack_on_a_phone(
    page: Any,
    overdue_case: Case,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    agency = Agency.objects.get(name="Eastfield Family Hub")
    User.objects.create_user(
        "coordinator@demo.tac.example",
        PASSWORD,
        full_name="Cora Coordinator",
        agency=agency,
        role=User.Role.COORDINATOR,
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "coordinator@demo.tac.example")
    page.goto("/dashboards/")
    expect(page.get_by_text("when they were last computed")).to_be_visible()
    pair = ".tac-dash-pair:has(svg)"
    assert page.locator(pair).count() == 7
    chart, table = _box(page, f"{pair} svg"), _box(page, f"{pair} table")
    assert chart["x"] + chart["width"] <= table["x"]  # side by side
    assert abs(chart["y"] - table["y"]) < 80
    # The headline figures are in the GOV.UK type of the page's headings, not a default.
    font = page.evaluate(
        """() => {
          const value = getComputedStyle(document.querySelector('.tac-tile__value'));
          const h1 = getComputedStyle(document.querySelector('h1'));
          return [value.fontFamily, h1.fontFamily, parseFloat(value.fontSize), value.fontWeight];
        }"""
    )
    assert font[0] == font[1]
    assert font[2] >= 27
    assert font[3] == "700"
    desktop_height = page.evaluate("document.documentElement.scrollHeight")
    check_page(page, "dashboard-authority-layout")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/dashboards/")
    chart, table = _box(page, f"{pair} svg"), _box(page, f"{pair} table")
    assert table["y"] >= chart["y"] + chart["height"]  # stacked
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    check_page(page, "dashboard-authority-layout-phone")
    assert desktop_height < page.evaluate("document.documentElement.scrollHeight")
