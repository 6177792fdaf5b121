"""The episode section of the case page: its records and the steps the viewer may take."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from cases.access import can_open_stepped_down_case, stage_steps_for
from cases.models import Case, CaseClosure, LeadHandover, StepDownIn, StepUpReferral
from cases.panels import CasePanel, MyWorkPanel

if TYPE_CHECKING:
    from agencies.models import User


def episode_panel(case: Case, user: User) -> Mapping[str, Any]:
    """Five queries at most, whatever the case holds."""
    may = stage_steps_for(user, case)
    can_run = may.runs
    step_ups = list(
        StepUpReferral.objects.filter(case=case)
        .select_related("referred_by", "social_worker")
        .order_by("-referred_at", "-id")[:1]
    )
    latest_step_up = step_ups[0] if step_ups else None
    handovers = list(
        LeadHandover.objects.filter(case=case)
        .select_related("from_assignment__professional", "to_assignment__professional")
        .order_by("-recorded_at", "-id")[:1]
    )
    closure = CaseClosure.objects.filter(case=case).select_related("closed_by").first()
    step_down = StepDownIn.objects.filter(case=case).select_related("social_worker").first()
    return {
        "case": case,
        "can_run": can_run,
        "can_hand_over": can_run and case.is_open,
        "can_step_up": may.step_up,
        "can_record_decision": may.step_up_decision,
        "can_close": may.close,
        "step_up": latest_step_up,
        "review_prompt": (
            latest_step_up is not None
            and latest_step_up.decision == StepUpReferral.Decision.DECLINED
            and case.is_open
            and latest_step_up.review_due_by is not None
            and latest_step_up.review_due_by >= timezone.localdate()
        ),
        "handover": handovers[0] if handovers else None,
        "closure": closure,
        "step_down": step_down,
    }


EPISODE = CasePanel(key="episode", template="cases/episode/_panel.html", context=episode_panel)


def step_down_link(user: User) -> Mapping[str, Any]:
    """No queries: the role decides."""
    return {"can_step_down": can_open_stepped_down_case(user)}


STEP_DOWN_IN = MyWorkPanel(
    key="step_down_in", template="cases/episode/_my_work.html", context=step_down_link
)
