"""The header link to the configuration site (see ``tac_portal.navigation``)."""

from __future__ import annotations

from agencies.models import User
from tac_portal.navigation import NavItem


def _staff(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


CONFIGURATION = NavItem("configuration", "Configuration", "admin:index", _staff)
