""" "In their own words": the child's and family's latest views, first on the case page.

DOMAIN §9.2 A1: the child's and each parent's or carer's words are attributed
(whose words, when, who wrote them down) and shown above every professional
summary. The panel gathers the newest of each source:

* the latest review's child and parent views (a review meeting copies the
  meeting's views into its review, so those meetings are shown through it);
* the latest held meeting that is not a review (the first TAC) with views;
* for each child, the views recorded in their latest completed or in-progress
  assessment.

Family members' names go through the case's masks: a restricted name is never shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Q, Subquery

from cases.masking import masks_for
from cases.models import Case
from cases.panels import CasePanel, register_case_panel

if TYPE_CHECKING:
    from agencies.models import User

#: Assessments whose views are shown: completed, or still being written.
SHOWN_ASSESSMENT_STATUSES = (
    "draft",
    "awaiting_consent",
    "in_progress",
    "shared_with_family",
    "safeguarding_escalated",
    "completed",
)


def voice_panel(case: Case, user: User) -> Mapping[str, Any]:
    """Four queries, up to seven with restrictions in force, whatever the case holds."""
    from assessments.models import Assessment, ViewRecord
    from meetings.models import Meeting, Review

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
    # The views in the latest shown assessment of each child (PostgreSQL DISTINCT ON),
    # read with their assessments in one query.
    latest = (
        Assessment.objects.filter(case=case, status__in=SHOWN_ASSESSMENT_STATUSES)
        .order_by("child_id", "-started_at", "-id")
        .distinct("child_id")
        .values("pk")
    )
    views = (
        ViewRecord.objects.filter(assessment__in=Subquery(latest))
        .filter(~Q(own_words="") | ~Q(not_obtained_reason=""))
        .select_related("assessment__child", "assessment__assessor", "family_member", "updated_by")
        .order_by("-assessment__started_at", "-assessment_id", "speaker", "id")
    )
    assessment_views: list[dict[str, Any]] = []
    for view in views:
        if not assessment_views or assessment_views[-1]["assessment"].pk != view.assessment_id:
            assessment_views.append({"assessment": view.assessment, "views": []})
        assessment_views[-1]["views"].append(view)
    return {
        "case": case,
        "review": review,
        "meeting": meeting,
        "assessment_views": assessment_views,
        "any_views": bool(review or meeting or assessment_views),
        "masks": masks_for(case, user),
    }


register_case_panel(
    CasePanel(
        key="family_voice",
        order=0,
        template="cases/panels/voice.html",
        context=voice_panel,
        family_voice=True,
    )
)
