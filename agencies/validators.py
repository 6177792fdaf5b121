"""Password rules beyond Django's own (NCSC and ASVS: long passwords, no composition rules)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from agencies.models import User


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
