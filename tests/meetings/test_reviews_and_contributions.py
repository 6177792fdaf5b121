from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from agencies.models import User
from cases.models import Case, CaseEvent
from meetings.models import FamilyFeedback, Review
from meetings.services.common import MeetingError
from meetings.services.contributions import add_contribution, record_case_discussion
from meetings.services.meeting_mode import finish_meeting, publish_minutes
from meetings.services.plan import add_outcome, review_outcome
from meetings.services.reviews import record_family_feedback, record_review_without_meeting
from meetings.services.scheduling import schedule_meeting

pytestmark = pytest.mark.django_db


def test_a_review_without_a_meeting_needs_both_views(case: Case, lead: User) -> None:
    with pytest.raises(MeetingError) as error:
        record_review_without_meeting(case, by=lead, child_views=" ", parent_views="")
    assert set(error.value.message_dict) == {"child_views", "parent_views"}
    assert not Review.objects.exists()


def test_a_review_without_a_meeting_moves_the_next_review_date(case: Case, lead: User) -> None:
    review = record_review_without_meeting(
        case, by=lead, child_views="I like school now", parent_views="Mornings are easier"
    )
    case.refresh_from_db()
    assert review.meeting is None
    assert case.next_review_due == timezone.localdate() + dt.timedelta(weeks=8)
    assert CaseEvent.objects.filter(case=case, code="review.recorded").exists()


def test_a_review_can_agree_an_earlier_date_or_a_later_one_with_a_reason(
    case: Case, lead: User
) -> None:
    soon = timezone.localdate() + dt.timedelta(days=20)
    record_review_without_meeting(
        case, by=lead, child_views="ok", parent_views="ok", next_review_on=soon
    )
    case.refresh_from_db()
    assert case.next_review_due == soon
    later = timezone.localdate() + dt.timedelta(days=120)
    # Beyond three months: a prompt for the reason, never a refusal of the date.
    with pytest.raises(MeetingError) as error:
        record_review_without_meeting(
            case, by=lead, child_views="ok", parent_views="ok", next_review_on=later
        )
    assert set(error.value.message_dict) == {"beyond_guideline_reason"}
    record_review_without_meeting(
        case,
        by=lead,
        child_views="ok",
        parent_views="ok",
        next_review_on=later,
        beyond_guideline_reason="The family is away for the summer",
    )
    case.refresh_from_db()
    assert case.next_review_due == later
    assert case.review_late_reason == "The family is away for the summer"


def test_only_the_lead_or_a_manager_records_a_review(case: Case, member: User) -> None:
    with pytest.raises(PermissionDenied):
        record_review_without_meeting(case, by=member, child_views="a", parent_views="b")


def _review(case: Case, lead: User) -> Review:
    return record_review_without_meeting(
        case, by=lead, child_views="I like school now", parent_views="Mornings are easier"
    )


def test_family_feedback_is_recorded_against_the_review(case: Case, lead: User) -> None:
    review = _review(case, lead)

    feedback = record_family_feedback(
        review,
        by=lead,
        given_by="parent",
        answer="partly",
        in_their_words="  Better since the school got involved.  ",
        may_quote=True,
    )

    assert feedback.review == review
    assert feedback.in_their_words == "Better since the school got involved."
    event = CaseEvent.objects.get(case=case, code="review.feedback")
    # The chronology says that feedback was given, never what it said.
    assert "school" not in event.summary
    assert event.data == {"review": review.pk, "feedback": feedback.pk}


def test_bad_family_feedback_names_every_field_and_writes_nothing(case: Case, lead: User) -> None:
    review = _review(case, lead)
    with pytest.raises(MeetingError) as error:
        record_family_feedback(
            review, by=lead, given_by="neighbour", answer="maybe", may_quote=True
        )
    assert set(error.value.message_dict) == {"given_by", "answer", "may_quote"}
    with pytest.raises(MeetingError) as error:
        record_family_feedback(
            review, by=lead, given_by="child", answer="working", in_their_words="x" * 2001
        )
    assert "2,000 characters" in error.value.message_dict["in_their_words"][0]
    assert not FamilyFeedback.objects.exists()
    assert not CaseEvent.objects.filter(code="review.feedback").exists()


def test_only_the_lead_or_a_manager_records_family_feedback(
    case: Case, lead: User, member: User
) -> None:
    review = _review(case, lead)
    with pytest.raises(PermissionDenied):
        record_family_feedback(review, by=member, given_by="child", answer="working")
    assert not FamilyFeedback.objects.exists()


def test_contributions_are_attributed_by_role_and_agency(case: Case, member: User) -> None:
    contribution = add_contribution(case, by=member, body="Attendance is up to 92%")
    assert contribution.author_role == "Designated safeguarding lead"
    assert contribution.author_agency == "Riverside Primary School"


def test_only_active_members_contribute(case: Case, manager: User, outsider: User) -> None:
    for someone in (manager, outsider):
        with pytest.raises(PermissionDenied):
            add_contribution(case, by=someone, body="Hello")
    with pytest.raises(MeetingError):
        add_contribution(case, by=case.lead_assignment.professional, body="  ")  # type: ignore[union-attr]


def test_a_discussion_includes_its_recorder_and_refuses_outsiders(
    case: Case, lead: User, member: User, outsider: User
) -> None:
    discussion = record_case_discussion(
        case,
        by=lead,
        held_on=timezone.localdate(),
        question="Why do mornings go wrong?",
        participants=[member],
    )
    assert set(discussion.participants.all()) == {lead, member}
    assert not CaseEvent.objects.filter(case=case, code__startswith="discussion").exists()
    with pytest.raises(MeetingError):
        record_case_discussion(
            case,
            by=lead,
            held_on=timezone.localdate(),
            question="?",
            participants=[outsider],
        )


def test_no_written_update_reaches_published_minutes(case: Case, lead: User, member: User) -> None:
    from meetings.models import Meeting

    meeting = schedule_meeting(case, by=lead, kind=Meeting.Kind.INITIAL, starts_at=timezone.now())
    add_contribution(case, by=member, body="Before", meeting=meeting)
    finish_meeting(meeting, by=lead)
    publish_minutes(meeting, by=lead)
    with pytest.raises(MeetingError):
        add_contribution(case, by=member, body="After", meeting=meeting)


def test_reviewing_an_outcome_records_status_scale_and_the_change(case: Case, lead: User) -> None:
    outcome = add_outcome(
        case, by=lead, statement="Mornings are calm", baseline_scale=2, target_scale=8
    )

    review_outcome(
        outcome, by=lead, status="partly_achieved", current_scale=6, note="Most days now"
    )

    outcome.refresh_from_db()
    assert (outcome.status, outcome.current_scale) == ("partly_achieved", 6)
    assert (outcome.review_note, outcome.version) == ("Most days now", 2)
    assert outcome.reviewed_at is not None
    event = CaseEvent.objects.get(case=case, code="plan.outcome_reviewed")
    assert event.data["from"] == {"status": "open", "scale": None}
    assert event.data["to"] == {"status": "partly_achieved", "scale": 6}


def test_a_bad_outcome_review_changes_nothing(case: Case, lead: User, member: User) -> None:
    outcome = add_outcome(case, by=lead, statement="Mornings are calm")
    with pytest.raises(MeetingError) as error:
        review_outcome(outcome, by=lead, status="sort_of", current_scale=11)
    assert set(error.value.message_dict) == {"status", "current_scale"}
    with pytest.raises(PermissionDenied):
        review_outcome(outcome, by=member, status="achieved")
    outcome.refresh_from_db()
    assert (outcome.status, outcome.current_scale) == ("open", None)
    assert not CaseEvent.objects.filter(code="plan.outcome_reviewed").exists()
