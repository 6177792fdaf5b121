"""Webhook jobs. Thin: the ledger holds the state, the Celery message only wakes the sender.

Both tasks are safe to run twice at once and to re-run after a crash. ``deliver_webhooks``
runs on the "webhooks" queue (CELERY_TASK_ROUTES) with a worker of its own (Procfile,
docker-compose), so a slow partner endpoint never holds up email or reminder dispatch.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from notifications.models import local_zone
from webhooks import delivery, events

logger = logging.getLogger(__name__)


@shared_task
def deliver_webhooks(batch_size: int = 20) -> int:
    """Send the webhook messages that are due, taking over any whose lease ran out."""
    delivered = delivery.deliver_due_messages(batch_size=batch_size)
    logger.info("webhook sender ran", extra={"webhooks_delivered": delivered})
    return delivered


@shared_task
def queue_due_date_webhooks() -> int:
    """Write today's ``action.due`` and ``review.due`` messages (again: nothing twice)."""
    today = timezone.localtime(timezone.now(), local_zone()).date()
    return events.queue_due_date_events(today)
