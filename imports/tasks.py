"""The dry run and the import, on Celery: thin, the services hold the rules."""

from __future__ import annotations

from celery import shared_task

from imports import services


@shared_task
def check_import_file(batch_id: int) -> None:
    """The dry run of an uploaded file (writes its report, nothing else)."""
    services.check_batch(batch_id)


@shared_task
def import_file(batch_id: int) -> None:
    """Import a confirmed file, all or nothing; a second run finds it claimed and exits."""
    services.import_batch(batch_id)
