"""The case page's long lists in full: the plan's actions and the members' contributions.

The case page shows the latest few of each and links here.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies.http import AuthenticatedHttpRequest
from cases.access import can_run_case, get_case_for_user
from cases.models import AccessPurpose
from meetings.models import Contribution
from meetings.panels import case_meetings

CONTRIBUTIONS_PAGE_SIZE = 50


@login_required
@require_GET
def case_plan(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """Every outcome and action of the plan (up to the panel's limit of rows)."""
    case = get_case_for_user(request, case_pk, purpose=AccessPurpose.PLAN)
    panel = dict(case_meetings(case, request.user, full=True))
    return render(request, "meetings/case_plan.html", {"case": case, "panel": panel})


@login_required
@require_GET
def case_contributions(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """Every member's contribution, newest first, a page at a time."""
    case = get_case_for_user(request, case_pk, purpose=AccessPurpose.CASE)
    contributions = (
        Contribution.objects.filter(case=case)
        .select_related("author")
        .order_by("-created_at", "-id")
    )
    page = Paginator(contributions, CONTRIBUTIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/case_contributions.html",
        {"case": case, "page": page, "can_run": can_run_case(request.user, case)},
    )
