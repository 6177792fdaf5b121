"""Project-level views: the health check, and the answer when the database is away."""

from __future__ import annotations

import logging
import sys
import time

from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from notifications.outbox import email_health
from notifications.services import reminder_health
from tac_portal.api.base import (
    DATABASE_UNAVAILABLE_DETAIL,
    PROBLEM_CONTENT_TYPE,
    RETRY_AFTER_SECONDS,
    problem,
)
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


# --- When the database is away ---------------------------------------------------------


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's last resort (handler500). An error because PostgreSQL cannot be reached is
    not a fault in the portal: it is answered with a plain 503 page (or a 503 problem on the
    API) that asks people to try again shortly; anything else is the usual 500 page."""
    exc = sys.exc_info()[1]
    if not isinstance(exc, OperationalError | InterfaceError):
        return defaults.server_error(request)
    logger.error("database unavailable", extra={"error": type(exc).__name__})
    response: HttpResponse
    if request.path.startswith("/api/"):
        body = problem(503, detail=DATABASE_UNAVAILABLE_DETAIL, instance=request.path)
        response = JsonResponse(body, status=503, content_type=PROBLEM_CONTENT_TYPE)
    else:
        # Rendered without the request: its context processors would ask the database.
        page = loader.get_template("service_unavailable.html").render({})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
