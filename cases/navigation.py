"""The header links to the case pages (see ``tac_portal.navigation``)."""

from __future__ import annotations

from cases.access import can_triage, can_work_on_cases, is_system_administrator
from tac_portal.navigation import NavItem

MY_WORK = NavItem("my_work", "My work", "cases:my_cases", can_work_on_cases)
FIND_A_CHILD = NavItem("find_child", "Find a child", "cases:find_child", can_work_on_cases)
REQUESTS = NavItem(
    "requests", "Requests", "cases:triage_queue", can_triage, section="/cases/triage/"
)
ACCOUNT_REQUESTS = NavItem(
    "account_requests",
    "Account requests",
    "cases:account_requests",
    is_system_administrator,
    section="/cases/account-requests/",
)
