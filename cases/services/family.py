"""Keeping a family's details true, and the adults around the child: parents, carers,
non-resident parents and the family network (DOMAIN §2.2 D and E)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from cases.access import ensure_can_change_family_details
from cases.models import Case, Child, ChildRelationship, DetailChange, Family, FamilyMember
from cases.services.children import (
    DetailsChanged,
    changed_fields,
    ensure_child_in_case,
    field_label,
    normalised,
    record_changes,
)
from cases.services.common import CaseError, record_event
from tac_portal.concurrency import bump, ensure_current

if TYPE_CHECKING:
    from agencies.models import User

FAMILY_EDITABLE_FIELDS = ("name", "address", "postcode")
FAMILY_REASON_FIELDS = frozenset({"address", "postcode"})

#: What is recorded about a parent, carer or network member.
MEMBER_FIELDS = (
    "given_names",
    "family_name",
    "relationship",
    "relationship_detail",
    "parental_responsibility",
    "date_of_birth",
    "lives_with_children",
    "address",
    "postcode",
    "phone",
    "email",
    "preferred_contact_method",
    "mobile_phone",
    "agrees_to_text_messages",
    "language",
    "interpreter_required",
)
#: A change to these brings the texts waiting for the person in line (TAC_FAMILY_TEXT_SCHEDULERS).
TEXT_FIELDS = frozenset({"mobile_phone", "agrees_to_text_messages", "given_names"})
MEMBER_REASON_FIELDS = frozenset({"given_names", "family_name", "address", "postcode"})


@transaction.atomic
def change_family_details(
    family: Family,
    *,
    case: Case,
    changes: Mapping[str, Any],
    reason: str,
    expected_version: int | None,
    by: User,
) -> DetailsChanged:
    """Change the household's name or address; a new address needs a reason."""
    ensure_can_change_family_details(by, case)
    if case.family_id != family.pk:
        raise CaseError("This family is not the case's family.", code="family_not_in_case")
    locked = Family.objects.select_for_update().get(pk=family.pk)
    ensure_current(locked, expected_version)
    changed = changed_fields(locked, changes, FAMILY_EDITABLE_FIELDS)
    if not changed:
        return DetailsChanged()
    if FAMILY_REASON_FIELDS & set(changed) and not reason.strip():
        raise CaseError({"reason": "Say why the address is changing"}, code="reason_required")
    if "name" in changed and not changed["name"]:
        raise CaseError({"name": "Enter how the household is known"}, code="name_required")
    now = timezone.now()
    record_changes(
        locked,
        changed,
        subject=DetailChange.Subject.FAMILY,
        family_id=locked.pk,
        reason=reason,
        by=by,
        at=now,
    )
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=[f.name for f in Family._meta.fields if f.name not in changed])
    locked.save(update_fields=[*changed, "updated_at", *bump(locked)])
    record_event(
        case,
        "family.details_changed",
        by=by,
        at=now,
        summary="The family's details changed: "
        + ", ".join(field_label(Family, name).lower() for name in changed),
        data={"family": locked.pk, "fields": list(changed)},
    )
    family.refresh_from_db()
    return DetailsChanged(fields=list(changed))


def _member_values(details: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(details) - set(MEMBER_FIELDS)
    if unknown:
        raise CaseError(f"These details cannot be recorded here: {', '.join(sorted(unknown))}.")
    return {name: normalised(name, value) for name, value in details.items()}


@transaction.atomic
def add_family_member(case: Case, *, details: Mapping[str, Any], by: User) -> FamilyMember:
    """Record a parent, carer, non-resident parent or network member of the case's family."""
    ensure_can_change_family_details(by, case)
    values = _member_values(details)
    member = FamilyMember(family_id=case.family_id, **values)
    member.full_clean()
    member.save()
    record_event(
        case,
        "family.member_added",
        by=by,
        summary=f"{member.get_relationship_display()} added to the family's adults",
        data={"family_member": member.pk},
    )
    return member


@transaction.atomic
def change_family_member(
    member: FamilyMember,
    *,
    case: Case,
    changes: Mapping[str, Any],
    reason: str,
    expected_version: int | None,
    by: User,
) -> DetailsChanged:
    """Change what is recorded about a parent or carer; a new name or address needs a reason."""
    ensure_can_change_family_details(by, case)
    if member.family_id != case.family_id:
        raise CaseError("This person is not in the case's family.", code="member_not_in_case")
    locked = FamilyMember.objects.select_for_update().get(pk=member.pk)
    ensure_current(locked, expected_version)
    changed = changed_fields(locked, _member_values(changes), MEMBER_FIELDS)
    if not changed:
        return DetailsChanged()
    if MEMBER_REASON_FIELDS & set(changed) and not reason.strip():
        raise CaseError(
            {"reason": "Say why the name or address is changing"}, code="reason_required"
        )
    now = timezone.now()
    record_changes(
        locked,
        changed,
        subject=DetailChange.Subject.FAMILY_MEMBER,
        family_id=locked.family_id,
        member=locked,
        reason=reason,
        by=by,
        at=now,
    )
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=[f.name for f in FamilyMember._meta.fields if f.name not in changed])
    locked.save(update_fields=[*changed, "updated_at", *bump(locked)])
    if TEXT_FIELDS & set(changed):
        for path in settings.TAC_FAMILY_TEXT_SCHEDULERS:
            import_string(path)(locked)
    record_event(
        case,
        "family.member_changed",
        by=by,
        at=now,
        summary="A parent's or carer's details changed: "
        + ", ".join(field_label(FamilyMember, name).lower() for name in changed),
        data={"family_member": locked.pk, "fields": list(changed)},
    )
    member.refresh_from_db()
    return DetailsChanged(fields=list(changed))


@transaction.atomic
def set_relationship_to_child(
    member: FamilyMember,
    *,
    case: Case,
    child: Child,
    relationship: str,
    parental_responsibility: str,
    lives_with_child: bool,
    reason: str = "",
    by: User,
) -> ChildRelationship:
    """Record how one of the family's adults stands to one of the case's children: the
    relationship, parental responsibility for that child, and whether they live with
    them. A change is kept in the adult's history with ``reason``."""
    ensure_can_change_family_details(by, case)
    if member.family_id != case.family_id:
        raise CaseError("This person is not in the case's family.", code="member_not_in_case")
    ensure_child_in_case(case, child)
    errors = {}
    if relationship not in FamilyMember.Relationship.values:
        errors["relationship"] = "Choose their relationship to the child"
    if parental_responsibility not in FamilyMember.ParentalResponsibility.values:
        errors["parental_responsibility"] = "Say whether they have parental responsibility"
    if errors:
        raise CaseError(errors, code="invalid")
    FamilyMember.objects.select_for_update().filter(pk=member.pk).first()
    found = ChildRelationship.objects.filter(member=member, child=child).first()
    before = found.summary() if found else ""
    now = timezone.now()
    link = found or ChildRelationship(member=member, child=child)
    link.relationship = relationship
    link.parental_responsibility = parental_responsibility
    link.lives_with_child = lives_with_child
    link.recorded_by, link.recorded_at = by, now
    if before == link.summary():
        return link
    link.save()
    DetailChange.objects.create(
        subject=DetailChange.Subject.FAMILY_MEMBER,
        family_id=member.family_id,
        family_member=member,
        child=child,
        field_name="relationship_to_child",
        label=f"Relationship to {child.given_names}",
        old_value=before,
        new_value=link.summary(),
        reason=reason.strip(),
        changed_by=by,
        changed_at=now,
    )
    record_event(
        case,
        "family.relationship_to_child",
        by=by,
        at=now,
        summary="How an adult stands to one of the children was recorded",
        data={"family_member": member.pk, "child": child.pk},
    )
    return link
