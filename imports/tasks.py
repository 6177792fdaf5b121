"""The dry run and the import, on Celery: thin, the services hold the rules."""

from __future__ import annotations

from celery import shared_task

from imports import services

# A 100,000-child file takes minutes (benchmarks/README.md): longer than the default
# limit, and within the broker's visibility timeout, so a running import is not
# delivered a second time.
TIME_LIMIT = 3000
SOFT_TIME_LIMIT = 2900


@shared_task(time_limit=TIME_LIMIT, soft_time_limit=SOFT_TIME_LIMIT)
def check_import_file(batch_id: int) -> None:
    """The dry run of an uploaded file (writes its report, nothing else)."""
    services.check_batch(batch_id)


@shared_task(time_limit=TIME_LIMIT, soft_time_limit=SOFT_TIME_LIMIT)
def import_file(batch_id: int) -> None:
    """Import a confirmed file, all or nothing; a second run finds it claimed and exits."""
    services.import_batch(batch_id)
