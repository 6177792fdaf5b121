"""The database enforces the case invariants even when code forgets to."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from agencies.models import User
from cases.models import (
    Case,
    CaseSubject,
    Child,
    LeadProfessionalAssignment,
    LevelOfNeedJudgement,
    TeamMembership,
)


def test_it_allows_only_one_active_lead_per_case(case: Case, member: User, lead: User) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        LeadProfessionalAssignment.objects.create(
            case=case,
            professional=member,
            basis="AGREED_AT_TAC",
            started_at=timezone.now(),
            assigned_by=lead,
        )


def test_it_keeps_ended_lead_assignments_as_history(case: Case, member: User, lead: User) -> None:
    LeadProfessionalAssignment.objects.filter(case=case).update(ended_at=timezone.now())
    LeadProfessionalAssignment.objects.create(
        case=case,
        professional=member,
        basis="AGREED_AT_TAC",
        started_at=timezone.now(),
        assigned_by=lead,
    )
    assert case.lead_assignments.count() == 2


def test_it_allows_a_child_in_only_one_open_case(
    case: Case, make_case: Callable[..., Case]
) -> None:
    child = case.children.get()
    other = make_case()
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseSubject.objects.create(case=other, child=child, is_open=True)


def test_it_allows_a_child_in_a_new_case_after_closing(
    case: Case, make_case: Callable[..., Case]
) -> None:
    child: Child = case.children.get()
    CaseSubject.objects.filter(case=case).update(is_open=False)
    new = make_case(children=[child])
    assert new.children.get() == child


def test_it_requires_membership_kind_to_match_the_person(case: Case, lead: User) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMembership.objects.create(
            case=case,
            kind="family",
            professional=lead,
            role="practitioner",
            joined_at=timezone.now(),
            added_by=lead,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMembership.objects.create(
            case=case,
            kind="external",
            external_name="",
            role="practitioner",
            joined_at=timezone.now(),
            added_by=lead,
        )


def test_it_allows_one_active_membership_per_professional(case: Case, member: User) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMembership.objects.create(
            case=case,
            kind="professional",
            professional=member,
            role="practitioner",
            joined_at=timezone.now(),
            added_by=member,
        )


def test_it_requires_a_closure_reason_on_a_closed_case(case: Case) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(closed_at=timezone.now(), closure_reason="")


def test_it_requires_a_rationale_for_a_level_of_need(
    case: Case, lead: User, level_targeted
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        LevelOfNeedJudgement.objects.create(
            case=case, level=level_targeted, rationale="", judged_by=lead, judged_at=timezone.now()
        )


def test_it_requires_a_date_of_birth_unless_unborn(make_child: Callable[..., Child]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_child(date_of_birth=None)
    unborn = make_child(
        date_of_birth=None, is_unborn=True, expected_date_of_delivery=timezone.localdate()
    )
    assert unborn.is_unborn
