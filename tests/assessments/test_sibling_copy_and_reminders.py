"""A sibling's family sections carry over; reminders follow the assessment's state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from agencies.models import User
from assessments.models import Assessment
from assessments.services.common import AssessmentError
from assessments.services.content import save_element, save_section
from assessments.services.lifecycle import begin_assessment, complete_assessment, share_with_family
from assessments.services.starting import start_assessment
from cases.models import Case, Child, FamilyMember
from cases.services.teams import assign_lead_professional
from meetings.models import Meeting
from notifications.models import SUBJECT_ASSESSMENT_DRAFT, SUBJECT_FIRST_TAC, Reminder
from notifications.services import subject_kind
from tests.assessments.conftest import FRESH, consent, fill_for_completion


@pytest.fixture
def sibling(case: Case) -> Child:
    child = Child.objects.create(
        family=case.family,
        given_names="Robin",
        family_name="Fairweather",
        date_of_birth=dt.date(2019, 4, 1),
    )
    case.subjects.create(child=child)
    return child


def test_it_copies_parents_and_family_sections_from_a_sibling(
    assessment: Assessment, lead: User, sibling: Child
) -> None:
    save_section(
        assessment, "parents_carers", values={"parents_carers": "Pat, mum"}, bases=FRESH, by=lead
    )
    save_section(assessment, "story", values={"narrative": "About Jamie"}, bases=FRESH, by=lead)
    save_element(
        assessment, "wider_family", values={"strengths": "Gran nearby"}, bases=FRESH, by=lead
    )
    save_element(assessment, "learning", values={"needs": "Reading"}, bases=FRESH, by=lead)

    second = start_assessment(assessment.case, child=sibling, by=lead, copy_from=assessment)

    assert second.sections.get(key="parents_carers").data == {"parents_carers": "Pat, mum"}
    assert not second.sections.filter(key="story").exists()  # the child's own story is not copied
    assert second.elements.get(element_code="wider_family").strengths == "Gran nearby"
    assert not second.elements.filter(element_code="learning").exists()
    # Copied fields start at version 1 of their own, independent of the sibling's.
    assert second.sections.get(key="parents_carers").versions["parents_carers"]["v"] == 1


def test_it_refuses_to_copy_from_the_same_child_or_another_case(
    assessment: Assessment,
    lead: User,
    make_case,
    sibling: Child,  # type: ignore[no-untyped-def]
) -> None:
    other = make_case()
    with pytest.raises(AssessmentError, match="brother's or sister's"):
        start_assessment(other, child=other.children.get(), by=lead, copy_from=assessment)


def reminders(subject_type: str, subject_id: int) -> list[Reminder]:
    return list(Reminder.objects.filter(subject_type=subject_type, subject_id=subject_id))


def test_starting_schedules_the_draft_reminder_and_leaving_draft_cancels_it(
    reminder_rules: None, assessment: Assessment, lead: User, parent: FamilyMember
) -> None:
    (reminder,) = reminders(SUBJECT_ASSESSMENT_DRAFT, assessment.pk)
    assert reminder.recipient == lead
    assert reminder.due_on == timezone.localdate(assessment.started_at)
    assert reminder.status == Reminder.Status.PENDING
    assert subject_kind(SUBJECT_ASSESSMENT_DRAFT).still_due(reminder)
    consent(assessment, "start", lead, parent)
    begin_assessment(assessment, by=lead)
    assert reminders(SUBJECT_ASSESSMENT_DRAFT, assessment.pk)[0].status == Reminder.Status.PENDING
    share_with_family(assessment, by=lead)
    (reminder,) = reminders(SUBJECT_ASSESSMENT_DRAFT, assessment.pk)
    assert reminder.status == Reminder.Status.CANCELLED
    assert not subject_kind(SUBJECT_ASSESSMENT_DRAFT).still_due(reminder)


def test_completing_schedules_the_first_tac_reminder_for_the_lead(
    reminder_rules: None, assessment: Assessment, lead: User, parent: FamilyMember
) -> None:
    consent(assessment, "start", lead, parent)
    begin_assessment(assessment, by=lead)
    share_with_family(assessment, by=lead)
    fill_for_completion(assessment, lead, parent)
    complete_assessment(assessment, by=lead)
    (reminder,) = reminders(SUBJECT_FIRST_TAC, assessment.case_id)
    assert reminder.recipient == lead
    assert reminder.due_on == timezone.localdate()
    kind = subject_kind(SUBJECT_FIRST_TAC)
    assert kind.still_due(reminder)
    assert kind.link(reminder) == f"/cases/{assessment.case_id}/"
    Meeting.objects.create(
        case=assessment.case,
        kind=Meeting.Kind.INITIAL,
        status=Meeting.Status.HELD,
        starts_at=timezone.now(),
        held_at=timezone.now(),
        created_by=lead,
    )
    assert not kind.still_due(reminder)


def test_a_new_lead_gets_the_first_tac_reminder_still_waiting(
    reminder_rules: None,
    assessment: Assessment,
    lead: User,
    member: User,
    manager: User,
    parent: FamilyMember,
) -> None:
    consent(assessment, "start", lead, parent)
    begin_assessment(assessment, by=lead)
    share_with_family(assessment, by=lead)
    fill_for_completion(assessment, lead, parent)
    complete_assessment(assessment, by=lead)
    case = assessment.case
    assign_lead_professional(
        case,
        professional=member,
        by=manager,
        basis="MANAGER_ALLOCATED",
        change_reason="MANAGING_CASELOADS",
    )

    pending = Reminder.objects.pending().filter(subject_type=SUBJECT_FIRST_TAC, subject_id=case.pk)
    assert {r.recipient for r in pending} == {member}
    assert {r.due_on for r in pending} == {timezone.localdate()}
