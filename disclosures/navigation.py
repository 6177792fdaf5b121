"""The header links to the subject access requests (see ``tac_portal.navigation``)."""

from __future__ import annotations

from cases.access import can_handle_subject_access
from tac_portal.navigation import NavItem

SUBJECT_ACCESS = NavItem(
    "subject_access",
    "Subject access requests",
    "disclosures:list",
    can_handle_subject_access,
)
