"""A case driven only through the public services, from a new request for support, by any
sequence of the steps people take: no state is a dead end.

After every step: closure is reachable from wherever the case stands (tried, then rolled
back), no open case is without exactly one lead professional, and ``next_review_due``
matches a reference model of the review dates agreed so far.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, assume, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from agencies.models import User
from assessments.definition import default_definition
from assessments.models import OPEN_STATUSES, Assessment, AssessmentTemplate
from assessments.services.lifecycle import begin_assessment, complete_assessment, share_with_family
from assessments.services.starting import start_assessment
from cases.models import (
    Case,
    CaseClosure,
    Child,
    Family,
    FamilyMember,
    LevelOfNeed,
    ReferralSource,
    TriageDecision,
)
from cases.services.closure import close_case, closure_asks_about_outcomes, closure_reasons_for
from cases.services.lifecycle import move_to_stage, start_case_for_child
from cases.services.requests import submit_request_for_support, triage_request
from cases.services.reviews import move_next_review_due
from cases.services.step_up import record_step_up_decision, request_step_up
from meetings.models import Meeting
from meetings.services.cadence import first_review_weeks, review_interval_weeks
from meetings.services.meeting_mode import finish_meeting, set_meeting_next_review
from meetings.services.reviews import record_review_without_meeting
from meetings.services.scheduling import schedule_meeting
from notifications.working_days import add_working_days
from tests.assessments.conftest import consent, fill_for_completion

pytestmark = pytest.mark.django_db

S = Case.Status
START = dt.datetime(2027, 5, 3, 9, 0, tzinfo=dt.UTC)
GUIDELINE_DAYS = 91


class _Rollback(Exception):
    """Undo a probe: the closure was reachable, and is not kept."""


class CaseJourney(RuleBasedStateMachine):
    requester: User
    coordinator: User
    level: LevelOfNeed
    counter = 0

    @initialize(self_referral=st.booleans())
    def new_request(self, self_referral: bool) -> None:
        """A school asks for support (or a family refers itself); the hub triages it."""
        CaseJourney.counter += 1
        self.now = START
        self.traveller = time_machine.travel(self.now, tick=False)
        self.traveller.start()
        family = Family.objects.create(name=f"Journeyfamily {CaseJourney.counter}")
        self.child = Child.objects.create(
            family=family, given_names="Ash", family_name="Journey", date_of_birth="2017-06-01"
        )
        self.parent = FamilyMember.objects.create(
            family=family,
            given_names="Morgan",
            family_name="Journey",
            relationship=FamilyMember.Relationship.MOTHER,
            parental_responsibility=FamilyMember.ParentalResponsibility.YES,
        )
        request = submit_request_for_support(
            by=None if self_referral else self.requester,
            requester_name="Morgan Journey" if self_referral else "",
            source_code=ReferralSource.INDIVIDUAL_SELF if self_referral else "2A",
            summary_of_need="Mornings are hard and Ash is often late.",
            subjects=[self.child],
            family=family,
            family_aware=True,
            consent_obtained=True,
        )
        triaged = triage_request(
            request,
            by=self.coordinator,
            decision=TriageDecision.EARLY_HELP_ASSESSMENT,
            level=self.level,
            rationale="Needs across school and home.",
        )
        assert triaged.case is not None
        self.case = triaged.case
        self.cases = [self.case]
        self.expected_review: dt.date | None = None

    def teardown(self) -> None:
        if hasattr(self, "traveller"):
            self.traveller.stop()

    # --- Helpers ----------------------------------------------------------------------

    @property
    def lead(self) -> User:
        assignment = self.case.lead_assignments.active().select_related("professional").first()
        assert assignment is not None
        return assignment.professional

    def status(self) -> str:
        self.case.refresh_from_db()
        return self.case.status

    def today(self) -> dt.date:
        return timezone.localdate()

    def open_assessment(self) -> Assessment | None:
        return Assessment.objects.filter(case=self.case, status__in=OPEN_STATUSES).first()

    def _close(self) -> None:
        status = self.status()
        if status == S.STEP_UP_REQUESTED:
            record_step_up_decision(
                self.case,
                by=self.lead,
                accepted=True,
                decided_at=timezone.now(),
                social_worker_name="Sam Social",
            )
            return
        reason = closure_reasons_for(status)[0][0]
        extra: dict[str, Any] = {}
        if closure_asks_about_outcomes(status):
            extra = {"outcomes_achieved": "SOME", "outcomes_detail": "Mornings are better."}
        close_case(
            self.case,
            by=self.lead,
            reason=reason,
            progress_summary="Things improved.",
            child_views="Ash says school is better.",
            family_views="Morgan is pleased.",
            continuing_support="The school.",
            **extra,
        )

    # --- Steps ------------------------------------------------------------------------

    @precondition(lambda self: self.case.status == S.IDENTIFIED)
    @rule()
    def ask_the_family(self) -> None:
        move_to_stage(self.case, to=S.CONSENT_PENDING, by=self.lead)
        assert self.status() == S.CONSENT_PENDING

    @precondition(
        lambda self: self.case.status in {S.IDENTIFIED, S.TRIAGED, S.CONSENT_PENDING, S.ACTIVE}
    )
    @rule()
    def start_the_assessment(self) -> None:
        before = self.status()
        assume(self.open_assessment() is None)
        assessment = start_assessment(self.case, child=self.child, by=self.lead)
        consent(assessment, "start", self.lead, self.parent)
        begin_assessment(assessment, by=self.lead)
        assert self.status() == (S.REASSESSING if before == S.ACTIVE else S.ASSESSING)

    @precondition(lambda self: self.case.status in {S.ASSESSING, S.REASSESSING})
    @rule()
    def complete_the_assessment(self) -> None:
        before = self.status()
        assessment = self.open_assessment()
        assume(assessment is not None)
        assert assessment is not None
        fill_for_completion(assessment, self.lead, self.parent)
        share_with_family(assessment, by=self.lead)
        complete_assessment(assessment, by=self.lead)
        assert self.status() == (S.PLANNING if before == S.ASSESSING else S.ACTIVE)

    @precondition(lambda self: self.case.status == S.PLANNING)
    @rule(agree=st.none() | st.integers(min_value=1, max_value=150))
    def hold_the_first_tac(self, agree: int | None) -> None:
        meeting = schedule_meeting(
            self.case,
            by=self.lead,
            kind=Meeting.Kind.INITIAL,
            starts_at=timezone.now() + dt.timedelta(hours=1),
        )
        start = timezone.localdate(meeting.starts_at)
        agreed = start + dt.timedelta(days=agree) if agree is not None else None
        if agreed is not None:
            set_meeting_next_review(
                meeting,
                by=self.lead,
                next_review_on=agreed,
                beyond_guideline_reason="The family is away"
                if agree is not None and agree > GUIDELINE_DAYS
                else "",
            )
        finish_meeting(meeting, by=self.lead)
        assert self.status() == S.ACTIVE
        self.expected_review = agreed or self.today() + dt.timedelta(weeks=first_review_weeks())

    @precondition(lambda self: self.case.status == S.ACTIVE)
    @rule(agree=st.none() | st.integers(min_value=1, max_value=150))
    def review_the_plan(self, agree: int | None) -> None:
        agreed = self.today() + dt.timedelta(days=agree) if agree is not None else None
        record_review_without_meeting(
            self.case,
            by=self.lead,
            child_views="Ash likes breakfast club.",
            parent_views="Mornings are calmer.",
            next_review_on=agreed,
            beyond_guideline_reason="Summer holidays" if agree and agree > GUIDELINE_DAYS else "",
        )
        self.expected_review = agreed or self.today() + dt.timedelta(weeks=review_interval_weeks())

    @precondition(lambda self: self.case.is_open)
    @rule(days=st.integers(min_value=1, max_value=200))
    def move_the_review_date(self, days: int) -> None:
        due = self.today() + dt.timedelta(days=days)
        assume(due != self.case.next_review_due)
        move_next_review_due(self.case, due=due, reason="The family asked", by=self.lead)
        self.expected_review = due

    @precondition(lambda self: self.case.status in Case.STEP_UP_FROM)
    @rule()
    def step_up(self) -> None:
        request_step_up(
            self.case,
            by=self.lead,
            referred_at=timezone.now(),
            referred_by=self.lead,
            reason="Bruising seen at school.",
            family_informed=True,
        )
        assert self.status() == S.STEP_UP_REQUESTED

    @precondition(lambda self: self.case.status == S.STEP_UP_REQUESTED)
    @rule(accepted=st.booleans())
    def social_care_decide(self, accepted: bool) -> None:
        record_step_up_decision(
            self.case,
            by=self.lead,
            accepted=accepted,
            decided_at=timezone.now(),
            social_worker_name="Sam Social" if accepted else "",
            decline_outcome="" if accepted else "RC9",
        )
        if accepted:
            assert self.status() == S.CLOSED_STEPPED_UP
            self.expected_review = None
            return
        assert self.status() in Case.STEP_UP_FROM
        review_by = add_working_days(self.today(), 10)
        if self.expected_review is None or self.expected_review > review_by:
            self.expected_review = review_by

    @precondition(lambda self: self.case.status == S.ACTIVE)
    @rule()
    def agree_to_close(self) -> None:
        move_to_stage(self.case, to=S.CLOSING, by=self.lead)
        assert self.status() == S.CLOSING

    @precondition(lambda self: self.case.is_open and self.case.status != S.STEP_UP_REQUESTED)
    @rule()
    def close(self) -> None:
        self._close()
        assert not self.case.is_open or not Case.objects.get(pk=self.case.pk).is_open
        self.case.refresh_from_db()
        self.expected_review = None

    @precondition(lambda self: not self.case.is_open)
    @rule()
    def refer_again(self) -> None:
        """Within the re-referral window the child starts a new case linked to the last."""
        previous = self.case
        self.case = start_case_for_child([self.child], by=self.requester)
        self.cases.append(self.case)
        assert self.case.is_re_referral
        assert self.case.previous_case == previous
        assert self.case.status == S.IDENTIFIED
        self.expected_review = None

    @rule(days=st.integers(min_value=1, max_value=40))
    def time_passes(self, days: int) -> None:
        self.now += dt.timedelta(days=days)
        self.traveller.stop()
        self.traveller = time_machine.travel(self.now, tick=False)
        self.traveller.start()

    # --- Invariants -------------------------------------------------------------------

    @invariant()
    def closure_is_reachable(self) -> None:
        if not hasattr(self, "case") or self.status() not in Case.OPEN_STATUSES:
            return
        try:
            with transaction.atomic():
                self._close()
                closed = Case.objects.get(pk=self.case.pk)
                assert not closed.is_open
                assert closed.next_review_due is None
                if closed.status != S.CLOSED_STEPPED_UP:
                    assert CaseClosure.objects.filter(case=closed).exists()
                raise _Rollback
        except _Rollback:
            pass
        self.case.refresh_from_db()
        assert self.case.is_open

    @invariant()
    def no_open_case_is_without_a_lead(self) -> None:
        for case in getattr(self, "cases", []):
            case.refresh_from_db()
            leads = case.lead_assignments.active().count()
            assert leads == (1 if case.is_open else 0), (case.status, leads)

    @invariant()
    def next_review_due_is_right(self) -> None:
        if not hasattr(self, "case"):
            return
        self.case.refresh_from_db()
        if not self.case.is_open:
            assert self.case.next_review_due is None
            return
        assert self.case.next_review_due == self.expected_review


def test_from_a_new_request_every_state_can_close_and_keeps_its_lead_and_review_date(
    lead: User, coordinator: User, level_targeted: LevelOfNeed
) -> None:
    AssessmentTemplate.objects.get_or_create(
        code="caf-2009",
        version=1,
        defaults={
            "name": "Early help assessment",
            "definition": default_definition(),
            "is_default": True,
        },
    )
    CaseJourney.requester = lead
    CaseJourney.coordinator = coordinator
    CaseJourney.level = level_targeted
    run_state_machine_as_test(
        CaseJourney,
        settings=settings(
            max_examples=12,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def test_a_self_referral_opens_a_case_led_by_whoever_triaged_it(
    make_family: Any, coordinator: User, level_targeted: LevelOfNeed
) -> None:
    """No requester with an account: the triager holds the lead until one is agreed."""
    family = make_family()
    child = Child.objects.create(
        family=family, given_names="Kit", family_name="Self", date_of_birth="2019-02-02"
    )
    request = submit_request_for_support(
        by=None,
        requester_name="Kit's grandmother (by phone)",
        source_code=ReferralSource.INDIVIDUAL_FAMILY,
        summary_of_need="Grandmother is caring for Kit and needs support.",
        subjects=[child],
        family=family,
        family_aware=True,
        consent_obtained=False,
    )
    triaged = triage_request(
        request,
        by=coordinator,
        decision=TriageDecision.EARLY_HELP_ASSESSMENT,
        level=level_targeted,
        rationale="Caring pressures at home.",
    )
    assert triaged.case is not None
    assert triaged.case.lead_assignment is not None
    assert triaged.case.lead_assignment.professional == coordinator
