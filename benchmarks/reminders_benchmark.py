"""Reminder dispatch benchmark: a pass over 10,000 due reminders, and an idle tick.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tac_bench_1m \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python benchmarks/reminders_benchmark.py

Writes only reminder rows with subject_type "bench.synthetic" (plus their
notifications and outbox emails) and deletes them all at the end.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TAC_ENVIRONMENT", "development")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tac_portal.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from agencies.models import User  # noqa: E402
from notifications import services  # noqa: E402
from notifications.models import EmailOutbox, Notification, Reminder, ReminderRule  # noqa: E402

SUBJECT = "bench.synthetic"
DUE = 10_000
FUTURE = 100_000

CLAIM_SQL = """
EXPLAIN (ANALYZE, BUFFERS)
SELECT id FROM notifications_reminder
WHERE status = 'pending' AND fire_at <= now()
ORDER BY fire_at, id LIMIT 500 FOR UPDATE SKIP LOCKED
"""


def seed(count: int, *, fire_at: dt.datetime, start: int) -> None:
    rule = ReminderRule.objects.get(code="review.due")
    users = list(User.objects.exclude(email="").filter(is_active=True)[:500])
    for offset in range(0, count, 5000):
        Reminder.objects.bulk_create(
            Reminder(
                subject_type=SUBJECT,
                subject_id=start + i,
                rule=rule,
                recipient=users[i % len(users)],
                due_on=dt.date(2027, 1, 1),
                fire_at=fire_at + dt.timedelta(seconds=i),
            )
            for i in range(offset, min(offset + 5000, count))
        )


def clean_up() -> None:
    with transaction.atomic():
        mine = Reminder.objects.filter(subject_type=SUBJECT)
        EmailOutbox.objects.filter(notification__reminder__in=mine).delete()
        Notification.objects.filter(reminder__in=mine).delete()
        mine.delete()


def main() -> None:
    # The synthetic subject type names no reminder kind on purpose (nothing to look up);
    # the dispatcher logs each such reminder as an error, which would drown the figures.
    logging.getLogger("notifications.services").setLevel(logging.CRITICAL)
    print(f"database: {connection.settings_dict['NAME']}")
    if not User.objects.exclude(email="").filter(is_active=True).exists():
        # A bare, migrated database: the demo's people receive the reminders.
        print("no users yet: seeding the demo data first")
        call_command("seed_demo", verbosity=0)
    clean_up()
    now = timezone.now()
    try:
        seed(FUTURE, fire_at=now + dt.timedelta(days=30), start=0)
        seed(DUE, fire_at=now - dt.timedelta(days=1), start=FUTURE)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE notifications_reminder")
        print(f"pending reminders: {FUTURE:,} in the future, {DUE:,} due")

        started = time.perf_counter()
        notified = services.dispatch_due_reminders(batch_size=500)
        elapsed = time.perf_counter() - started
        print(
            f"dispatch pass: {notified:,} notifications + outbox emails in {elapsed:.2f} s "
            f"({notified / elapsed:,.0f}/s)"
        )

        timings = []
        for _ in range(200):
            started = time.perf_counter()
            assert services.dispatch_due_reminders() == 0
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        print(
            f"idle tick ({FUTURE:,} pending in the future): median "
            f"{statistics.median(timings):.2f} ms, p95 {timings[189]:.2f} ms"
        )
        with connection.cursor() as cursor:
            cursor.execute(CLAIM_SQL)
            print("\n".join(row[0] for row in cursor.fetchall()))
        started = time.perf_counter()
        health = services.reminder_health()
        print(f"reminder_health: {health} in {(time.perf_counter() - started) * 1000:.2f} ms")
    finally:
        clean_up()
        print("benchmark rows deleted")


if __name__ == "__main__":
    main()
