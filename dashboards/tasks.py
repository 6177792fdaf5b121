"""Periodic dashboard work. Thin: the service holds the rules."""

from __future__ import annotations

from celery import shared_task

from dashboards import services


@shared_task
def refresh_summaries() -> int:
    """Rebuild the dashboard summary cells; returns how many were written."""
    return services.refresh_summaries().cell_count
