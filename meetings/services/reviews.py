"""Reviews without a meeting, and the family's feedback at a review (DOMAIN §3.6, §9.2)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from cases.access import ensure_can_run_case
from cases.models import Case
from cases.services.common import record_event
from cases.services.reviews import explain_review_beyond_guideline
from meetings.models import (
    FamilyFeedback,
    Review,
)
from meetings.services.cadence import max_review_interval_days, refresh_next_review_due
from meetings.services.common import FEEDBACK_WORDS_MAX, MeetingError

if TYPE_CHECKING:
    from agencies.models import User


@transaction.atomic
def record_review_without_meeting(
    case: Case,
    *,
    by: User,
    child_views: str,
    parent_views: str,
    summary: str = "",
    progress: str = "",
    next_review_on: dt.date | None = None,
    beyond_guideline_reason: str = "",
) -> Review:
    """A review by collecting updates, with the child's and parents' views (both required).

    It moves the next review date just as a review meeting does. A date more than
    three months away is accepted with a reason (the case's "why late").
    """
    ensure_can_run_case(by, case)
    if not case.is_open:
        raise MeetingError("A closed case is not reviewed.", code="case_closed")
    errors: dict[str, str] = {}
    if not child_views.strip():
        errors["child_views"] = (
            "Record the child's views in their own words (or why they could not give them)."
        )
    if not parent_views.strip():
        errors["parent_views"] = "Record the parents' or carers' views in their own words."
    if progress and progress not in Review.Progress.values:
        errors["progress"] = "Choose how things have changed."
    today = timezone.localdate()
    limit = today + dt.timedelta(days=max_review_interval_days())
    if next_review_on is not None and next_review_on <= today:
        errors["next_review_on"] = "Choose a date after today."
    beyond = next_review_on is not None and next_review_on > limit
    if beyond and not beyond_guideline_reason.strip():
        errors["beyond_guideline_reason"] = (
            f"This date is after {limit:%-d %B %Y}, more than 3 months away: say why the "
            "review will be later than the guideline"
        )
    if errors:
        raise MeetingError(errors, code="invalid")
    if beyond and next_review_on is not None:
        explain_review_beyond_guideline(
            case, due=next_review_on, reason=beyond_guideline_reason, by=by
        )
    review = Review.objects.create(
        case=case,
        reviewed_at=timezone.now(),
        child_views=child_views.strip(),
        parent_views=parent_views.strip(),
        summary=summary.strip(),
        progress=progress,
        next_review_on=next_review_on,
        recorded_by=by,
    )
    record_event(
        case,
        "review.recorded",
        by=by,
        summary="Plan reviewed without a meeting",
        data={"review": review.pk},
    )
    refresh_next_review_due(case, by=by)
    return review


@transaction.atomic
def record_family_feedback(
    review: Review,
    *,
    by: User,
    given_by: str,
    answer: str,
    in_their_words: str = "",
    may_quote: bool = False,
) -> FamilyFeedback:
    """The family's answer at a review to "is this working for you?" (DOMAIN §9.2 A4).

    One review may have several answers (the child's and a parent's, say). Words may
    be quoted on the dashboards only when the family agreed and there are words to quote.
    """
    case = Case.objects.select_for_update().get(pk=review.case_id)
    ensure_can_run_case(by, case)
    if not case.is_open:
        raise MeetingError("This case is closed: feedback is no longer recorded.", code="closed")
    words = in_their_words.strip()
    errors: dict[str, str] = {}
    if given_by not in FamilyFeedback.GivenBy.values:
        errors["given_by"] = "Choose who gave the feedback."
    if answer not in FamilyFeedback.Answer.values:
        errors["answer"] = "Choose the family's answer: is this working for them?"
    if len(words) > FEEDBACK_WORDS_MAX:
        errors["in_their_words"] = (
            f"Keep their words to {FEEDBACK_WORDS_MAX:,} characters or fewer "
            f"(this is {len(words):,})."
        )
    if may_quote and not words:
        errors["may_quote"] = "There are no words to quote: write their words or untick this."
    if errors:
        raise MeetingError(errors, code="invalid")
    # The same answer sent twice (a double click, a resent form) is kept once.
    same = FamilyFeedback.objects.filter(
        review=review,
        given_by=given_by,
        answer=answer,
        in_their_words=words,
        recorded_by=by,
        recorded_at__gte=timezone.now() - dt.timedelta(minutes=10),
    ).first()
    if same is not None:
        return same
    feedback = FamilyFeedback.objects.create(
        review=review,
        given_by=given_by,
        answer=answer,
        in_their_words=words,
        may_quote=may_quote,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    record_event(
        case,
        "review.feedback",
        by=by,
        summary="Family feedback recorded at a review",
        data={"review": review.pk, "feedback": feedback.pk},
    )
    return feedback


@transaction.atomic
def stop_quoting_feedback(feedback: FamilyFeedback, *, by: User) -> FamilyFeedback:
    """The family no longer agrees their words are shown: they leave the dashboards at once.

    The feedback itself stays (it still counts as returned).
    """
    locked = (
        FamilyFeedback.objects.select_for_update()
        .select_related("review__case")
        .get(pk=feedback.pk)
    )
    case = locked.review.case
    ensure_can_run_case(by, case)
    if not locked.may_quote:
        return locked
    locked.may_quote = False
    locked.save(update_fields=["may_quote"])
    record_event(
        case,
        "review.feedback_unquoted",
        by=by,
        summary="The family's words are no longer shown on the dashboards",
        data={"feedback": locked.pk},
    )
    return locked
