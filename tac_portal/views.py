"""Project-level views: the health check."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from notifications.outbox import email_health
from notifications.services import reminder_health
from tac_portal.celery import app as celery_app

logger = logging.getLogger(__name__)


def _check_database() -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def _check_redis() -> dict[str, object]:
    cache.set("healthz", "1", timeout=10)
    return {"ok": cache.get("healthz") == "1"}


def _check_celery() -> dict[str, object]:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    replies = celery_app.control.ping(timeout=1.0) or []
    return {"ok": bool(replies), "workers": len(replies)}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, Redis and Celery reachability, the reminder and email queues, as JSON:
    200 when all are well, else 503."""
    checks: dict[str, dict[str, object]] = {}
    for name, check in (
        ("database", _check_database),
        ("redis", _check_redis),
        ("celery", _check_celery),
        ("reminders", reminder_health),
        ("emails", email_health),
    ):
        started = time.monotonic()
        try:
            result = check()
        except Exception as exc:  # a health check reports failures, it does not raise
            logger.warning(
                "health check failed", extra={"check": name, "error": type(exc).__name__}
            )
            result = {"ok": False, "error": type(exc).__name__}
        result["ms"] = round((time.monotonic() - started) * 1000, 1)
        checks[name] = result
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
