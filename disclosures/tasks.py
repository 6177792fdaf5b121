"""Exporting a subject access package. Thin: the service holds the rules."""

from __future__ import annotations

import logging

from celery import shared_task

from disclosures import services
from disclosures.models import Disclosure

log = logging.getLogger(__name__)


@shared_task
def build_disclosure_package(disclosure_id: int) -> str:
    """Build a queued package; one already built (or gone) is left alone."""
    disclosure = (
        Disclosure.objects.select_related("request", "requested_by")
        .filter(pk=disclosure_id, status__in=[Disclosure.Status.QUEUED, Disclosure.Status.BUILDING])
        .first()
    )
    if disclosure is None:
        return "nothing to do"
    try:
        services.build_disclosure_package(disclosure)
    except Exception:
        # The status page says it failed, and the officer can start it again.
        log.exception("subject access export failed", extra={"disclosure": disclosure_id})
        services.mark_failed(disclosure_id)
        raise
    return "ready"
