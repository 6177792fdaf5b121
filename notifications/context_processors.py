from __future__ import annotations

from django.http import HttpRequest

from notifications.models import Notification


def unread_count(request: HttpRequest) -> dict[str, object]:
    """``unread_notifications`` for the page header (one indexed count per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.unread().filter(recipient=user).count()}
