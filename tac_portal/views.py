"""Project-level views: the home page, the error pages and the health check."""

from __future__ import annotations

import logging
import sys
import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agencies.security import log_event
from cases.access import can_work_on_cases, lead_to_ask
from notifications.outbox import email_health
from notifications.services import reminder_health
from tac_portal.api.problems import (
    DATABASE_UNAVAILABLE_DETAIL,
    PROBLEM_CONTENT_TYPE,
    RETRY_AFTER_SECONDS,
    problem,
)
from tac_portal.celery import app as celery_app
from tac_portal.navigation import home_url
from webhooks.delivery import webhook_health

logger = logging.getLogger(__name__)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponseRedirect:
    """Each person's home is the first page their navigation offers them."""
    return HttpResponseRedirect(home_url(request.user) or reverse("notifications:list"))


# --- Error pages --------------------------------------------------------------------
# Each says what happened and what the person can do, in the portal's layout. None says
# whether a case the person may not see exists: a made-up case id and a real one they
# are not part of get the same page.

#: The routes whose pages belong to one case, and the argument that names it.
_CASE_ROUTES = (("cases/<int:pk>/", "pk"), ("audit/cases/<int:case_pk>/", "case_pk"))


def _about_a_case(request: HttpRequest) -> bool:
    """Whether the path is a case's page, or a page of one of its records."""
    return request.path.startswith(("/cases/", "/meetings/", "/assessments/", "/audit/cases/"))


def _case_pk(request: HttpRequest) -> int | str | None:
    match = request.resolver_match
    if match is None:
        return None
    for prefix, kwarg in _CASE_ROUTES:
        if match.route.startswith(prefix):
            value: int | str | None = match.kwargs.get(kwarg)
            return value
    return None


def _log_refusal(event: str, request: HttpRequest) -> None:
    """A signed-in person refused a page, or sent to a page that is not there (which is
    also what a case they may not see looks like), goes into the security log: the route's
    name, never the path, which may carry a link's token."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    match = request.resolver_match
    log_event(
        event,
        request,
        level=logging.WARNING,
        user_id=user.pk,
        route=match.view_name if match is not None else "-",
        method=request.method,
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    _log_refusal("not_found", request)
    user = request.user
    context = {
        "about_a_case": _about_a_case(request),
        "can_work": user.is_authenticated and can_work_on_cases(user),
    }
    return render(request, "errors/404.html", context, status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A page the person may not use. The reason the check gave is shown; on a case the
    person can see, the lead professional is named as the one to ask."""
    _log_refusal("access_refused", request)
    reason = str(exception) if exception is not None and str(exception) else ""
    lead = None
    case_pk = _case_pk(request)
    if case_pk is not None:
        lead = lead_to_ask(request.user, case_pk)
    context = {
        "reason": reason,
        "lead": lead,
        "case_pk": case_pk if lead is not None else None,
        "lead_is_me": lead is not None and lead.pk == request.user.pk,
    }
    return render(request, "errors/403.html", context, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form was sent without a valid security token (an old page, or signed out)."""
    log_event("csrf_refused", request, level=logging.WARNING, method=request.method)
    return render(request, "errors/csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context: the database may be what failed.

    An error because PostgreSQL cannot be reached is not a fault in the portal: it is
    answered 503 with ``Retry-After`` (a page asking people to try again in a minute, or
    a problem on the API); anything else is the 500 page.
    """
    context = {
        "service_name": settings.TAC_SERVICE_NAME,
        "authority_name": settings.TAC_AUTHORITY_NAME,
        "request_id": getattr(request, "request_id", ""),
    }
    if not isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return HttpResponse(loader.get_template("errors/500.html").render(context), status=500)
    logger.error("database unavailable", extra={"error": type(sys.exc_info()[1]).__name__})
    response: HttpResponse
    if request.path.startswith("/api/"):
        body = problem(503, detail=DATABASE_UNAVAILABLE_DETAIL, instance=request.path)
        response = JsonResponse(body, status=503, content_type=PROBLEM_CONTENT_TYPE)
    else:
        page = loader.get_template("errors/503.html").render(context)
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


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
    """Database, Redis and Celery reachability, the reminder, email and webhook queues, as JSON:
    200 when all are well, else 503."""
    checks: dict[str, dict[str, object]] = {}
    for name, check in (
        ("database", _check_database),
        ("redis", _check_redis),
        ("celery", _check_celery),
        ("reminders", reminder_health),
        ("emails", email_health),
        ("webhooks", webhook_health),
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
