"""The header links to the dashboards (see ``tac_portal.navigation``)."""

from __future__ import annotations

from django.http import Http404

from agencies.models import User
from cases.access import is_information_governance
from dashboards.metrics import dashboard_scope
from tac_portal.navigation import NavItem


def _has_dashboard(user: User) -> bool:
    try:
        dashboard_scope(user)
    except Http404:
        return False
    return True


def _governance_only(user: User) -> bool:
    # The coordinator reaches the extract from the dashboard.
    return is_information_governance(user)


DASHBOARD = NavItem("dashboard", "Dashboard", "dashboards:dashboard", _has_dashboard)
ANNEX_A = NavItem("annex_a", "Ofsted extract", "dashboards:annex_a", _governance_only)
