"""The family's copy of the assessment: checked before printing, with the parts about
someone else left out, the family's disagreement in their words, and how to reach the
lead professional."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import User
from assessments.models import Assessment
from assessments.services.content import Base, save_section, save_view
from assessments.services.family_copy import leave_out_of_family_copy, parts_of
from cases.models import CaseEvent, FamilyMember
from tac_portal.concurrency import StaleEdit
from tests.assessments.conftest import FRESH, fill_for_completion

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(assessment: Assessment, lead: User, parent: FamilyMember) -> Assessment:
    fill_for_completion(assessment, lead, parent)
    FamilyMember.objects.create(
        family=assessment.child.family,
        given_names="Dean",
        family_name="Ford",
        relationship=FamilyMember.Relationship.OTHER_RELATIVE,
        lives_with_children=False,
    )
    save_section(
        assessment,
        "story",
        values={"narrative": "Mum says mornings are hard since Dean Ford moved out."},
        bases=_bases(assessment, "story", "narrative"),
        by=lead,
    )
    save_view(
        assessment,
        family_member=parent,
        values={"disagreement": "I do not agree that the house is chaotic."},
        bases=FRESH,
        by=lead,
    )
    assessment.refresh_from_db()
    return assessment


def _bases(assessment: Assessment, key: str, field: str) -> dict[str, Base]:
    section = assessment.sections.get(key=key)
    return {field: Base(version=int(section.versions.get(field, {}).get("v", 0)))}


def test_a_part_naming_someone_else_is_flagged_and_can_be_left_out(
    filled: Assessment, lead: User, lead_client: Client
) -> None:
    parts = {p.key: p for p in parts_of(filled)}
    story = parts["story.narrative"]
    assert "Dean Ford" in story.mentions
    assert parts["conclusions.agreed_actions"].mentions == []

    url = reverse("assessments:family_copy", args=[filled.pk])
    preview = lead_client.get(url).content.decode()
    assert "May mention someone else" in preview
    assert "Check the family" in preview
    response = lead_client.post(
        url, {"version": str(filled.family_copy_version), "leave_out__story__narrative": "on"}
    )
    assert response.status_code == 302
    filled.refresh_from_db()
    assert filled.family_copy_left_out == ["story.narrative"]
    event = CaseEvent.objects.get(case=filled.case, code="assessment.family_copy_checked")
    assert "Dean" not in event.summary
    assert "Dean" not in str(event.data)

    printed = lead_client.get(reverse("assessments:family_copy_print", args=[filled.pk]))
    body = printed.content.decode()
    assert "Dean Ford" not in body
    assert "Breakfast club." in body
    assert "not included in this copy because it is about someone else" in body


def test_the_family_disagreement_is_printed_in_their_words(
    filled: Assessment, lead_client: Client
) -> None:
    body = lead_client.get(
        reverse("assessments:family_copy_print", args=[filled.pk])
    ).content.decode()
    assert "I do not agree that the house is chaotic." in body
    assert "What you disagree with, in your words" in body


def test_the_copy_names_the_lead_and_how_to_reach_them_and_no_false_given_date(
    filled: Assessment, lead: User, lead_client: Client
) -> None:
    body = lead_client.get(
        reverse("assessments:family_copy_print", args=[filled.pk])
    ).content.decode()
    assert f"Your lead professional is <strong>{lead.full_name}</strong>" in body
    assert lead.email in body
    assert "Given to you on" not in body
    assert "This copy was made on" in body


def test_a_stale_check_is_refused(filled: Assessment, lead: User) -> None:
    seen = filled.family_copy_version
    leave_out_of_family_copy(filled, keys=["story.narrative"], by=lead, expected_version=seen)
    with pytest.raises(StaleEdit):
        leave_out_of_family_copy(filled, keys=[], by=lead, expected_version=seen)


def test_a_member_who_may_not_edit_sees_the_preview_but_cannot_change_it(
    filled: Assessment, member_client: Client
) -> None:
    url = reverse("assessments:family_copy", args=[filled.pk])
    assert member_client.get(url).status_code == 200
    assert member_client.post(url, {"version": "1"}).status_code == 403
