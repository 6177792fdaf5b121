# ruff: noqa: E501  (the files are tables: one row a line reads best)
"""Import files for the tests: a caseload with good, duplicate and bad rows, and the same
caseload corrected."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from imports.columns import SHEETS

LEAD = "lena.lead@northgate.example"
MEMBER = "sam.school@riverside.example"


def workbook(sheets: dict[str, list[dict[str, Any]]]) -> bytes:
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    for kind, rows in sheets.items():
        sheet = book.create_sheet(kind)
        headers = [c.name for c in SHEETS[kind]]
        sheet.append(headers)
        for row in rows:
            sheet.append([row.get(h, "") for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def mixed_file() -> bytes:
    """Good rows; a child who is already in the portal (Jamie Fairweather, the personas'
    child) and the case that needs them; and rows with problems."""
    return workbook(
        {
            "families": [
                {"family_key": "F1", "family_name": "The Okafor family", "postcode": "EF1 2AB"},
                {"family_key": "F2", "family_name": "The Fairweather family"},
                {"family_key": "F3", "family_name": "The Bad family", "postcode": "NOT A CODE"},
            ],
            "children": [
                {
                    "child_key": "C1",
                    "family_key": "F1",
                    "given_names": "Amara",
                    "family_name": "Okafor",
                    "date_of_birth": "2016-03-27",
                    "sex": "female",
                    "nhs_number": "9434765919",
                },
                {
                    "child_key": "C2",
                    "family_key": "F1",
                    "given_names": "Tobi",
                    "family_name": "Okafor",
                    "date_of_birth": "19/08/2019",
                },
                {
                    "child_key": "C3",
                    "family_key": "F2",
                    "given_names": "Jamie",
                    "family_name": "Fairweather",
                    "date_of_birth": "2016-05-17",
                },
                {
                    "child_key": "C4",
                    "family_key": "F1",
                    "given_names": "=HYPERLINK(1)",
                    "family_name": "Okafor",
                    "date_of_birth": "2099-01-01",
                },
                {
                    "child_key": "C5",
                    "family_key": "F9",
                    "given_names": "Ola",
                    "family_name": "Okafor",
                    "date_of_birth": "2018-01-01",
                },
            ],
            "carers": [
                {
                    "carer_key": "P1",
                    "family_key": "F1",
                    "given_names": "Grace",
                    "family_name": "Okafor",
                    "relationship": "mother",
                    "parental_responsibility": "yes",
                },
            ],
            "cases": [
                {
                    "case_key": "E1",
                    "family_key": "F1",
                    "child_keys": "C1;C2",
                    "status": "ACTIVE",
                    "opened_on": "2025-09-01",
                    "lead_professional_email": LEAD,
                    "next_review_due": "2026-03-01",
                },
                {
                    "case_key": "E2",
                    "family_key": "F2",
                    "child_keys": "C3",
                    "opened_on": "2025-09-01",
                    "lead_professional_email": LEAD,
                },
            ],
            "team": [
                {"member_key": "M1", "case_key": "E1", "professional_email": MEMBER},
                {"member_key": "M2", "case_key": "E1", "carer_key": "P1", "role": "family_member"},
            ],
            "actions": [
                {
                    "action_key": "A1",
                    "case_key": "E1",
                    "description": "Attend the parenting group",
                    "due_on": "2026-01-31",
                    "owner_carer_key": "P1",
                },
                {
                    "action_key": "A2",
                    "case_key": "E1",
                    "description": "Check attendance weekly",
                    "due_on": "2026-01-31",
                    "owner_email": MEMBER,
                    "status": "in_progress",
                },
            ],
        }
    )


def good_file() -> bytes:
    """The mixed file with the bad rows taken out (the administrator's correction)."""
    return workbook(
        {
            "families": [
                {"family_key": "F1", "family_name": "The Okafor family", "postcode": "EF1 2AB"},
                {"family_key": "F2", "family_name": "The Fairweather family"},
            ],
            "children": [
                {"child_key": "C1", "family_key": "F1", "given_names": "Amara", "family_name": "Okafor", "date_of_birth": "2016-03-27", "sex": "female", "nhs_number": "9434765919"},
                {"child_key": "C2", "family_key": "F1", "given_names": "Tobi", "family_name": "Okafor", "date_of_birth": "19/08/2019"},
                {"child_key": "C3", "family_key": "F2", "given_names": "Jamie", "family_name": "Fairweather", "date_of_birth": "2016-05-17"},
            ],
            "carers": [
                {"carer_key": "P1", "family_key": "F1", "given_names": "Grace", "family_name": "Okafor", "relationship": "mother"},
            ],
            "cases": [
                {"case_key": "E1", "family_key": "F1", "child_keys": "C1;C2", "opened_on": "2025-09-01", "lead_professional_email": LEAD},
                {"case_key": "E2", "family_key": "F2", "child_keys": "C3", "opened_on": "2025-09-01", "lead_professional_email": LEAD},
            ],
            "team": [
                {"member_key": "M1", "case_key": "E1", "professional_email": MEMBER},
                {"member_key": "M2", "case_key": "E1", "carer_key": "P1"},
            ],
            "actions": [
                {"action_key": "A1", "case_key": "E1", "description": "Attend the parenting group", "due_on": "2026-01-31", "owner_carer_key": "P1"},
                {"action_key": "A2", "case_key": "E1", "description": "Check attendance weekly", "due_on": "2026-01-31", "owner_email": MEMBER},
            ],
        }
    )  # fmt: skip
