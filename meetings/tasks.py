"""Meeting emails: thin tasks, the services hold the rules."""

from __future__ import annotations

from celery import shared_task

from meetings import services


@shared_task
def send_meeting_emails() -> int:
    """Send invitation, change, cancellation and minutes emails waiting in the outbox.

    Queued after each commit that writes one, and run every minute as a sweep so
    that an email queued while the broker was down still goes.
    """
    return services.send_pending_meeting_emails()
