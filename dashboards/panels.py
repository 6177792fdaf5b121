"""The caseload summary on "My work": the signed-in professional's own caseload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone

from agencies.models import Team, User
from cases.models import Case
from cases.panels import MyWorkPanel
from dashboards.services import EPISODE_STATUSES, OPEN_ACTION_STATUSES, OPEN_STATUSES
from meetings.models import Action, Review

if TYPE_CHECKING:
    from django.db.models import Model

OVERDUE_LISTED = 10


def _count(queryset: QuerySet[Any]) -> Coalesce:
    grouped = queryset.order_by().annotate(one=Value(1)).values("one")
    return Coalesce(Subquery(grouped.annotate(n=Count("pk")).values("n")[:1]), 0)


def caseload_summary(user: User) -> Mapping[str, Any]:
    """Counts for the cases ``user`` leads, and their overdue reviews: one query."""
    today = timezone.localdate()
    led = Case.objects.filter(
        lead_assignments__professional=user.pk,
        lead_assignments__ended_at__isnull=True,
        status__in=OPEN_STATUSES,
    )
    reviewed_since = Review.objects.filter(
        case=OuterRef("pk"), reviewed_at__date__gte=OuterRef("next_review_due")
    )
    overdue = led.filter(next_review_due__lt=today).exclude(Exists(reviewed_since))
    overdue_actions = Action.objects.filter(
        owner_professional=user.pk,
        status__in=OPEN_ACTION_STATUSES,
        due_on__lt=today,
        case__status__in=OPEN_STATUSES,
    )
    manages: Model = Team.managers.through  # type: ignore[assignment]
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            open_cases=_count(led),
            episodes=_count(led.filter(status__in=EPISODE_STATUSES)),
            overdue_review_count=_count(overdue),
            overdue_actions=_count(overdue_actions),
            manages_a_team=Exists(manages._default_manager.filter(user_id=user.pk)),  # type: ignore[attr-defined]
            overdue_reviews=ArraySubquery(
                overdue.order_by("next_review_due", "reference").values(
                    json=JSONObject(
                        pk="pk",
                        reference="reference",
                        due="next_review_due",
                        reason="review_late_reason",
                    )
                )[:OVERDUE_LISTED]
            ),
        )
        .values(
            "open_cases",
            "episodes",
            "overdue_review_count",
            "overdue_actions",
            "manages_a_team",
            "overdue_reviews",
        )
        .get()
    )
    return {
        "open_cases": row["open_cases"],
        "episodes": row["episodes"],
        "overdue_review_count": row["overdue_review_count"],
        "overdue_reviews": [
            SimpleNamespace(
                pk=item["pk"],
                reference=item["reference"],
                next_review_due=dt.date.fromisoformat(item["due"]),
                review_late_reason=item["reason"],
            )
            for item in row["overdue_reviews"]
        ],
        "overdue_actions": row["overdue_actions"],
        "today": today,
        "has_dashboard": user.is_coordinator or row["manages_a_team"],
    }


CASELOAD = MyWorkPanel(
    key="caseload", template="dashboards/panels/caseload.html", context=caseload_summary
)
