"""Secrets the portal must read back, kept encrypted at rest ("sealed").

Each purpose has its own Fernet key (AES-128-CBC and HMAC-SHA256), derived from every
Django secret key: the current ``SECRET_KEY`` seals, and it or any of
``SECRET_KEY_FALLBACKS`` opens. A copy of the database alone therefore reads none of
them. After ``SECRET_KEY`` is replaced, ``manage.py reseal_secrets`` seals everything
again under the new key, so that the old one can leave the fallbacks.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.encoding import force_bytes


class Unreadable(Exception):
    """A sealed value that none of the secret keys opens: the key that sealed it has been
    taken out of ``SECRET_KEY_FALLBACKS``."""


def _fernet(purpose: str) -> MultiFernet:
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    derived = [hashlib.sha256(f"{purpose}:".encode() + force_bytes(k)).digest() for k in keys]
    return MultiFernet([Fernet(base64.urlsafe_b64encode(key)) for key in derived])


def seal(value: bytes, *, purpose: str) -> str:
    """``value`` encrypted and authenticated under the current secret key."""
    return _fernet(purpose).encrypt(value).decode()


def unseal(sealed: str, *, purpose: str, max_age: int | None = None) -> bytes:
    """What ``sealed`` holds; ``Unreadable`` if no secret key opens it, it was changed, or
    it was sealed more than ``max_age`` seconds ago."""
    try:
        return _fernet(purpose).decrypt(sealed.encode(), ttl=max_age)
    except InvalidToken:
        raise Unreadable from None


def reseal(sealed: str, *, purpose: str) -> str:
    """``sealed`` sealed again under the current secret key (it may have been sealed under
    a fallback)."""
    try:
        return _fernet(purpose).rotate(sealed.encode()).decode()
    except InvalidToken:
        raise Unreadable from None


#: Every sealed column, as (model label, field name, purpose). Each app names its own
#: where the model is defined; ``manage.py reseal_secrets`` walks them all.
SEALED_COLUMNS: list[tuple[str, str, str]] = []


def sealed_column(model_label: str, field: str, *, purpose: str) -> None:
    SEALED_COLUMNS.append((model_label, field, purpose))
