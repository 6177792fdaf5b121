"""Housekeeping of sign-in records. Thin: Django's session store does the work."""

from __future__ import annotations

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task
def clear_expired_sessions() -> int:
    """Delete the sessions past their expiry, with their owners' rows ("Your sessions"):
    an ended session leaves nothing behind. Returns how many went. Idempotent."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
