"""Real Celery worker processes on the real broker, for the reliability tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from tac_portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


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


class Queues:
    """Private names for the "tac" and "email" queues of one test."""

    def __init__(self) -> None:
        token = uuid.uuid4().hex[:8]
        self.tac = f"tac-test-{token}"
        self.email = f"email-test-{token}"

    def delete(self) -> None:
        with celery_app.connection_for_write() as conn:
            for queue in (self.tac, self.email):
                conn.default_channel.queue_delete(queue)  # type: ignore[attr-defined]


class Worker:
    """One real ``celery worker --pool prefork -c 1`` process consuming ``consumes``."""

    def __init__(self, queues: Queues, consumes: list[str], env: dict[str, str]) -> None:
        self.queues = queues
        self.consumes = consumes
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.hostname = ""

    def start(self) -> None:
        self.hostname = f"reliability-{uuid.uuid4().hex[:8]}@test"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.reliability.worker_settings",
            "TAC_ENVIRONMENT": "test",
            # Same server as this process (whatever DATABASE_URL says), pytest's test database.
            "TAC_TEST_DATABASE_NAME": connection.settings_dict["NAME"],
            "TAC_TEST_QUEUE": self.queues.tac,
            "TAC_TEST_EMAIL_QUEUE": self.queues.email,
            **self.env,
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
                ",".join(self.consumes),
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

    def send(self, task: str, queue: str, **kwargs: int) -> None:
        celery_app.send_task(f"notifications.tasks.{task}", kwargs=kwargs, queue=queue)

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


@contextmanager
def routed_to(queues: Queues) -> Iterator[None]:
    """This process sends its tasks through the broker to ``queues``, as the web does,
    instead of running them eagerly as the test settings say."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.task_default_queue, conf.task_routes)
    conf.update(
        task_always_eager=False,
        task_default_queue=queues.tac,
        task_routes={"notifications.tasks.send_emails": {"queue": queues.email}},
    )
    try:
        yield
    finally:
        always_eager, default_queue, routes = saved
        conf.update(
            task_always_eager=always_eager, task_default_queue=default_queue, task_routes=routes
        )
