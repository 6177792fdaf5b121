"""Every page and API route that shows a case's child writes exactly one access-log row.

The rows are written by the access policy's fetch functions (``cases.access``), not by
each view, so a new page cannot forget them; this walk proves it for every GET route
in the permission matrix, as the first persona who may open it. The matrix's case has
one child, so a page about the case writes exactly one row, and a page that shows no
child's record writes none. A route missing from ``SHOWS_NO_CHILD`` that writes no row,
or any route that writes two, fails.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import RecordAccess
from tests.matrix import Objects
from tests.matrix_routes import ROUTES as MATRIX

#: GET routes that show no child's record, with why.
SHOWS_NO_CHILD = {
    # Signing in and account pages.
    "home",
    "healthz",
    "agencies:sign_in",
    "agencies:two_factor",
    "agencies:two_factor_setup",
    "agencies:password_reset",
    "agencies:password_reset_done",
    "agencies:password_reset_confirm",
    "agencies:password_reset_complete",
    "agencies:password_change",
    "agencies:password_change_done",
    "agencies:sessions",
    "agencies:session_end",
    "agencies:sessions_end_others",
    # Notifications carry no names; their links lead to pages that log.
    "notifications:list",
    "notifications:open",
    "notifications:preferences",
    # Empty forms: nothing is shown until a search or a choice is made.
    "cases:find_child",
    "cases:add_child",
    "cases:add_unborn",
    "audit:break_glass_request",
    "cases:step_down_in",
    "dashboards:annex_a",
    "disclosures:new",
    # Who looked at what, by professional, and the list of grants: no child's record.
    "audit:professional_access",
    "audit:break_glass_list",
    # The access report of every access names cases by reference, never a child.
    "audit:access_report",
    "audit:access_report_csv",
    # Figures, never records (the drill-downs log the rows they list).
    "dashboards:dashboard",
    "dashboards:export",
    # Retention and legal holds name cases by reference and records by number, never a
    # child: nothing of a child's record is shown.
    "retention:index",
    "retention:register",
    "retention:item",
    "retention:holds",
    "retention:place_hold",
    "retention:lift_hold",
    # Workers who have left and their counts of open work: no child (their caseload logs).
    "dashboards:leavers",
    # The partner API's reference data, its description, and a referral's status.
    "api:agency-detail",
    "api:agency-kinds",
    "api:agency-list",
    "api:closure-reasons",
    "api:ethnicity-codes",
    "api:levels-of-need",
    "api:docs",
    "api:schema",
    "api:referral-detail",
}

#: Lists that show a child only when the child matches (here, none is overdue or
#: assessed); each child they do show is logged once.
LISTS = {
    "dashboards:drilldown",
    "dashboards:drilldown_csv",
    "dashboards:annex_a_export",
    "cases:triage_queue",
    # Subject access requests name the child each is about (none in the matrix).
    "disclosures:list",
}

#: Requests for support: their children are shown before any case is theirs.
REQUESTS = {"cases:request_sent", "cases:triage"}

READERS = ("lead", "manager", "coordinator", "auditor", "member", "member_manager")


def _gets() -> list[str]:
    return sorted(name for name, route in MATRIX.items() if route.method == "get")


@pytest.mark.parametrize("route_name", _gets())
def test_each_route_logs_each_child_it_shows_once(
    route_name: str, objects: Objects, persona_client: Callable[[str], Client]
) -> None:
    route = MATRIX[route_name]
    persona = next((p for p in READERS if route.expect.get(p) == 200), None)
    if persona is None:
        pytest.skip("no persona reads it (it answers a redirect or a refusal)")
    client = persona_client(persona)
    url = reverse(route_name, args=route.args(objects))
    before = RecordAccess.objects.count()
    response = client.get(url, route.form_data())
    assert response.status_code == 200, f"{route_name} as {persona}"
    rows = list(RecordAccess.objects.order_by("id")[before:])
    if route_name in SHOWS_NO_CHILD:
        assert rows == [], f"{route_name} shows no child but logged {len(rows)}"
        return
    if route_name in LISTS:
        pairs = [(row.child_id, row.case_id) for row in rows]
        assert len(pairs) == len(set(pairs)), f"{route_name} logged a child twice"
        return
    assert len(rows) == 1, f"{route_name} as {persona} logged {len(rows)} rows"
    (row,) = rows
    assert row.child_id == objects.case.children.get().pk
    assert row.case_id == (None if route_name in REQUESTS else objects.case.pk)
    assert row.purpose, f"{route_name} logged no purpose"
