"""SIGKILL a real Celery worker mid-dispatch and mid-send: nothing is lost or doubled.

A prefork worker (one child) runs against the real Redis broker and pytest's
test database, on a queue of its own. Killing the child is what the OOM killer
or a task crash does; killing the whole worker is a lost container. Either way
every reminder must end with exactly one notification and at least one email,
and a resent email carries the same Message-ID.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from agencies.models import User
from notifications.models import EmailOutbox, Notification, Reminder
from notifications.services import reminder_message_id
from tac_portal.celery import app as celery_app
from tests.notifications.test_reliability import make_due_reminders

ROOT = Path(__file__).resolve().parents[2]
REMINDERS = 80

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    # send_task always goes through the broker, which is the point here.
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


class Worker:
    """One real ``celery worker --pool prefork -c 1`` process on a private queue."""

    def __init__(self, queue: str, email_log: Path) -> None:
        self.queue = queue
        self.email_log = email_log
        self.process: subprocess.Popen[bytes] | None = None
        self.hostname = ""

    def start(self) -> None:
        self.hostname = f"notify-{uuid.uuid4().hex[:8]}@test"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
            "TAC_ENVIRONMENT": "test",
            # Same server as this process (whatever DATABASE_URL says), pytest's test database.
            "TAC_TEST_DATABASE_NAME": connection.settings_dict["NAME"],
            "TAC_TEST_EMAIL_LOG": str(self.email_log),
            "TAC_TEST_EMAIL_DELAY": "0.05",
            "TAC_EMAIL_LEASE_SECONDS": "2",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tac_portal",
                "worker",
                "--pool",
                "prefork",
                "-c",
                "1",
                "-Q",
                self.queue,
                "--hostname",
                self.hostname,
                "--loglevel",
                "ERROR",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(
            lambda: bool(celery_app.control.ping(destination=[self.hostname], timeout=0.3)),
            timeout=120,
            what="the worker to start",
        )

    def send(self, task: str, **kwargs: int) -> None:
        celery_app.send_task(f"notifications.tasks.{task}", kwargs=kwargs, queue=self.queue)

    def kill_child(self) -> None:
        assert self.process is not None
        (child,) = _children(self.process.pid)
        os.kill(child, signal.SIGKILL)

    def kill_all(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def worker(transactional_db: None, tmp_path: Path) -> Iterator[Worker]:
    worker = Worker(f"tac-notify-test-{uuid.uuid4().hex[:8]}", tmp_path / "emails.jsonl")
    worker.email_log.touch()
    try:
        yield worker
    finally:
        worker.stop()
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_delete(worker.queue)  # type: ignore[attr-defined]


def _sent_reminders() -> int:
    return Reminder.objects.filter(status="sent").count()


def _unsent_emails() -> int:
    return EmailOutbox.objects.exclude(status="sent").count()


def _emails_logged(worker: Worker) -> list[str]:
    lines = worker.email_log.read_text().splitlines()
    return [json.loads(line)["message_id"] for line in lines]


def _assert_exactly_once_and_at_least_one_email(worker: Worker) -> Counter[str]:
    assert Notification.objects.count() == REMINDERS
    assert Reminder.objects.filter(status="sent").count() == REMINDERS
    expected = {reminder_message_id(pk) for pk in Reminder.objects.values_list("pk", flat=True)}
    assert set(EmailOutbox.objects.values_list("message_id", flat=True)) == expected
    sent = Counter(_emails_logged(worker))
    # Every reminder's email went out, only ever under its own Message-ID.
    assert set(sent) == expected
    return sent


def _run_ticks_until(worker: Worker, task: str, done: Callable[[], bool], **kwargs: int) -> None:
    """Send the task once a second, as beat would, until ``done``."""
    deadline = time.monotonic() + 120
    while not done():
        assert time.monotonic() < deadline, f"{task} did not finish"
        worker.send(task, **kwargs)
        time.sleep(1)


def test_killing_the_worker_child_mid_dispatch_and_mid_send(worker: Worker, lead: User) -> None:
    make_due_reminders(REMINDERS, lead)
    worker.start()

    worker.send("dispatch_reminders", batch_size=2)
    wait_for(lambda: _sent_reminders() > 0, timeout=90, what="dispatch to start")
    worker.kill_child()
    assert _sent_reminders() < REMINDERS  # killed in the middle
    _run_ticks_until(worker, "dispatch_reminders", lambda: _sent_reminders() == REMINDERS)

    worker.send("send_emails", batch_size=5)
    wait_for(lambda: len(_emails_logged(worker)) > 3, timeout=90, what="sending to start")
    worker.kill_child()
    assert _unsent_emails() > 0
    _run_ticks_until(worker, "send_emails", lambda: _unsent_emails() == 0, batch_size=5)

    sent = _assert_exactly_once_and_at_least_one_email(worker)
    # At most the batch that was in flight can have gone twice.
    assert sum(sent.values()) - len(sent) <= 5


def test_killing_the_whole_worker_mid_dispatch_and_mid_send(worker: Worker, lead: User) -> None:
    make_due_reminders(REMINDERS, lead)
    worker.start()

    worker.send("dispatch_reminders", batch_size=2)
    wait_for(lambda: _sent_reminders() > 0, timeout=90, what="dispatch to start")
    worker.kill_all()
    assert _sent_reminders() < REMINDERS
    worker.start()
    _run_ticks_until(worker, "dispatch_reminders", lambda: _sent_reminders() == REMINDERS)

    worker.send("send_emails", batch_size=5)
    wait_for(lambda: len(_emails_logged(worker)) > 3, timeout=90, what="sending to start")
    worker.kill_all()
    assert _unsent_emails() > 0
    worker.start()
    _run_ticks_until(worker, "send_emails", lambda: _unsent_emails() == 0, batch_size=5)

    sent = _assert_exactly_once_and_at_least_one_email(worker)
    assert sum(sent.values()) - len(sent) <= 5
