"""A worker leaves: their manager finds the open caseload on the dashboard and hands it
on; the new lead professional is told."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from agencies.services import deactivate_user
from cases.models import Case, Child, Family
from cases.services.lifecycle import open_case
from meetings.models import Action
from meetings.services.plan import Owner, add_action
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leavers_case() -> Case:
    """Leah led a case and owned an action in its plan; her account has been closed."""
    agency = Agency.objects.create(name="Eastfield Family Hub", kind=AgencyKind.EARLY_HELP)
    team = Team.objects.create(agency=agency, name="Eastfield early help team", locality="East")
    leaver = User.objects.create_user(
        "leaver@demo.tac.example", PASSWORD, full_name="Leah Leadworth", agency=agency, team=team
    )
    User.objects.create_user(
        "next@demo.tac.example",
        PASSWORD,
        full_name="Nia Next",
        job_title="Family support worker",
        agency=agency,
        team=team,
    )
    manager = User.objects.create_user(
        "manager@demo.tac.example",
        PASSWORD,
        full_name="Mina Manager",
        agency=agency,
        team=team,
        role=User.Role.TEAM_MANAGER,
    )
    team.managers.add(manager)
    family = Family.objects.create(name="The Brightwater family", postcode="DT2 4QB")
    child = Child.objects.create(
        family=family, given_names="Poppy", family_name="Brightwater", date_of_birth="2015-03-02"
    )
    case = open_case(family, children=[child], by=leaver, interim_lead=leaver, status="ACTIVE")
    add_action(
        case,
        by=leaver,
        description="Book the family onto the parenting course",
        owner=Owner(membership=case.memberships.active().get(professional=leaver)),
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    deactivate_user(leaver, by=None)
    return case


def test_a_manager_reassigns_a_leavers_caseload(
    page: Any,
    leavers_case: Case,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    sign_in(page, "manager@demo.tac.example")
    page.get_by_role("link", name="Dashboard", exact=True).first.click()
    expect(page.get_by_role("heading", name="Workers who have left (now)")).to_be_visible()
    check_page(page, "leaver-dashboard")

    page.get_by_role("link", name="Reassign the caseload of Leah Leadworth").click()
    expect(page.get_by_role("heading", name="Caseload of Leah Leadworth")).to_be_visible()
    expect(page.get_by_text("Book the family onto the parenting course")).to_be_visible()
    expect(page.get_by_role("link", name=leavers_case.reference)).to_be_visible()
    check_page(page, "leaver-caseload")

    page.get_by_label("Who takes over every case?").select_option(
        label="Nia Next, Family support worker, Eastfield Family Hub"
    )
    page.get_by_label("Handover note").fill("The family prefer a call before a visit.")
    page.get_by_role(
        "group", name="Were the families consulted about their new lead professional?"
    ).get_by_label("Yes").check()
    page.get_by_role("button", name="Reassign the caseload").click()

    expect(page.get_by_text("1 case handed on from Leah Leadworth")).to_be_visible()
    expect(page.get_by_text("Leah Leadworth holds no open work")).to_be_visible()
    check_page(page, "leaver-reassigned")

    page.get_by_role("link", name="Back to the dashboard").click()
    expect(page.get_by_text("No worker who has left holds open work.")).to_be_visible()

    lead = leavers_case.lead_assignments.active().get()
    assert lead.professional.full_name == "Nia Next"
    action = Action.objects.get(case=leavers_case)
    assert action.owner_professional == lead.professional
