"""Password rules beyond Django's own (NCSC and ASVS: long passwords, no composition rules)."""

from __future__ import annotations

import hashlib
import logging
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError

from agencies.models import User
from agencies.security import log_event


class MaximumLengthValidator:
    """Allow long passphrases (64 characters and more) but refuse absurd lengths."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: User | None = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"Password must be {self.max_length} characters or fewer",
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return f"Your password can be up to {self.max_length} characters long."


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalpha())


class ContextWordsValidator:
    """Refuse a password built on words anyone would guess here (ASVS 6.1.2 and 6.2.11):
    the service's name, the council's name and the words of the work itself. Spaces,
    digits and punctuation do not hide them: "Early-Help 2026!" contains "early help".
    """

    def __init__(self, words: list[str] | None = None) -> None:
        self.words = list(words or [])

    def context_words(self) -> list[str]:
        from django.conf import settings

        names = [settings.TAC_SERVICE_NAME, settings.TAC_AUTHORITY_NAME, *self.words]
        return [word for word in dict.fromkeys(_letters(name) for name in names) if word]

    def validate(self, password: str, user: User | None = None) -> None:
        letters = _letters(password)
        if any(word in letters for word in self.context_words()):
            raise ValidationError(
                "Password must not contain the name of this service, the council or words "
                "of the work such as 'early help'",
                code="password_context_word",
            )

    def get_help_text(self) -> str:
        return "Your password cannot contain the name of this service or the council."


class BreachedPasswordValidator:
    """Refuse a password known from a data breach (ASVS 6.2.12), by the k-anonymity range
    API of Pwned Passwords at ``TAC_BREACHED_PASSWORDS_URL``.

    Only the first five characters of the password's SHA-1 leave the portal; the service
    answers with every breached hash that starts with them (padded with unbreached ones,
    which have a count of 0) and the match is made here. When the service does not answer
    within ``TAC_BREACHED_PASSWORDS_TIMEOUT`` seconds, the password is judged by the other
    rules (the common passwords among them) and the security log says the check was
    skipped: nobody is kept from changing a password because a third party is down.
    """

    def validate(self, password: str, user: User | None = None) -> None:
        url = settings.TAC_BREACHED_PASSWORDS_URL
        if not url:
            return
        digest = hashlib.sha1(password.encode("utf-8"), usedforsecurity=False).hexdigest()
        prefix, suffix = digest[:5].upper(), digest[5:].upper()
        request = urllib.request.Request(  # noqa: S310 - settings allow https (or loopback) only
            url + prefix, headers={"Add-Padding": "true", "User-Agent": "TAC Portal"}
        )
        try:
            with urllib.request.urlopen(  # noqa: S310  # nosec B310
                request, timeout=settings.TAC_BREACHED_PASSWORDS_TIMEOUT
            ) as response:
                body = response.read(2_000_000).decode("ascii", errors="replace")
        except (OSError, ValueError) as exc:
            log_event(
                "breached_password_check_skipped",
                None,
                level=logging.WARNING,
                reason=type(exc).__name__,
            )
            return
        for line in body.splitlines():
            candidate, _, count = line.strip().partition(":")
            if candidate == suffix and count.isdigit() and int(count) > 0:
                raise ValidationError(
                    "This password has appeared in a data breach elsewhere, so others may "
                    "try it: choose a different one",
                    code="password_breached",
                )

    def get_help_text(self) -> str:
        return "Your password cannot be one that has appeared in a data breach."
