"""Drill-down lists behind the dashboard figures: the cases and actions themselves.

These are live queries, always through ``Case.objects.visible_to``: a row the
viewer may not see is never listed. They run a fixed number of queries and
stop at ``DRILLDOWN_LIMIT`` rows (ordered most overdue first).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q

from cases.models import Case, CaseQuerySet, CaseSubject, LeadProfessionalAssignment, Restriction
from dashboards.metrics import Filters, Scope
from dashboards.services import OPEN_ACTION_STATUSES, OPEN_STATUSES
from meetings.models import Action, FamilyFeedback, Review

if TYPE_CHECKING:
    from agencies.models import User

#: The most overdue rows a list shows: 150 keeps the authority's list, at a million
#: children, under 150 kB of HTML (200 rows were 157 kB); the filters narrow it.
DRILLDOWN_LIMIT = 150
#: How many of the family's own words the dashboard shows beside the closure figures.
FEEDBACK_SAMPLE = 3


def scoped_cases(user: User, scope: Scope, filters: Filters) -> CaseQuerySet:
    """The viewer's visible cases, narrowed to their scope and the dashboard filters."""
    cases = Case.objects.listed_for(user)
    leads = LeadProfessionalAssignment.objects.active().filter(case=OuterRef("pk"))
    if scope.team_ids is not None:
        cases = cases.filter(Exists(leads.filter(professional__team__in=scope.team_ids)))
    if filters.team_id is not None:
        cases = cases.filter(Exists(leads.filter(professional__team=filters.team_id)))
    if filters.agency_id is not None:
        cases = cases.filter(
            Exists(
                leads.filter(
                    Q(agency=filters.agency_id)
                    | Q(agency__isnull=True, professional__agency=filters.agency_id)
                )
            )
        )
    if filters.locality:
        cases = cases.filter(
            Exists(
                leads.filter(
                    Q(professional__team__locality=filters.locality)
                    | (
                        (Q(professional__team__isnull=True) | Q(professional__team__locality=""))
                        & Q(agency__locality=filters.locality)
                    )
                )
            )
        )
    if filters.level_id is not None:
        cases = cases.filter(current_level=filters.level_id)
    return cases


@dataclass
class ReviewRow:
    case: Case
    days_overdue: int


@dataclass
class ActionRow:
    action: Action
    subjects: list[CaseSubject]
    days_overdue: int


def overdue_reviews(
    user: User, scope: Scope, filters: Filters, *, today: dt.date, limit: int = DRILLDOWN_LIMIT
) -> tuple[list[ReviewRow], bool]:
    """Open cases whose review date has passed with no review held since (M5)."""
    reviewed_since = Review.objects.filter(
        case=OuterRef("pk"), reviewed_at__date__gte=OuterRef("next_review_due")
    )
    cases = (
        scoped_cases(user, scope, filters)
        .filter(closed_at__isnull=True, status__in=OPEN_STATUSES, next_review_due__lt=today)
        .exclude(Exists(reviewed_since))
        .with_list_details()
        .order_by("next_review_due", "reference")
    )
    page = list(cases[: limit + 1])
    rows = [
        ReviewRow(case, (today - case.next_review_due).days)
        for case in page[:limit]
        if case.next_review_due is not None
    ]
    return rows, len(page) > limit


def overdue_actions(
    user: User, scope: Scope, filters: Filters, *, today: dt.date, limit: int = DRILLDOWN_LIMIT
) -> tuple[list[ActionRow], bool]:
    """Open actions past their due date on open, visible cases (M6)."""
    visible = scoped_cases(user, scope, filters).filter(status__in=OPEN_STATUSES)
    overdue = Action.objects.filter(status__in=OPEN_ACTION_STATUSES, due_on__lt=today)
    if user.is_coordinator:
        shown: Any = overdue.filter(case__in=visible.values("pk")).order_by("due_on", "pk")
    else:
        # A caseload, not the authority: its case ids first (a few thousand at most), then
        # its overdue actions' ids and dates read case by case (the open actions' index by
        # case and due date), the most overdue chosen here, and only those loaded. As one
        # statement with the order and limit, PostgreSQL walked every overdue action in
        # the authority by due date and kept the caseload's (48,000 read for 158 at 1M).
        cases = list(visible.values_list("pk", flat=True))
        dated = sorted(overdue.filter(case__in=cases).order_by().values_list("due_on", "pk"))
        shown = Action.objects.filter(pk__in=[pk for _, pk in dated[: limit + 1]]).order_by(
            "due_on", "pk"
        )
    actions = list(
        shown.select_related("case", "owner_agency", "owner_professional", "owner_family_member")[
            : limit + 1
        ]
    )
    subjects: dict[int, list[CaseSubject]] = {}
    for subject in (
        CaseSubject.objects.filter(case__in={a.case_id for a in actions[:limit]})
        .select_related("child")
        .order_by("child_id")
    ):
        subjects.setdefault(subject.case_id, []).append(subject)
    rows = [
        ActionRow(
            action,
            subjects.get(action.case_id, []),
            (today - action.due_on).days,
        )
        for action in actions[:limit]
    ]
    return rows, len(actions) > limit


def shown_in_reviews(rows: list[ReviewRow]) -> list[tuple[int, int | None]]:
    """(child, case) pairs for the record-access log."""
    return [(s.child_id, r.case.pk) for r in rows for s in r.case.subjects.all()]


def shown_in_actions(rows: list[ActionRow]) -> list[tuple[int, int | None]]:
    return [(s.child_id, s.case_id) for r in rows for s in r.subjects]


def recent_family_feedback(
    user: User,
    scope: Scope,
    filters: Filters,
    *,
    since: dt.date | None = None,
    limit: int = FEEDBACK_SAMPLE,
) -> list[FamilyFeedback]:
    """The newest words families agreed may be quoted, from cases in the viewer's view,
    given at reviews in the dashboard's period (from ``since``).

    Shown without names or case references, so no record is opened and none is
    logged; a case under a restriction in force is left out altogether. One query.
    """
    restricted = Restriction.objects.in_force().filter(case=OuterRef("review__case"))
    feedback = FamilyFeedback.objects.filter(
        may_quote=True, review__case__in=scoped_cases(user, scope, filters).values("pk")
    )
    if since is not None:
        feedback = feedback.filter(review__reviewed_at__date__gte=since)
    return list(
        feedback.exclude(in_their_words="")
        .exclude(Exists(restricted))
        .order_by("-recorded_at", "-id")[:limit]
    )
