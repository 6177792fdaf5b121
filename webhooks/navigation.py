"""The header link to the partner webhooks pages (see ``tac_portal.navigation``)."""

from __future__ import annotations

from agencies.models import User
from cases.access import partner_clients_managed_by
from tac_portal.navigation import NavItem


def _partner_administrator(user: User) -> bool:
    # The same check as the pages themselves: someone who manages a partner client.
    return partner_clients_managed_by(user).exists()


WEBHOOKS = NavItem("webhooks", "Partner webhooks", "webhooks:list", _partner_administrator)
