"""The security log (logger ``tac.security``): sign-ins, failures, lockouts, two-factor.

Entries carry the user id (never an email address), a keyed hash of the email
address for failed attempts, the client IP address and the request id (added by
the log filter). Passwords and codes are never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate, logout
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Sum
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django_otp import user_has_device

from tac_portal.client_ip import client_ip as trusted_client_ip

logger = logging.getLogger("tac.security")

#: Session key: the time (epoch seconds) the session was signed in.
SIGNED_IN_AT = "tac_signed_in_at"
#: Session key: the time of the last request in the session.
LAST_SEEN_AT = "tac_last_seen_at"
#: Session key: set when the user has a two-factor device and has not yet used it.
TWO_FACTOR_PENDING = "tac_two_factor_pending"


def normalise_username(username: object) -> str:
    return str(username or "").strip().lower()


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The lockout key for an email address: case and surrounding spaces do not matter."""
    if credentials and credentials.get("username"):
        return normalise_username(credentials["username"])
    data = getattr(request, "data", None) or request.POST
    return normalise_username(data.get(settings.AXES_USERNAME_FORM_FIELD))


def username_hash(username: object) -> str:
    """A keyed hash that links attempts on one account without logging the address."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), normalise_username(username).encode(), hashlib.sha256
    )
    return digest.hexdigest()[:16]


def client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return "-"

    return trusted_client_ip(request) or "-"


def log_event(
    event: str, request: HttpRequest | None, *, level: int = logging.INFO, **fields: object
) -> None:
    logger.log(level, event, extra={"event": event, "ip": client_ip(request), **fields})


@receiver(user_logged_in)
def _signed_in(sender: object, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None:
        return

    if hasattr(request, "session"):
        now = _now()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now
        if user_has_device(user, confirmed=True):
            request.session[TWO_FACTOR_PENDING] = True
    log_event("sign_in_password_ok", request, user_id=user.pk)


@receiver(user_login_failed)
def _sign_in_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    log_event(
        "sign_in_failed",
        request,
        level=logging.WARNING,
        username_hash=username_hash(credentials.get("username")),
    )


@receiver(user_logged_out)
def _signed_out(sender: object, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    log_event("sign_out", request, user_id=getattr(user, "pk", None))


def _locked_out(
    sender: object, request: HttpRequest | None, username: str, ip_address: str, **kwargs: Any
) -> None:
    log_event(
        "sign_in_locked_out",
        request,
        level=logging.WARNING,
        username_hash=username_hash(username),
    )


def connect_axes_signals() -> None:
    # Imported here: axes' signals module needs the app registry, which is not ready
    # when this module is first imported.
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="tac-security-locked-out")


def _now() -> float:
    return time.time()


def failed_sign_ins_from(request: HttpRequest) -> int:
    """Failed sign-ins from the request's client address, for any accounts, within the
    lockout's cool-off (axes keeps one row per account and address)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(
        ip_address=client_ip(request), attempt_time__gte=since
    ).aggregate(n=Sum("failures_since_start"))["n"]
    return int(total or 0)


def password_given_again(request: HttpRequest | None, user: Any, password: str) -> bool:
    """``user``'s password, asked again while signed in (before ending their other
    sessions or setting a new password): True when it is right.

    It is checked the way a sign-in is, so a wrong one counts towards the same lockout
    (five for one account from one address in 15 minutes) and one locked out is refused
    whatever is typed: a taken session cannot be used to guess the password. At the
    lockout the session asking is ended, and the lockout page is shown in its place."""
    if request is None:
        return bool(user.check_password(password))
    confirmed = authenticate(request, username=user.get_username(), password=password)
    if confirmed is not None and confirmed.pk == user.pk:
        return True
    log_event("reauthentication_failed", request, level=logging.WARNING, user_id=user.pk)
    if getattr(request, "axes_locked_out", False):
        log_event("reauthentication_locked_out", request, level=logging.WARNING, user_id=user.pk)
        logout(request)
    return False
