"""Nightly retention work. Thin: the service holds the rules."""

from __future__ import annotations

from celery import shared_task

from retention import services


@shared_task
def list_due_records() -> int:
    """List the records past their retention schedule for information governance to
    confirm; returns how many were newly listed. Nothing is disposed of here."""
    return services.list_due_records().listed
