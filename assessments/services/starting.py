"""Starting an assessment, optionally from a sibling's shared sections (DOMAIN §11.2)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.definition import (
    Definition,
)
from assessments.models import (
    OPEN_STATUSES,
    Assessment,
    AssessmentSection,
    AssessmentTemplate,
    ElementEntry,
)
from assessments.services.common import (
    AssessmentError,
    can_start,
    move_assessment,
    reschedule_draft_reminder,
)
from assessments.services.content import ELEMENT_FIELDS, version_stamp
from assessments.services.templates import default_template
from cases.models import Case, CaseSubject, Child
from cases.services.common import record_event
from cases.services.lifecycle import follow_assessment_started

if TYPE_CHECKING:
    from agencies.models import User


@transaction.atomic
def start_assessment(
    case: Case,
    *,
    child: Child,
    by: User,
    copy_from: Assessment | None = None,
    template: AssessmentTemplate | None = None,
    previous_version: Assessment | None = None,
) -> Assessment:
    """Start an assessment of ``child`` in ``case``, with ``by`` as assessor.

    ``copy_from`` (a sibling's assessment in the same case) copies its parents
    and carers and family and environment sections (DOMAIN §11.2). Raises
    ``AssessmentError`` when the child already has an assessment being written.
    Schedules the "still in draft" reminder for the assessor, and moves the case
    to the stage that follows (``cases.services.lifecycle.follow_assessment_started``).
    """
    if not case.is_open:
        raise AssessmentError("Assessments can only be started on an open case.", code="closed")
    if not CaseSubject.objects.filter(case=case, child=child).exists():
        raise AssessmentError("That child is not a subject of this case.", code="not_subject")
    if previous_version is None and not can_start(by, case):
        raise PermissionDenied("Only the lead professional or a TAC member can start one.")
    if copy_from is not None and (copy_from.case_id != case.pk or copy_from.child_id == child.pk):
        raise AssessmentError(
            "Copy only from a brother's or sister's assessment in this case.",
            code="bad_sibling",
        )
    template = template or (previous_version.template if previous_version else default_template())
    now = timezone.now()
    _stop_assessments_of_closed_cases(child, by=by)
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                case=case,
                child=child,
                template=template,
                assessor=by,
                started_at=now,
                previous_version=previous_version,
            )
    except IntegrityError:
        raise AssessmentError(
            f"{child.full_name} already has an assessment being written. Continue that one.",
            code="already_open",
        ) from None

    definition = Definition(template.definition)
    if copy_from is not None:
        _copy_content(
            copy_from,
            assessment,
            sections=definition.shared_section_keys(),
            elements=definition.shared_element_codes(),
            by=by,
        )
    if previous_version is not None:
        _copy_content(
            previous_version,
            assessment,
            sections={s["key"] for s in definition.sections},
            elements=set(definition.elements),
            by=by,
        )
    summary = "Assessment started" + (" (revision)" if previous_version else "")
    if copy_from is not None:
        summary += " from a sibling's family sections"
    record_event(
        case,
        "assessment.started",
        by=by,
        at=now,
        summary=summary,
        data={
            "assessment": assessment.pk,
            "child": child.pk,
            "template": template.pk,
            "copied_from": copy_from.pk if copy_from else None,
            "previous_version": previous_version.pk if previous_version else None,
        },
    )
    reschedule_draft_reminder(assessment)
    # The case moves on with it: to assessing, or to reassessing an active plan.
    follow_assessment_started(case, by=by)
    return assessment


def _stop_assessments_of_closed_cases(child: Child, *, by: User) -> None:
    """An assessment left unfinished when its case closed stops, so that a new case
    for the child (a re-referral) can start its own."""
    stale = Assessment.objects.select_for_update().filter(
        child=child, status__in=OPEN_STATUSES, case__closed_at__isnull=False
    )
    for old in stale.select_related("case"):
        move_assessment(
            old,
            Assessment.Status.ABANDONED,
            by=by,
            code="assessment.abandoned",
            summary="Assessment stopped: the case had closed",
            abandoned_reason="The case closed before the assessment was completed.",
        )


def _copy_content(
    source: Assessment, target: Assessment, *, sections: set[str], elements: set[str], by: User
) -> None:
    def fresh_versions(values: Iterable[str]) -> dict[str, Any]:
        return {name: version_stamp(1, by) for name in values}

    AssessmentSection.objects.bulk_create(
        [
            AssessmentSection(
                assessment=target,
                key=s.key,
                data=dict(s.data),
                versions=fresh_versions(s.data),
                updated_by=by,
            )
            for s in source.sections.filter(key__in=sections)
        ]
    )
    ElementEntry.objects.bulk_create(
        [
            ElementEntry(
                assessment=target,
                element_code=e.element_code,
                strengths=e.strengths,
                needs=e.needs,
                not_discussed=e.not_discussed,
                not_discussed_reason=e.not_discussed_reason,
                sources=list(e.sources),
                source_detail=e.source_detail,
                versions=fresh_versions(ELEMENT_FIELDS),
                updated_by=by,
            )
            for e in source.elements.filter(element_code__in=elements)
        ]
    )
