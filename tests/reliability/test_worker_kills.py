"""SIGKILL a real Celery worker mid-dispatch and mid-send: nothing is lost or doubled.

A prefork worker (one child) runs against the real Redis broker and pytest's
test database, on a queue of its own. Killing the child is what the OOM killer
or a task crash does; killing the whole worker is a lost container. Either way
every reminder must end with exactly one notification and at least one email,
and a resent email carries the same Message-ID.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agencies.models import User
from notifications.models import EmailOutbox, Notification, Reminder
from notifications.services import reminder_message_id
from tests.notifications.test_reliability import make_due_reminders
from tests.reliability.workers import Queues, Worker, wait_for

REMINDERS = 80

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    # send_task always goes through the broker, which is the point here.
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]


class KillableWorker(Worker):
    """One worker taking every tick the test sends, emails logged to a file.

    The sender's wake-up after a dispatch goes to the test's email queue, which no
    worker here takes: the test decides when sending starts, so that it can kill
    the worker in the middle of it.
    """

    def __init__(self, queues: Queues, email_log: Path) -> None:
        super().__init__(
            queues,
            [queues.tac],
            {
                "TAC_TEST_EMAIL_LOG": str(email_log),
                "TAC_TEST_EMAIL_DELAY": "0.05",
                "TAC_EMAIL_LEASE_SECONDS": "2",
            },
        )
        self.email_log = email_log

    def tick(self, task: str, **kwargs: int) -> None:
        """Send ``task`` as beat would, to the queue this worker takes."""
        self.send(task, self.queues.tac, **kwargs)


@pytest.fixture
def worker(transactional_db: None, tmp_path: Path) -> Iterator[KillableWorker]:
    queues = Queues()
    worker = KillableWorker(queues, tmp_path / "emails.jsonl")
    worker.email_log.touch()
    try:
        yield worker
    finally:
        worker.stop()
        queues.delete()


def _sent_reminders() -> int:
    return Reminder.objects.filter(status="sent").count()


def _unsent_emails() -> int:
    return EmailOutbox.objects.exclude(status="sent").count()


def _emails_logged(worker: KillableWorker) -> list[str]:
    lines = worker.email_log.read_text().splitlines()
    return [json.loads(line)["message_id"] for line in lines]


def _assert_exactly_once_and_at_least_one_email(worker: KillableWorker) -> Counter[str]:
    assert Notification.objects.count() == REMINDERS
    assert Reminder.objects.filter(status="sent").count() == REMINDERS
    expected = {reminder_message_id(pk) for pk in Reminder.objects.values_list("pk", flat=True)}
    assert set(EmailOutbox.objects.values_list("message_id", flat=True)) == expected
    sent = Counter(_emails_logged(worker))
    # Every reminder's email went out, only ever under its own Message-ID.
    assert set(sent) == expected
    return sent


def _run_ticks_until(
    worker: KillableWorker, task: str, done: Callable[[], bool], **kwargs: int
) -> None:
    """Send the task once a second, as beat would, until ``done``."""
    deadline = time.monotonic() + 120
    while not done():
        assert time.monotonic() < deadline, f"{task} did not finish"
        worker.tick(task, **kwargs)
        time.sleep(1)


def test_killing_the_worker_child_mid_dispatch_and_mid_send(
    worker: KillableWorker, lead: User
) -> None:
    make_due_reminders(REMINDERS, lead)
    worker.start()

    worker.tick("dispatch_reminders", batch_size=2)
    wait_for(lambda: _sent_reminders() > 0, timeout=90, what="dispatch to start")
    worker.kill_child()
    assert _sent_reminders() < REMINDERS  # killed in the middle
    _run_ticks_until(worker, "dispatch_reminders", lambda: _sent_reminders() == REMINDERS)

    worker.tick("send_emails", batch_size=5)
    wait_for(lambda: len(_emails_logged(worker)) > 3, timeout=90, what="sending to start")
    worker.kill_child()
    assert _unsent_emails() > 0
    _run_ticks_until(worker, "send_emails", lambda: _unsent_emails() == 0, batch_size=5)

    sent = _assert_exactly_once_and_at_least_one_email(worker)
    # At most the batch that was in flight can have gone twice.
    assert sum(sent.values()) - len(sent) <= 5


def test_killing_the_whole_worker_mid_dispatch_and_mid_send(
    worker: KillableWorker, lead: User
) -> None:
    make_due_reminders(REMINDERS, lead)
    worker.start()

    worker.tick("dispatch_reminders", batch_size=2)
    wait_for(lambda: _sent_reminders() > 0, timeout=90, what="dispatch to start")
    worker.kill_all()
    assert _sent_reminders() < REMINDERS
    worker.start()
    _run_ticks_until(worker, "dispatch_reminders", lambda: _sent_reminders() == REMINDERS)

    worker.tick("send_emails", batch_size=5)
    wait_for(lambda: len(_emails_logged(worker)) > 3, timeout=90, what="sending to start")
    worker.kill_all()
    assert _unsent_emails() > 0
    worker.start()
    _run_ticks_until(worker, "send_emails", lambda: _unsent_emails() == 0, batch_size=5)

    sent = _assert_exactly_once_and_at_least_one_email(worker)
    assert sum(sent.values()) - len(sent) <= 5
