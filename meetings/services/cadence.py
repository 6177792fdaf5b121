"""When reviews fall due: the first review, the interval, the ceiling (DOMAIN §3.6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from cases.models import Case
from cases.services.reviews import set_next_review_due
from meetings.models import (
    Meeting,
    Review,
)
from notifications.models import local_zone

if TYPE_CHECKING:
    from agencies.models import User


def first_review_weeks() -> int:
    return settings.TAC_FIRST_REVIEW_WEEKS


def review_interval_weeks() -> int:
    return settings.TAC_REVIEW_INTERVAL_WEEKS


def max_review_interval_days() -> int:
    return settings.TAC_MAX_REVIEW_INTERVAL_DAYS


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, local_zone()).date()


@dataclass(frozen=True)
class Cadence:
    """Where a case stands in its review cycle."""

    anchor: dt.date | None  # the plan start or the last review
    due: dt.date | None  # when the next review is due


def review_cadence(case: Case) -> Cadence:
    """The next review date the cadence gives, from the case's meetings and reviews.

    1. The events are the reviews (at a meeting or without one) and the held
       meetings that are not reviews (the first TAC). The anchor is the latest.
    2. From the anchor: the date agreed then, else the first-review interval
       (when the anchor is the first TAC, where the plan starts) or the review
       interval; never later than the maximum interval after the anchor, unless
       a later date was agreed (with a reason: timescales prompt, never block).
    3. A meeting scheduled on or after the anchor brings the date to that
       meeting, still within the maximum interval.
    Before any event the date is the first scheduled meeting, or none.
    """
    # (when, source, id, agreed date): a review wins a tie with a meeting, then the newer row.
    events: list[tuple[dt.datetime, int, int, dt.date | None]] = [
        (held_at, 0, pk, agreed)
        for pk, held_at, agreed in Meeting.objects.filter(
            case=case, status=Meeting.Status.HELD, held_at__isnull=False, review__isnull=True
        ).values_list("pk", "held_at", "next_review_on")
        if held_at is not None
    ]
    events += [
        (reviewed_at, 1, pk, agreed)
        for pk, reviewed_at, agreed in Review.objects.filter(case=case).values_list(
            "pk", "reviewed_at", "next_review_on"
        )
    ]
    scheduled = [
        local_date(starts_at)
        for starts_at in Meeting.objects.filter(case=case, status=Meeting.Status.SCHEDULED)
        .order_by("starts_at", "id")
        .values_list("starts_at", flat=True)
    ]
    if not events:
        return Cadence(anchor=None, due=scheduled[0] if scheduled else None)
    moment, source, _, agreed = max(events)
    anchor = local_date(moment)
    # A held meeting that is not a review is the first TAC: the plan starts there.
    weeks = first_review_weeks() if source == 0 else review_interval_weeks()
    ceiling = anchor + dt.timedelta(days=max_review_interval_days())
    if agreed is not None:
        # A date agreed beyond the guideline was agreed with a reason: it stands.
        ceiling = max(ceiling, agreed)
        due = agreed
    else:
        due = min(anchor + dt.timedelta(weeks=weeks), ceiling)
    next_meeting = next((day for day in scheduled if day >= anchor), None)
    if next_meeting is not None:
        due = min(next_meeting, ceiling)
    return Cadence(anchor=anchor, due=due)


def refresh_next_review_due(case: Case, *, by: User) -> Case:
    """Make ``case.next_review_due`` match its meetings, reviews and cadence."""
    if not case.is_open:
        return case
    return set_next_review_due(case, due=review_cadence(case).due, by=by)
