"""The key that seals meeting-mode drafts kept in the browser.

Meeting mode keeps text on the device until the server has saved it, so a dropped
connection or a closed lid loses nothing. What it keeps is encrypted in the browser
(AES-256-GCM) with this key, which only a signed-in page of the same person is given:
anyone else reading the browser's storage, or another person signing in on the same
device, gets ciphertext. The key comes from the person and their password hash, so
changing the password (after a laptop is lost) makes every old draft unreadable; so does
a new `SECRET_KEY`. Signing out clears the storage anyway (`Clear-Site-Data`).
"""

from __future__ import annotations

import base64

from django.utils.crypto import salted_hmac

from agencies.models import User


def draft_key(user: User) -> str:
    """A 256-bit key, base64, for this person's drafts on any device."""
    digest = salted_hmac(
        "tac_portal.meetings.drafts", f"{user.pk}:{user.password}", algorithm="sha256"
    ).digest()
    return base64.b64encode(digest).decode("ascii")
