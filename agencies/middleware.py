"""Session limits (idle 30 minutes, absolute 12 hours) and the two-factor gate."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse

from agencies.security import LAST_SEEN_AT, SIGNED_IN_AT, TWO_FACTOR_PENDING, log_event
from tac_portal.api.problems import PROBLEM_CONTENT_TYPE, problem

#: Seconds between updates of the last-activity time (the idle limit's precision).
LAST_SEEN_RESOLUTION = 60

#: Pages a signed-in but not yet verified user may still open.
TWO_FACTOR_EXEMPT_VIEWS = frozenset(
    {
        "agencies:sign_in",
        "agencies:sign_out",
        "agencies:two_factor",
        "agencies:two_factor_setup",
        "agencies:password_reset",
        "agencies:password_reset_done",
        "agencies:password_reset_confirm",
        "agencies:password_reset_complete",
        "healthz",
    }
)


class SessionTimeoutMiddleware:
    """Sign the user out after SESSION_IDLE_TIMEOUT idle or SESSION_COOKIE_AGE in all.

    The session cookie's own age is renewed whenever the session is saved, so the
    absolute limit is enforced here from the time of signing in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            signed_in_at = float(session.get(SIGNED_IN_AT, now))
            last_seen_at = float(session.get(LAST_SEEN_AT, now))
            reason = None
            if now - signed_in_at > settings.SESSION_COOKIE_AGE:
                reason = "absolute"
            elif now - last_seen_at > settings.SESSION_IDLE_TIMEOUT:
                reason = "idle"
            if reason:
                log_event("session_expired", request, user_id=request.user.pk, reason=reason)
                logout(request)
                messages.info(
                    request,
                    "You have been signed out because you were inactive for 30 minutes"
                    if reason == "idle"
                    else "You have been signed out because you signed in more than 12 hours ago",
                )
            else:
                session.setdefault(SIGNED_IN_AT, signed_in_at)
                # Recorded at most once a minute, so most requests do not write the session.
                if LAST_SEEN_AT not in session or now - last_seen_at >= LAST_SEEN_RESOLUTION:
                    session[LAST_SEEN_AT] = now
        return self.get_response(request)


def two_factor_outstanding(request: HttpRequest) -> bool:
    """True when this signed-in user must still enter a two-factor code."""
    user = request.user
    if not user.is_authenticated:
        return False
    # OTPMiddleware adds is_verified; a user signed in during this request has none yet.
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    return bool(settings.TAC_REQUIRE_MFA or request.session.get(TWO_FACTOR_PENDING))


class TwoFactorRequiredMiddleware:
    """Until the second factor is given, every page except signing in redirects to it.

    This covers the case pages, the API and the configuration (admin) site alike.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if two_factor_outstanding(request) and not self._exempt(request):
            if request.path_info.startswith("/api/"):
                # API callers get a problem, not a sign-in page to follow.

                body = problem(
                    401,
                    detail="Give your second sign-in factor in the portal first.",
                    instance=request.path,
                )
                return JsonResponse(body, status=401, content_type=PROBLEM_CONTENT_TYPE)
            url = reverse("agencies:two_factor")
            if request.method == "GET":
                url += "?" + urlencode({"next": request.path})
            return HttpResponseRedirect(url)
        return self.get_response(request)

    @staticmethod
    def _exempt(request: HttpRequest) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in TWO_FACTOR_EXEMPT_VIEWS
