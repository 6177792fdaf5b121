"""The meetings' steps in the case page's "What happens next" (``cases.panels.next_steps``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from cases.access import can_run_case, can_run_meeting
from cases.models import Case
from cases.panels.next_steps import THEN, NextStep, NextStepSource
from meetings.models import Meeting
from meetings.panels import meetings_of

if TYPE_CHECKING:
    from agencies.models import User

S = Case.Status


def _steps(case: Case, user: User) -> list[NextStep]:
    """The case's next scheduled meeting, from the case page's one read of its meetings."""
    if case.status not in {S.PLANNING, S.ACTIVE, S.CLOSING}:
        return []
    scheduled = [m for m in meetings_of(case) if m.status == Meeting.Status.SCHEDULED]
    meeting = min(scheduled, key=lambda m: (m.starts_at, m.pk), default=None)
    steps: list[NextStep] = []
    first = case.status == S.PLANNING
    if meeting is not None:
        if can_run_meeting(
            user, case, chair_id=meeting.chair_id, note_taker_id=meeting.note_taker_id
        ):
            steps.append(
                NextStep(
                    "Run the first TAC meeting" if first else "Run the review meeting",
                    reverse("meetings:run", args=[meeting.pk]),
                    hint=f"Arranged for {meeting.starts_at:%-d %B %Y}."
                    + (" Holding it agrees the plan." if first else ""),
                )
            )
        return steps
    if not can_run_case(user, case):
        return steps
    if first:
        steps.append(
            NextStep(
                "Arrange the first TAC meeting",
                reverse("meetings:schedule", args=[case.pk]),
                hint="Holding it agrees the plan and who leads.",
            )
        )
    elif case.status == S.ACTIVE:
        steps.append(
            NextStep("Arrange a review meeting", reverse("meetings:schedule", args=[case.pk]))
        )
        steps.append(
            NextStep(
                "Review the plan without a meeting",
                reverse("meetings:review", args=[case.pk]),
                rank=THEN,
            )
        )
    return steps


STEPS = NextStepSource(steps=_steps)
