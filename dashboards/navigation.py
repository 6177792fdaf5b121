"""The header links to the dashboards (see ``tac_portal.navigation``)."""

from __future__ import annotations

from agencies.models import User
from cases.access import is_information_governance
from tac_portal.navigation import NavItem


def _has_dashboard(user: User) -> bool:
    # By role, with no query on every page: the coordinator sees the authority and a
    # team manager their teams (``metrics.dashboard_scope`` decides what is shown).
    return user.is_active and (user.is_coordinator or user.role == User.Role.TEAM_MANAGER)


def _governance_only(user: User) -> bool:
    # The coordinator reaches the extract from the dashboard.
    return is_information_governance(user)


DASHBOARD = NavItem("dashboard", "Dashboard", "dashboards:dashboard", _has_dashboard)
ANNEX_A = NavItem("annex_a", "Ofsted extract", "dashboards:annex_a", _governance_only)
