"""Hand-built data for the dashboard tests: cases written row by row, dates exact."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from agencies.models import Agency, AgencyKind, Team, User
from assessments.models import Assessment, AssessmentTemplate
from cases.models import Case, CaseSubject, Child, LeadProfessionalAssignment, LevelOfNeed
from meetings.models import Action, Meeting, Review

#: The day every metric test refreshes "as of" (a Monday).
TODAY = dt.date(2026, 6, 15)

_refs = itertools.count(1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def level_universal(db: None) -> LevelOfNeed:
    level, _ = LevelOfNeed.objects.get_or_create(
        code="EARLY_HELP", defaults={"ordinal": 2, "label": "Early help"}
    )
    return level


@pytest.fixture
def second_team(early_help_agency: Agency) -> Team:
    return Team.objects.create(agency=early_help_agency, name="Southside family hub")


@pytest.fixture
def other_lead(second_team: Team) -> User:
    return User.objects.create_user(
        "olu.other@northgate.example",
        "pw-not-used-1234",
        full_name="Olu Other",
        agency=second_team.agency,
        team=second_team,
    )


@pytest.fixture
def school_lead(school_team: Team) -> User:
    return User.objects.create_user(
        "sade.senco@riverside.example",
        "pw-not-used-1234",
        full_name="Sade Senco",
        agency=school_team.agency,
        team=school_team,
    )


@pytest.fixture
def build_case(make_child: Callable[..., Child], lead: User) -> Callable[..., Case]:
    """A case with exact dates, written straight to the tables (no services)."""

    def build(
        *,
        status: str = Case.Status.ACTIVE,
        opened: dt.date = dt.date(2026, 1, 5),
        closed: dt.date | None = None,
        reason: str = "",
        lead_by: User | None = lead,
        level: LevelOfNeed | None = None,
        review_due: dt.date | None = None,
        late_reason: str = "",
        children: list[Child] | None = None,
        **child_fields: Any,
    ) -> Case:
        kids = children or [make_child(**child_fields)]
        case = Case.objects.create(
            reference=f"T-{next(_refs):05d}",
            family=kids[0].family,
            status=status,
            opened_at=at(opened),
            closed_at=at(closed) if closed else None,
            closure_reason=reason,
            current_level=level,
            next_review_due=review_due,
            review_late_reason=late_reason,
            opened_by=lead,
        )
        for kid in kids:
            CaseSubject.objects.create(case=case, child=kid, is_open=closed is None)
        if lead_by is not None:
            LeadProfessionalAssignment.objects.create(
                case=case,
                professional=lead_by,
                agency=lead_by.agency,
                basis=LeadProfessionalAssignment.Basis.AGREED_AT_TAC,
                started_at=at(opened),
                ended_at=at(closed) if closed else None,
                assigned_by=lead,
            )
        return case

    return build


@pytest.fixture
def template(db: None) -> AssessmentTemplate:
    return AssessmentTemplate.objects.create(
        code="test", version=1, name="Test assessment", definition={}
    )


@pytest.fixture
def assess(template: AssessmentTemplate, lead: User) -> Callable[..., Assessment]:
    def make(
        case: Case, *, started: dt.date, completed: dt.date | None = None, **extra: Any
    ) -> Assessment:
        return Assessment.objects.create(
            case=case,
            child=case.subjects.order_by("pk")[0].child,
            template=template,
            assessor=extra.pop("assessor", lead),
            status=Assessment.Status.COMPLETED if completed else Assessment.Status.IN_PROGRESS,
            started_at=at(started),
            completed_at=at(completed) if completed else None,
            **extra,
        )

    return make


@pytest.fixture
def hold_meeting(lead: User) -> Callable[..., Meeting]:
    def make(case: Case, day: dt.date, status: str = Meeting.Status.HELD) -> Meeting:
        return Meeting.objects.create(
            case=case,
            kind=Meeting.Kind.INITIAL,
            status=status,
            starts_at=at(day),
            held_at=at(day) if status == Meeting.Status.HELD else None,
            created_by=lead,
        )

    return make


@pytest.fixture
def review(lead: User) -> Callable[..., Review]:
    def make(case: Case, day: dt.date, child_views: str = "", parent_views: str = "") -> Review:
        return Review.objects.create(
            case=case,
            reviewed_at=at(day),
            child_views=child_views,
            parent_views=parent_views,
            recorded_by=lead,
        )

    return make


@pytest.fixture
def action(lead: User) -> Callable[..., Action]:
    def make(case: Case, *, due: dt.date, **extra: Any) -> Action:
        fields: dict[str, Any] = {
            "case": case,
            "description": "Attend the parenting course",
            "due_on": due,
            "created_by": lead,
        }
        if not any(k.startswith("owner_") for k in extra):
            fields["owner_professional"] = lead
            fields["owner_agency"] = lead.agency
        fields.update(extra)
        return Action.objects.create(**fields)

    return make


@pytest.fixture
def housing_agency(db: None) -> Agency:
    return Agency.objects.create(name="Demo Homes", kind=AgencyKind.HOUSING)
