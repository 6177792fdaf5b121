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
