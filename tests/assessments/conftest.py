"""Assessment fixtures: the default template, a started assessment and the family around it."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from agencies.models import User
from assessments.definition import default_definition
from assessments.models import Assessment, AssessmentTemplate
from assessments.services.consent import record_consent
from assessments.services.content import Base, save_section, save_view
from assessments.services.starting import start_assessment
from cases.models import Case, ConsentRecord, FamilyMember


@pytest.fixture
def caf_template(db: None) -> AssessmentTemplate:
    # Seeded by a data migration, but transactional tests empty every table.
    template, _ = AssessmentTemplate.objects.get_or_create(
        code="caf-2009",
        version=1,
        defaults={
            "name": "Early help assessment",
            "definition": default_definition(),
            "is_default": True,
        },
    )
    return template


@pytest.fixture
def parent(case: Case) -> FamilyMember:
    return FamilyMember.objects.create(
        family=case.family,
        given_names="Pat",
        family_name="Parent",
        relationship=FamilyMember.Relationship.MOTHER,
        parental_responsibility=FamilyMember.ParentalResponsibility.YES,
    )


@pytest.fixture
def assessment(case: Case, lead: User, caf_template: AssessmentTemplate) -> Assessment:
    """A draft assessment of the case's child, started by the lead professional."""
    return start_assessment(case, child=case.children.get(), by=lead)


class _Fresh(dict[str, Base]):
    """Bases for fields nobody has written yet (version 0)."""

    def get(self, key: str, default: Any = None) -> Base:  # type: ignore[override]
        return Base(version=0)


FRESH = _Fresh()


def consent(assessment: Assessment, stage: str, by: User, giver: FamilyMember) -> ConsentRecord:
    return record_consent(
        assessment,
        stage=stage,
        given_by=giver,
        given_by_child=False,
        method=ConsentRecord.Method.WRITTEN,
        capacity_basis=ConsentRecord.CapacityBasis.ADULT,
        given_on=timezone.localdate(),
        information_level="additional",
        by=by,
    )


def fill_for_completion(assessment: Assessment, by: User, parent: FamilyMember) -> None:
    """Everything completion needs: required answers, both views, the sharing consent."""
    base = FRESH
    save_section(
        assessment, "story", values={"narrative": "Mum says mornings are hard."}, bases=base, by=by
    )
    save_section(
        assessment,
        "assessment_information",
        values={"reason_for_assessment": "School attendance", "existing_assessment_checked": "yes"},
        bases=base,
        by=by,
    )
    save_section(
        assessment,
        "conclusions",
        values={"analysis": "Tired and anxious mornings.", "agreed_actions": "Breakfast club."},
        bases=base,
        by=by,
    )
    save_view(
        assessment,
        family_member=None,
        values={"own_words": "I like art.", "communication_method": "spoken"},
        bases=base,
        by=by,
    )
    save_view(
        assessment,
        family_member=parent,
        values={"own_words": "We need help in the mornings.", "communication_method": "spoken"},
        bases=base,
        by=by,
    )
    consent(assessment, "completion", by, parent)
