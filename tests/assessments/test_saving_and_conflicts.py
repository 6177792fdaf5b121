"""Saving field by field: a save based on an old version never overwrites silently."""

from __future__ import annotations

import pytest

from agencies.models import User
from assessments.models import Assessment, AssessmentSection
from assessments.services.common import AssessmentError
from assessments.services.content import Base, fingerprint, save_element, save_section, save_view
from cases.models import FamilyMember
from tests.assessments.conftest import FRESH


def story(assessment: Assessment) -> AssessmentSection:
    return AssessmentSection.objects.get(assessment=assessment, key="story")


def test_it_saves_a_field_and_bumps_its_version(assessment: Assessment, lead: User) -> None:
    result = save_section(
        assessment, "story", values={"narrative": "First words"}, bases=FRESH, by=lead
    )
    assert result.ok
    assert result.saved == {"narrative": 1}
    assert story(assessment).data == {"narrative": "First words"}
    assert story(assessment).versions["narrative"]["by"] == "Lena Lead"
    before = assessment.lock_version
    assessment.refresh_from_db()
    assert assessment.lock_version == before + 1


def test_a_save_based_on_an_old_version_is_a_conflict_and_writes_nothing(
    assessment: Assessment, lead: User
) -> None:
    save_section(assessment, "story", values={"narrative": "Theirs"}, bases=FRESH, by=lead)
    # Someone who opened the page before that save (version 0) now saves their text.
    result = save_section(
        assessment,
        "story",
        values={"narrative": "Mine"},
        bases={"narrative": Base(version=0, fingerprint=fingerprint(""))},
        by=lead,
    )
    assert not result.ok
    (conflict,) = result.conflicts
    assert (conflict.theirs, conflict.yours) == ("Theirs", "Mine")
    assert conflict.changed_by == "Lena Lead"
    assert story(assessment).data["narrative"] == "Theirs"
    assert story(assessment).versions["narrative"]["v"] == 1


def test_choosing_to_keep_mine_after_seeing_the_conflict_saves_it(
    assessment: Assessment, lead: User
) -> None:
    save_section(assessment, "story", values={"narrative": "Theirs"}, bases=FRESH, by=lead)
    result = save_section(
        assessment,
        "story",
        values={"narrative": "Merged: theirs and mine"},
        bases={"narrative": Base(version=0)},
        overwrite={"narrative": 1},
        by=lead,
    )
    assert result.ok
    assert story(assessment).data["narrative"] == "Merged: theirs and mine"
    # An overwrite naming a version that has moved on again is still a conflict.
    result = save_section(
        assessment,
        "story",
        values={"narrative": "Late"},
        bases={"narrative": Base(version=0)},
        overwrite={"narrative": 1},
        by=lead,
    )
    assert not result.ok


def test_a_field_the_person_did_not_touch_keeps_the_other_persons_text(
    assessment: Assessment, lead: User
) -> None:
    save_section(
        assessment,
        "conclusions",
        values={"analysis": "A", "unknowns": "U"},
        bases=FRESH,
        by=lead,
    )
    # Someone else changes the analysis.
    save_section(
        assessment, "conclusions", values={"analysis": "B"}, bases={"analysis": Base(1)}, by=lead
    )
    # A plain form posted by someone who saw version 1 of both and changed only "unknowns".
    result = save_section(
        assessment,
        "conclusions",
        values={"analysis": "A", "unknowns": "U2"},
        bases={"analysis": Base(1, fingerprint("A")), "unknowns": Base(1, fingerprint("U"))},
        by=lead,
    )
    assert result.ok
    data = AssessmentSection.objects.get(assessment=assessment, key="conclusions").data
    assert data == {"analysis": "B", "unknowns": "U2"}


def test_different_fields_never_conflict(assessment: Assessment, lead: User) -> None:
    save_section(assessment, "conclusions", values={"analysis": "A"}, bases=FRESH, by=lead)
    result = save_section(assessment, "conclusions", values={"unknowns": "U"}, bases=FRESH, by=lead)
    assert result.ok


def test_it_refuses_bad_values_with_a_message(assessment: Assessment, lead: User) -> None:
    with pytest.raises(AssessmentError, match="choose yes or no"):
        save_section(
            assessment,
            "assessment_information",
            values={"existing_assessment_checked": "maybe"},
            bases=FRESH,
            by=lead,
        )
    with pytest.raises(AssessmentError, match="Unknown fields"):
        save_section(assessment, "story", values={"score": "3"}, bases=FRESH, by=lead)
    with pytest.raises(AssessmentError, match="characters or fewer"):
        save_section(assessment, "story", values={"narrative": "x" * 20_001}, bases=FRESH, by=lead)


def test_element_entries_record_strengths_needs_and_sources(
    assessment: Assessment, lead: User
) -> None:
    save_element(
        assessment,
        "learning",
        values={
            "strengths": "Loves reading",
            "needs": "Misses mornings",
            "sources": "parent_carer,child",
        },
        bases=FRESH,
        by=lead,
    )
    entry = assessment.elements.get(element_code="learning")
    assert entry.sources == ["child", "parent_carer"]
    with pytest.raises(AssessmentError, match="no such element"):
        save_element(assessment, "score", values={}, bases=FRESH, by=lead)
    save_element(
        assessment,
        "wider_family",
        values={"not_discussed": "yes", "not_discussed_reason": "Not raised today"},
        bases=FRESH,
        by=lead,
    )
    assert assessment.elements.get(element_code="wider_family").not_discussed


def test_views_are_attributed_and_kept_per_person(
    assessment: Assessment, lead: User, parent: FamilyMember
) -> None:
    save_view(
        assessment,
        family_member=parent,
        values={
            "own_words": "Mornings are hard",
            "scribed_by": "Lena Lead",
            "communication_method": "spoken",
        },
        bases=FRESH,
        by=lead,
    )
    view = assessment.views.get(family_member=parent)
    assert view.speaker == "parent_carer"
    assert view.scribed_by == "Lena Lead"
    assert view.updated_by == lead
