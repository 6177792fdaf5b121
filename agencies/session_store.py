"""The session engine: Django's database sessions, each with its owner's row
(``UserSession``) written at sign-in, so "Your sessions" lists a person's sessions
without decoding the store. A session given a new id keeps its row."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from agencies.models import UserSession

#: The browsers and systems a device is described by, in the order they are looked for
#: in the User-Agent (Edge and Opera say "Chrome" too; Chrome says "Safari" too).
BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("CriOS/", "Chrome"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def describe_device(user_agent: str) -> str:
    """A coarse description of a browser, like "Chrome on Windows": enough to tell
    one's sessions apart, too little to single anyone out."""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), "A browser")
    system = next((name for mark, name in SYSTEMS if mark in user_agent), "")
    return f"{browser} on {system}" if system else browser


class SessionStore(DatabaseSessionStore):
    def cycle_key(self) -> None:
        """A new id for the same session (Django's ``cycle_key``), moving the owner's row
        to it before the old id is deleted (deleting it would take the row along)."""
        old_key = self.session_key
        data = dict(self.items())
        self.create()
        self._session_cache = data
        if old_key:
            UserSession.objects.filter(session_id=old_key).update(session_id=self.session_key)
            self.delete(old_key)


@receiver(user_logged_in, dispatch_uid="tac-user-session")
def _record_session(sender: object, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Whose session this is, written once at sign-in (signing in again in the same
    browser gives a new session id, and a new row)."""
    session = getattr(request, "session", None)
    if request is None or not isinstance(session, SessionStore):
        return
    if session.session_key is None:
        session.save()
    UserSession.objects.update_or_create(
        session_id=session.session_key,
        defaults={
            "user": user,
            "device": describe_device(request.META.get("HTTP_USER_AGENT", ""))[:60],
            "signed_in_at": timezone.now(),
        },
    )
