"""Adding a child (and their household) to the portal, after the duplicate check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone

from cases.models import (
    Child,
    ChildRecordCheck,
    Family,
    FamilyMember,
)
from cases.services.common import CaseError, ensure_works_on_cases
from cases.validators import normalise_postcode

if TYPE_CHECKING:
    from agencies.models import User


@dataclass(frozen=True)
class NewChild:
    """What a practitioner typed to add a child (and their household) to the portal."""

    given_names: str
    family_name: str
    date_of_birth: date
    sex: str
    postcode: str
    address: str = ""
    nhs_number: str = ""
    family_display_name: str = ""
    carer_given_names: str = ""
    carer_family_name: str = ""
    carer_relationship: str = ""
    carer_parental_responsibility: str = FamilyMember.ParentalResponsibility.UNKNOWN


@transaction.atomic
def add_child(
    details: NewChild,
    *,
    by: User | None,
    possible_matches: Sequence[int],
    reason: str = "",
    client_id: str = "",
) -> Child:
    """Add a new child record with its household (and a parent or carer, when given).

    ``possible_matches`` are the ids of the existing children the duplicate check
    showed the practitioner; adding anyway needs ``reason``. Both are kept as the
    child's ``ChildRecordCheck``, with who added it: the professional ``by``, or the
    partner system ``client_id`` when a referral came by API (``by=None``).
    """
    if by is not None:
        ensure_works_on_cases(by)
    elif not client_id:
        raise CaseError("A new child record needs a professional or a partner system.")
    if possible_matches and not reason.strip():
        raise CaseError(
            {"duplicate_reason": "Explain why none of the possible matches is this child."},
            code="duplicate_reason_required",
        )
    if details.date_of_birth > timezone.localdate():
        raise CaseError(
            {"date_of_birth": "Date of birth must be today or in the past."}, code="dob_future"
        )
    _refuse_a_twin_of_a_record_just_added(details, possible_matches)
    postcode = normalise_postcode(details.postcode) if details.postcode else ""
    family = Family.objects.create(
        name=details.family_display_name.strip() or f"The {details.family_name.strip()} family",
        address=details.address.strip(),
        postcode=postcode,
    )
    child = Child(
        family=family,
        given_names=details.given_names.strip(),
        family_name=details.family_name.strip(),
        date_of_birth=details.date_of_birth,
        sex=details.sex,
        address=details.address.strip(),
        postcode=postcode,
        nhs_number=details.nhs_number.replace(" ", ""),
    )
    child.full_clean()
    child.save()
    if details.carer_given_names.strip() or details.carer_family_name.strip():
        FamilyMember.objects.create(
            family=family,
            given_names=details.carer_given_names.strip(),
            family_name=details.carer_family_name.strip() or details.family_name.strip(),
            relationship=details.carer_relationship or FamilyMember.Relationship.OTHER,
            parental_responsibility=details.carer_parental_responsibility,
        )
    ChildRecordCheck.objects.create(
        child=child,
        added_by=by,
        added_by_client=client_id if by is None else "",
        added_at=timezone.now(),
        possible_matches=sorted(set(possible_matches)),
        reason=reason.strip(),
    )
    return child


#: pg_advisory_xact_lock namespace for adding a child (the second key is the identity).
CHILD_IDENTITY_LOCK = 7_212_101


def _refuse_a_twin_of_a_record_just_added(details: NewChild, seen: Sequence[int]) -> None:
    """Two forms for the same child sent at once both pass the duplicate check, which ran
    before either was saved. Adding a child therefore takes a lock on the child's
    identity (names and date of birth, as written, ignoring case and spaces) until the
    transaction ends, and refuses a record whose identical twin exists but was not among
    the matches the practitioner was shown."""
    identity = "|".join(
        [
            " ".join(details.given_names.split()).casefold(),
            " ".join(details.family_name.split()).casefold(),
            details.date_of_birth.isoformat(),
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [CHILD_IDENTITY_LOCK, identity]
        )
    twins = Child.objects.filter(
        given_names__iexact=" ".join(details.given_names.split()),
        family_name__iexact=" ".join(details.family_name.split()),
        date_of_birth=details.date_of_birth,
    ).exclude(pk__in=list(seen))
    if twins.exists():
        raise CaseError(
            {
                "duplicate_reason": "A record for a child with these names and this date of "
                "birth was added a moment ago. Check the possible matches again before "
                "adding another."
            },
            code="possible_duplicate",
        )
