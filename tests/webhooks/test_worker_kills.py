"""SIGKILL a real Celery worker in the middle of a batch of webhooks: none is lost, and
a message sent twice carries the same webhook-id and the same body.

As tests/reliability/test_worker_kills.py does for reminders and email: a prefork
worker (one child) on the real Redis broker and pytest's test database, on a queue of
its own, posting to a slow receiver in this process.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone

from agencies.models import User
from cases.models import Case
from tests.reliability.workers import Queues, Worker, wait_for
from tests.webhooks.receiver import Receiver, running_receiver, verify
from webhooks.models import EventType, WebhookMessage, WebhookSubscription
from webhooks.signing import new_webhook_id

MESSAGES = 30
BATCH = 3

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]


class WebhookWorker(Worker):
    def __init__(self, queues: Queues) -> None:
        super().__init__(
            queues,
            [queues.tac],
            {
                "DJANGO_SETTINGS_MODULE": "tests.webhooks.worker_settings",
                "TAC_WEBHOOK_LEASE_SECONDS": "2",
            },
        )

    def tick(self) -> None:
        from tac_portal.celery import app

        app.send_task(
            "webhooks.tasks.deliver_webhooks", kwargs={"batch_size": BATCH}, queue=self.queues.tac
        )


@pytest.fixture
def slow_receiver() -> Iterator[Receiver]:
    yield from running_receiver(delay=0.1)


@pytest.fixture
def worker(transactional_db: None, tmp_path: Path) -> Iterator[WebhookWorker]:
    queues = Queues()
    worker = WebhookWorker(queues)
    try:
        yield worker
    finally:
        worker.stop()
        queues.delete()


def _messages(subscription: WebhookSubscription, case: Case) -> None:
    now = timezone.now()
    WebhookMessage.objects.bulk_create(
        WebhookMessage(
            subscription=subscription,
            webhook_id=new_webhook_id(),
            event_type=EventType.CASE_CLOSED,
            event_key=f"test:{n}",
            case=case,
            facts={"status": "CLOSED_NEEDS_MET"},
            occurred_at=now,
            next_attempt_at=now,
        )
        for n in range(MESSAGES)
    )


def _delivered() -> int:
    return WebhookMessage.objects.filter(status=WebhookMessage.Status.DELIVERED).count()


def _tick_until_all_delivered(worker: WebhookWorker) -> None:
    deadline = time.monotonic() + 120
    while _delivered() < MESSAGES:
        assert time.monotonic() < deadline, "the webhooks were not all delivered"
        worker.tick()
        time.sleep(1)


def _assert_none_lost(receiver: Receiver, subscription: WebhookSubscription) -> None:
    expected = set(WebhookMessage.objects.values_list("webhook_id", flat=True))
    assert _delivered() == MESSAGES
    sent = Counter(r.webhook_id for r in receiver.received)
    assert set(sent) == expected
    # At most the batch in flight went twice, each copy the same bytes and signed.
    assert sum(sent.values()) - len(sent) <= BATCH
    bodies: dict[str, bytes] = {}
    for got in receiver.received:
        verify(subscription.signing_secret, got.headers, got.body)
        assert bodies.setdefault(got.webhook_id, got.body) == got.body


def test_killing_the_worker_child_mid_batch(
    worker: WebhookWorker,
    case: Case,
    lead: User,
    subscription: WebhookSubscription,
    slow_receiver: Receiver,
) -> None:
    WebhookSubscription.objects.filter(pk=subscription.pk).update(url=slow_receiver.url)
    subscription.refresh_from_db()
    _messages(subscription, case)
    worker.start()

    worker.tick()
    wait_for(lambda: len(slow_receiver.received) > 4, timeout=90, what="delivery to start")
    worker.kill_child()
    assert _delivered() < MESSAGES  # killed in the middle
    _tick_until_all_delivered(worker)

    _assert_none_lost(slow_receiver, subscription)


def test_killing_the_whole_worker_mid_batch(
    worker: WebhookWorker,
    case: Case,
    lead: User,
    subscription: WebhookSubscription,
    slow_receiver: Receiver,
) -> None:
    WebhookSubscription.objects.filter(pk=subscription.pk).update(url=slow_receiver.url)
    subscription.refresh_from_db()
    _messages(subscription, case)
    worker.start()

    worker.tick()
    wait_for(lambda: len(slow_receiver.received) > 4, timeout=90, what="delivery to start")
    worker.kill_all()
    assert _delivered() < MESSAGES
    worker.start()
    _tick_until_all_delivered(worker)

    _assert_none_lost(slow_receiver, subscription)
