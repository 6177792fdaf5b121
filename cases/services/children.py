"""Adding a child (and their household) to the portal after the duplicate check, keeping
a child's details true with the history of who changed what and why, and adding a
sibling to a case (DOMAIN §1, §2.2 B)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from agencies.models import Agency
from cases.access import can_add_child_to_case, ensure_can_change_family_details
from cases.models import (
    Case,
    CaseSubject,
    Child,
    ChildRecordCheck,
    DetailChange,
    DisabilityStatus,
    Family,
    FamilyMember,
    KnownName,
    SenStatus,
)
from cases.services.common import (
    CaseError,
    ChildAlreadyInOpenCase,
    ensure_works_on_cases,
    lock_case,
    record_event,
)
from cases.validators import normalise_postcode
from tac_portal.concurrency import bump, ensure_current

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
    return _create_child(
        details,
        family,
        by=by,
        possible_matches=possible_matches,
        reason=reason,
        client_id=client_id,
    )


def _create_child(
    details: NewChild,
    family: Family,
    *,
    by: User | None,
    possible_matches: Sequence[int],
    reason: str,
    client_id: str = "",
) -> Child:
    postcode = normalise_postcode(details.postcode) if details.postcode else ""
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


# --- Keeping a child's details true ----------------------------------------------------

#: The child's details a practitioner may change from the case page.
CHILD_EDITABLE_FIELDS = (
    "given_names",
    "family_name",
    "also_known_as",
    "date_of_birth",
    "sex",
    "address",
    "postcode",
    "nhs_number",
    "ethnicity",
    "disability_status",
    "sen_status",
    "first_language",
    "school_urn",
    "upn",
    "is_young_carer",
    "interpreter_required",
)
#: Changing these needs a reason, kept with the change (DOMAIN §2.2 B: the facts that matter).
REASON_REQUIRED_FIELDS = frozenset(
    {"given_names", "family_name", "date_of_birth", "address", "postcode"}
)
NAME_FIELDS = frozenset({"given_names", "family_name"})
MSG_REASON_REQUIRED = "Say why the name, date of birth or address is changing"


@dataclass
class DetailsChanged:
    """What an edit changed (field names), and whether the duplicate check must run again."""

    fields: list[str] = field(default_factory=list)

    @property
    def identity_changed(self) -> bool:
        return bool({"given_names", "family_name", "date_of_birth"} & set(self.fields))


def normalised(name: str, value: Any) -> Any:
    if isinstance(value, str):
        # A browser sends a textarea's lines ending "\r\n"; they are kept ending "\n".
        value = value.replace("\r\n", "\n").strip()
        if name == "postcode" and value:
            return normalise_postcode(value)
        if name in {"nhs_number", "upn"}:
            return value.replace(" ", "").upper()
    return value


def display_value(model: type[Any], name: str, value: Any) -> str:
    """How a detail reads in its history: choices by label, dates in words, yes or no."""
    if value is None or value == "":
        return ""
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    return str(value)


def field_label(model: type[Any], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


def changed_fields(
    locked: Any, changes: Mapping[str, Any], allowed: Sequence[str]
) -> dict[str, Any]:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise CaseError(f"These details cannot be changed here: {', '.join(sorted(unknown))}.")
    return {
        name: normalised(name, value)
        for name, value in changes.items()
        if normalised(name, value) != getattr(locked, name)
    }


def record_changes(
    locked: Any,
    changed: Mapping[str, Any],
    *,
    subject: str,
    family_id: int,
    reason: str,
    by: User,
    at: Any,
    child: Child | None = None,
    member: FamilyMember | None = None,
) -> None:
    model = type(locked)
    DetailChange.objects.bulk_create(
        DetailChange(
            subject=subject,
            child=child,
            family_id=family_id,
            family_member=member,
            field_name=name,
            label=field_label(model, name),
            old_value=display_value(model, name, getattr(locked, name)),
            new_value=display_value(model, name, value),
            reason=reason.strip(),
            changed_by=by,
            changed_at=at,
        )
        for name, value in changed.items()
    )


def alias_names(text: str, family_name: str) -> list[tuple[str, str]]:
    """The names in an "also known as" (separated by commas), as (given, family) pairs.

    The last word of a name is its family name; a single word is a given name used
    with the child's family name.
    """
    names = []
    for part in text.replace(";", ",").split(","):
        words = part.split()
        if len(words) == 1:
            names.append((words[0], family_name))
        elif words:
            names.append((" ".join(words[:-1]), words[-1]))
    return names


def ensure_child_in_case(case: Case, child: Child) -> None:
    if not CaseSubject.objects.filter(case=case, child=child).exists():
        raise CaseError("This child is not a subject of this case.", code="child_not_in_case")


@transaction.atomic
def change_child_details(
    child: Child,
    *,
    case: Case,
    changes: Mapping[str, Any],
    reason: str,
    expected_version: int | None,
    by: User,
) -> DetailsChanged:
    """Change a subject child's details, keeping who changed what, when and why.

    A new name keeps the earlier one as a known name (found by "find a child"). A change
    of name, date of birth or address needs ``reason``. The edit must be based on the
    child's current ``version``; nothing is written otherwise (``StaleEdit``).
    """
    ensure_can_change_family_details(by, case)
    ensure_child_in_case(case, child)
    locked = Child.objects.select_for_update().get(pk=child.pk)
    ensure_current(locked, expected_version)
    changed = changed_fields(locked, changes, CHILD_EDITABLE_FIELDS)
    if not changed:
        return DetailsChanged()
    if REASON_REQUIRED_FIELDS & set(changed) and not reason.strip():
        raise CaseError({"reason": MSG_REASON_REQUIRED}, code="reason_required")
    new_dob = changed.get("date_of_birth")
    if new_dob is not None and new_dob > timezone.localdate():
        raise CaseError(
            {"date_of_birth": "Date of birth must be today or in the past."}, code="dob_future"
        )
    now = timezone.now()
    if NAME_FIELDS & set(changed):
        KnownName.objects.get_or_create(
            child=locked,
            given_names=locked.given_names,
            family_name=locked.family_name,
            defaults={"recorded_by": by, "recorded_at": now},
        )
    if changed.get("also_known_as"):
        for given, family in alias_names(changed["also_known_as"], locked.family_name):
            KnownName.objects.get_or_create(
                child=locked,
                given_names=given,
                family_name=family,
                defaults={"recorded_by": by, "recorded_at": now},
            )
    record_changes(
        locked,
        changed,
        subject=DetailChange.Subject.CHILD,
        family_id=locked.family_id,
        child=locked,
        reason=reason,
        by=by,
        at=now,
    )
    for name, value in changed.items():
        setattr(locked, name, value)
    extra: list[str] = []
    if "school_urn" in changed:
        locked.school = (
            Agency.objects.filter(school_urn=locked.school_urn).first()
            if locked.school_urn
            else None
        )
        extra.append("school")
    locked.has_disability = locked.disability_status == DisabilityStatus.YES
    locked.has_sen = locked.sen_status in (SenStatus.SEN_SUPPORT, SenStatus.EHC_PLAN)
    locked.full_clean(exclude=[f.name for f in Child._meta.fields if f.name not in changed])
    locked.save(
        update_fields=[*changed, *extra, "has_disability", "has_sen", "updated_at", *bump(locked)]
    )
    labels = ", ".join(field_label(Child, name).lower() for name in changed)
    record_event(
        case,
        "child.details_changed",
        by=by,
        at=now,
        summary=f"A child's details changed: {labels}",
        data={"child": locked.pk, "fields": list(changed)},
    )
    child.refresh_from_db()
    return DetailsChanged(fields=list(changed))


# --- A sibling joins the case ----------------------------------------------------------


def _ensure_can_add_child(case: Case, by: User) -> None:
    ensure_can_change_family_details(by, case)
    if not can_add_child_to_case(by, case):
        raise CaseError("A child can be added only to an open case.", code="case_closed")


def _join_case(case: Case, child: Child, *, by: User, how: str) -> None:
    try:
        with transaction.atomic():
            CaseSubject.objects.create(case=case, child=child, is_open=True)
    except IntegrityError:
        existing = (
            CaseSubject.objects.filter(child=child, is_open=True).select_related("case").first()
        )
        if existing is None:  # pragma: no cover - the constraint named another row
            raise
        raise ChildAlreadyInOpenCase(child, existing.case) from None
    record_event(
        case,
        "case.child_added",
        by=by,
        summary=f"Another child of the family joined the case ({how})",
        data={"child": child.pk},
    )


@transaction.atomic
def add_sibling(
    case: Case,
    details: NewChild,
    *,
    by: User,
    possible_matches: Sequence[int],
    reason: str = "",
) -> Child:
    """Add a new child of the case's family, after the same duplicate check as adding a
    child, as a subject of the case: one family record, one case for the siblings."""
    _ensure_can_add_child(case, by)
    if possible_matches and not reason.strip():
        raise CaseError(
            {"duplicate_reason": "Explain why none of the possible matches is this child."},
            code="duplicate_reason_required",
        )
    if details.date_of_birth > timezone.localdate():
        raise CaseError(
            {"date_of_birth": "Date of birth must be today or in the past."}, code="dob_future"
        )
    case = lock_case(case)
    _refuse_a_twin_of_a_record_just_added(details, possible_matches)
    child = _create_child(
        details, case.family, by=by, possible_matches=possible_matches, reason=reason
    )
    _join_case(case, child, by=by, how="new record")
    return child


@transaction.atomic
def add_existing_child_to_case(case: Case, child: Child, *, by: User) -> Child:
    """Add a child found by the duplicate check to the case as a sibling.

    A child recorded in another household moves to the case's family (the move is in the
    child's history); a child in another open case cannot join (one open case per child).
    """
    _ensure_can_add_child(case, by)
    case = lock_case(case)
    locked = Child.objects.select_for_update().get(pk=child.pk)
    if CaseSubject.objects.filter(case=case, child=locked).exists():
        raise CaseError("This child is already a subject of this case.", code="already_subject")
    existing = CaseSubject.objects.filter(child=locked, is_open=True).select_related("case").first()
    if existing is not None:
        raise ChildAlreadyInOpenCase(locked, existing.case)
    if locked.family_id != case.family_id:
        DetailChange.objects.create(
            subject=DetailChange.Subject.CHILD,
            child=locked,
            family_id=case.family_id,
            field_name="family",
            label="Family",
            old_value=str(locked.family),
            new_value=str(case.family),
            reason="Added to the case of their siblings",
            changed_by=by,
        )
        locked.family_id = case.family_id
        locked.save(update_fields=["family", "updated_at", *bump(locked)])
    _join_case(case, locked, by=by, how="existing record")
    return locked
