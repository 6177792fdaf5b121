"""Periodic dashboard work. Thin: the service holds the rules."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings

from dashboards import services

logger = logging.getLogger(__name__)


@shared_task
def refresh_summaries() -> int:
    """Rebuild the dashboard summary cells; returns how many were written."""
    return services.refresh_summaries().cell_count


def consumes_refresh_queue(queue_names: set[str]) -> bool:
    """Whether a worker reading ``queue_names`` runs the refresh (its queue is routed)."""
    routes: dict[str, dict[str, str]] = getattr(settings, "CELERY_TASK_ROUTES", {}) or {}
    route = routes.get(refresh_summaries.name, {})
    queue = route.get("queue") or getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
    return queue in queue_names


@worker_ready.connect
def _refresh_at_start(sender: Any = None, **kwargs: Any) -> None:
    """Queue one refresh when the worker that runs it starts, so that the first visit
    after start-up has figures instead of waiting for the first 15-minute tick.

    The email and webhook workers do not run it; the refresh takes a lock, so a refresh
    queued here never overlaps one queued by beat.
    """
    if not getattr(settings, "TAC_DASHBOARD_REFRESH_AT_START", True):
        return
    app = getattr(sender, "app", None)
    queues = set(app.amqp.queues.consume_from) if app is not None else set()
    if not consumes_refresh_queue(queues):
        return
    refresh_summaries.apply_async(expires=840)
    logger.info("dashboard refresh queued at worker start")
