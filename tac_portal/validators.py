"""What text and dates the portal accepts: the one home for input rules shared by forms,
models and the partner API (docs/input-rules.md explains them for people).

- **Any text**: no NUL byte and no other control character (tab and line breaks are
  fine), and none of the invisible characters that reorder text on screen (bidirectional
  embeddings, overrides and isolates): PostgreSQL cannot store a NUL, and a reordering
  character makes what a reader sees differ from what was stored.
- **Names of people** (a child's, a parent's, a professional's): letters of any script
  with their accents, spaces, hyphens, apostrophes and full stops. Nothing invisible
  (zero-width characters and direction marks included), no markup, and no leading
  ``=``, ``+``, ``-`` or ``@``, which spreadsheets read as a formula.
- **References** (a case or record number, a code): as any text, and no invisible
  characters at all.
- **Dates**: nothing before 1900; a date of birth is not in the future; a date something
  is due is at most ``DUE_YEARS_AHEAD`` years away.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

#: No date the portal stores is earlier than this: a mistyped year ("1016") is caught.
EARLIEST_DATE = dt.date(1900, 1, 1)
#: How far ahead a due date (an action's, a review's) may be set.
DUE_YEARS_AHEAD = 5
#: How far ahead any other date may be: far enough for every real plan, and far enough
#: from the calendar's end that date arithmetic (working days, reminders) cannot overflow.
ANY_YEARS_AHEAD = 100

MSG_CONTROL = "Remove the hidden control characters (they were probably pasted in with the text)"
MSG_NAME_INVISIBLE = (
    "Remove the hidden characters from the name (they were probably pasted in with it)"
)
MSG_NAME_CHARACTERS = "A name can only include letters, spaces, hyphens, apostrophes and full stops"
MSG_NAME_START = "A name cannot start with =, +, - or @"
MSG_NAME_LETTER = "A name must include at least one letter"
MSG_REFERENCE_INVISIBLE = "Remove the hidden characters from the reference"
MSG_JSON_CONTROL = "The answers contain hidden control characters that cannot be saved: remove them"

# Tab, line feed and carriage return are ordinary in typed text.
_ALLOWED_CONTROLS = frozenset("\t\n\r")
# Bidirectional embeddings, overrides and isolates (the "Trojan Source" characters),
# and the Arabic letter mark: they reorder what is shown.
_REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")
_NAME_PUNCTUATION = frozenset(" -'.\u2010\u2019")  # hyphen and right single quotation mark
_FORMULA_TRIGGERS = ("=", "+", "-", "@")


def _is_control(char: str) -> bool:
    # Cc is C0 and C1; line and paragraph separators break lines invisibly.
    return (unicodedata.category(char) in {"Cc", "Zl", "Zp"}) and char not in _ALLOWED_CONTROLS


def _is_invisible(char: str) -> bool:
    # Cf: zero-width spaces and joiners, direction marks, the byte order mark, soft hyphen.
    return unicodedata.category(char) == "Cf" or char in _REORDERING


#: Refused input that looks like an attack rather than a slip (ASVS 16.3.3) goes into the
#: security log: the rule it broke, never the value, which may be personal data.
_security_log = logging.getLogger("tac.security")


def _log_refusal(rule: str) -> None:
    _security_log.warning("input_refused", extra={"event": "input_refused", "rule": rule})


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None."""
    if any(_is_control(char) or char in _REORDERING for char in value):
        return MSG_CONTROL
    return None


def validate_text(value: Any) -> None:
    """Refuse NUL and other control characters and text-reordering characters."""
    if isinstance(value, str) and (problem := text_problem(value)) is not None:
        _log_refusal("control_characters")
        raise ValidationError(problem, code="control_characters")


def name_problem(value: str) -> str | None:
    """Why ``value`` is not a person's name, or None (an empty value is not a problem here:
    whether a name is required is the field's business)."""
    if not value:
        return None
    if any(
        unicodedata.category(char) in {"Cc", "Zl", "Zp"} or _is_invisible(char) for char in value
    ):
        return MSG_NAME_INVISIBLE
    stripped = value.strip()
    if stripped.startswith(_FORMULA_TRIGGERS):
        return MSG_NAME_START
    for char in stripped:
        if unicodedata.category(char)[0] not in {"L", "M"} and char not in _NAME_PUNCTUATION:
            return MSG_NAME_CHARACTERS
    if not any(unicodedata.category(char)[0] == "L" for char in stripped):
        return MSG_NAME_LETTER
    return None


#: The name problems worth a security log entry (a name with a digit in it is a slip).
_HOSTILE_NAME_PROBLEMS = {
    MSG_NAME_INVISIBLE: "invisible_characters",
    MSG_NAME_START: "formula_trigger",
}


def validate_person_name(value: Any) -> None:
    """Letters of any script, spaces, hyphens, apostrophes and full stops; see the module."""
    if isinstance(value, str) and (problem := name_problem(value)) is not None:
        if problem in _HOSTILE_NAME_PROBLEMS:
            _log_refusal(_HOSTILE_NAME_PROBLEMS[problem])
        elif any(char in value for char in "<>"):
            _log_refusal("markup")
        raise ValidationError(problem, code="invalid_name")


def validate_reference(value: Any) -> None:
    """Any text without control characters and without invisible characters."""
    validate_text(value)
    if isinstance(value, str) and any(_is_invisible(char) for char in value):
        _log_refusal("invisible_characters")
        raise ValidationError(MSG_REFERENCE_INVISIBLE, code="invisible_characters")


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, item in data.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(data, list | tuple):
        for item in data:
            yield from _strings(item)


def validate_json_text(data: Any) -> None:
    """Refuse structured answers (JSON) with a NUL or another control character in any
    key or string, which PostgreSQL's jsonb cannot store or which would reorder text."""
    if any(text_problem(text) is not None for text in _strings(data)):
        _log_refusal("control_characters")
        raise ValidationError(MSG_JSON_CONTROL, code="control_characters")


# --- Dates -----------------------------------------------------------------------------


def years_ahead(years: int, *, today: dt.date | None = None) -> dt.date:
    """The date ``years`` years after today (28 February for 29 February)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + years)
    except ValueError:
        return today.replace(year=today.year + years, day=28)


def long_date(day: dt.date) -> str:
    """A date as GOV.UK writes it in messages: 27 March 2026."""
    return f"{day.day} {day:%B %Y}"


def validate_date_of_birth(value: dt.date | None) -> None:
    """A date of birth is from 1900 and not in the future."""
    if value is None:
        return
    if value < EARLIEST_DATE:
        raise ValidationError(
            f"Date of birth must be the same as or after {long_date(EARLIEST_DATE)}",
            code="min_value",
        )
    if value > timezone.localdate():
        raise ValidationError("Date of birth must be today or in the past", code="past")


def validate_due_date(value: dt.date | None) -> None:
    """A due date is from 1900 and at most ``DUE_YEARS_AHEAD`` years from today."""
    if value is None:
        return
    latest = years_ahead(DUE_YEARS_AHEAD)
    if value < EARLIEST_DATE:
        raise ValidationError(
            f"The due date must be the same as or after {long_date(EARLIEST_DATE)}",
            code="min_value",
        )
    if value > latest:
        raise ValidationError(
            f"The due date must be the same as or before {long_date(latest)}", code="max_value"
        )
