"""Permission-matrix routes of the episode steps (see tests/matrix.py for the helpers).

The lead, the manager of the lead's team and the coordinator run a case's episode;
a TAC member or a manager of one sees the case but may not (403); anyone who cannot see
it gets a 404.
"""

from __future__ import annotations

from django.utils import timezone

from cases.services.step_up import request_step_up
from tests.matrix import Objects, Route, everyone, runs_the_case

# Readers who may not act get 403; everyone else who cannot see the case, 404.
RUNNERS = runs_the_case(200)


def _with_pending_step_up(o: Objects) -> list[int]:
    lead = o.case.lead_assignment
    assert lead is not None
    request_step_up(
        o.case,
        by=lead.professional,
        referred_at=timezone.now(),
        referred_by=lead.professional,
        reason="Matrix check",
        family_informed=True,
    )
    return [o.case.pk]


ROUTES: dict[str, Route] = {
    "cases:lead_handover": Route("get", args=lambda o: [o.case.pk], expect=RUNNERS),
    "cases:step_up_request": Route("get", args=lambda o: [o.case.pk], expect=RUNNERS),
    "cases:step_up_decision": Route("get", args=_with_pending_step_up, expect=RUNNERS),
    "cases:closure": Route("get", args=lambda o: [o.case.pk], expect=RUNNERS),
    "cases:stage": Route("get", args=lambda o: [o.case.pk, "CLOSING"], expect=RUNNERS),
    # Not about one case: team managers and the coordinator open stepped-down cases.
    "cases:step_down_in": Route(
        "get",
        expect=everyone(403) | {"manager": 200, "member_manager": 200, "coordinator": 200},
    ),
}
