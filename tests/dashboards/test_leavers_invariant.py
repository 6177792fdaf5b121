"""Whatever happens to a team (people join and leave, the lead is handed over, workers
leave and their caseloads are reassigned), an open case keeps exactly one active lead
professional, and that lead is on the team around the child."""

from __future__ import annotations

import contextlib
import itertools
from typing import ClassVar

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from agencies.models import Team, User
from cases.models import Case, LeadProfessionalAssignment
from cases.services.handover import hand_over_lead
from cases.services.teams import add_professional, end_membership
from dashboards import leavers
from tests import personas

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


class TeamChanges(RuleBasedStateMachine):
    people: ClassVar[list[User]] = []
    coordinator: ClassVar[User]

    @initialize()
    def open_a_case(self) -> None:
        n = next(_numbers)
        child = personas.child(personas.family(1000 + n))
        self.case = personas.open_case(
            [child], by=self.coordinator, interim_lead=self.people[0], status=Case.Status.ACTIVE
        )

    @rule(who=st.integers(min_value=0, max_value=4))
    def join(self, who: int) -> None:
        with contextlib.suppress(ValidationError):  # already on the team
            add_professional(self.case, professional=self.people[who], by=self.coordinator)

    @rule(who=st.integers(min_value=0, max_value=4))
    def leave_the_team(self, who: int) -> None:
        membership = self.case.memberships.active().filter(professional=self.people[who]).first()
        if membership is None:
            return
        # The lead cannot leave until a new lead is agreed.
        with contextlib.suppress(ValidationError):
            end_membership(
                membership, by=self.coordinator, reason="Moved on", expected_version=None
            )

    @rule(who=st.integers(min_value=0, max_value=4))
    def hand_over(self, who: int) -> None:
        current = self.case.lead_assignments.active().first()
        with contextlib.suppress(ValidationError):  # not on the team, or already the lead
            hand_over_lead(
                self.case,
                to=self.people[who],
                by=self.coordinator,
                expected_assignment_id=current.pk if current else None,
                basis=LeadProfessionalAssignment.Basis.AGREED_AT_TAC,
                reason=LeadProfessionalAssignment.ChangeReason.MANAGING_CASELOADS,
                note="Agreed at the review",
                family_consulted=True,
            )

    @rule(leaver=st.integers(min_value=0, max_value=4), to=st.integers(min_value=0, max_value=4))
    def worker_leaves(self, leaver: int, to: int) -> None:
        held = [item.case.pk for item in leavers.caseload(self.people[leaver])]
        # Handing work to the leaver themself is refused, and nothing changes.
        with contextlib.suppress(ValidationError, PermissionDenied):
            leavers.reassign_caseload(
                self.people[leaver],
                by=self.coordinator,
                successors=dict.fromkeys(held, self.people[to]),
                expected_leads={},
                note="Left the service",
                family_consulted=True,
            )

    @invariant()
    def one_lead_on_the_team(self) -> None:
        if not hasattr(self, "case"):
            return
        leads = list(self.case.lead_assignments.active())
        assert len(leads) == 1
        assert self.case.memberships.active().filter(professional=leads[0].professional).exists()


def test_an_open_case_never_loses_its_lead(early_help_team: Team, coordinator: User) -> None:
    TeamChanges.coordinator = coordinator
    TeamChanges.people = [
        User.objects.create_user(
            f"worker{i}@northgate.example",
            "pw-not-used-1234",
            full_name=f"Worker {i}",
            agency=early_help_team.agency,
            team=early_help_team,
        )
        for i in range(5)
    ]
    run_state_machine_as_test(
        TeamChanges,
        settings=settings(
            max_examples=25,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
