"""The review cadence keeps ``Case.next_review_due`` right through any sequence of
meetings, reschedules, cancellations, reviews and the passing of time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from hypothesis import HealthCheck, settings
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
from cases.models import Case, Child, Family
from cases.services import lifecycle as lifecycle_services
from meetings.models import Meeting
from meetings.services.meeting_mode import finish_meeting, set_meeting_next_review
from meetings.services.reviews import record_review_without_meeting
from meetings.services.scheduling import cancel_meeting, reschedule_meeting, schedule_meeting

pytestmark = pytest.mark.django_db

START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def _local(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def test_first_review_six_weeks_after_the_plan_starts(case: Case, lead: User) -> None:
    with time_machine.travel(START, tick=False):
        meeting = schedule_meeting(
            case, by=lead, kind=Meeting.Kind.INITIAL, starts_at=START + dt.timedelta(hours=1)
        )
        case.refresh_from_db()
        assert case.next_review_due == _local(meeting.starts_at)  # the scheduled meeting
    with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
        finish_meeting(meeting, by=lead)
        case.refresh_from_db()
        assert case.next_review_due == START.date() + dt.timedelta(weeks=6)
    with time_machine.travel(START + dt.timedelta(days=40), tick=False):
        record_review_without_meeting(case, by=lead, child_views="a", parent_views="b")
        case.refresh_from_db()
        assert case.next_review_due == START.date() + dt.timedelta(days=40, weeks=8)


def test_a_meeting_scheduled_too_late_is_capped_at_three_months(case: Case, lead: User) -> None:
    with time_machine.travel(START, tick=False):
        record_review_without_meeting(case, by=lead, child_views="a", parent_views="b")
        schedule_meeting(
            case,
            by=lead,
            kind=Meeting.Kind.REVIEW,
            starts_at=START + dt.timedelta(days=120),
        )
        case.refresh_from_db()
        assert case.next_review_due == START.date() + dt.timedelta(days=91)


class Cadence(RuleBasedStateMachine):
    """A reference model of the cadence, checked against the case after every step."""

    lead: User
    counter = 0

    @initialize()
    def open_case(self) -> None:
        Cadence.counter += 1
        self.traveller = time_machine.travel(START, tick=False)
        self.traveller.start()
        family = Family.objects.create(name=f"Statefamily {Cadence.counter}")
        child = Child.objects.create(
            family=family,
            given_names="Robin",
            family_name="State",
            date_of_birth=dt.date(2018, 1, 1),
        )
        self.case = lifecycle_services.open_case(
            family,
            children=[child],
            by=self.lead,
            status=Case.Status.ACTIVE,
            interim_lead=self.lead,
        )
        self.now = START
        self.scheduled: dict[int, dt.date] = {}
        self.agreed: dict[int, dt.date] = {}
        # (when, 0 for the first TAC or 1 for a review, order, agreed date)
        self.events: list[tuple[dt.datetime, int, int, dt.date | None]] = []
        self.meetings_held = 0

    def teardown(self) -> None:
        if hasattr(self, "traveller"):
            self.traveller.stop()

    def _today(self) -> dt.date:
        return _local(self.now)

    @rule(
        days=st.integers(min_value=0, max_value=130),
        kind=st.sampled_from([Meeting.Kind.INITIAL, Meeting.Kind.REVIEW]),
    )
    def schedule(self, days: int, kind: str) -> None:
        starts = self.now + dt.timedelta(days=days, hours=1)
        meeting = schedule_meeting(self.case, by=self.lead, kind=kind, starts_at=starts)
        self.scheduled[meeting.pk] = _local(starts)

    @precondition(lambda self: bool(self.scheduled))
    @rule(data=st.data(), days=st.integers(min_value=0, max_value=130))
    def reschedule(self, data: Any, days: int) -> None:
        pk = data.draw(st.sampled_from(sorted(self.scheduled)))
        starts = self.now + dt.timedelta(days=days, hours=2)
        reschedule_meeting(
            Meeting.objects.get(pk=pk),
            by=self.lead,
            starts_at=starts,
            ends_at=None,
            mode=Meeting.Mode.VIDEO,
            location="",
        )
        self.scheduled[pk] = _local(starts)

    @precondition(lambda self: bool(self.scheduled))
    @rule(data=st.data())
    def cancel(self, data: Any) -> None:
        pk = data.draw(st.sampled_from(sorted(self.scheduled)))
        cancel_meeting(Meeting.objects.get(pk=pk), by=self.lead, reason="Family unwell")
        del self.scheduled[pk]

    @precondition(lambda self: bool(self.scheduled))
    @rule(data=st.data(), agree=st.none() | st.integers(min_value=1, max_value=91))
    def hold(self, data: Any, agree: int | None) -> None:
        pk = data.draw(st.sampled_from(sorted(self.scheduled)))
        meeting = Meeting.objects.get(pk=pk)
        agreed = None
        if agree is not None:
            agreed = _local(meeting.starts_at) + dt.timedelta(days=agree)
            set_meeting_next_review(meeting, by=self.lead, next_review_on=agreed)
        finish_meeting(meeting, by=self.lead)
        meeting.refresh_from_db()
        del self.scheduled[pk]
        assert meeting.held_at is not None
        source = 0 if meeting.kind == Meeting.Kind.INITIAL else 1
        self.events.append((meeting.held_at, source, len(self.events), agreed))

    @rule(agree=st.none() | st.integers(min_value=1, max_value=91))
    def review_without_meeting(self, agree: int | None) -> None:
        agreed = self._today() + dt.timedelta(days=agree) if agree is not None else None
        record_review_without_meeting(
            self.case, by=self.lead, child_views="ok", parent_views="ok", next_review_on=agreed
        )
        self.events.append((self.now, 1, len(self.events), agreed))

    @rule(days=st.integers(min_value=1, max_value=60))
    def time_passes(self, days: int) -> None:
        self.now += dt.timedelta(days=days)
        self.traveller.stop()
        self.traveller = time_machine.travel(self.now, tick=False)
        self.traveller.start()

    def expected(self) -> dt.date | None:
        upcoming = sorted(self.scheduled.values())
        if not self.events:
            return upcoming[0] if upcoming else None
        # The latest event; a review recorded at the same moment as a meeting wins.
        moment, source, _, agreed = max(self.events)
        weeks = 6 if source == 0 else 8
        anchor = _local(moment)
        ceiling = anchor + dt.timedelta(days=91)
        if agreed is not None:
            # The date the meeting or review agreed stands, even beyond the guideline.
            ceiling = max(ceiling, agreed)
            due = agreed
        else:
            due = min(anchor + dt.timedelta(weeks=weeks), ceiling)
        later = [d for d in upcoming if d >= anchor]
        return min(later[0], ceiling) if later else due

    @invariant()
    def next_review_due_is_right(self) -> None:
        if not hasattr(self, "case"):
            return
        self.case.refresh_from_db()
        assert self.case.next_review_due == self.expected()
        if self.events:
            moment, _, _, agreed = max(self.events)
            ceiling = _local(moment) + dt.timedelta(days=91)
            assert self.case.next_review_due is not None
            assert self.case.next_review_due <= max(ceiling, agreed or ceiling)


def test_next_review_due_follows_every_sequence(lead: User) -> None:
    Cadence.lead = lead
    run_state_machine_as_test(
        Cadence,
        settings=settings(
            max_examples=40,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
