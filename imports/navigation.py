"""The header link to bulk import (see ``tac_portal.navigation``)."""

from __future__ import annotations

from cases.access import can_import_records
from tac_portal.navigation import NavItem

IMPORTS = NavItem("imports", "Import records", "imports:list", can_import_records)
