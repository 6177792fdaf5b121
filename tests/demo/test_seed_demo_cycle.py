"""``seed_demo``'s small path shows the demo sign-ins the whole TAC cycle (ARCHITECTURE §9)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from agencies.models import User
from assessments.models import Assessment
from cases.models import (
    Case,
    Child,
    ConsentRecord,
    DisclosureDecision,
    RequestForSupport,
    Restriction,
    SafeguardingConcern,
)
from demo.authority import COORDINATOR_EMAIL, LEAD_EMAIL, PRACTITIONER_EMAIL, SCHOOL_EMAIL
from demo.cycle import CYCLE_MIN_CHILDREN
from demo.small import seed_small
from meetings.models import Action, Contribution, FamilyFeedback, Invitation, Meeting, Review
from notifications.models import Notification
from notifications.services import dispatch_due_reminders
from tests.helpers import client_for


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """One seeding for the module, rolled back at the end."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                seed_small(CYCLE_MIN_CHILDREN, 2026)
                yield
                raise _Rollback
        except _Rollback:
            pass


def user(email: str) -> User:
    return User.objects.get(email=email)


def lead_cases() -> Any:
    return Case.objects.filter(
        lead_assignments__professional__email=LEAD_EMAIL,
    ).distinct()


@pytest.mark.django_db
def test_lead_leads_cases_at_every_stage(seeded: None) -> None:
    today = timezone.localdate()
    cases = lead_cases()
    # A completed assessment, a first TAC held with published minutes, a plan and a review.
    full = cases.get(assessments__status=Assessment.Status.COMPLETED)
    meeting = Meeting.objects.get(case=full, kind=Meeting.Kind.INITIAL)
    assert meeting.status == Meeting.Status.HELD
    assert meeting.minutes_published_at is not None
    assert full.status == Case.Status.ACTIVE
    assert full.outcomes.count() >= 2
    owners = set(full.actions.values_list("owner_professional__email", flat=True))
    assert {SCHOOL_EMAIL, PRACTITIONER_EMAIL, LEAD_EMAIL} <= owners
    assert full.actions.filter(owner_family_member__isnull=False).exists()
    open_actions = full.actions.filter(status__in=Action.OPEN_STATUSES)
    assert open_actions.filter(due_on__lt=today).exists()
    assert open_actions.filter(due_on__gte=today, due_on__lte=today + timedelta(days=7))
    assert full.actions.filter(status=Action.Status.DONE).count() == 1
    agencies = set(Contribution.objects.filter(case=full).values_list("author_agency", flat=True))
    assert len(agencies) >= 3
    assert Review.objects.filter(case=full, meeting__isnull=True).exists()
    # The family answered "is this working for you?" and agreed their words may be quoted.
    assert FamilyFeedback.objects.filter(review__case=full, may_quote=True).count() == 2
    assert DisclosureDecision.objects.filter(case=full).count() == 1
    restriction = Restriction.objects.get(case=full)
    assert restriction.field_name == "address"
    assert restriction.named_users.filter(email=LEAD_EMAIL).exists()

    # An assessment in draft; an upcoming first TAC; overdue reviews, one with a reason.
    assert Assessment.objects.filter(
        case__in=cases, status=Assessment.Status.DRAFT, assessor__email=LEAD_EMAIL
    ).exists()
    upcoming = Meeting.objects.filter(
        case__in=cases, status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now()
    )
    assert upcoming.exists()
    # Mum is expecting: the baby, recorded against her, is one of that case's children.
    unborn = Child.objects.get(
        is_unborn=True, cases__meetings__in=upcoming, expectant_mother__isnull=False
    )
    assert unborn.expectant_mother is not None
    assert unborn.expectant_mother.family_id == unborn.family_id
    assert unborn.expected_date_of_delivery is not None
    assert unborn.expected_date_of_delivery > today
    overdue = cases.filter(status=Case.Status.ACTIVE, next_review_due__lt=today)
    assert overdue.filter(review_late_reason="").exists()
    assert overdue.exclude(review_late_reason="").exists()
    assert SafeguardingConcern.objects.filter(case__in=cases).exists()
    # A step-up accepted by social care, and a closure with needs met.
    assert cases.filter(status=Case.Status.CLOSED_STEPPED_UP).exists()
    assert cases.filter(status=Case.Status.CLOSED, closure__reason="NEEDS_MET").exists()


@pytest.mark.django_db
def test_sharing_preferences_are_recorded_on_most_active_cases(seeded: None) -> None:
    active = Case.objects.filter(status__in=(Case.Status.ACTIVE, Case.Status.PLANNING))
    shared = active.filter(consents__kind=ConsentRecord.Kind.SHARING_PREFERENCE).distinct()
    assert shared.count() * 2 > active.count()
    assert ConsentRecord.objects.filter(agencies_excluded__isnull=False).exists()


@pytest.mark.django_db
def test_requests_wait_for_triage_and_one_was_triaged(seeded: None) -> None:
    waiting = RequestForSupport.objects.filter(status=RequestForSupport.Status.RECEIVED)
    assert waiting.count() >= 3
    assert len(set(waiting.values_list("source_code", flat=True))) >= 3
    triaged = RequestForSupport.objects.get(status=RequestForSupport.Status.TRIAGED)
    assert triaged.case is not None

    response = client_for(user(COORDINATOR_EMAIL)).get(reverse("cases:triage_queue"))
    assert response.status_code == 200
    for request in waiting:
        assert reverse("cases:triage", args=[request.pk]) in response.content.decode()
    manager = client_for(user("manager@demo.tac.example")).get(reverse("cases:triage_queue"))
    assert manager.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("email", [SCHOOL_EMAIL, PRACTITIONER_EMAIL])
def test_school_and_practitioner_see_their_actions_and_meetings(seeded: None, email: str) -> None:
    today = timezone.localdate()
    mine = Action.objects.filter(owner_professional__email=email, status__in=Action.OPEN_STATUSES)
    assert mine.filter(due_on__lt=today).exists()
    assert mine.filter(due_on__gte=today).exists()
    assert Invitation.objects.filter(
        professional__email=email,
        meeting__status=Meeting.Status.SCHEDULED,
        meeting__starts_at__gt=timezone.now(),
    ).exists()

    page = client_for(user(email)).get(reverse("cases:my_cases")).content.decode()
    for action in mine:
        assert escape(action.description) in page


@pytest.mark.django_db
def test_lead_my_work_and_notification_centre(seeded: None) -> None:
    client = client_for(user(LEAD_EMAIL))
    response = client.get(reverse("cases:my_cases"))
    assert response.status_code == 200
    page = response.content.decode()
    for case in lead_cases().filter(status__in=Case.OPEN_STATUSES):
        assert case.reference in page

    # Whether a reminder is due on the day of seeding depends on the weekday and the hour;
    # a month on, the overdue reviews and actions have certainly fired.
    with time_machine.travel(timezone.now() + dt.timedelta(days=30), tick=False):
        dispatch_due_reminders()
    assert Notification.objects.filter(recipient__email=LEAD_EMAIL).exists()
    centre = client.get(reverse("notifications:list"))
    assert centre.status_code == 200
