"""Two people taking the same episode step at once, on two real database connections."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agencies.models import User
from cases.models import Case, CaseClosure, StepUpReferral
from cases.services.closure import close_case
from cases.services.step_up import record_step_up_decision, request_step_up
from tests.cases.test_races import run_together

pytestmark = pytest.mark.django_db(transaction=True)

CLOSURE: dict[str, Any] = {
    "reason": "NEEDS_MET",
    "progress_summary": "Attendance is up.",
    "outcomes_achieved": "ALL",
    "outcomes_detail": "Both achieved.",
    "child_views": "Happy.",
    "family_views": "Happy.",
    "continuing_support": "School.",
}


def test_two_people_closing_a_case_at_once_close_it_once(
    case: Case, lead: User, coordinator: User
) -> None:
    results = run_together(
        lambda: close_case(case, by=lead, **CLOSURE),
        lambda: close_case(case, by=coordinator, **CLOSURE),
    )

    closed = [r for r in results if isinstance(r, CaseClosure)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(closed) == 1
    assert len(refused) == 1
    assert "already closed" in refused[0].messages[0]
    assert CaseClosure.objects.count() == 1
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert case.events.filter(code="case.closed").count() == 1


def test_two_decisions_on_one_step_up_record_one(case: Case, lead: User, coordinator: User) -> None:
    request_step_up(
        case,
        by=lead,
        referred_at=timezone.now(),
        referred_by=lead,
        reason="Escalating concerns.",
        family_informed=True,
    )

    def decide(by: User, accepted: bool) -> Any:
        return lambda: record_step_up_decision(
            case,
            by=by,
            accepted=accepted,
            decided_at=timezone.now(),
            social_worker_name="Sasha Social",
            decline_outcome="RC8",
        )

    results = run_together(decide(lead, True), decide(coordinator, False))

    recorded = [r for r in results if isinstance(r, StepUpReferral)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(recorded) == 1
    assert len(refused) == 1
    assert "no step-up waiting" in refused[0].messages[0]
    referral = StepUpReferral.objects.get()
    case.refresh_from_db()
    expected = Case.Status.CLOSED_STEPPED_UP if referral.decision == "ACCEPTED" else "ACTIVE"
    assert case.status == expected
