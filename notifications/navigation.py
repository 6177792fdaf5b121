"""The header links to notifications (see ``tac_portal.navigation``)."""

from __future__ import annotations

from agencies.models import User
from tac_portal.navigation import NavItem


def _everyone(user: User) -> bool:
    return bool(user.is_authenticated)


def _administrator(user: User) -> bool:
    # The same check as the undelivered emails pages themselves.
    return user.is_authenticated and user.is_system_administrator


NOTIFICATIONS = NavItem("notifications", "Notifications", "notifications:list", _everyone)
UNDELIVERED = NavItem(
    "undelivered", "Undelivered emails", "notifications:undelivered", _administrator
)
