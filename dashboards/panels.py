"""The caseload summary on "My work": the signed-in professional's own caseload."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from cases.models import Case
from dashboards.services import EPISODE_STATUSES, OPEN_ACTION_STATUSES, OPEN_STATUSES
from meetings.models import Action, Review

if TYPE_CHECKING:
    from agencies.models import User

OVERDUE_LISTED = 10


def caseload_summary(user: User) -> Mapping[str, Any]:
    """Counts for the cases ``user`` leads, and their overdue reviews: four queries."""
    today = timezone.localdate()
    led = Case.objects.filter(
        lead_assignments__professional=user,
        lead_assignments__ended_at__isnull=True,
        status__in=OPEN_STATUSES,
    )
    reviewed_since = Review.objects.filter(
        case=OuterRef("pk"), reviewed_at__date__gte=OuterRef("next_review_due")
    )
    overdue_q = Q(next_review_due__lt=today) & ~Q(Exists(reviewed_since))
    counts = led.aggregate(
        open_cases=Count("pk"),
        episodes=Count("pk", filter=Q(status__in=EPISODE_STATUSES)),
        overdue_reviews=Count("pk", filter=overdue_q),
    )
    overdue = list(
        led.filter(overdue_q)
        .only("pk", "reference", "next_review_due", "review_late_reason")
        .order_by("next_review_due", "reference")[:OVERDUE_LISTED]
    )
    overdue_actions = Action.objects.filter(
        owner_professional=user,
        status__in=OPEN_ACTION_STATUSES,
        due_on__lt=today,
        case__status__in=OPEN_STATUSES,
    ).count()
    return {
        "open_cases": counts["open_cases"],
        "episodes": counts["episodes"],
        "overdue_review_count": counts["overdue_reviews"],
        "overdue_reviews": overdue,
        "overdue_actions": overdue_actions,
        "today": today,
        "has_dashboard": user.is_coordinator or user.managed_teams.exists(),
    }
