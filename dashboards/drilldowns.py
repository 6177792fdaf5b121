"""Drill-down lists behind the dashboard figures: the cases and actions themselves.

These are live queries, always through ``Case.objects.visible_to``: a row the
viewer may not see is never listed. They list the most overdue first, in pages of
``PAGE_SIZE`` rows, and a page costs a fixed number of queries however deep it is:
each page starts from where the page before it ended (its last row's due date and
id, in the address), not from an offset, so the 400th page is read as the first is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db.models import Exists, OuterRef, Q

from cases.models import Case, CaseQuerySet, CaseSubject, LeadProfessionalAssignment, Restriction
from dashboards.metrics import Filters, Scope
from dashboards.services import OPEN_ACTION_STATUSES, OPEN_STATUSES
from meetings.models import Action, FamilyFeedback, Review
from tac_portal.keyset import rows_from

if TYPE_CHECKING:
    from agencies.models import User

#: Rows a page of a list shows. A page of 50 is about 45 kB of HTML; a manager sees
#: the same amount of work on the page whether their teams have 60 overdue reviews or
#: 6,000, and every row is reachable by "Next".
PAGE_SIZE = 50
#: The most rows a CSV download holds (the filters narrow a longer list).
CSV_LIMIT = 5000
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


@dataclass(frozen=True, order=True)
class Position:
    """Where a row sits in a list: its due date, then its id."""

    due: dt.date
    pk: int

    def as_param(self) -> str:
        return f"{self.due.isoformat()}.{self.pk}"

    @classmethod
    def from_param(cls, raw: str | None) -> Position | None:
        """The position in a "Next" or "Previous" link; None for anything else."""
        due, _, pk = (raw or "").partition(".")
        try:
            position = cls(dt.date.fromisoformat(due), int(pk))
        except ValueError:
            return None
        return position if 0 < position.pk < 2**63 else None


@dataclass(frozen=True)
class PageRequest:
    """The page asked for: the first, the one after ``after``, or the one before ``before``."""

    after: Position | None = None
    before: Position | None = None
    size: int = PAGE_SIZE

    @classmethod
    def from_query(cls, query: Any) -> PageRequest:
        after = Position.from_param(query.get("after"))
        before = None if after else Position.from_param(query.get("before"))
        return cls(after=after, before=before, size=PAGE_SIZE)

    @property
    def is_first(self) -> bool:
        return self.after is None and self.before is None


Row = TypeVar("Row")


@dataclass
class Page(Generic[Row]):
    rows: list[Row]
    #: The positions for the "Previous" (``before=``) and "Next" (``after=``) links.
    previous: Position | None
    next: Position | None
    #: Asked for a page past the list's end (the rows on it were dealt with since).
    past_the_end: bool = False


def _page_of(
    items: Sequence[Row], request: PageRequest, position_of: Callable[[Row], Position]
) -> Page[Row]:
    """A page from ``items``, read in the request's direction with one row to spare."""
    extra = len(items) > request.size
    rows = list(items[: request.size])
    if request.before is not None:
        rows.reverse()
        has_previous, has_next = extra, True
    else:
        has_previous, has_next = request.after is not None, extra
    return Page(
        rows,
        previous=position_of(rows[0]) if rows and has_previous else None,
        next=position_of(rows[-1]) if rows and has_next else None,
        past_the_end=not rows and not request.is_first,
    )


def _keyset(queryset: Any, due: str, request: PageRequest) -> Any:
    """``queryset`` from the requested position on, in (due date, id) order or its
    reverse, one row more than a page."""
    at = request.before or request.after
    return rows_from(
        queryset,
        due,
        request.size,
        (at.due, at.pk) if at else None,
        backwards=request.before is not None,
    )


def overdue_reviews(
    user: User,
    scope: Scope,
    filters: Filters,
    *,
    today: dt.date,
    page: PageRequest = PageRequest(),
) -> Page[ReviewRow]:
    """Open cases whose review date has passed with no review held since (M5)."""
    reviewed_since = Review.objects.filter(
        case=OuterRef("pk"), reviewed_at__date__gte=OuterRef("next_review_due")
    )
    cases = (
        scoped_cases(user, scope, filters)
        .filter(closed_at__isnull=True, status__in=OPEN_STATUSES, next_review_due__lt=today)
        .exclude(Exists(reviewed_since))
        .with_list_details()
    )
    found = _page_of(
        list(_keyset(cases, "next_review_due", page)),
        page,
        lambda case: Position(case.next_review_due, case.pk),
    )
    return Page(
        [ReviewRow(case, (today - case.next_review_due).days) for case in found.rows],
        previous=found.previous,
        next=found.next,
        past_the_end=found.past_the_end,
    )


def overdue_actions(
    user: User,
    scope: Scope,
    filters: Filters,
    *,
    today: dt.date,
    page: PageRequest = PageRequest(),
) -> Page[ActionRow]:
    """Open actions past their due date on open, visible cases (M6)."""
    visible = scoped_cases(user, scope, filters).filter(status__in=OPEN_STATUSES)
    overdue = Action.objects.filter(status__in=OPEN_ACTION_STATUSES, due_on__lt=today)
    related = ("case", "owner_agency", "owner_professional", "owner_family_member")
    if user.is_coordinator:
        shown = overdue.filter(case__in=visible.values("pk")).select_related(*related)
        actions = list(_keyset(shown, "due_on", page))
    else:
        # A caseload, not the authority: its case ids first (a few thousand at most), then
        # its overdue actions' ids and dates read case by case (the open actions' index by
        # case and due date), the page chosen here, and only its rows loaded. As one
        # statement with the order and limit, PostgreSQL walked every overdue action in
        # the authority by due date and kept the caseload's (48,000 read for 158 at 1M).
        cases = list(visible.values_list("pk", flat=True))
        dated = sorted(
            Position(due_on, pk)
            for due_on, pk in overdue.filter(case__in=cases).order_by().values_list("due_on", "pk")
        )
        if page.before is not None:
            chosen = [p for p in reversed(dated) if p < page.before][: page.size + 1]
        else:
            chosen = [p for p in dated if page.after is None or p > page.after][: page.size + 1]
        loaded = Action.objects.select_related(*related).in_bulk([p.pk for p in chosen])
        actions = [loaded[p.pk] for p in chosen if p.pk in loaded]
    found = _page_of(actions, page, lambda action: Position(action.due_on, action.pk))
    subjects: dict[int, list[CaseSubject]] = {}
    for subject in (
        CaseSubject.objects.filter(case__in={a.case_id for a in found.rows})
        .select_related("child")
        .order_by("child_id")
    ):
        subjects.setdefault(subject.case_id, []).append(subject)
    return Page(
        [
            ActionRow(action, subjects.get(action.case_id, []), (today - action.due_on).days)
            for action in found.rows
        ],
        previous=found.previous,
        next=found.next,
        past_the_end=found.past_the_end,
    )


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
