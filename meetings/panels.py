"""The meetings app's sections on the case page and on "My work" (cases/panels.py).

Each context function runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.utils import timezone

from cases.access import can_contribute, can_run_case
from cases.models import Case
from cases.panels import CasePanel, MyWorkPanel
from meetings.models import Action, CaseDiscussion, Contribution, Invitation, Meeting, Review

if TYPE_CHECKING:
    from agencies.models import User

PANEL_ROWS = 50
UPCOMING_DAYS = 14


def case_meetings(case: Case, user: User) -> Mapping[str, Any]:
    """Meetings, the plan (outcomes and actions), reviews and my reflective discussions."""
    today = timezone.localdate()
    meetings = list(case.meetings.order_by("-starts_at", "-id")[:PANEL_ROWS])
    actions = list(
        case.actions.select_related(
            "owner_professional__agency", "owner_family_member", "child"
        ).order_by("due_on", "id")[:PANEL_ROWS]
    )
    return {
        "case": case,
        "today": today,
        "meetings": meetings,
        "outcomes": list(case.outcomes.select_related("child").order_by("id")[:PANEL_ROWS]),
        "actions": actions,
        "reviews": list(
            case.reviews.select_related("recorded_by").annotate(feedback_count=Count("feedback"))[
                :10
            ]
        ),
        "discussions": list(
            CaseDiscussion.objects.filter(case=case, participants=user).order_by("-held_on")[:10]
        ),
        "can_manage": can_run_case(user, case),
        "user_id": user.pk,
    }


def case_contributions(case: Case, user: User) -> Mapping[str, Any]:
    """Every member's contributions in one feed: same format for everyone, newest first."""
    contributions = list(
        Contribution.objects.filter(case=case)
        .select_related("author")
        .order_by("-created_at", "-id")[:PANEL_ROWS]
    )
    # Every step on the case (meetings, reviews, handovers, step-up, closure...) joins the
    # members' own words in the one feed, newest first (DOMAIN §9.2 C).
    steps = list(case.events.select_related("actor__agency").order_by("-at", "-id")[:PANEL_ROWS])
    feed: list[tuple[dt.datetime, str, Any]] = [
        (c.created_at, "contribution", c) for c in contributions
    ] + [(e.at, "step", e) for e in steps]
    feed.sort(key=lambda entry: entry[0], reverse=True)
    return {
        "case": case,
        "contributions": contributions,
        "feed": [{"kind": kind, "item": item} for _, kind, item in feed[:PANEL_ROWS]],
        "can_contribute": can_contribute(user, case),
    }


def my_work(user: User) -> Mapping[str, Any]:
    """Actions the professional owns that are due soon or overdue, and their next meetings.

    Only open cases the user can still see are listed: owning an action on a
    case one has left does not keep the case visible.
    """
    today = timezone.localdate()
    visible = Case.objects.visible_to(user).open().values("pk")
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
    meetings are shown through it). Two queries."""
    review = (
        Review.objects.filter(case=case)
        .exclude(child_views="", parent_views="")
        .select_related("recorded_by__agency", "meeting")
        .order_by("-reviewed_at", "-id")
        .first()
    )
    meeting = (
        Meeting.objects.filter(case=case, status=Meeting.Status.HELD, review__isnull=True)
        .exclude(family_views="", child_views="")
        .select_related("note_taker", "created_by")
        .order_by("-held_at", "-id")
        .first()
    )
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
