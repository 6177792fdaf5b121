"""Unborn children: recorded against the expectant mother with the expected date of
delivery, and turned into the child's own record when the birth is recorded, keeping
its case, plan and history (DOMAIN §1 invariant 1, §2.2 B)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.utils import timezone

from cases.access import ensure_can_change_family_details
from cases.models import Case, Child, ChildRecordCheck, DetailChange, Family, FamilyMember
from cases.services.children import (
    _ensure_can_add_child,
    _join_case,
    display_value,
    ensure_child_in_case,
    field_label,
)
from cases.services.common import CaseError, ensure_works_on_cases, lock_case, record_event
from cases.validators import normalise_postcode
from tac_portal.concurrency import bump, ensure_current

if TYPE_CHECKING:
    from agencies.models import User

UNBORN_GIVEN_NAMES = "Unborn baby"
#: An expected date of delivery further ahead than this is a typing mistake.
LONGEST_PREGNANCY = timedelta(weeks=43)
MSG_EDD_TOO_FAR = "The expected date of delivery must be within the next 43 weeks."
MSG_NOT_UNBORN = "This child's birth has already been recorded."


@dataclass(frozen=True)
class NewUnbornChild:
    """What a practitioner typed to record an unborn child against the expectant mother."""

    expected_date_of_delivery: date
    mother_given_names: str = ""
    mother_family_name: str = ""
    mother_date_of_birth: date | None = None
    address: str = ""
    postcode: str = ""
    #: The practitioner confirmed this is another baby (twins, say), not one already
    #: recorded against the same mother.
    another_baby: bool = False


def _check_edd(edd: date) -> None:
    if edd > timezone.localdate() + LONGEST_PREGNANCY:
        raise CaseError({"expected_date_of_delivery": MSG_EDD_TOO_FAR}, code="edd_too_far")


#: Two unborn children of one mother expected this close together are likely one baby.
SAME_PREGNANCY = timedelta(weeks=8)
MSG_ALREADY_RECORDED = (
    "An unborn child is already recorded against {whom}, expected within 8 weeks of this "
    "date. If this is another baby (twins, say), confirm it; otherwise find the record "
    "already there."
)


def _refuse_a_baby_already_recorded(
    details: NewUnbornChild, mothers: models.QuerySet[FamilyMember], whom: str
) -> None:
    """Search before create: an unborn child of the same mother, due about the same
    time, is very likely the same baby (unless the practitioner confirms it is not)."""
    if details.another_baby:
        return
    edd = details.expected_date_of_delivery
    existing = Child.objects.filter(
        is_unborn=True,
        merged_into__isnull=True,
        expectant_mother__in=mothers,
        expected_date_of_delivery__range=(edd - SAME_PREGNANCY, edd + SAME_PREGNANCY),
    )
    if existing.exists():
        raise CaseError(
            {"another_baby": MSG_ALREADY_RECORDED.format(whom=whom)}, code="possible_duplicate"
        )


def _new_mother(details: NewUnbornChild, family: Family) -> FamilyMember:
    if not details.mother_given_names.strip() or not details.mother_family_name.strip():
        raise CaseError(
            {"mother_given_names": "Enter the expectant mother's names"}, code="mother_required"
        )
    return FamilyMember.objects.create(
        family=family,
        given_names=details.mother_given_names.strip(),
        family_name=details.mother_family_name.strip(),
        date_of_birth=details.mother_date_of_birth,
        relationship=FamilyMember.Relationship.MOTHER,
        parental_responsibility=FamilyMember.ParentalResponsibility.YES,
    )


def _create_unborn(family: Family, mother: FamilyMember, edd: date, *, by: User) -> Child:
    child = Child(
        family=family,
        given_names=UNBORN_GIVEN_NAMES,
        family_name=mother.family_name,
        is_unborn=True,
        expected_date_of_delivery=edd,
        expectant_mother=mother,
        address=family.address,
        postcode=family.postcode,
    )
    child.full_clean()
    child.save()
    ChildRecordCheck.objects.create(
        child=child, added_by=by, added_at=timezone.now(), possible_matches=[], reason=""
    )
    return child


@transaction.atomic
def add_unborn_child(details: NewUnbornChild, *, by: User) -> Child:
    """Record an unborn child and the expectant mother as a new household."""
    ensure_works_on_cases(by)
    _check_edd(details.expected_date_of_delivery)
    _refuse_a_baby_already_recorded(
        details,
        FamilyMember.objects.filter(
            given_names__iexact=details.mother_given_names.strip(),
            family_name__iexact=details.mother_family_name.strip(),
        ),
        "an expectant mother with these names",
    )
    family = Family.objects.create(
        name=f"The {details.mother_family_name.strip()} family",
        address=details.address.strip(),
        postcode=normalise_postcode(details.postcode) if details.postcode else "",
    )
    mother = _new_mother(details, family)
    return _create_unborn(family, mother, details.expected_date_of_delivery, by=by)


@transaction.atomic
def add_unborn_child_to_case(
    case: Case, details: NewUnbornChild, *, mother: FamilyMember | None, by: User
) -> Child:
    """Record an unborn brother or sister against the expectant mother (one of the
    family's adults, or a new one) and add them to the case."""
    _ensure_can_add_child(case, by)
    _check_edd(details.expected_date_of_delivery)
    case = lock_case(case)
    if mother is not None and mother.family_id != case.family_id:
        raise CaseError({"mother": "Choose one of this family's adults"}, code="not_in_family")
    if mother is not None:
        _refuse_a_baby_already_recorded(
            details, FamilyMember.objects.filter(pk=mother.pk), "this mother"
        )
    mother = mother or _new_mother(details, case.family)
    child = _create_unborn(case.family, mother, details.expected_date_of_delivery, by=by)
    _join_case(case, child, by=by, how="unborn child")
    return child


def _label(name: str) -> str:
    return "Born" if name == "is_unborn" else field_label(Child, name)


def _shown(name: str, value: object) -> str:
    if name == "is_unborn":
        return "Not yet born" if value else "Born"
    return display_value(Child, name, value)


@transaction.atomic
def record_birth(
    child: Child,
    *,
    case: Case,
    date_of_birth: date,
    given_names: str,
    family_name: str,
    sex: str,
    expected_version: int | None,
    by: User,
) -> Child:
    """The unborn child's record becomes the child's: the same record, so its case, plan,
    assessments, consent and history stay as they are. Only the date of birth, names
    and sex are written (the expected date of delivery is kept)."""
    ensure_can_change_family_details(by, case)
    ensure_child_in_case(case, child)
    locked = Child.objects.select_for_update().get(pk=child.pk)
    ensure_current(locked, expected_version)
    if not locked.is_unborn:
        raise CaseError(MSG_NOT_UNBORN, code="already_born")
    if date_of_birth > timezone.localdate():
        raise CaseError(
            {"date_of_birth": "Date of birth must be today or in the past."}, code="dob_future"
        )
    if locked.expected_date_of_delivery and date_of_birth < (
        locked.expected_date_of_delivery - LONGEST_PREGNANCY
    ):
        raise CaseError(
            {"date_of_birth": "The date of birth is long before the expected date of delivery."},
            code="dob_too_early",
        )
    now = timezone.now()
    changes = {
        "is_unborn": False,
        "date_of_birth": date_of_birth,
        "given_names": given_names.strip(),
        "family_name": family_name.strip(),
        "sex": sex,
    }
    changed = {k: v for k, v in changes.items() if getattr(locked, k) != v}
    DetailChange.objects.bulk_create(
        DetailChange(
            subject=DetailChange.Subject.CHILD,
            child=locked,
            family_id=locked.family_id,
            field_name=name,
            label="Born" if name == "is_unborn" else field_label(Child, name),
            old_value="Not yet born"
            if name == "is_unborn"
            else display_value(Child, name, getattr(locked, name)),
            new_value="Born" if name == "is_unborn" else display_value(Child, name, value),
            reason="The birth was recorded",
            changed_by=by,
            changed_at=now,
        )
        for name, value in changed.items()
    )
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["school"])
    locked.save(update_fields=[*changed, "updated_at", *bump(locked)])
    record_event(
        case,
        "child.born",
        by=by,
        at=now,
        summary="The birth of a child of the case was recorded",
        data={"child": locked.pk},
    )
    child.refresh_from_db()
    return locked
