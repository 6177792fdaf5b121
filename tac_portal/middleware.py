"""Request-wide infrastructure: request ids for logs, no TRACE, no-store for signed-in
pages, and a health check that never loads a session."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import reverse

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
#: The methods the portal's pages and API use (TRACE and TRACK are refused outright).
ALLOWED_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]
_SAFE_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Give every request an id (or keep a well-formed one from the proxy)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class RefuseTraceMiddleware:
    """TRACE (and its Microsoft twin TRACK) echo a request back: no view answers them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in {"TRACE", "TRACK"}:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        return self.get_response(request)


class ApiOverHttpsOnlyMiddleware:
    """Machines are refused over plain HTTP, not redirected (ASVS 4.1.2).

    A browser asking for a page over HTTP is sent to HTTPS (``SECURE_SSL_REDIRECT``), but
    the API and the token endpoint are exempt from that redirect (``SECURE_REDIRECT_EXEMPT``):
    a partner system that follows it would already have sent its secret or token in the
    clear, and would never notice. It gets a 403 problem instead, and fixes its address.
    """

    PREFIXES = ("/api/", "/o/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.SECURE_SSL_REDIRECT
            and not request.is_secure()
            and request.path.startswith(self.PREFIXES)
        ):
            # Imported here: the logging configuration imports this module (for
            # RequestIdFilter) before Django's apps, which the API's modules need, are ready.
            from tac_portal.api.problems import PROBLEM_CONTENT_TYPE, problem

            body = problem(
                403,
                detail="The API is served over HTTPS only: send this request to https:// "
                "and treat any secret or token it carried as disclosed.",
                instance=request.path,
            )
            return JsonResponse(body, status=403, content_type=PROBLEM_CONTENT_TYPE)
        return self.get_response(request)


class NoStoreForAuthenticatedMiddleware:
    """Signed-in pages carry children's data: browsers and proxies must not keep them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class SessionlessHealthCheckMiddleware:
    """``/healthz`` never loads the caller's session (place it before SessionMiddleware).

    Sessions live in PostgreSQL, the first thing the health check checks. A browser or
    a monitor that sends its session cookie would otherwise meet the 503 page, raised
    while loading the session, instead of the JSON that names the database as the
    service that is down. The health check answers everyone alike, so the cookie is
    left unread (and the browser keeps it).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == reverse("healthz"):
            request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)
        return self.get_response(request)
