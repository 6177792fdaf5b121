"""Permission-matrix routes served by the dashboards area (see tests/matrix.py for the helpers)."""

from __future__ import annotations

import datetime as dt

from meetings.models import Action
from tests.helpers import date_fields
from tests.matrix import Objects, Route, only, runs_the_case

DASHBOARD_USERS = ("manager", "member_manager", "coordinator")

# Those who run the case may say why it is late; others who see it may not (403);
# anyone else does not see it (404).
LATE_REASON = runs_the_case(200)


def _action(o: Objects) -> int:
    return Action.objects.create(
        case=o.case,
        description="Book a parenting course",
        owner_name="Grandmother",
        due_on=dt.date(2020, 1, 1),
        created_by=o.case.opened_by,
    ).pk


ROUTES: dict[str, Route] = {
    "dashboards:dashboard": Route("get", expect=only(200, *DASHBOARD_USERS)),
    "dashboards:export": Route("get", args=lambda o: ["m9"], expect=only(200, *DASHBOARD_USERS)),
    "dashboards:drilldown": Route(
        "get", args=lambda o: ["overdue-reviews"], expect=only(200, *DASHBOARD_USERS)
    ),
    "dashboards:drilldown_csv": Route(
        "get", args=lambda o: ["overdue-actions"], expect=only(200, *DASHBOARD_USERS)
    ),
    "dashboards:review_late_reason": Route("get", args=lambda o: [o.case.pk], expect=LATE_REASON),
    "dashboards:action_late_reason": Route("get", args=lambda o: [_action(o)], expect=LATE_REASON),
    # Workers who leave: the dashboard's users; a caseload (here the lead's) only for the
    # coordinator and a manager of the professional's team, and a 404 for anyone else.
    "dashboards:leavers": Route("get", expect=only(200, *DASHBOARD_USERS)),
    "dashboards:leaver_caseload": Route(
        "get",
        args=lambda o: [o.case.lead_assignments.active().get().professional_id],
        expect=only(200, "manager", "coordinator"),
    ),
    # The Ofsted extract holds every assessed child: coordinator and information governance.
    "dashboards:annex_a": Route("get", expect=only(200, "coordinator", "auditor")),
    "dashboards:annex_a_export": Route(
        "get",
        data=date_fields("end", dt.date(2026, 1, 31)),
        expect=only(200, "coordinator", "auditor"),
    ),
}
