"""The session engine: Django's database sessions, each with its owner's row
(``UserSession``) written at sign-in, so "Your sessions" lists a person's sessions
without decoding the store. A session given a new id keeps its row.

The store keeps a hash of each session id, never the id itself (the cookie's value):
someone who reads the sessions table, or a backup of it, holds nothing that signs them
in. The id is random (32
characters of 36, about 165 bits), so a plain hash suffices; SHA-256, cut to the
40 characters the column holds (160 bits), is what the migration that converted the
stored ids computes too (``agencies.0014_hashed_session_keys``).
"""

from __future__ import annotations

import hashlib
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


def stored_key(session_key: str | None) -> str:
    """What the store keeps for a session id: its hash ("" for no session)."""
    if not session_key:
        return ""
    return hashlib.sha256(session_key.encode()).hexdigest()[:40]


class SessionStore(DatabaseSessionStore):
    """Django's database store, reading and writing the hash of the session id."""

    def _get_session_from_db(self) -> Any:
        try:
            return self.model.objects.get(
                session_key=stored_key(self.session_key), expire_date__gt=timezone.now()
            )
        except self.model.DoesNotExist:
            self._session_key = None
            return None

    async def _aget_session_from_db(self) -> Any:
        try:
            return await self.model.objects.aget(
                session_key=stored_key(self.session_key), expire_date__gt=timezone.now()
            )
        except self.model.DoesNotExist:
            self._session_key = None
            return None

    def exists(self, session_key: str) -> bool:
        return bool(self.model.objects.filter(session_key=stored_key(session_key)).exists())

    async def aexists(self, session_key: str) -> bool:
        return bool(await self.model.objects.filter(session_key=stored_key(session_key)).aexists())

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        instance = super().create_model_instance(data)
        instance.session_key = stored_key(instance.session_key)
        return instance

    async def acreate_model_instance(self, data: dict[str, Any]) -> Any:
        instance = await super().acreate_model_instance(data)
        instance.session_key = stored_key(instance.session_key)
        return instance

    def delete(self, session_key: str | None = None) -> None:
        key = self.session_key if session_key is None else session_key
        if key is not None:
            self.model.objects.filter(session_key=stored_key(key)).delete()

    async def adelete(self, session_key: str | None = None) -> None:
        key = self.session_key if session_key is None else session_key
        if key is not None:
            await self.model.objects.filter(session_key=stored_key(key)).adelete()

    def cycle_key(self) -> None:
        """A new id for the same session (Django's ``cycle_key``), moving the owner's row
        to it before the old id is deleted (deleting it would take the row along)."""
        old_key = self.session_key
        data = dict(self.items())
        self.create()
        self._session_cache = data
        if old_key:
            UserSession.objects.filter(session_id=stored_key(old_key)).update(
                session_id=stored_key(self.session_key)
            )
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
        session_id=stored_key(session.session_key),
        defaults={
            "user": user,
            "device": describe_device(request.META.get("HTTP_USER_AGENT", ""))[:60],
            "signed_in_at": timezone.now(),
        },
    )
