"""The assessment's consent statements (section K; DOMAIN §6.1)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from assessments.models import (
    Assessment,
)
from assessments.services.common import (
    AssessmentError,
    S,
    ensure_can_edit,
    ensure_open,
    lock_assessment,
    move_assessment,
)
from cases.models import ConsentRecord, FamilyMember, InformationLevel
from cases.services.common import record_event
from cases.services.consent import capacity_problems

if TYPE_CHECKING:
    from agencies.models import User


@transaction.atomic
def record_consent(
    assessment: Assessment,
    *,
    stage: str,
    given_by: FamilyMember | None,
    given_by_child: bool,
    method: str,
    capacity_basis: str,
    given_on: dt.date,
    information_level: str = InformationLevel.BASIC,
    note: str = "",
    by: User,
) -> ConsentRecord:
    """Record the family's consent statement: ``stage`` "start" (to the assessment) or
    "completion" (to storing and sharing it). Writes a ``ConsentRecord`` for the child.

    Consent to the assessment moves an assessment awaiting consent back to draft.
    """
    ensure_can_edit(by, assessment)
    locked = lock_assessment(assessment)
    ensure_open(locked)
    if stage not in ("start", "completion"):
        raise AssessmentError("Unknown consent stage.", code="stage")
    if given_by is None and not given_by_child:
        raise AssessmentError({"given_by": "Choose who gave consent."}, code="no_giver")
    if given_by is not None and given_by.family_id != locked.child.family_id:
        raise AssessmentError({"given_by": "That person is not in the child's family."})
    if given_on > timezone.localdate():
        raise AssessmentError({"given_on": "The date consent was given must not be in the future."})
    problems = capacity_problems(
        given_by=given_by,
        given_by_child=locked.child if given_by is None else None,
        capacity_basis=capacity_basis,
        capacity_note=note,
        on=given_on,
    )
    if problems:
        raise AssessmentError(problems, code="capacity")
    already = locked.consent_to_assessment_id if stage == "start" else locked.consent_to_share_id
    if already:
        raise AssessmentError("This consent statement is already recorded.", code="recorded")
    kind = (
        ConsentRecord.Kind.AGREEMENT_TO_ASSESSMENT
        if stage == "start"
        else ConsentRecord.Kind.SHARING_PREFERENCE
    )
    at = dt.datetime.combine(given_on, dt.time(12, 0), tzinfo=timezone.get_current_timezone())
    consent = ConsentRecord.objects.create(
        case=locked.case,
        kind=kind,
        given_by=given_by,
        given_by_child=locked.child if given_by is None else None,
        capacity_basis=capacity_basis,
        capacity_note=note,
        information_level=information_level,
        method=method,
        given_at=at,
        recorded_by=by,
    )
    consent.subject_children.add(locked.child)
    update = ["lock_version", "updated_at"]
    if stage == "start":
        locked.consent_to_assessment = consent
        update.append("consent_to_assessment")
    else:
        locked.consent_to_share = consent
        update.append("consent_to_share")
    locked.lock_version += 1
    locked.save(update_fields=update)
    record_event(
        locked.case,
        "assessment.consent_recorded",
        by=by,
        summary="Consent to the assessment recorded"
        if stage == "start"
        else "Consent to store and share the assessment recorded",
        data={"assessment": locked.pk, "consent": consent.pk, "stage": stage},
    )
    if stage == "start" and locked.status == S.AWAITING_CONSENT:
        move_assessment(
            locked, S.DRAFT, by=by, code="assessment.consent_given", summary="Consent given"
        )
    return consent
