"""The meetings app's sections on the case page and on "My work" (cases/panels.py).

Each context function runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Case as Case_
from django.db.models import Count, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from cases.access import can_contribute, can_run_case
from cases.models import Case
from cases.panels import CasePanel, MyWorkPanel
from meetings.models import Action, CaseDiscussion, Contribution, Invitation, Meeting, Review

if TYPE_CHECKING:
    from agencies.models import User

PANEL_ROWS = 50
#: The latest contributions shown on the case page; the contributions page has them all.
CONTRIBUTIONS_SHOWN = 5
#: The plan's actions shown on the case page: the open ones due first, then the rest.
ACTIONS_SHOWN = 3
MEETINGS_SHOWN = 5
REVIEWS_SHOWN = 10
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
UPCOMING_DAYS = 14


def meetings_of(case: Case) -> list[Meeting]:
    """Every meeting of ``case``, newest first, each saying whether a review records it.

    Read once for this case instance: the case page's "What happens next", its meetings
    and "In their own words" each pick theirs from the same list (a case holds a few
    dozen meetings at most, however many cases the authority has).
    """
    cached: list[Meeting] | None = case.__dict__.get("_tac_meetings")
    if cached is None:
        cached = list(
            Meeting.objects.filter(case=case)
            .select_related("note_taker", "created_by")
            .annotate(has_review=Exists(Review.objects.filter(meeting=OuterRef("pk"))))
            .order_by("-starts_at", "-id")
        )
        case.__dict__["_tac_meetings"] = cached
    return cached


def _reviews_shown(case: Case) -> list[Review]:
    """The latest reviews the case page lists (with their feedback counted), read once."""
    cached: list[Review] | None = case.__dict__.get("_tac_reviews")
    if cached is None:
        cached = list(
            case.reviews.select_related("recorded_by__agency", "meeting")
            .annotate(feedback_count=Count("feedback"))
            # Newest first: a grouped query does not take the model's ordering.
            .order_by("-reviewed_at", "-id")[:REVIEWS_SHOWN]
        )
        case.__dict__["_tac_reviews"] = cached
    return cached


def case_meetings(case: Case, user: User, *, full: bool = False) -> Mapping[str, Any]:
    """Meetings, the plan (outcomes and actions), reviews and my reflective discussions.

    The case page shows the latest few meetings and actions; ``full`` (the plan's own
    page) shows up to ``PANEL_ROWS`` of each."""
    shown_actions = PANEL_ROWS if full else ACTIONS_SHOWN
    today = timezone.localdate()
    meetings = meetings_of(case)[: MEETINGS_SHOWN + 1]
    actions = list(
        case.actions.select_related("owner_professional__agency", "owner_family_member", "child")
        .annotate(
            done=Case_(When(status__in=Action.OPEN_STATUSES, then=Value(0)), default=Value(1))
        )
        .order_by("done", "due_on", "id")[: shown_actions + 1]
    )
    counts = case.actions.aggregate(
        open=Count("id", filter=Q(status__in=Action.OPEN_STATUSES)),
        overdue=Count("id", filter=Q(status__in=Action.OPEN_STATUSES, due_on__lt=today)),
        all=Count("id"),
    )
    open_text = f"{counts['open']} open" + (
        f", {counts['overdue']} overdue" if counts["overdue"] else ""
    )
    return {
        "case": case,
        "today": today,
        "meetings": meetings[:MEETINGS_SHOWN],
        "more_meetings": len(meetings) > MEETINGS_SHOWN,
        "actions": actions[:shown_actions],
        "action_counts": counts,
        "more_actions": not full and len(actions) > shown_actions,
        "summary_rows": [
            {"key": "Actions in the plan", "value": open_text, "href": "#plan"},
        ],
        "outcomes": list(case.outcomes.select_related("child").order_by("id")[:PANEL_ROWS]),
        "reviews": _reviews_shown(case),
        "discussions": list(
            CaseDiscussion.objects.filter(case=case, participants=user).order_by("-held_on")[:10]
        ),
        "can_manage": can_run_case(user, case),
        "user_id": user.pk,
    }


def case_contributions(case: Case, user: User) -> Mapping[str, Any]:
    """The members' latest contributions, newest first, in the same format for everyone.

    Only their own words: the steps on the case (meetings, reviews, handovers...) are in
    its history, and each contribution's own step ("Contribution from...") is left out
    of it there, so nothing is shown twice. Two queries.
    """
    contributions = list(
        Contribution.objects.filter(case=case)
        .select_related("author")
        .order_by("-created_at", "-id")[: CONTRIBUTIONS_SHOWN + 1]
    )
    return {
        "case": case,
        "feed": contributions[:CONTRIBUTIONS_SHOWN],
        "more": len(contributions) > CONTRIBUTIONS_SHOWN,
        "can_contribute": can_contribute(user, case),
    }


def my_work(user: User) -> Mapping[str, Any]:
    """Actions the professional owns that are due soon or overdue, and their next meetings.

    Only open cases the user can still see are listed: owning an action on a
    case one has left does not keep the case visible.
    """
    today = timezone.localdate()
    # The user's own actions and invitations, each read by its own index, are checked
    # against the caseload as a set (not the caseload read case by case).
    visible = Case.objects.listed_for(user, by_key=False).open().values("pk")
    actions = list(
        Action.objects.filter(
            owner_professional=user,
            status__in=Action.OPEN_STATUSES,
            due_on__lte=today + dt.timedelta(days=UPCOMING_DAYS),
            case__in=visible,
        )
        .select_related("case")
        .order_by("due_on", "id")[:PANEL_ROWS]
    )
    invitations = list(
        Invitation.objects.filter(
            professional=user,
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__starts_at__gte=timezone.now() - dt.timedelta(hours=12),
            meeting__case__in=visible,
        )
        .select_related("meeting__case")
        .order_by("meeting__starts_at", "id")[:PANEL_ROWS]
    )
    return {"today": today, "actions": actions, "invitations": invitations}


# --- "In their own words" (DOMAIN §9.2 A1) -------------------------------------------


def family_voice(case: Case, user: User) -> Mapping[str, Any]:
    """The child's and family's views at the latest review and the latest held meeting
    that was not a review (a review meeting copies its views into its review, so those
    meetings are shown through it). Both come from the lists the case page's meetings
    section reads (``meetings_of``, ``_reviews_shown``); an older review is looked for
    only when none of those shown has views."""
    shown = _reviews_shown(case)
    review = next((r for r in shown if r.child_views or r.parent_views), None)
    if review is None and len(shown) == REVIEWS_SHOWN:
        review = (
            Review.objects.filter(case=case)
            .exclude(child_views="", parent_views="")
            .select_related("recorded_by__agency", "meeting")
            .order_by("-reviewed_at", "-id")
            .first()
        )
    held = [
        m
        for m in meetings_of(case)
        if m.status == Meeting.Status.HELD
        and not m.has_review  # type: ignore[attr-defined]  # annotated in meetings_of
        and (m.family_views or m.child_views)
    ]
    # Newest held first, as ORDER BY held_at DESC, id DESC (where an empty date sorts first).
    meeting = max(held, key=lambda m: (m.held_at is None, m.held_at or _EPOCH, m.pk), default=None)
    return {"review": review, "meeting": meeting, "any_views": bool(review or meeting)}


FAMILY_VOICE = CasePanel(
    key="meetings_voice",
    template="meetings/panels/voice.html",
    context=family_voice,
    family_voice=True,
)
MEETINGS = CasePanel(
    key="meetings", template="meetings/panels/case_meetings.html", context=case_meetings
)
CONTRIBUTIONS = CasePanel(
    key="contributions",
    template="meetings/panels/case_contributions.html",
    context=case_contributions,
)
MY_WORK = MyWorkPanel(key="meetings", template="meetings/panels/my_work.html", context=my_work)
