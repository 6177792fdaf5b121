"""The assessments section of the case page and the "Assessments I have in draft" list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assessments.models import OPEN_STATUSES, Assessment
from cases.models import Case, CaseSubject, LeadProfessionalAssignment, TeamMembership
from cases.panels import CasePanel, MyWorkPanel, register_case_panel, register_my_work_panel

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
    subjects = list(CaseSubject.objects.filter(case=case).select_related("child").order_by("id"))
    may_start = (
        LeadProfessionalAssignment.objects.active().filter(case=case, professional=user).exists()
        or TeamMembership.objects.active().filter(case=case, professional=user).exists()
    )
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
            case__in=Case.objects.visible_to(user),
        )
        .select_related("case")
        .order_by("started_at", "id")[:MY_DRAFTS_LIMIT]
    )
    return {"drafts": drafts, "limit": MY_DRAFTS_LIMIT}


def register() -> None:
    register_case_panel(
        CasePanel(
            key="assessments",
            order=20,
            template="assessments/panels/case_assessments.html",
            context=case_context,
        )
    )
    register_my_work_panel(
        MyWorkPanel(
            key="assessment_drafts",
            order=20,
            template="assessments/panels/my_drafts.html",
            context=my_work_context,
        )
    )
