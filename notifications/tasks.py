"""Periodic reminder and email jobs. Thin: the services hold the rules.

Each task is safe to run twice at once and to re-run after a crash: the
database rows are the state, the Celery message is only a wake-up call.
"""

from __future__ import annotations

import logging

from celery import shared_task

from notifications import services

logger = logging.getLogger(__name__)


@shared_task
def dispatch_reminders(batch_size: int = 500) -> int:
    """Claim due reminders and write their notifications and outbox emails.

    When it wrote any, it wakes the sender at once rather than leaving the emails for
    the sender's next minute (if the wake-up is lost, that minute still sends them).
    """
    notified = services.dispatch_due_reminders(batch_size=batch_size)
    if notified:
        try:
            send_emails.delay()
        except Exception:  # the broker is away: the sender's own minute picks them up
            logger.warning("email sender not woken", extra={"notifications": notified})
    return notified


@shared_task
def send_emails(batch_size: int = 50) -> int:
    """Send outbox emails that are due, taking over any whose lease ran out."""
    return services.send_pending_emails(batch_size=batch_size)


@shared_task
def send_digests() -> int:
    """Write the daily digest for everyone whose digest hour it is."""
    return services.send_daily_digests()
