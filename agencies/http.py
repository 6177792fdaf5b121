"""Typed requests for views that require a signed-in professional (``agencies.User``)."""

from __future__ import annotations

from django.http import HttpRequest

from agencies.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User  # type: ignore[assignment]
    request_id: str
