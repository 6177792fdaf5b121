"""Closed cases written row by row with exact dates, as the dashboard tests build them,
and with words in them for the retention schedules to remove."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from agencies.models import User
from assessments.models import AssessmentTemplate
from cases.models import Case, CaseClosure, CaseEvent, Child, FamilyMember
from meetings.models import Action, Contribution, Meeting
from tests.dashboards import conftest as dashboard_fixtures
from tests.dashboards.conftest import at

# The dashboard tests' builders, shared: the same rows their figures are tested on.
assess = dashboard_fixtures.assess
build_case = dashboard_fixtures.build_case
hold_meeting = dashboard_fixtures.hold_meeting
review = dashboard_fixtures.review


@pytest.fixture
def template(db: None) -> AssessmentTemplate:
    """The national CAF template the migrations publish: the assessment pages render it."""
    return AssessmentTemplate.objects.get(code="caf-2009", version=1)


#: The day the dashboard figures are counted as of, before and after disposal.
FIGURES_AS_OF = dt.date(2026, 6, 15)


@pytest.fixture
def closed_episode(
    build_case: Callable[..., Case],
    make_child: Callable[..., Child],
    make_family: Callable[..., object],
    assess: Callable[..., object],
    hold_meeting: Callable[..., Meeting],
    review: Callable[..., object],
    lead: User,
) -> Callable[..., Case]:
    """A closed case with an assessment, a meeting, a review with the family's words, an
    action, a contribution, a closure record and a chronology entry."""

    def make(*, given_names: str, born: dt.date, closed: dt.date = dt.date(2026, 2, 10)) -> Case:
        child = make_child(
            given_names=given_names,
            family_name="Quillfeather",
            date_of_birth=born,
            nhs_number="9434765919",
            ethnicity="WBRI",
        )
        FamilyMember.objects.create(
            family=child.family,
            given_names="Rowan",
            family_name="Quillfeather",
            relationship=FamilyMember.Relationship.MOTHER,
            phone="07700 900123",
        )
        case = build_case(
            status=Case.Status.CLOSED,
            opened=dt.date(2026, 1, 5),
            closed=closed,
            reason="NEEDS_MET",
            children=[child],
        )
        assess(case, started=dt.date(2026, 1, 6), completed=dt.date(2026, 1, 20))
        meeting = hold_meeting(case, dt.date(2026, 1, 22))
        review(
            case,
            dt.date(2026, 2, 5),
            child_views=f"{given_names} says school feels better now",
            parent_views="",
        )
        Action.objects.create(
            case=case,
            meeting=meeting,
            description=f"Take {given_names} to the dentist",
            due_on=dt.date(2026, 2, 1),
            created_by=lead,
            owner_professional=lead,
            owner_agency=lead.agency,
            status=Action.Status.DONE,
        )
        Contribution.objects.create(
            case=case,
            author=lead,
            body=f"{given_names} was upset on Tuesday",
            created_at=at(closed),
        )
        CaseClosure.objects.create(
            case=case,
            reason="NEEDS_MET",
            progress_summary=f"{given_names} is attending school every day",
            outcomes_achieved="ALL",
            outcomes_detail="Attendance up",
            child_views="Happy",
            family_views="Thankful",
            continuing_support="School nurse",
            closed_by=lead,
            closed_at=at(closed),
        )
        CaseEvent.objects.create(
            case=case,
            code="case.closed",
            actor=lead,
            at=at(closed),
            summary=f"Closed: {given_names} doing well",
        )
        return case

    return make
