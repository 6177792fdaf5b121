"""Dispatch writes one notification per reminder; the outbox sends it with a stable Message-ID."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction

from agencies.models import User
from cases.models import Case
from notifications import outbox, services
from notifications.models import EmailOutbox, Notification, NotificationPreference, Reminder
from tests.notifications.test_scheduling import DUE, SetReview

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("review_rules_only")]

UTC = dt.UTC
BEFORE = dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
DUE_SOON_FIRES = dt.datetime(2027, 3, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
def scheduled(case: Case, set_review: SetReview, manager: User, coordinator: User) -> Case:
    with time_machine.travel(BEFORE, tick=False):
        return set_review(case, DUE)


def test_it_notifies_nothing_before_the_fire_time(scheduled: Case) -> None:
    with time_machine.travel(DUE_SOON_FIRES - dt.timedelta(minutes=1), tick=False):
        assert services.dispatch_due_reminders() == 0
    assert Notification.objects.count() == 0


def test_it_notifies_the_lead_once_when_the_reminder_falls_due(scheduled: Case, lead: User) -> None:
    with time_machine.travel(DUE_SOON_FIRES, tick=False):
        assert services.dispatch_due_reminders() == 1
        assert services.dispatch_due_reminders() == 0

    notification = Notification.objects.get()
    assert notification.recipient == lead
    assert notification.title == "A case review is due in 5 working days"
    assert notification.link == f"/cases/{scheduled.pk}/"
    assert notification.reminder is not None
    assert notification.reminder.status == Reminder.Status.SENT
    outbox = EmailOutbox.objects.get()
    assert outbox.message_id == f"<reminder-{notification.reminder_id}@tac-portal>"
    assert outbox.to_address == lead.email


def test_it_catches_up_after_downtime_with_the_whole_ladder(scheduled: Case) -> None:
    with time_machine.travel(dt.datetime(2027, 5, 1, 12, 0, tzinfo=UTC), tick=False):
        assert services.dispatch_due_reminders(batch_size=2) == 5
    assert sorted(Notification.objects.values_list("recipient__full_name", flat=True)) == [
        "Cora Coordinator",
        "Lena Lead",
        "Lena Lead",
        "Lena Lead",
        "Mo Manager",
    ]


def test_the_database_refuses_a_second_notification_for_a_reminder(scheduled: Case) -> None:
    with time_machine.travel(DUE_SOON_FIRES, tick=False):
        services.dispatch_due_reminders()
    first = Notification.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=first.recipient,
            reminder=first.reminder,
            title="again",
            link="/",
            created_at=first.created_at,
        )


def test_it_cancels_a_reminder_whose_review_moved_without_a_reschedule(
    scheduled: Case,
) -> None:
    Case.objects.filter(pk=scheduled.pk).update(next_review_due=dt.date(2027, 6, 1))
    with time_machine.travel(DUE_SOON_FIRES, tick=False):
        assert services.dispatch_due_reminders() == 0
    assert Reminder.objects.filter(status="cancelled").count() == 1


def test_the_email_names_the_case_by_reference_and_initials_only(
    scheduled: Case, settings: Any
) -> None:
    settings.SITE_URL = "https://tac.example.gov.uk"
    with time_machine.travel(DUE_SOON_FIRES, tick=False):
        services.dispatch_due_reminders()
        assert outbox.send_pending_emails() == 1

    (message,) = mail.outbox
    notification = Notification.objects.get()
    assert (
        message.extra_headers["Message-ID"] == f"<reminder-{notification.reminder_id}@tac-portal>"
    )
    label = f"{scheduled.reference} (J.F.)"  # Jamie Fairweather's initials
    assert message.subject == f"TAC Portal: A case review is due in 5 working days, case {label}"
    assert f"Case {label}" in message.body
    assert notification.case_id == scheduled.pk
    assert notification.case_label == label
    html = message.alternatives[0][0]  # type: ignore[attr-defined]
    link = f"https://tac.example.gov.uk/notifications/{notification.pk}/"
    assert link in message.body
    assert link in str(html)
    child = scheduled.children.get()
    for text in (message.subject, message.body, str(html)):
        for secret in (
            child.given_names,
            child.family_name,
            scheduled.family.name,
            child.postcode,
            f"/cases/{scheduled.pk}",
            "Lena",
        ):
            assert secret not in text
    assert EmailOutbox.objects.get().status == EmailOutbox.Status.SENT


def _fail_emails(settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.backends.FailingBackend"


def test_it_retries_with_backoff_and_gives_up_as_dead(
    scheduled: Case, settings: Any, admin_user: User
) -> None:
    _fail_emails(settings)
    settings.TAC_EMAIL_MAX_ATTEMPTS = 3
    with time_machine.travel(DUE_SOON_FIRES, tick=False) as clock:
        services.dispatch_due_reminders()
        assert outbox.send_pending_emails() == 0
        row = EmailOutbox.objects.get()
        assert (row.status, row.attempts, row.last_error) == (
            "pending",
            1,
            "ConnectionRefusedError",
        )
        assert row.next_attempt_at == DUE_SOON_FIRES + dt.timedelta(minutes=1)

        assert outbox.send_pending_emails() == 0  # not yet: backing off
        assert EmailOutbox.objects.get().attempts == 1

        clock.shift(dt.timedelta(minutes=1))
        outbox.send_pending_emails()
        row.refresh_from_db()
        assert row.attempts == 2
        assert row.next_attempt_at == DUE_SOON_FIRES + dt.timedelta(minutes=3)

        clock.shift(dt.timedelta(minutes=2))
        outbox.send_pending_emails()
        row.refresh_from_db()
        assert (row.status, row.attempts) == ("dead", 3)
        health = outbox.email_health()
        assert health["dead_emails"] == 1
        assert health["ok"] is False

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert outbox.retry_undelivered_emails(by=admin_user, ids=[row.pk]) == 1
        assert outbox.send_pending_emails() == 1
    assert len(mail.outbox) == 1


def test_it_takes_over_a_row_whose_lease_ran_out(scheduled: Case) -> None:
    with time_machine.travel(DUE_SOON_FIRES, tick=False) as clock:
        services.dispatch_due_reminders()
        # A worker leased the row and died.
        assert outbox._lease_batch(10) == [EmailOutbox.objects.get().pk]
        assert outbox.send_pending_emails() == 0
        clock.shift(dt.timedelta(seconds=settings.TAC_EMAIL_LEASE_SECONDS + 1))
        assert outbox.send_pending_emails() == 1
    row = EmailOutbox.objects.get()
    assert (row.status, row.attempts) == ("sent", 2)


def test_it_marks_a_row_dead_when_every_lease_holder_died(scheduled: Case, settings: Any) -> None:
    settings.TAC_EMAIL_MAX_ATTEMPTS = 2
    with time_machine.travel(DUE_SOON_FIRES, tick=False) as clock:
        services.dispatch_due_reminders()
        for _ in range(2):
            outbox._lease_batch(10)
            clock.shift(dt.timedelta(seconds=settings.TAC_EMAIL_LEASE_SECONDS + 1))
        assert outbox.send_pending_emails() == 0
    assert EmailOutbox.objects.get().status == EmailOutbox.Status.DEAD
    assert mail.outbox == []


def test_a_digest_user_gets_one_email_a_day_at_their_hour(scheduled: Case, lead: User) -> None:
    services.set_notification_preference(lead, email_frequency="daily_digest", digest_hour=17)
    with time_machine.travel(dt.datetime(2027, 4, 1, 12, 0, tzinfo=UTC), tick=False):
        assert services.dispatch_due_reminders() == 2  # due soon and due today
        assert not EmailOutbox.objects.filter(recipient=lead).exists()
        assert services.send_daily_digests() == 0  # 13:00 BST is not Lena's hour
    with time_machine.travel(dt.datetime(2027, 4, 1, 16, 0, tzinfo=UTC), tick=False):
        assert services.send_daily_digests() == 1
        assert services.send_daily_digests() == 0
        outbox.send_pending_emails()
    (message,) = mail.outbox
    assert message.subject == "TAC Portal: 2 new notifications"
    assert "A case review is due today" in message.body
    assert scheduled.children.get().given_names not in message.body
    assert message.extra_headers["Message-ID"].startswith(f"<digest-{lead.pk}-")


def test_switching_back_to_immediate_flushes_waiting_notifications(
    scheduled: Case, lead: User
) -> None:
    services.set_notification_preference(lead, email_frequency="daily_digest", digest_hour=17)
    with time_machine.travel(DUE_SOON_FIRES, tick=False):
        services.dispatch_due_reminders()
    services.set_notification_preference(lead, email_frequency="immediate", digest_hour=17)
    with time_machine.travel(DUE_SOON_FIRES + dt.timedelta(hours=1), tick=False):
        assert services.send_daily_digests() == 1
    assert NotificationPreference.objects.get(user=lead).email_frequency == "immediate"


def test_health_reports_the_age_of_the_oldest_due_reminder(scheduled: Case) -> None:
    with time_machine.travel(DUE_SOON_FIRES + dt.timedelta(minutes=30), tick=False):
        health = services.reminder_health()
        assert health["oldest_due_reminder_seconds"] == 1800.0
        assert health["reminders_due"] == 1
        assert health["ok"] is False
        services.dispatch_due_reminders()
        assert services.reminder_health() == {
            "ok": True,
            "reminders_due": 0,
            "oldest_due_reminder_seconds": 0.0,
        }
        # The reminder's email now waits in the outbox: nothing is overdue yet.
        assert outbox.email_health() == {
            "ok": True,
            "emails_waiting": 1,
            "oldest_due_email_seconds": 0.0,
            "dead_emails": 0,
        }


def test_the_tasks_call_the_services(scheduled: Case) -> None:
    from notifications import tasks
    from tac_portal.celery import app

    # Run the wake-up in this process, whatever another test left in the app's settings.
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with time_machine.travel(DUE_SOON_FIRES, tick=False):
            assert tasks.dispatch_reminders() == 1
            # Dispatching woke the sender at once: the email is already out.
            assert EmailOutbox.objects.get().status == EmailOutbox.Status.SENT
            assert tasks.send_emails() == 0
            assert tasks.send_digests() == 0
    finally:
        app.conf.task_always_eager = eager
