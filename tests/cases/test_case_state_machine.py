"""Every transition drawn in DOMAIN §3.1, and the ways out that keep a case from a dead
end (closure from every open stage, step-up from every stage after triage), is allowed;
every other one is refused."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from agencies.models import User
from cases.models import Case, CaseSubject, ClosureReason
from cases.services.common import CaseError, TransitionNotAllowed
from cases.services.lifecycle import change_status

S = Case.Status
DRAWN: set[tuple[str, str]] = {
    (S.IDENTIFIED, S.SINGLE_AGENCY),
    (S.IDENTIFIED, S.REQUEST_SUBMITTED),
    (S.IDENTIFIED, S.CSC_REFERRAL),
    (S.REQUEST_SUBMITTED, S.TRIAGED),
    (S.TRIAGED, S.CLOSED_NFA),
    (S.TRIAGED, S.CSC_REFERRAL),
    (S.TRIAGED, S.CONSENT_PENDING),
    (S.CONSENT_PENDING, S.CLOSED_DECLINED),
    (S.CONSENT_PENDING, S.ASSESSING),
    (S.ASSESSING, S.PLANNING),
    (S.ASSESSING, S.CLOSED_NEEDS_MET),
    (S.PLANNING, S.ACTIVE),
    (S.ACTIVE, S.ACTIVE),
    (S.ACTIVE, S.REASSESSING),
    (S.REASSESSING, S.ACTIVE),
    (S.ACTIVE, S.STEP_UP_REQUESTED),
    (S.STEP_UP_REQUESTED, S.ACTIVE),
    (S.STEP_UP_REQUESTED, S.CLOSED_STEPPED_UP),
    (S.ACTIVE, S.CLOSING),
    (S.CLOSING, S.CLOSED),
}
# No dead ends: closure from every open stage, step-up (and back) after triage, and the
# practitioner who identified the need asking the family themselves.
OPEN_BEFORE_CLOSING = [s for s in Case.OPEN_STATUSES if s not in {S.CLOSING, S.STEP_UP_REQUESTED}]
STEP_UP_FROM = [
    S.TRIAGED,
    S.CONSENT_PENDING,
    S.ASSESSING,
    S.PLANNING,
    S.ACTIVE,
    S.REASSESSING,
    S.CLOSING,
]
NO_DEAD_ENDS: set[tuple[str, str]] = (
    {(s, S.CLOSING) for s in OPEN_BEFORE_CLOSING}
    | {(s, S.STEP_UP_REQUESTED) for s in STEP_UP_FROM}
    | {(S.STEP_UP_REQUESTED, s) for s in STEP_UP_FROM}
    | {(S.IDENTIFIED, S.CONSENT_PENDING)}
)
DRAWN |= NO_DEAD_ENDS
ALL_PAIRS = list(itertools.product(S.values, S.values))


def test_it_draws_exactly_the_documented_transitions() -> None:
    table = {(a, b) for a, targets in Case.TRANSITIONS.items() for b in targets}
    assert table == DRAWN


def _case_in(status: str, make_case: Callable[..., Case]) -> Case:
    if status in Case.OPEN_STATUSES:
        return make_case(status=status)
    # A terminal case can only be reached by closing; put it there directly.
    case = make_case(status=S.ACTIVE)
    Case.objects.filter(pk=case.pk).update(
        status=status,
        closed_at=case.opened_at,
        closure_reason=Case.DEFAULT_CLOSURE_REASONS.get(status, ClosureReason.NEEDS_MET),
    )
    CaseSubject.objects.filter(case=case).update(is_open=False)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize(("source", "target"), sorted(DRAWN))
def test_it_allows_each_drawn_transition(
    source: str, target: str, make_case: Callable[..., Case], lead: User
) -> None:
    case = _case_in(source, make_case)
    reason = ClosureReason.NEEDS_MET if target == S.CLOSED else ""
    change_status(case, to=target, by=lead, closure_reason=reason)
    case.refresh_from_db()
    assert case.status == target
    assert case.events.filter(data__from=source, data__to=target).exists()
    if target in Case.TERMINAL_STATUSES:
        assert case.closed_at is not None
        assert case.closure_reason
        assert not case.subjects.filter(is_open=True).exists()
        assert not case.lead_assignments.active().exists()


@pytest.mark.parametrize(("source", "target"), [p for p in ALL_PAIRS if p not in DRAWN])
def test_it_refuses_every_other_transition(
    source: str, target: str, make_case: Callable[..., Case], lead: User
) -> None:
    case = _case_in(source, make_case)
    events_before = case.events.count()
    with pytest.raises(TransitionNotAllowed):
        change_status(case, to=target, by=lead, closure_reason=ClosureReason.NEEDS_MET)
    case.refresh_from_db()
    assert case.status == source
    assert case.events.count() == events_before


def test_it_refuses_an_unknown_status(make_case: Callable[..., Case], lead: User) -> None:
    case = make_case()
    with pytest.raises(TransitionNotAllowed):
        change_status(case, to="ARCHIVED", by=lead)


def test_it_needs_a_reason_to_close(make_case: Callable[..., Case], lead: User) -> None:
    case = make_case(status=S.CLOSING)
    with pytest.raises(CaseError, match="reason"):
        change_status(case, to=S.CLOSED, by=lead)
    with pytest.raises(CaseError, match="Other"):
        change_status(case, to=S.CLOSED, by=lead, closure_reason=ClosureReason.OTHER)
    case.refresh_from_db()
    assert case.status == S.CLOSING


def test_it_ends_the_lead_with_csc_lead_when_stepped_up(
    make_case: Callable[..., Case], lead: User
) -> None:
    case = make_case(status=S.STEP_UP_REQUESTED)
    change_status(case, to=S.CLOSED_STEPPED_UP, by=lead)
    assignment = case.lead_assignments.get()
    assert assignment.ended_at is not None
    assert assignment.end_reason == "CSC_LEAD"
