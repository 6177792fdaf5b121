"""The header links to the information governance pages (see ``tac_portal.navigation``)."""

from __future__ import annotations

from cases.access import is_information_governance
from tac_portal.navigation import NavItem

ACCESS_REPORT = NavItem(
    "access_report", "Access report", "audit:access_report", is_information_governance
)
EMERGENCY_ACCESS = NavItem(
    "emergency_access",
    "Emergency access reviews",
    "audit:break_glass_list",
    is_information_governance,
)
