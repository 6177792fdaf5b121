"""The assessment lifecycle (DOMAIN §2.3), enforced in the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from agencies.models import User
from assessments.models import Assessment, AssessmentTemplate
from assessments.services.common import AssessmentError, can_edit
from assessments.services.content import save_section
from assessments.services.lifecycle import (
    abandon_assessment,
    begin_assessment,
    complete_assessment,
    escalate_safeguarding,
    mark_awaiting_consent,
    resume_after_escalation,
    revise_assessment,
    share_with_family,
)
from assessments.services.starting import start_assessment
from cases.models import Case, CaseEvent, FamilyMember
from tests.assessments.conftest import FRESH, consent, fill_for_completion

S = Assessment.Status


def codes(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).values_list("code", flat=True))


def test_it_starts_a_draft_on_the_default_template(assessment: Assessment, lead: User) -> None:
    assert assessment.status == S.DRAFT
    assert assessment.assessor == lead
    assert assessment.template.is_default
    assert "assessment.started" in codes(assessment.case)


def test_it_refuses_a_second_open_assessment_of_the_same_child(
    assessment: Assessment, lead: User
) -> None:
    with pytest.raises(AssessmentError, match="already has an assessment"):
        start_assessment(assessment.case, child=assessment.child, by=lead)


def test_an_outsider_cannot_start_one(
    case: Case, outsider: User, caf_template: AssessmentTemplate
) -> None:
    with pytest.raises(PermissionDenied):
        start_assessment(case, child=case.children.get(), by=outsider)


def test_it_goes_from_draft_to_completed(
    assessment: Assessment, lead: User, parent: FamilyMember
) -> None:
    with pytest.raises(AssessmentError, match="consent to the assessment"):
        begin_assessment(assessment, by=lead)
    mark_awaiting_consent(assessment, by=lead)
    assessment.refresh_from_db()
    assert assessment.status == S.AWAITING_CONSENT
    consent(assessment, "start", lead, parent)
    assessment.refresh_from_db()
    assert assessment.status == S.DRAFT  # consent recorded: back to draft
    begin_assessment(assessment, by=lead)
    share_with_family(assessment, by=lead)
    with pytest.raises(AssessmentError) as refused:
        complete_assessment(assessment, by=lead)
    problems = " ".join(refused.value.messages)
    assert "child's views" in problems
    assert "What we think is happening" in problems
    fill_for_completion(assessment, lead, parent)
    complete_assessment(assessment, by=lead)
    assessment.refresh_from_db()
    assert assessment.status == S.COMPLETED
    assert assessment.completed_at is not None
    assert {
        "assessment.awaiting_consent",
        "assessment.consent_given",
        "assessment.in_progress",
        "assessment.shared_with_family",
        "assessment.completed",
    } <= set(codes(assessment.case))


def test_a_completed_assessment_is_read_only(
    assessment: Assessment, lead: User, parent: FamilyMember
) -> None:
    complete(assessment, lead, parent)
    with pytest.raises(AssessmentError, match="can no longer be changed"):
        save_section(assessment, "story", values={"narrative": "Changed"}, bases=FRESH, by=lead)


def complete(assessment: Assessment, lead: User, parent: FamilyMember) -> None:
    consent(assessment, "start", lead, parent)
    begin_assessment(assessment, by=lead)
    share_with_family(assessment, by=lead)
    fill_for_completion(assessment, lead, parent)
    complete_assessment(assessment, by=lead)
    assessment.refresh_from_db()


def test_a_revision_copies_content_and_supersedes_the_old_one_when_completed(
    assessment: Assessment, lead: User, parent: FamilyMember
) -> None:
    complete(assessment, lead, parent)
    revision = revise_assessment(assessment, by=lead)
    assert revision.previous_version == assessment
    assert revision.template == assessment.template
    assert revision.sections.get(key="story").data["narrative"] == "Mum says mornings are hard."
    assert not revision.views.exists()  # views are asked for again
    assessment.refresh_from_db()
    assert assessment.status == S.COMPLETED  # kept until the revision completes
    complete(revision, lead, parent)
    assessment.refresh_from_db()
    assert assessment.status == S.SUPERSEDED
    assert "assessment.superseded" in codes(assessment.case)


def test_escalation_is_never_blocked(
    assessment: Assessment, lead: User, member: User, parent: FamilyMember
) -> None:
    escalate_safeguarding(assessment, note="Called the front door", by=member)
    assessment.refresh_from_db()
    assert assessment.status == S.SAFEGUARDING_ESCALATED
    assert assessment.status_before_escalation == S.DRAFT
    resume_after_escalation(assessment, by=lead)
    assessment.refresh_from_db()
    assert assessment.status == S.IN_PROGRESS
    # Even on a completed assessment the concern is recorded, and the record stays complete.
    share_with_family(assessment, by=lead)
    consent(assessment, "start", lead, parent)
    fill_for_completion(assessment, lead, parent)
    complete_assessment(assessment, by=lead)
    escalate_safeguarding(assessment, note="", by=member)
    assessment.refresh_from_db()
    assert assessment.status == S.COMPLETED
    assert codes(assessment.case).count("assessment.safeguarding_escalated") == 2


def test_abandoning_needs_a_reason(assessment: Assessment, lead: User) -> None:
    with pytest.raises(AssessmentError):
        abandon_assessment(assessment, reason="  ", by=lead)
    abandon_assessment(assessment, reason="Family declined", by=lead)
    assessment.refresh_from_db()
    assert assessment.status == S.ABANDONED
    assert assessment.abandoned_reason == "Family declined"


def test_only_the_assessor_and_the_lead_may_edit(
    case: Case, assessment: Assessment, lead: User, member: User, manager: User
) -> None:
    assert can_edit(lead, assessment)
    assert not can_edit(member, assessment)
    assert not can_edit(manager, assessment)
    with pytest.raises(PermissionDenied):
        save_section(assessment, "story", values={"narrative": "x"}, bases=FRESH, by=member)
    # A member who starts their own assessment is its assessor and may edit it.
    from cases.models import Child

    sibling = Child.objects.create(
        family=case.family,
        given_names="Robin",
        family_name="Fairweather",
        date_of_birth="2018-01-02",
    )
    case.subjects.create(child=sibling)
    own = start_assessment(case, child=sibling, by=member)
    assert can_edit(member, own)
    assert can_edit(lead, own)  # the lead professional too
