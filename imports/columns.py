# ruff: noqa: E501  (the template is a table: one column a line reads best)
"""The import template: each sheet's columns, and how a cell's value is read and checked.

docs/import-template.md explains the template for people; the downloadable CSV headers
and XLSX workbook are made from ``SHEETS`` here, so the three cannot drift apart. Cells
are checked with the portal's own input rules (``tac_portal.validators``,
``cases.validators``), the same that the forms and the partner API use.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from cases.models import Case, Ethnicity, FamilyMember, Sex, TACRole
from cases.validators import normalise_postcode, validate_nhs_number, validate_postcode
from imports.models import RecordKind
from meetings.models import Action
from tac_portal.validators import (
    EARLIEST_DATE,
    long_date,
    name_problem,
    text_problem,
    validate_date_of_birth,
    validate_due_date,
)


class CellProblem(Exception):
    """What is wrong with one cell, in words for the administrator."""


def _text(value: Any, max_length: int) -> str:
    text = "" if value is None else str(value).strip()
    if (problem := text_problem(text)) is not None:
        raise CellProblem(problem)
    if len(text) > max_length:
        raise CellProblem(f"Must be {max_length} characters or fewer")
    return text


def _name(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    if (problem := name_problem(text)) is not None:
        raise CellProblem(problem)
    if len(text) > 100:
        raise CellProblem("Must be 100 characters or fewer")
    return text


def parse_date(value: Any) -> dt.date | None:
    """A date as a spreadsheet holds it, or as 2016-03-27 or 27/03/2016."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
        if day < EARLIEST_DATE:
            raise CellProblem(f"Must be the same as or after {long_date(EARLIEST_DATE)}")
        return day
    raise CellProblem("Enter a real date, like 2016-03-27 or 27/03/2016")


def _checked(validator: Callable[[Any], None], value: Any) -> None:
    try:
        validator(value)
    except ValidationError as error:
        raise CellProblem(" ".join(error.messages).rstrip(".")) from None


def _choice(choices: Sequence[tuple[str, Any]]) -> Callable[[Any], str]:
    by_word = {}
    for code, label in choices:
        by_word[str(code).casefold()] = str(code)
        by_word[str(label).casefold()] = str(code)

    def read(value: Any) -> str:
        text = "" if value is None else str(value).strip()
        if not text:
            return ""
        try:
            return by_word[text.casefold()]
        except KeyError:
            allowed = ", ".join(str(code) for code, _ in choices)
            raise CellProblem(f"Must be one of: {allowed}") from None

    return read


def _key(value: Any) -> str:
    return _text(_number_as_text(value), 100)


def _keys(value: Any) -> list[str]:
    text = _text(value, 1000)
    return [part.strip() for part in text.split(";") if part.strip()]


def _number_as_text(value: Any) -> Any:
    # A spreadsheet stores 9434765919 or 12 as a number: read it as the digits typed.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return value


def _nhs(value: Any) -> str:
    text = _text(_number_as_text(value), 20).replace(" ", "")
    _checked(validate_nhs_number, text)
    return text


def _postcode(value: Any) -> str:
    text = _text(value, 10)
    _checked(validate_postcode, text)
    return normalise_postcode(text) if text else ""


def _email(value: Any) -> str:
    text = _text(value, 254).lower()
    if text:
        _checked(validate_email, text)
    return text


def _date_of_birth(value: Any) -> dt.date | None:
    day = parse_date(value)
    _checked(validate_date_of_birth, day)
    return day


def _due_date(value: Any) -> dt.date | None:
    day = parse_date(value)
    _checked(validate_due_date, day)
    return day


def _past_date(value: Any) -> dt.date | None:
    day = parse_date(value)
    if day is not None and day > dt.date.today():  # noqa: DTZ011 - compared as dates
        raise CellProblem("Must be today or in the past")
    return day


@dataclass(frozen=True)
class Column:
    name: str
    read: Callable[[Any], Any]
    required: bool = False
    help: str = ""
    example: str = ""


OPEN_STATUSES = sorted(
    (code, label) for code, label in Case.Status.choices if code in Case.OPEN_STATUSES
)
OPEN_ACTION_STATUSES = [
    (code, label) for code, label in Action.Status.choices if code in Action.OPEN_STATUSES
]
PROFESSIONAL_ROLES = [
    (code, label) for code, label in TACRole.choices if code != TACRole.LEAD_PROFESSIONAL
]

SHEETS: dict[str, tuple[Column, ...]] = {
    RecordKind.FAMILY: (
        Column("family_key", _key, True, "Your system's identifier for the household", "F-1001"),
        Column("family_name", lambda v: _text(v, 200), True, "How the household is known", "The Okafor family"),
        Column("address", lambda v: _text(v, 500), help="The household's address", example="12 Mill Lane, Eastfield"),
        Column("postcode", _postcode, help="A UK postcode", example="EF1 2AB"),
    ),
    RecordKind.CHILD: (
        Column("child_key", _key, True, "Your system's identifier for the child", "C-2001"),
        Column("family_key", _key, True, "The child's household (families sheet or an earlier import)", "F-1001"),
        Column("given_names", _name, True, "Letters, spaces, hyphens, apostrophes and full stops", "Amara"),
        Column("family_name", _name, True, "As for given names", "Okafor"),
        Column("date_of_birth", _date_of_birth, True, "2016-03-27 or 27/03/2016; not in the future", "2016-03-27"),
        Column("sex", _choice(Sex.choices), help="male, female, unknown or not_said", example="female"),
        Column("nhs_number", _nhs, help="10 digits with a valid check digit", example="9434765919"),
        Column("address", lambda v: _text(v, 500), help="If different from the household's"),
        Column("postcode", _postcode, help="A UK postcode", example="EF1 2AB"),
        Column("ethnicity", _choice(Ethnicity.choices), help="A DfE four-letter code", example="BAFR"),
        Column("first_language", lambda v: _text(v, 50), example="English"),
        Column("duplicate_reason", lambda v: _text(v, 1000), help="Only to add a child the duplicate check matched: why none of the matches is this child"),
    ),
    RecordKind.CARER: (
        Column("carer_key", _key, True, "Your system's identifier for the adult", "P-3001"),
        Column("family_key", _key, True, "Their household", "F-1001"),
        Column("given_names", _name, True, example="Grace"),
        Column("family_name", _name, True, example="Okafor"),
        Column("relationship", _choice(FamilyMember.Relationship.choices), True, "To the children: mother, father, grandparent, kinship_carer...", "mother"),
        Column("parental_responsibility", _choice(FamilyMember.ParentalResponsibility.choices), help="yes, no or unknown", example="yes"),
        Column("date_of_birth", _date_of_birth, example="1988-11-02"),
        Column("phone", lambda v: _text(_number_as_text(v), 40), example="07700 900123"),
        Column("email", _email, example="grace.okafor@example.org"),
    ),
    RecordKind.CASE: (
        Column("case_key", _key, True, "Your system's identifier for the episode", "E-4001"),
        Column("family_key", _key, True, "The household the case is about", "F-1001"),
        Column("child_keys", _keys, True, "The subject children, separated by ;", "C-2001;C-2002"),
        Column("status", _choice(OPEN_STATUSES), help="An open stage; ACTIVE if empty", example="ACTIVE"),
        Column("opened_on", _past_date, True, "When the case opened; not in the future", "2025-09-01"),
        Column("lead_professional_email", _email, True, "The lead's sign-in email: an active practitioner, manager or coordinator", "lena.lead@eastfield.example"),
        Column("next_review_due", _due_date, help="The next review date", example="2026-03-01"),
    ),
    RecordKind.TEAM: (
        Column("member_key", _key, True, "Your system's identifier for the membership", "M-5001"),
        Column("case_key", _key, True, "The case", "E-4001"),
        Column("professional_email", _email, help="A professional with an account (or carer_key)", example="sam.school@riverside.example"),
        Column("carer_key", _key, help="A parent or carer of the case's family (or professional_email)"),
        Column("role", _choice(TACRole.choices), help="practitioner if empty; family_member for a carer", example="practitioner"),
    ),
    RecordKind.ACTION: (
        Column("action_key", _key, True, "Your system's identifier for the action", "A-6001"),
        Column("case_key", _key, True, "The case whose plan it is in", "E-4001"),
        Column("description", lambda v: _text(v, 2000), True, "What will be done", "Attend the parenting group"),
        Column("due_on", _due_date, True, "At most 5 years ahead", "2026-01-31"),
        Column("start_on", parse_date, help="When it starts", example="2025-10-01"),
        Column("status", _choice(OPEN_ACTION_STATUSES), help="not_started, in_progress or carried_forward", example="in_progress"),
        Column("owner_email", _email, help="The lead or a team member of the case (or owner_carer_key or owner_name)", example="lena.lead@eastfield.example"),
        Column("owner_carer_key", _key, help="A carer on the case's team"),
        Column("owner_name", lambda v: _text(v, 200), help="A family network member without an account"),
    ),
}  # fmt: skip

#: The first column of each sheet is its own source key; a CSV file is known by it.
KIND_BY_FIRST_COLUMN = {columns[0].name: kind for kind, columns in SHEETS.items()}


def csv_template(kind: str) -> str:
    """The header row of a sheet, as CSV (the examples are in the docs, not in the file,
    so that nobody imports them by mistake)."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.name for c in SHEETS[kind]])
    return out.getvalue()


def xlsx_template() -> bytes:
    """The template workbook: one sheet per kind of record, each with its header row."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    if first is not None:
        book.remove(first)
    for kind, columns in SHEETS.items():
        sheet = book.create_sheet(str(kind))
        sheet.append([c.name for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
