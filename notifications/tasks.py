"""Periodic reminder and email jobs. Thin: the services hold the rules.

Each task is safe to run twice at once and to re-run after a crash: the
database rows are the state, the Celery message is only a wake-up call.
``send_emails`` runs on the ``email`` queue (CELERY_TASK_ROUTES) with a worker
of its own, so a slow or hung mail server never holds up the reminders.
Each run logs the depth of its queue as structured fields.
"""

from __future__ import annotations

import logging

from celery import shared_task

from notifications import outbox, services

logger = logging.getLogger(__name__)


@shared_task
def dispatch_reminders(batch_size: int = 500) -> int:
    """Claim due reminders and write their notifications and outbox emails.

    When it wrote any, it wakes the sender at once rather than leaving the emails for
    the sender's next minute (if the wake-up is lost, that minute still sends them).
    """
    depth = services.reminder_depth()
    notified = services.dispatch_due_reminders(batch_size=batch_size)
    if notified:
        try:
            send_emails.delay()
        except Exception:  # the broker is away: the sender's own minute picks them up
            logger.warning("email sender not woken", extra={"notifications": notified})
    logger.info(
        "reminders dispatch ran",
        extra={"notifications": notified, **depth, **outbox.outbox_depth()},
    )
    return notified


@shared_task
def send_emails(batch_size: int = 50) -> int:
    """Send outbox emails that are due, taking over any whose lease ran out."""
    sent = outbox.send_pending_emails(batch_size=batch_size)
    logger.info("email sender ran", extra={"emails_sent": sent, **outbox.outbox_depth()})
    return sent


@shared_task
def send_digests() -> int:
    """Write the daily digest for everyone whose digest hour it is."""
    return services.send_daily_digests()
