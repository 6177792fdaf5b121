"""The header link to retention and legal holds (see ``tac_portal.navigation``)."""

from __future__ import annotations

from cases.access import can_manage_retention
from tac_portal.navigation import NavItem

RETENTION = NavItem("retention", "Retention", "retention:index", can_manage_retention)
