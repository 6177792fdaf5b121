"""Validators for identifiers that children's records carry."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def nhs_number_is_valid(value: str) -> bool:
    """True when ``value`` is ten digits whose last is the modulus 11 check digit."""
    digits = value.replace(" ", "")
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - (total % 11)
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


def validate_nhs_number(value: str) -> None:
    if value and not nhs_number_is_valid(value):
        raise ValidationError(
            "Enter a real NHS number: 10 digits, like 485 777 3456.", code="invalid_nhs_number"
        )


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s+", "", value.upper())
    if len(compact) > 3:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def validate_postcode(value: str) -> None:
    if value and not _POSTCODE.match(value.upper().strip()):
        raise ValidationError("Enter a real UK postcode, like LS1 4AP.", code="invalid_postcode")


_UK_MOBILE = re.compile(r"^(?:\+?44|0)7[0-9]{9}$")


def normalise_uk_mobile(value: str) -> str:
    """A UK mobile number as 07xxx xxxxxx, from any spacing, dashes or +44 form."""
    compact = re.sub(r"[\s()-]", "", value)
    if compact.startswith("+44") or compact.startswith("44"):
        compact = "0" + compact.removeprefix("+").removeprefix("44")
    if len(compact) == 11:
        return f"{compact[:5]} {compact[5:]}"
    return value.strip()


def validate_uk_mobile(value: str) -> None:
    if value and not _UK_MOBILE.match(re.sub(r"[\s()-]", "", value)):
        raise ValidationError(
            "Enter a UK mobile number, like 07700 900 982.", code="invalid_mobile"
        )
