"""Account services: deactivating a professional ends every session they have; an
administrator can also end sessions without deactivating; a professional can end their
own other sessions. The second factor: an authenticator app, and backup codes."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from agencies.models import AuthenticatorApp, BackupCodeDevice, User, UserSession
from agencies.security import log_event
from agencies.session_store import stored_key

BACKUP_CODE_COUNT = 10


def start_authenticator_app(user: User) -> AuthenticatorApp:
    """The unconfirmed authenticator app that ``user`` is setting up, made if need be; it
    counts once a code from the app confirms it."""
    device: AuthenticatorApp | None = AuthenticatorApp.objects.filter(
        user=user, confirmed=False
    ).first()
    if device is not None and not device.key_readable:
        device.delete()  # sealed under a secret key no longer given: start again
        device = None
    if device is None:
        device = AuthenticatorApp.objects.create(
            user=user, name="Authenticator app", confirmed=False
        )
    return device


@transaction.atomic
def replace_backup_codes(user: User) -> list[str]:
    """Give ``user`` a new set of backup codes in place of any they had; return them, the
    only time they are seen in the clear (the database keeps their hashes)."""
    BackupCodeDevice.objects.filter(user=user).delete()
    device = BackupCodeDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes: list[str] = device.replace_codes(BACKUP_CODE_COUNT)
    return codes


def end_sessions(user: User) -> int:
    """Delete every live session signed in as ``user``; return how many."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@transaction.atomic
def sign_out_everywhere(users: Iterable[User], *, by: User | None) -> int:
    """End every live session of ``users`` (the accounts stay active); return how many.

    For an administrator who suspects a session was taken, or who needs everyone to sign
    in again (select every account in the configuration site's list)."""
    wanted = {str(user.pk) for user in users}
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) in wanted:
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    log_event(
        "sessions_ended",
        None,
        by_user_id=getattr(by, "pk", None),
        accounts=len(wanted),
        sessions_ended=len(ended),
    )
    return len(ended)


@transaction.atomic
def deactivate_user(user: User, *, by: User | None) -> None:
    """Stop ``user`` signing in and end their sessions at once."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    ended = end_sessions(user)
    log_event(
        "user_deactivated",
        None,
        user_id=user.pk,
        by_user_id=getattr(by, "pk", None),
        sessions_ended=ended,
    )


def _end_own_sessions(
    user: User, rows: QuerySet[UserSession], *, request: HttpRequest | None, reason: str
) -> int:
    """Delete the sessions of ``rows`` (their rows go with them), log it, and return how
    many there were still to end (none, for one that another request has just ended)."""
    keys = list(rows.values_list("session_id", flat=True))
    _, deleted = Session.objects.filter(session_key__in=keys).delete()
    ended = deleted.get(Session._meta.label, 0)
    log_event("own_sessions_ended", request, user_id=user.pk, sessions_ended=ended, reason=reason)
    return ended


@transaction.atomic
def end_own_session(
    user: User, *, pk: int, current_key: str | None, request: HttpRequest | None = None
) -> bool:
    """End one of ``user``'s other sessions; False when there was none to end (it had
    already ended, or it is not theirs): asking twice ends it once."""
    rows = UserSession.objects.filter(user=user, pk=pk).exclude(session_id=stored_key(current_key))
    return _end_own_sessions(user, rows, request=request, reason="one_chosen") > 0


@transaction.atomic
def end_other_sessions(
    user: User, *, current_key: str | None, request: HttpRequest | None = None, reason: str
) -> int:
    """End every session of ``user`` but ``current_key`` (all of them when it is None);
    return how many were ended."""
    rows = UserSession.objects.filter(user=user).exclude(session_id=stored_key(current_key))
    return _end_own_sessions(user, rows, request=request, reason=reason)
