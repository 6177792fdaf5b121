"""Never lost, never doubled: concurrent dispatchers and a model-based state machine."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.db.models import Min
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from agencies.models import User
from cases.models import Case, Child, Family
from cases.services import lifecycle as lifecycle_services
from cases.services.lifecycle import change_status
from cases.services.reviews import set_next_review_due
from cases.services.teams import add_professional_to_team, assign_lead_professional
from meetings.models import Action
from meetings.services import plan as plan_services
from meetings.services.plan import Owner, change_action
from notifications import services
from notifications.models import (
    SUBJECT_ACTION_DUE,
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
#: What a reminder is about and for: subject type, subject id, rule, recipient, due date.
Key = tuple[str, int, int, int, dt.date]
KEY_FIELDS = (
    "reminder__subject_type",
    "reminder__subject_id",
    "reminder__rule_id",
    "reminder__recipient_id",
    "reminder__due_on",
)
ACTION_STATUSES = [s.value for s in Action.Status]


@dataclass
class ModelAction:
    """What the model believes about one action: enough to say which reminders it wants."""

    case_pk: int
    owner: User | None  # None: a network member without an account owns it
    due_on: dt.date
    status: str


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.usefixtures("review_and_action_rules_only")
def test_the_ledger_never_doubles_and_never_loses_a_live_reminder(
    lead: User, member: User, manager: User, coordinator: User
) -> None:
    """Create, move, complete and cancel reviews and actions between ticks of the dispatcher.

    Every change goes through the real services (cases and meetings); the model
    keeps its own picture of the cases and actions, and from the seeded rules the
    set of keys that picture wants. A key is live while it is wanted, from the
    moment it is wanted on or before its day (the ledger does not send stale
    notices, but catches up the latest one due when a date moves into the past).
    After every step: no key has two notifications, no notification is
    for a key that was never live, no pending reminder is for a key nobody wants,
    and once nothing is left due every live key whose time has come has its
    notification.
    """
    rules: dict[str, list[ReminderRule]] = {
        subject_type: list(ReminderRule.objects.filter(subject_type=subject_type, is_active=True))
        for subject_type in (SUBJECT_CASE_REVIEW, SUBJECT_ACTION_DUE)
    }
    assert {r.code for r in rules[SUBJECT_ACTION_DUE]} >= {"action.due", "action.overdue_lead"}
    offsets = {r.pk: r.offset_working_days for rs in rules.values() for r in rs}
    people = {"lead": lead, "member": member}
    managers_of = {lead.pk: [manager], member.pk: []}

    def keys(
        subject_type: str, subject_id: int, due_on: dt.date, audiences: dict[str, list[User]]
    ) -> dict[Key, dt.datetime]:
        return {
            (subject_type, subject_id, r.pk, u.pk, due_on): services.fire_at_for(r, due_on)
            for r in rules[subject_type]
            for u in audiences.get(r.audience, [])
        }

    class Ledger(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            EmailOutbox.objects.all().delete()
            Notification.objects.all().delete()
            Reminder.objects.all().delete()
            self.traveller = time_machine.travel(START, tick=False)
            self.clock = self.traveller.start()
            self.cases: list[Case] = []
            self.lead_of: dict[int, User] = {}
            self.review_due: dict[int, dt.date | None] = {}
            self.closed: set[int] = set()
            self.actions: dict[int, ModelAction] = {}
            self.live: set[Key] = set()
            self.ever_live: set[Key] = set()
            self.open_case()

        def teardown(self) -> None:
            self.traveller.stop()

        # The model's side ------------------------------------------------------

        def _wanted(self) -> dict[Key, dt.datetime]:
            """Every key the model's cases and actions call for, with its fire time."""
            wanted: dict[Key, dt.datetime] = {}
            for case in self.cases:
                due = self.review_due[case.pk]
                if case.pk in self.closed or due is None:
                    continue
                lead_ = self.lead_of[case.pk]
                audiences = {
                    "lead": [lead_],
                    "lead_manager": managers_of[lead_.pk],
                    "coordinator": [coordinator],
                }
                wanted |= keys(SUBJECT_CASE_REVIEW, case.pk, due, audiences)
            for pk, action in self.actions.items():
                if action.case_pk in self.closed or action.status not in Action.OPEN_STATUSES:
                    continue
                audiences = {
                    "owner": [action.owner] if action.owner is not None else [],
                    "lead": [self.lead_of[action.case_pk]],
                }
                wanted |= keys(SUBJECT_ACTION_DUE, pk, action.due_on, audiences)
            return wanted

        def _changed(self) -> None:
            """After any change: what is no longer wanted stops being live, and what is
            wanted on or before its day becomes live (the ledger keeps past days as they
            were)."""
            wanted = self._wanted()
            today = timezone.localdate()
            self.live &= wanted.keys()
            fresh = {k for k, at in wanted.items() if timezone.localdate(at) >= today}
            self.live |= fresh
            self.ever_live |= fresh
            # A subject rescheduled after its day catches up: of each person's keys whose
            # day has passed, the latest on or after the due date may go out at once.
            # Allowed (never a double, never for an unwanted key), not required: the
            # model does not track which subjects each step rescheduled.
            latest: dict[tuple[str, int, int], tuple[dt.datetime, Key]] = {}
            for key, at in wanted.items():
                subject_type, subject_id, rule_id, user_id, _ = key
                who = (subject_type, subject_id, user_id)
                passed = timezone.localdate(at) < today and offsets[rule_id] >= 0
                if passed and (who not in latest or at > latest[who][0]):
                    latest[who] = (at, key)
            self.ever_live |= {key for _, key in latest.values()}

        def _case(self, index: int) -> Case:
            return self.cases[index % len(self.cases)]

        def _action(self, index: int) -> tuple[Action, ModelAction] | None:
            if not self.actions:
                return None
            pk = sorted(self.actions)[index % len(self.actions)]
            return Action.objects.get(pk=pk), self.actions[pk]

        def _owner(self, case: Case, who: str) -> Owner:
            if who == "network":
                return Owner(network_name="Rosa Testfamily (aunt)")
            membership = case.memberships.active().get(professional=people[who])
            return Owner(membership)

        # Reviews ---------------------------------------------------------------

        @rule()
        def open_case(self) -> None:
            family = Family.objects.create(name="Testfamily Machine")
            child = Child.objects.create(
                family=family,
                given_names="Jamie",
                family_name="Machine",
                date_of_birth=dt.date(2016, 5, 17),
            )
            case = lifecycle_services.open_case(
                family, children=[child], by=lead, status=Case.Status.ACTIVE, interim_lead=lead
            )
            add_professional_to_team(case, professional=member, by=lead)
            case.refresh_from_db()
            self.cases.append(case)
            self.lead_of[case.pk] = lead
            self.review_due[case.pk] = case.next_review_due
            self._changed()

        @rule(index=st.integers(0, 20), days=st.integers(-10, 40))
        def set_review(self, index: int, days: int) -> None:
            case = self._case(index)
            if case.pk in self.closed:
                return
            due = timezone.localdate() + dt.timedelta(days=days)
            set_next_review_due(case, due=due, by=lead)
            self.review_due[case.pk] = due
            self._changed()

        @rule(index=st.integers(0, 20))
        def complete_review(self, index: int) -> None:
            case = self._case(index)
            if case.pk in self.closed:
                return
            set_next_review_due(case, due=None, by=lead)
            self.review_due[case.pk] = None
            self._changed()

        @rule(index=st.integers(0, 20), who=st.sampled_from(["lead", "member"]))
        def change_lead(self, index: int, who: str) -> None:
            case = self._case(index)
            if case.pk in self.closed or self.lead_of[case.pk] == people[who]:
                return
            assign_lead_professional(
                case,
                professional=people[who],
                by=manager,
                basis="MANAGER_ALLOCATED",
                change_reason="MANAGING_CASELOADS",
            )
            self.lead_of[case.pk] = people[who]
            self._changed()

        @rule(index=st.integers(0, 20))
        def close_case(self, index: int) -> None:
            case = self._case(index)
            if case.pk in self.closed:
                return
            change_status(case, to=Case.Status.CLOSING, by=lead)
            change_status(case, to=Case.Status.CLOSED, by=lead, closure_reason="NEEDS_MET")
            self.closed.add(case.pk)
            self.review_due[case.pk] = None
            self._changed()

        # Actions (the coordinator can manage any case, open or closed) ----------

        @rule(
            index=st.integers(0, 20),
            who=st.sampled_from(["lead", "member", "network"]),
            days=st.integers(-5, 15),
        )
        def add_action(self, index: int, who: str, days: int) -> None:
            case = self._case(index)
            if case.pk in self.closed:
                return  # a closed case's plan no longer changes
            due = timezone.localdate() + dt.timedelta(days=days)
            action = plan_services.add_action(
                case,
                by=coordinator,
                description="Attendance plan",
                owner=self._owner(case, who),
                due_on=due,
            )
            self.actions[action.pk] = ModelAction(case.pk, people.get(who), due, action.status)
            self._changed()

        @rule(index=st.integers(0, 50), days=st.integers(-5, 15))
        def move_action(self, index: int, days: int) -> None:
            picked = self._action(index)
            if picked is None or picked[1].status not in Action.OPEN_STATUSES:
                return
            if picked[1].case_pk in self.closed:
                return  # a closed case's plan no longer changes
            action, model = picked
            due = timezone.localdate() + dt.timedelta(days=days)
            change_action(action, by=coordinator, due_on=due)
            model.due_on = due
            self._changed()

        @rule(index=st.integers(0, 50), who=st.sampled_from(["lead", "member", "network"]))
        def hand_action_over(self, index: int, who: str) -> None:
            picked = self._action(index)
            if picked is None or picked[1].status not in Action.OPEN_STATUSES:
                return
            if picked[1].case_pk in self.closed:
                return  # a closed case's plan no longer changes
            action, model = picked
            case = Case.objects.get(pk=model.case_pk)
            change_action(action, by=coordinator, owner=self._owner(case, who))
            model.owner = people.get(who)
            self._changed()

        @rule(index=st.integers(0, 50), status=st.sampled_from(ACTION_STATUSES))
        def update_action(self, index: int, status: str) -> None:
            """Done, cancelled, in progress, carried forward, or back again."""
            picked = self._action(index)
            if picked is None:
                return
            action, model = picked
            if model.case_pk in self.closed and model.owner is None:
                return  # only the owner could: a closed case has no lead professional
            by = model.owner or self.lead_of[model.case_pk]
            plan_services.update_action(action, by=by, status=status, progress_note="Update")
            model.status = status
            self._changed()

        # Time passes -----------------------------------------------------------

        @rule(hours=st.integers(1, 24 * 9))
        def tick(self, hours: int) -> None:
            self.clock.shift(dt.timedelta(hours=hours))
            services.dispatch_due_reminders(batch_size=7)

        @rule(minutes=st.integers(0, 90))
        def tick_to_the_next_reminder(self, minutes: int) -> None:
            """Jump to just after the next pending reminder's time: where things happen."""
            upcoming = Reminder.objects.pending().filter(fire_at__gt=timezone.now())
            next_at = upcoming.aggregate(at=Min("fire_at"))["at"]
            if next_at is not None:
                self.clock.move_to(next_at + dt.timedelta(minutes=minutes))
            services.dispatch_due_reminders(batch_size=7)

        # What must always hold -------------------------------------------------

        @invariant()
        def never_more_than_one_notification_per_key(self) -> None:
            notified = list(Notification.objects.values_list(*KEY_FIELDS))
            assert len(notified) == len(set(notified))
            assert set(notified) <= self.ever_live

        @invariant()
        def no_pending_reminder_that_nothing_wants(self) -> None:
            pending = set(
                Reminder.objects.pending().values_list(
                    "subject_type", "subject_id", "rule_id", "recipient_id", "due_on"
                )
            )
            unwanted = pending - self._wanted().keys()
            assert not unwanted, unwanted

        @invariant()
        def every_due_live_key_has_its_notification(self) -> None:
            now = timezone.now()
            if Reminder.objects.due(now).exists():
                return  # between a change and the next tick
            notified = set(Notification.objects.values_list(*KEY_FIELDS))
            missing = {
                key for key, at in self._wanted().items() if key in self.live and at <= now
            } - notified
            assert not missing, missing

    run_state_machine_as_test(
        Ledger,
        settings=settings(
            max_examples=50,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
