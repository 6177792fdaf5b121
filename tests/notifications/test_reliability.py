"""Never lost, never doubled: concurrent dispatchers and a model-based state machine."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from agencies.models import User
from cases import services as case_services
from cases.models import Case, Child, Family
from notifications import services
from notifications.models import (
    SUBJECT_CASE_REVIEW,
    EmailOutbox,
    Notification,
    Reminder,
    ReminderRule,
)


def make_due_reminders(count: int, recipient: User) -> None:
    """``count`` due reminders about made-up subjects (no case, so nothing cancels them)."""
    rule = ReminderRule.objects.get(code="review.due")
    past = timezone.now() - dt.timedelta(minutes=5)
    Reminder.objects.bulk_create(
        Reminder(
            subject_type="test.synthetic",
            subject_id=i,
            rule=rule,
            recipient=recipient,
            due_on=dt.date(2027, 1, 1),
            fire_at=past - dt.timedelta(seconds=i),
        )
        for i in range(count)
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_write_exactly_one_notification_per_reminder(
    lead: User,
) -> None:
    make_due_reminders(1000, lead)
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def dispatcher(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = services.dispatch_due_reminders(batch_size=50)
        except BaseException as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 1000
    # Both really worked: SKIP LOCKED shared the rows out rather than serialising.
    assert min(results) > 0
    assert Notification.objects.count() == 1000
    assert EmailOutbox.objects.count() == 1000
    assert Reminder.objects.filter(status="pending").count() == 0


# --- The state machine -------------------------------------------------------

START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
Key = tuple[int, int, int, dt.date]  # case, rule, recipient, due date


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.usefixtures("review_rules_only")
def test_the_ledger_never_doubles_and_never_loses_a_live_reminder(
    lead: User, member: User, manager: User, coordinator: User
) -> None:
    """Create, move, complete and cancel reviews between ticks of the dispatcher.

    The model keeps its own set of live keys: those the current review date and
    lead call for, whose day had not passed when they were scheduled. After every
    tick each live key that has fallen due has exactly one notification, and no
    notification exists for a key that was never live.
    """
    rules = list(ReminderRule.objects.filter(subject_type=SUBJECT_CASE_REVIEW, is_active=True))
    people = {"lead": lead, "member": member}
    managers_of = {lead.pk: [manager], member.pk: []}

    class ReviewLedger(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            EmailOutbox.objects.all().delete()
            Notification.objects.all().delete()
            Reminder.objects.all().delete()
            self.traveller = time_machine.travel(START, tick=False)
            self.clock = self.traveller.start()
            self.cases: list[Case] = []
            self.lead_of: dict[int, User] = {}
            self.live: set[Key] = set()
            self.ever_live: set[Key] = set()
            self.open_case()

        def teardown(self) -> None:
            self.traveller.stop()

        def _wanted(self, case: Case) -> dict[Key, dt.datetime]:
            case.refresh_from_db()
            if not case.is_open or case.next_review_due is None:
                return {}
            lead_ = self.lead_of[case.pk]
            audiences = {
                "lead": [lead_],
                "lead_manager": managers_of[lead_.pk],
                "coordinator": [coordinator],
            }
            return {
                (case.pk, r.pk, u.pk, case.next_review_due): services.fire_at_for(
                    r, case.next_review_due
                )
                for r in rules
                for u in audiences[r.audience]
            }

        def _rescheduled(self, case: Case) -> None:
            services.schedule_review_reminders(case)
            wanted = self._wanted(case)
            today = timezone.localdate()
            self.live = {k for k in self.live if k[0] != case.pk or k in wanted}
            fresh = {k for k, at in wanted.items() if timezone.localdate(at) >= today}
            self.live |= fresh
            self.ever_live |= fresh

        @rule()
        def open_case(self) -> None:
            family = Family.objects.create(name="Testfamily Machine")
            child = Child.objects.create(
                family=family,
                given_names="Jamie",
                family_name="Machine",
                date_of_birth=dt.date(2016, 5, 17),
            )
            case = case_services.open_case(
                family, children=[child], by=lead, status=Case.Status.ACTIVE, interim_lead=lead
            )
            self.cases.append(case)
            self.lead_of[case.pk] = lead

        @rule(index=st.integers(0, 20), days=st.integers(-10, 40))
        def set_review(self, index: int, days: int) -> None:
            case = self.cases[index % len(self.cases)]
            Case.objects.filter(pk=case.pk, closed_at__isnull=True).update(
                next_review_due=timezone.localdate() + dt.timedelta(days=days)
            )
            self._rescheduled(case)

        @rule(index=st.integers(0, 20))
        def complete_review(self, index: int) -> None:
            case = self.cases[index % len(self.cases)]
            Case.objects.filter(pk=case.pk).update(next_review_due=None)
            self._rescheduled(case)

        @rule(index=st.integers(0, 20), who=st.sampled_from(["lead", "member"]))
        def change_lead(self, index: int, who: str) -> None:
            case = self.cases[index % len(self.cases)]
            if not case.is_open or self.lead_of[case.pk] == people[who]:
                return
            case_services.assign_lead_professional(
                case,
                professional=people[who],
                by=manager,
                basis="MANAGER_ALLOCATED",
                change_reason="MANAGING_CASELOADS",
            )
            self.lead_of[case.pk] = people[who]
            self._rescheduled(case)

        @rule(index=st.integers(0, 20))
        def cancel_case(self, index: int) -> None:
            case = self.cases[index % len(self.cases)]
            if not case.is_open:
                return
            case_services.change_status(case, to=Case.Status.CLOSING, by=lead)
            case_services.change_status(
                case, to=Case.Status.CLOSED, by=lead, closure_reason="NEEDS_MET"
            )
            services.cancel_reminders_for(case)
            case.refresh_from_db()
            self._rescheduled(case)

        @rule(hours=st.integers(1, 24 * 9))
        def tick(self, hours: int) -> None:
            self.clock.shift(dt.timedelta(hours=hours))
            services.dispatch_due_reminders(batch_size=7)

        @invariant()
        def never_more_than_one_notification_per_key(self) -> None:
            keys = list(
                Notification.objects.values_list(
                    "reminder__case_id",
                    "reminder__rule_id",
                    "reminder__recipient_id",
                    "reminder__due_on",
                )
            )
            assert len(keys) == len(set(keys))
            assert set(keys) <= self.ever_live

        @invariant()
        def every_due_live_key_has_its_notification(self) -> None:
            now = timezone.now()
            notified = set(
                Notification.objects.values_list(
                    "reminder__case_id",
                    "reminder__rule_id",
                    "reminder__recipient_id",
                    "reminder__due_on",
                )
            )
            due_pending = Reminder.objects.due(now).exists()
            if due_pending:
                return  # between a change and the next tick
            for case in self.cases:
                for key, at in self._wanted(case).items():
                    if key in self.live and at <= now:
                        assert key in notified, key

    run_state_machine_as_test(
        ReviewLedger,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
