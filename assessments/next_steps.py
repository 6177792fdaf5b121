"""The assessment's steps in the case page's "What happens next" (``cases.panels.next_steps``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from assessments.models import OPEN_STATUSES, Assessment
from cases.access import assessors_editable_by, can_start_assessment
from cases.models import Case
from cases.panels.next_steps import NEXT, OTHER, NextStep, NextStepSource

if TYPE_CHECKING:
    from agencies.models import User

S = Case.Status

#: Stages where starting the assessment is the next step (it moves the case to assessing).
_START_AT = {S.IDENTIFIED, S.REQUEST_SUBMITTED, S.TRIAGED, S.CONSENT_PENDING}
#: Stages where an assessment is being written.
_WRITING_AT = {S.ASSESSING, S.REASSESSING}


def _steps(case: Case, user: User) -> list[NextStep]:
    """At most five queries, whatever the number of children and assessments."""
    status = case.status
    if status not in _START_AT | _WRITING_AT | {S.ACTIVE}:
        return []
    children = [s.child for s in case.subjects_with_children()]
    assessments = list(
        Assessment.objects.filter(case=case).only("pk", "child_id", "status", "assessor_id")
    )
    open_by_child = {a.child_id: a for a in assessments if a.status in OPEN_STATUSES}
    editable = assessors_editable_by(
        user, case, assessor_ids=[a.assessor_id for a in open_by_child.values()]
    )
    may_start = len(open_by_child) < len(children) and can_start_assessment(user, case)
    steps: list[NextStep] = []
    for child in sorted(children, key=lambda c: c.pk):
        current = open_by_child.get(child.pk)
        if current is not None:
            if current.assessor_id in editable:
                steps.append(
                    NextStep(
                        f"Continue the assessment of {child.full_name}",
                        reverse("assessments:detail", args=[current.pk]),
                        hint="Completing it moves the case on.",
                    )
                )
            continue
        if not may_start:
            continue
        if status == S.ACTIVE:
            steps.append(
                NextStep(
                    f"Start a reassessment of {child.full_name}",
                    reverse("assessments:start", args=[case.pk, child.pk]),
                    rank=OTHER,
                    hint="When needs have changed, or at 12 months.",
                )
            )
        else:
            steps.append(
                NextStep(
                    f"Start the assessment of {child.full_name}",
                    reverse("assessments:start", args=[case.pk, child.pk]),
                    rank=NEXT,
                )
            )
    return steps


STEPS = NextStepSource(steps=_steps)
