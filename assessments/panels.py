"""The assessments section of the case page and the "Assessments I have in draft" list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Q, Subquery

from assessments.models import OPEN_STATUSES, Assessment, ViewRecord
from cases.access import can_start_assessment
from cases.masking import masks_for
from cases.models import Case
from cases.panels import CasePanel, MyWorkPanel

if TYPE_CHECKING:
    from agencies.models import User

MY_DRAFTS_LIMIT = 20


def case_context(case: Case, user: User) -> dict[str, Any]:
    """Assessments of ``case`` by child, and where ``user`` may start one (4 queries)."""
    assessments = list(
        Assessment.objects.filter(case=case)
        .select_related("assessor", "child", "template")
        .order_by("child_id", "-started_at", "-id")
    )
    subjects = case.subjects_with_children()
    may_start = can_start_assessment(user, case)
    open_children = {a.child_id for a in assessments if a.status in OPEN_STATUSES}
    return {
        "case": case,
        "assessments": assessments,
        "children": [
            {
                "child": s.child,
                "can_start": may_start and case.is_open and s.child_id not in open_children,
            }
            for s in subjects
        ],
    }


def my_work_context(user: User) -> dict[str, Any]:
    """The signed-in professional's assessments still being written (1 query).

    No child's name is shown here, only the case reference, so the list needs no
    record-access entry; the assessment page itself logs when it is opened.
    """
    drafts = list(
        Assessment.objects.filter(
            assessor=user,
            status__in=OPEN_STATUSES,
            case__in=Case.objects.listed_for(user, by_key=False),
        )
        .select_related("case")
        .order_by("started_at", "id")[:MY_DRAFTS_LIMIT]
    )
    return {"drafts": drafts, "limit": MY_DRAFTS_LIMIT}


# --- "In their own words" (DOMAIN §9.2 A1) -------------------------------------------

#: Assessments whose views are shown: completed, or still being written.
SHOWN_STATUSES = (
    "draft",
    "awaiting_consent",
    "in_progress",
    "shared_with_family",
    "safeguarding_escalated",
    "completed",
)


def family_voice(case: Case, user: User) -> Mapping[str, Any]:
    """For each child, the views recorded in their latest completed or in-progress
    assessment. Family members' names go through the case's masks: a restricted name
    is never shown. Two queries, up to five with restrictions in force."""
    # The latest shown assessment of each child (PostgreSQL DISTINCT ON), read with its
    # views in one query.
    latest = (
        Assessment.objects.filter(case=case, status__in=SHOWN_STATUSES)
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
        "assessment_views": assessment_views,
        "any_views": bool(assessment_views),
        "masks": masks_for(case, user) if assessment_views else None,
    }


FAMILY_VOICE = CasePanel(
    key="assessments_voice",
    template="assessments/panels/voice.html",
    context=family_voice,
    family_voice=True,
)
ASSESSMENTS = CasePanel(
    key="assessments", template="assessments/panels/case_assessments.html", context=case_context
)
DRAFTS = MyWorkPanel(
    key="assessment_drafts", template="assessments/panels/my_drafts.html", context=my_work_context
)
