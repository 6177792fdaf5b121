"""Workers who leave: a manager sees a leaver's caseload and hands it on, in one go or
case by case; an open case never loses its lead professional."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import Team, User
from agencies.services import deactivate_user
from cases.models import (
    Case,
    Child,
    JoinRequest,
    LeadHandover,
    LeadProfessionalAssignment,
)
from cases.services.common import CaseError
from cases.services.leavers import TITLE_NEW_LEAD, hand_over_case_from_leaver
from cases.services.teams import remove_from_team
from dashboards import leavers
from meetings.models import Action
from meetings.services.plan import Owner, add_action, hand_over_actions
from notifications.models import Notification
from tests import personas
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

NOTE = "Weekly visits on Tuesdays; the family prefer a call before a visit."


@pytest.fixture
def successor(early_help_team: Team) -> User:
    return User.objects.create_user(
        "nia.next@northgate.example",
        PASSWORD,
        full_name="Nia Next",
        job_title="Family support worker",
        agency=early_help_team.agency,
        team=early_help_team,
    )


@pytest.fixture
def left(case: Case, lead: User, member: User, admin_user: User) -> User:
    """Lena (the lead) owns an action and leaves: her account is deactivated."""
    membership = case.memberships.active().get(professional=member)
    add_action(
        case,
        by=lead,
        description="Book the family onto the parenting course",
        owner=Owner(membership=case.memberships.active().get(professional=lead)),
        due_on=timezone.localdate() + dt.timedelta(days=14),
    )
    add_action(
        case,
        by=lead,
        description="Check attendance each week",
        owner=Owner(membership=membership),
        due_on=timezone.localdate() + dt.timedelta(days=14),
    )
    deactivate_user(lead, by=admin_user)
    lead.refresh_from_db()
    return lead


def _reassign(leaver: User, case: Case, *, to: User, by: User) -> None:
    leavers.reassign_caseload(
        leaver,
        by=by,
        successors={case.pk: to},
        expected_leads={case.pk: case.lead_assignments.active().get().pk},
        note=NOTE,
        family_consulted=True,
        family_note="Mum asked for someone from the hub she already knows.",
    )


def test_the_caseload_lists_lead_roles_places_and_actions(case: Case, left: User) -> None:
    (held,) = leavers.caseload(left)
    assert held.case == case
    assert held.lead_assignment_id == case.lead_assignments.active().get().pk
    assert held.member
    assert [a.description for a in held.actions] == ["Book the family onto the parenting course"]


def test_reassigning_records_the_new_lead_and_moves_everything(
    case: Case, left: User, manager: User, successor: User, member: User
) -> None:
    _reassign(left, case, to=successor, by=manager)

    lead = case.lead_assignments.active().get()
    assert lead.professional == successor
    assert lead.basis == LeadProfessionalAssignment.Basis.MANAGER_ALLOCATED
    assert lead.change_reason == LeadProfessionalAssignment.ChangeReason.WORKER_LEFT_ROLE
    assert lead.family_consulted
    assert "already knows" in lead.family_preference
    assert LeadHandover.objects.get(to_assignment=lead).note == NOTE
    assert not case.memberships.active().filter(professional=left).exists()
    assert case.memberships.active().filter(professional=successor).exists()
    moved = Action.objects.get(description__startswith="Book")
    assert moved.owner_professional == successor
    assert moved.updates.get().text.startswith("Handed to Nia Next")
    # Someone else's action is not touched.
    assert Action.objects.get(description__startswith="Check").owner_professional == member
    assert Notification.objects.filter(recipient=successor, title=TITLE_NEW_LEAD).count() == 1
    assert leavers.caseload(left) == []


def test_the_old_lead_still_at_work_is_told_too(
    case: Case, lead: User, manager: User, successor: User
) -> None:
    _reassign(lead, case, to=successor, by=manager)
    assert Notification.objects.filter(recipient=lead, case_id=case.pk).exists()


def test_an_open_case_keeps_exactly_one_active_lead_at_commit(
    case: Case, left: User, manager: User, successor: User
) -> None:
    _reassign(left, case, to=successor, by=manager)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert case.lead_assignments.active().count() == 1
    assert case.lead_assignments.count() == 2


def test_the_lead_cannot_simply_leave_the_team(case: Case, left: User, manager: User) -> None:
    with pytest.raises(CaseError):
        remove_from_team(case.memberships.active().get(professional=left), by=manager)
    assert case.lead_assignments.active().get().professional == left


def test_a_lead_changed_meanwhile_writes_nothing(
    case: Case, left: User, manager: User, successor: User
) -> None:
    seen = case.lead_assignments.active().get().pk
    with pytest.raises(CaseError):
        leavers.reassign_caseload(
            left,
            by=manager,
            successors={case.pk: successor},
            expected_leads={case.pk: seen + 1000},
            note=NOTE,
            family_consulted=True,
        )
    assert case.lead_assignments.active().get().professional == left
    assert Action.objects.get(description__startswith="Book").owner_professional == left


def test_the_family_must_have_a_say_or_a_reason(
    case: Case, left: User, manager: User, successor: User
) -> None:
    with pytest.raises(CaseError) as error:
        hand_over_case_from_leaver(
            case, leaver=left, to=successor, by=manager, note=NOTE, family_consulted=False
        )
    assert "family_note" in error.value.error_dict


def test_nobody_hands_work_to_the_leaver_or_to_an_administrator(
    case: Case, left: User, manager: User, admin_user: User
) -> None:
    for to in (left, admin_user):
        with pytest.raises(CaseError):
            hand_over_case_from_leaver(
                case, leaver=left, to=to, by=manager, note=NOTE, family_consulted=True
            )


def test_only_the_coordinator_or_the_leavers_manager_reassigns(
    case: Case,
    left: User,
    member_manager: User,
    member: User,
    outsider: User,
    successor: User,
    coordinator: User,
) -> None:
    for by in (member_manager, member, outsider):
        with pytest.raises(PermissionDenied):
            hand_over_case_from_leaver(
                case, leaver=left, to=successor, by=by, note=NOTE, family_consulted=True
            )
        with pytest.raises(PermissionDenied):
            hand_over_actions(case, from_professional=left, to=successor, by=by)
    _reassign(left, case, to=successor, by=coordinator)
    assert case.lead_assignments.active().get().professional == successor


def test_a_manager_who_does_not_run_the_case_hands_on_their_members_actions(
    case: Case, member: User, member_manager: User, school_team: Team
) -> None:
    colleague = personas._user(
        "cal.colleague@riverside.example",
        "Cal Colleague",
        agency=school_team.agency,
        team=school_team,
    )
    add_action(
        case,
        by=case.lead_assignments.active().get().professional,
        description="Share the attendance figures",
        owner=Owner(membership=case.memberships.active().get(professional=member)),
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )
    leavers.reassign_caseload(
        member,
        by=member_manager,
        successors={case.pk: colleague},
        expected_leads={},
        note=NOTE,
        family_consulted=True,
    )
    assert Action.objects.get(description__startswith="Share").owner_professional == colleague
    assert case.memberships.active().filter(professional=colleague).exists()
    assert not case.memberships.active().filter(professional=member).exists()
    # The lead is not the member's to hand on.
    assert case.lead_assignments.active().get().professional.email == "lena.lead@northgate.example"


def test_one_go_or_case_by_case(
    make_case: Callable[..., Case],
    make_child: Callable[..., Child],
    lead: User,
    manager: User,
    successor: User,
    coordinator: User,
) -> None:
    first, second = make_case(), make_case()
    leavers.reassign_caseload(
        lead,
        by=manager,
        successors={first.pk: successor, second.pk: manager},
        expected_leads={},
        note=NOTE,
        family_consulted=True,
    )
    assert first.lead_assignments.active().get().professional == successor
    assert second.lead_assignments.active().get().professional == manager


def test_a_waiting_request_to_join_is_withdrawn(
    case: Case, outsider: User, coordinator: User, successor: User
) -> None:
    JoinRequest.objects.create(
        case=case, requester=outsider, reason="School nurse visits", requested_at=timezone.now()
    )
    (held,) = leavers.caseload(outsider)
    assert held.waiting_to_join
    assert held.lead_assignment_id is None
    _reassign(outsider, case, to=successor, by=coordinator)
    assert case.join_requests.get().status == JoinRequest.Status.DECLINED
    # Withdrawing a request gives nobody a place on the team.
    assert not case.memberships.active().filter(professional=successor).exists()


# --- The pages ----------------------------------------------------------------------


def test_the_dashboard_lists_a_leaver_until_their_work_is_reassigned(
    case: Case, left: User, manager_client: Client, manager: User, successor: User
) -> None:
    page = manager_client.get(reverse("dashboards:dashboard")).content.decode()
    link = reverse("dashboards:leaver_caseload", args=[left.pk])
    assert "Lena Lead" in page
    assert link in page
    _reassign(left, case, to=successor, by=manager)
    page = manager_client.get(reverse("dashboards:dashboard")).content.decode()
    assert link not in page
    assert "No worker who has left holds open work" in page


def test_another_teams_manager_does_not_see_the_leaver(
    case: Case, left: User, member_manager_client: Client
) -> None:
    page = member_manager_client.get(reverse("dashboards:dashboard")).content.decode()
    assert "Lena Lead" not in page
    url = reverse("dashboards:leaver_caseload", args=[left.pk])
    assert member_manager_client.get(url).status_code == 404


def test_the_caseload_page_reassigns_in_one_go(
    case: Case, left: User, manager_client: Client, successor: User
) -> None:
    url = reverse("dashboards:leaver_caseload", args=[left.pk])
    page = manager_client.get(url)
    assert page.status_code == 200
    assert case.reference in page.content.decode()
    response = manager_client.post(
        url,
        {
            "everything_to": successor.pk,
            f"case_{case.pk}": "",
            f"lead_{case.pk}": case.lead_assignments.active().get().pk,
            "note": NOTE,
            "family_consulted": "yes",
            "family_note": "",
        },
    )
    assert response.status_code == 302
    assert case.lead_assignments.active().get().professional == successor
    assert "holds no open work" in manager_client.get(url).content.decode()


def test_the_caseload_page_says_what_is_missing(
    case: Case, left: User, manager_client: Client
) -> None:
    url = reverse("dashboards:leaver_caseload", args=[left.pk])
    response = manager_client.post(
        url,
        {
            "note": "",
            "family_consulted": "no",
            f"lead_{case.pk}": case.lead_assignments.active().get().pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose who takes over, for every case or for each case" in page
    assert "Write a handover note for the new lead professional" in page
    assert case.lead_assignments.active().get().professional == left


def test_the_leavers_page_offers_the_managers_team(
    left: User, manager_client: Client, successor: User
) -> None:
    page = manager_client.get(reverse("dashboards:leavers")).content.decode()
    assert reverse("dashboards:leaver_caseload", args=[successor.pk]) in page
    assert reverse("dashboards:leaver_caseload", args=[left.pk]) in page


def test_case_by_case_a_member_from_another_agency_takes_the_lead(
    case: Case, left: User, manager_client: Client, member: User
) -> None:
    url = reverse("dashboards:leaver_caseload", args=[left.pk])
    page = manager_client.get(url).content.decode()
    assert f'value="{member.pk}"' in page
    response = manager_client.post(
        url,
        {
            "everything_to": "",
            f"case_{case.pk}": member.pk,
            f"lead_{case.pk}": case.lead_assignments.active().get().pk,
            "note": NOTE,
            "family_consulted": "no",
            "family_note": "The family will be told at Tuesday's visit.",
        },
    )
    assert response.status_code == 302
    lead = case.lead_assignments.active().get()
    assert lead.professional == member
    assert not lead.family_consulted
    assert Action.objects.get(description__startswith="Book").owner_professional == member
