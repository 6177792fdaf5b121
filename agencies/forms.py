from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from agencies.models import User
from agencies.security import failed_sign_ins_from, log_event, password_given_again


class SignInForm(AuthenticationForm):
    """Sign in with a work email address and password."""

    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        # Far above the longest password that can be set (AUTH_PASSWORD_VALIDATORS).
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password.",
        "inactive": "This account has been deactivated. Ask your system administrator.",
    }

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        return username.strip().lower()

    def clean(self) -> dict[str, Any]:
        # Many addresses tried from one place (credential stuffing): refused before any
        # password is checked, whichever account is named. The count is axes' own, in
        # the database, so it holds whether Redis is there or not.
        if self.request is not None and failed_sign_ins_from(self.request) >= (
            settings.TAC_SIGN_IN_FAILURES_PER_ADDRESS
        ):
            log_event("sign_in_address_throttled", self.request, level=logging.WARNING)
            raise ValidationError(
                "Too many sign-ins have failed from your network. Wait 15 minutes, then try again.",
                code="address_throttled",
            )
        return super().clean()


class TwoFactorCodeForm(forms.Form):
    """A 6-digit code from the authenticator app, or one of the backup codes."""

    code = forms.CharField(
        label="Security code",
        max_length=16,
        strip=True,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        return code.replace(" ", "").replace("-", "").lower()


class TwoFactorSetupForm(TwoFactorCodeForm):
    code = forms.CharField(
        label="Enter the 6-digit code from your authenticator app",
        max_length=16,
        strip=True,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )


class ResetPasswordForm(PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        return email.strip().lower()


class NewPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    error_messages = {"password_mismatch": "The two passwords do not match"}

    def __init__(self, user: User | None, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"


class ChangePasswordForm(PasswordChangeForm):
    """A signed-in professional's new password: the current one first (ASVS 6.2.3)."""

    error_messages = {
        "password_mismatch": "The two passwords do not match",
        "password_incorrect": "Your current password is not correct",
    }

    def __init__(
        self, user: User, *args: Any, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"

    def clean_old_password(self) -> str:
        """Checked as a sign-in is: wrong ones count towards the lockout."""
        old_password: str = self.cleaned_data["old_password"]
        if not password_given_again(self.request, self.user, old_password):
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class ConfirmPasswordForm(forms.Form):
    """The signed-in professional's password again, before their other sessions end
    (ASVS 7.5.2: one factor given again)."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def __init__(
        self, user: User, *args: Any, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self) -> str:
        """Checked as a sign-in is: wrong ones count towards the lockout."""
        password: str = self.cleaned_data["password"]
        if not password_given_again(self.request, self.user, password):
            raise forms.ValidationError("Your password is not correct", code="password_incorrect")
        return password
