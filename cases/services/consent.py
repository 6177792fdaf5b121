"""Consent and sharing records, decisions to share, and safeguarding concerns (DOMAIN §6)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cases.access import (
    can_record_on_case,
)
from cases.models import (
    Case,
    Child,
    ConsentRecord,
    DisclosureDecision,
    FamilyMember,
    InformationLevel,
    SafeguardingConcern,
)
from cases.services.common import CaseError, ensure_works_on_cases, record_event, security_log

if TYPE_CHECKING:
    from agencies.models import Agency, User


#: From this age a young person's capacity to agree is presumed (DOMAIN §6.1).
PRESUMED_CAPABLE_AGE = 16
ADULT_AGE = 18


def capacity_problems(
    *,
    given_by: FamilyMember | None,
    given_by_child: Child | None,
    capacity_basis: str,
    capacity_note: str,
    on: date,
) -> dict[str, str]:
    """Why an agreement cannot be recorded as given (by field), or nothing.

    The child's age on the day decides: below ``TAC_CHILD_OWN_AGREEMENT_AGE`` a child's
    own agreement is not recorded; under 16 only as assessed competent (Gillick), with
    the judgement written down; under 18 never as an adult's. A parent's or carer's
    agreement names the adult who gave it, and one on the child's behalf needs someone
    who may have parental responsibility.
    """
    basis = ConsentRecord.CapacityBasis
    if given_by_child is not None:
        age = given_by_child.age_on(on)
        name = given_by_child.given_names
        if age is None:
            return {"given_by": "An unborn child cannot give agreement: choose a parent or carer."}
        if age < settings.TAC_CHILD_OWN_AGREEMENT_AGE:
            return {
                "given_by": f"{name} was {age} on that day: a child's own agreement is "
                f"recorded from {settings.TAC_CHILD_OWN_AGREEMENT_AGE}. Record a parent's or "
                "carer's agreement, and the child's views in their own words."
            }
        if capacity_basis == basis.PARENT_ON_BEHALF:
            return {
                "capacity_basis": "Choose a parent or carer to record agreement on a "
                "child's behalf."
            }
        if age < PRESUMED_CAPABLE_AGE:
            if capacity_basis != basis.GILLICK:
                return {
                    "capacity_basis": f"{name} was {age} on that day: record their own "
                    "agreement only if you assessed them as competent (Gillick)."
                }
            if not capacity_note.strip():
                return {
                    "capacity_basis": "Write down how you judged that they understood what "
                    "they agreed to (Gillick competence)."
                }
        elif age < ADULT_AGE and capacity_basis == basis.ADULT:
            return {
                "capacity_basis": f"{name} was {age} on that day: choose 'Aged 16 or 17', "
                "not 'Adult'."
            }
        return {}
    if given_by is not None:
        if capacity_basis in (basis.AGE_16_17, basis.GILLICK):
            return {
                "capacity_basis": "That basis is for a young person giving their own "
                "agreement: choose 'Adult' or 'Parent on the child's behalf'."
            }
        if (
            capacity_basis == basis.PARENT_ON_BEHALF
            and given_by.parental_responsibility == FamilyMember.ParentalResponsibility.NO
        ):
            return {
                "given_by": f"{given_by.full_name} does not have parental responsibility: "
                "choose someone who does to agree on the child's behalf."
            }
    return {}


def _ensure_case_worker(case: Case, user: User) -> None:
    """Consent, sharing and safeguarding records (``cases.access.can_record_on_case``)."""
    ensure_works_on_cases(user)
    if not can_record_on_case(user, case):
        raise PermissionDenied("You cannot record on this case.")


@transaction.atomic
def record_consent(
    case: Case,
    *,
    by: User,
    kind: str,
    given_by: FamilyMember | None,
    given_by_child: Child | None,
    subject_children: Sequence[Child],
    capacity_basis: str,
    method: str,
    given_at: datetime,
    information_level: str = InformationLevel.BASIC,
    agencies_allowed: Sequence[Agency] = (),
    agencies_excluded: Sequence[Agency] = (),
    capacity_note: str = "",
) -> ConsentRecord:
    """Record the family's agreement (to assessment or service) or sharing preference."""
    _ensure_case_worker(case, by)
    errors: dict[str, str] = {}
    if (given_by is None) == (given_by_child is None):
        errors["given_by"] = "Choose who gave their agreement."
    if given_by is not None and given_by.family_id != case.family_id:
        errors["given_by"] = "Choose someone in this family."
    subject_ids = set(case.subjects.values_list("child_id", flat=True))
    if given_by_child is not None and given_by_child.pk not in subject_ids:
        errors["given_by"] = "Choose someone in this family."
    if not subject_children:
        errors["subject_children"] = "Choose the children this covers."
    elif not {c.pk for c in subject_children} <= subject_ids:
        errors["subject_children"] = "Choose children who are subjects of this case."
    if given_at > timezone.now():
        errors["given_at"] = "The date given must be today or in the past."
    overlap = {a.pk for a in agencies_allowed} & {a.pk for a in agencies_excluded}
    if overlap:
        errors["agencies_excluded"] = "An agency cannot be both allowed and excluded."
    if not errors:
        errors = capacity_problems(
            given_by=given_by,
            given_by_child=given_by_child,
            capacity_basis=capacity_basis,
            capacity_note=capacity_note,
            on=timezone.localtime(given_at).date(),
        )
    if errors:
        raise CaseError(errors, code="consent_invalid")
    consent = ConsentRecord.objects.create(
        case=case,
        kind=kind,
        given_by=given_by,
        given_by_child=given_by_child,
        capacity_basis=capacity_basis,
        capacity_note=capacity_note.strip(),
        information_level=information_level,
        method=method,
        given_at=given_at,
        recorded_by=by,
    )
    consent.subject_children.set(subject_children)
    consent.agencies_allowed.set(agencies_allowed)
    consent.agencies_excluded.set(agencies_excluded)
    record_event(
        case,
        "consent.recorded",
        by=by,
        summary=f"{consent.get_kind_display()} recorded",
        data={"consent": consent.pk, "kind": kind, "method": method},
    )
    return consent


@transaction.atomic
def withdraw_consent(consent: ConsentRecord, *, by: User, note: str) -> ConsentRecord:
    """Record that the family withdrew an agreement or sharing preference.

    Withdrawing agreement to early help is recorded and shown on the case; closing
    the case (or stepping up, where there is a safeguarding concern) is a separate
    decision (DOMAIN §6.1).
    """
    _ensure_case_worker(consent.case, by)
    locked = ConsentRecord.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        raise CaseError("This has already been withdrawn.", code="already_withdrawn")
    if not note.strip():
        raise CaseError(
            {"withdrawal_note": "Describe what the family said and when."},
            code="withdrawal_note_required",
        )
    locked.withdrawn_at = timezone.now()
    locked.withdrawal_note = note.strip()
    locked.save(update_fields=["withdrawn_at", "withdrawal_note"])
    record_event(
        locked.case,
        f"consent.withdrawn.{locked.kind}",
        by=by,
        at=locked.withdrawn_at,
        summary=f"{locked.get_kind_display()} withdrawn",
        data={"consent": locked.pk},
    )
    return locked


@transaction.atomic
def record_disclosure_decision(
    case: Case,
    *,
    by: User,
    decision: str,
    recipient: str,
    information: str,
    purpose: str,
    reason: str,
    lawful_basis: str = "",
    with_consent: bool = False,
    decided_at: datetime | None = None,
) -> DisclosureDecision:
    """Record a decision to share, or not to share, information (DOMAIN §6.2 rule 7)."""
    _ensure_case_worker(case, by)
    errors: dict[str, str] = {}
    if decision not in DisclosureDecision.Decision.values:
        errors["decision"] = "Choose whether the information was shared."
    for field, text, message in (
        ("recipient", recipient, "Enter who the information was (or was not) shared with."),
        ("information", information, "Describe the information."),
        ("purpose", purpose, "Enter the purpose."),
        ("reason", reason, "Explain the reasons for the decision."),
    ):
        if not text.strip():
            errors[field] = message
    now = timezone.now()
    if decided_at is not None and decided_at > now:
        errors["decided_at"] = "The decision date must be today or in the past."
    if errors:
        raise CaseError(errors, code="disclosure_invalid")
    disclosure = DisclosureDecision.objects.create(
        case=case,
        decision=decision,
        recipient=recipient.strip(),
        information=information.strip(),
        purpose=purpose.strip(),
        lawful_basis=lawful_basis.strip(),
        with_consent=with_consent,
        reason=reason.strip(),
        decided_by=by,
        decided_at=decided_at or now,
    )
    record_event(
        case,
        "disclosure.decided",
        by=by,
        summary=f"Information {disclosure.get_decision_display().lower()}: {disclosure.recipient}"[
            :300
        ],
        data={"disclosure": disclosure.pk, "decision": decision},
    )
    return disclosure


def raise_safeguarding_concern(
    case: Case, *, by: User, what_was_seen_or_heard: str
) -> SafeguardingConcern:
    """Record that ``by`` raised a safeguarding concern: what they saw or heard, in their
    words, and the MASH route given to them.

    Nothing is recorded until they have said what they saw or heard. Always available
    to anyone who can see the case; it never waits on consent or any other step, and
    leaves the case's status alone (DOMAIN §6.2, §9.2 F1).
    """
    ensure_works_on_cases(by)
    words = what_was_seen_or_heard.strip()
    if not words:
        raise CaseError(
            {"what_was_seen_or_heard": "Say what you saw or heard that worries you"},
            code="required",
        )
    now = timezone.now()
    with transaction.atomic():
        concern = SafeguardingConcern.objects.create(
            case=case,
            raised_by=by,
            raised_at=now,
            route=settings.TAC_MASH_CONTACT[:300],
            what_was_seen_or_heard=words,
        )
        record_event(
            case,
            "safeguarding.concern_raised",
            by=by,
            at=now,
            summary="Safeguarding concern raised: MASH contact given",
            data={"concern": concern.pk},
        )
    security_log.info(
        "safeguarding concern raised",
        extra={"concern": concern.pk, "case": case.pk, "user_id": by.pk},
    )
    return concern
